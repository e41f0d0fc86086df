"""Templates: drafts the shop keeps by name, to start the next message from."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QAbstractListModel, QModelIndex, QPersistentModelIndex, Qt, Signal
from PySide6.QtWidgets import (
    QGridLayout,
    QInputDialog,
    QLabel,
    QLineEdit,
    QListView,
    QMessageBox,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from shopline.core.changes import Changes
from shopline.core.drafts import Draft
from shopline.store import templates as store
from shopline.store.templates import SavedTemplate
from shopline.ui.operations import Latest, Operation

AnyIndex = QModelIndex | QPersistentModelIndex


class TemplateModel(QAbstractListModel):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.items: list[SavedTemplate] = []

    def set_items(self, items: list[SavedTemplate]) -> None:
        self.beginResetModel()
        self.items = items
        self.endResetModel()

    def rowCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008 - Qt's signature
        return 0 if parent.isValid() else len(self.items)

    def data(self, index: AnyIndex, role: int = Qt.ItemDataRole.DisplayRole) -> object:
        if not index.isValid() or not 0 <= index.row() < len(self.items):
            return None
        item = self.items[index.row()]
        if role == Qt.ItemDataRole.DisplayRole:
            return item.name
        if role == Qt.ItemDataRole.ToolTipRole:
            return self.tr("{n} bubble(s), saved {when}").format(
                n=len(item.draft.bubbles), when=f"{item.updated_at:%Y-%m-%d %H:%M}")
        return None

    def flags(self, index: AnyIndex) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable | Qt.ItemFlag.ItemNeverHasChildren


class TemplatesPanel(QWidget):
    loaded = Signal()
    use_requested = Signal(object)  # the template's Draft

    def __init__(self, current_draft: Callable[[], Draft], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._latest = Latest()  # overlapping reloads: the newest answer wins
        self._current_draft = current_draft
        self.model = TemplateModel(self)
        self.view = QListView(self)
        self.view.setModel(self.model)
        self.view.doubleClicked.connect(lambda _index: self.use())
        self.buttons = {key: QPushButton(label, self) for key, label in (
            ("save", self.tr("Save as template…")), ("use", self.tr("Use")),
            ("rename", self.tr("Rename…")), ("delete", self.tr("Delete")))}
        self.buttons["save"].clicked.connect(self.save)
        self.buttons["use"].clicked.connect(self.use)
        self.buttons["rename"].clicked.connect(self.rename)
        self.buttons["delete"].clicked.connect(self.delete)
        # Two to a row: the panel stays narrow enough for the page to fit a 1024-pixel screen.
        grid = QGridLayout()
        grid.addWidget(self.buttons["use"], 0, 0)
        grid.addWidget(self.buttons["rename"], 0, 1)
        grid.addWidget(self.buttons["delete"], 1, 0)
        grid.addWidget(self.buttons["save"], 2, 0, 1, 2)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(QLabel(self.tr("Templates"), self))
        layout.addWidget(self.view, 1)
        layout.addLayout(grid)
        self.view.selectionModel().selectionChanged.connect(self._enable)
        self._enable()

    def reload(self, select: str | None = None) -> None:
        Operation(self, lambda _ctx: store.list_templates(),
                  success=self._latest(lambda items: self._loaded(items, select))).run()

    def _loaded(self, items: list[SavedTemplate], select: str | None) -> None:
        self.model.set_items(items)
        names = [t.name for t in items]
        if select in names:
            self.view.setCurrentIndex(self.model.index(names.index(select), 0))
        self._enable()
        self.loaded.emit()

    def selected(self) -> SavedTemplate | None:
        rows = self.view.selectionModel().selectedRows()
        return self.model.items[rows[0].row()] if rows else None

    def _enable(self) -> None:
        chosen = self.selected() is not None
        for key in ("use", "rename", "delete"):
            self.buttons[key].setEnabled(chosen)

    def _ask(self, title: str, default: str) -> str | None:
        name, ok = QInputDialog.getText(self, title, self.tr("Template name:"), QLineEdit.EchoMode.Normal, default)
        return name if ok and name.strip() else None

    def _write(self, work: Callable[[], SavedTemplate | None], select: str | None = None) -> None:
        def done(result: SavedTemplate | None) -> None:
            self.reload(result.name if result is not None else select)

        Operation(self, lambda _ctx: work(), success=done, writes=True, changes=Changes(templates=True)).run()

    def save(self) -> None:
        current = self.selected()
        name = self._ask(self.tr("Save as template"), current.name if current else "")
        if name is not None:
            draft = self._current_draft()
            self._write(lambda: store.save_template(name, draft)[0])

    def use(self) -> None:
        current = self.selected()
        if current is not None:
            self.use_requested.emit(current.draft)

    def rename(self) -> None:
        current = self.selected()
        name = self._ask(self.tr("Rename template"), current.name) if current else None
        if current is not None and name is not None:
            self._write(lambda: store.rename_template(current.name, name))

    def delete(self) -> None:
        current = self.selected()
        if current is None:
            return
        answer = QMessageBox.question(self, self.tr("Delete template"),
                                      self.tr("Delete the template \"{}\"?").format(current.name))
        if answer == QMessageBox.StandardButton.Yes:
            self._write(lambda: store.delete_template(current.name))
