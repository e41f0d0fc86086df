"""Dialogs of the tags page: a tag's name (with the rule it breaks shown as you type) and confirmations."""

from __future__ import annotations

from collections.abc import Collection

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QComboBox, QDialog, QDialogButtonBox, QFormLayout, QLabel, QLineEdit, QMessageBox, QWidget

from shopline.core.tags import TagNameError, validate_tag_name

_REASON_LINES = 2  # the usual reason's height, kept empty until there is one


class TagNameDialog(QDialog):
    """Asks for a tag name (and, for a new tag, its folder); OK stays disabled while the name is refused.

    The reason a name is refused shows only once the shop has typed (an empty box is not a mistake
    yet), on a line whose height is kept: a reason appearing or going must not move OK or the folder
    box under a click that is already on its way.
    """

    def __init__(self, parent: QWidget | None, title: str, *, name: str = "", taken: Collection[str] = (),
                 folders: list[str] | None = None, folder: str = "") -> None:
        super().__init__(parent)
        self.setWindowTitle(title)
        self._taken = set(taken)
        self.name = QLineEdit(name, self)
        self.reason = QLabel(self)
        self.reason.setWordWrap(True)
        self.reason.setStyleSheet("color: #c62828;")
        self.reason.setAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop)
        self.reason.setMinimumHeight(self.reason.fontMetrics().lineSpacing() * _REASON_LINES)
        self._typed = False
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
        self.name.textChanged.connect(self._typed_now)
        self._check()

    def _typed_now(self) -> None:
        self._typed = True
        self._check()

    def refusal(self) -> str:
        """Why the name in the box cannot be used, or "" when it can."""
        try:
            folded = validate_tag_name(self.name.text())
        except TagNameError as exc:
            return str(exc)
        return self.tr("A tag with this name already exists.") if folded in self._taken else ""

    def _check(self) -> None:
        reason = self.refusal()
        self._show_reason(reason if self._typed else "")
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setEnabled(not reason)

    def _show_reason(self, text: str) -> None:
        self.reason.setText(text)
        # Grow for a long reason but never shrink back, so what lies below stays where it was.
        needed = self.reason.heightForWidth(max(self.reason.width(), 1)) if text else 0
        if needed > self.reason.minimumHeight():
            self.reason.setMinimumHeight(needed)

    def accept(self) -> None:
        reason = self.refusal()
        if reason:  # Enter in the box while OK is disabled: say why instead of closing
            self._typed = True
            self._show_reason(reason)
            return
        super().accept()

    def folder_name(self) -> str:
        return self.folder.currentText().strip() if self.folder is not None else ""


def confirm(parent: QWidget, title: str, text: str) -> bool:
    """One yes/no question; tests replace QMessageBox.question to answer it."""
    answer = QMessageBox.question(parent, title, text,
                                  QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
                                  QMessageBox.StandardButton.No)
    return answer == QMessageBox.StandardButton.Yes
