"""Dialogs of the tags page: a tag's name (with the rule it breaks shown as you type) and confirmations."""

from __future__ import annotations

from collections.abc import Collection

from PySide6.QtWidgets import QComboBox, QDialog, QDialogButtonBox, QFormLayout, QLabel, QLineEdit, QMessageBox, QWidget

from shopline.core.tags import TagNameError, validate_tag_name


class TagNameDialog(QDialog):
    """Asks for a tag name (and, for a new tag, its folder); OK stays disabled while the name is refused."""

    def __init__(self, parent: QWidget | None, title: str, *, name: str = "", taken: Collection[str] = (),
                 folders: list[str] | None = None, folder: str = "") -> None:
        super().__init__(parent)
        self.setWindowTitle(title)
        self._taken = set(taken)
        self.name = QLineEdit(name, self)
        self.reason = QLabel(self)
        self.reason.setWordWrap(True)
        self.reason.setStyleSheet("color: #c62828;")
        self.folder: QComboBox | None = None
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        form = QFormLayout(self)
        form.addRow(self.tr("Tag name"), self.name)
        form.addRow("", self.reason)
        if folders is not None:
            self.folder = QComboBox(self)
            self.folder.setEditable(True)  # a new folder is typed here
            self.folder.addItems(["", *folders])
            self.folder.setCurrentText(folder)
            form.addRow(self.tr("Folder"), self.folder)
        form.addRow(self.buttons)
        self.setMinimumWidth(380)
        self.name.textChanged.connect(self._check)
        self._check(name)

    def _check(self, text: str) -> None:
        try:
            folded = validate_tag_name(text)
            reason = self.tr("A tag with this name already exists.") if folded in self._taken else ""
        except TagNameError as exc:
            reason = str(exc)
        self.reason.setText(reason)
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setEnabled(not reason)

    def folder_name(self) -> str:
        return self.folder.currentText().strip() if self.folder is not None else ""


def confirm(parent: QWidget, title: str, text: str) -> bool:
    """One yes/no question; tests replace QMessageBox.question to answer it."""
    answer = QMessageBox.question(parent, title, text,
                                  QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
                                  QMessageBox.StandardButton.No)
    return answer == QMessageBox.StandardButton.Yes
