"""The タグ page: tags by folder with colours and counts; create, rename (merging), recolour, delete.

Renaming onto an existing name is a merge: the store refuses with MergeNeeded, which
says how many friends move, and the page asks before repeating it with merge=True.
Dragging a tag onto a folder (or onto the empty space: no folder) is an undoable move.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtGui import QColor, QUndoStack
from PySide6.QtWidgets import QColorDialog, QHBoxLayout, QInputDialog, QPushButton, QVBoxLayout, QWidget

from shopline.core.changes import Changes
from shopline.store import friend_edit
from shopline.store import tags as tag_store
from shopline.ui.change_bus import Follow
from shopline.ui.operations import Operation, show_error
from shopline.ui.tag_dialogs import TagNameDialog, confirm
from shopline.ui.tag_list import TagList
from shopline.ui.undo_commands import MoveTagCommand


class TagsPage(QWidget):
    def __init__(self, undo: QUndoStack, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._undo = undo
        self.tags = TagList(self)
        self.new_button = QPushButton(self.tr("New tag…"), self)
        self.rename_button = QPushButton(self.tr("Rename…"), self)
        self.colour_button = QPushButton(self.tr("Colour…"), self)
        self.delete_button = QPushButton(self.tr("Delete…"), self)
        self.dialog: TagNameDialog | None = None  # the open name dialog, for tests to fill in
        buttons = QHBoxLayout()
        for button in (self.new_button, self.rename_button, self.colour_button, self.delete_button):
            buttons.addWidget(button)
        buttons.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addLayout(buttons)
        layout.addWidget(self.tags)

        self.new_button.clicked.connect(self.create_tag)
        self.rename_button.clicked.connect(self.rename)
        self.colour_button.clicked.connect(self.recolour)
        self.delete_button.clicked.connect(self.delete)
        self.tags.view.tag_dropped.connect(self.move_tag)
        self.tags.view.selectionModel().currentChanged.connect(lambda *_: self._update_buttons())
        self.tags.view.doubleClicked.connect(lambda _index: self.rename())
        self.tags.loaded.connect(self._update_buttons)
        self.follow = Follow(self, Changes(tags=True, friends=True), lambda _changes, _by: self.reload())
        self._update_buttons()

    def reload(self) -> None:
        self.tags.reload()

    def _update_buttons(self) -> None:
        tag, folder = self.tags.current_tag(), self.tags.current_folder()
        self.rename_button.setEnabled(tag is not None or folder is not None)
        for button in (self.colour_button, self.delete_button):
            button.setEnabled(tag is not None)

    def _write(self, work: Callable[[], Any], failed: Callable[[BaseException], None] | None = None,
               *, drops_a_tag: bool = False) -> None:
        def done(_result: object) -> None:
            if drops_a_tag:
                self._undo.clear()  # undoing a tagging of a tag that no longer exists could only fail

        op = Operation(self, lambda _ctx: work(), success=done, writes=True, changes=Changes(tags=True, friends=True))
        if failed is not None:
            op.failure(failed)
        op.run()

    def _ask_name(self, title: str, **kwargs: Any) -> TagNameDialog | None:
        self.dialog = TagNameDialog(self, title, **kwargs)
        accepted = self.dialog.exec()
        dialog, self.dialog = self.dialog, None
        return dialog if accepted else None

    def create_tag(self) -> None:
        rows = self.tags.model.rows
        folder = self.tags.current_folder() or (self.tags.current_tag() or (0, "", "", "", 0))[2]
        dialog = self._ask_name(self.tr("New tag"), taken={r[1] for r in rows},
                                folders=sorted({r[2] for r in rows if r[2]}), folder=folder)
        if dialog is not None:
            name, in_folder = dialog.name.text(), dialog.folder_name()
            self._write(lambda: tag_store.create_tag(name, in_folder))

    def rename(self) -> None:
        tag, folder = self.tags.current_tag(), self.tags.current_folder()
        if tag is None and folder is not None:
            self._rename_folder(folder)
        elif tag is not None:
            dialog = self._ask_name(self.tr("Rename tag"), name=tag[1])
            if dialog is not None:
                self._rename(tag[1], dialog.name.text(), merge=False)

    def _rename(self, old: str, new: str, *, merge: bool) -> None:
        def failed(exc: BaseException) -> None:
            if isinstance(exc, tag_store.MergeNeeded):
                if confirm(self, self.tr("Merge tags"), str(exc)):
                    self._rename(old, new, merge=True)
            else:
                show_error(self, exc)

        self._write(lambda: tag_store.rename_tag(tag_store.find_tag(old), new, merge=merge), failed, drops_a_tag=merge)

    def _rename_folder(self, folder: str) -> None:
        new, ok = QInputDialog.getText(self, self.tr("Rename folder"), self.tr("Folder name"), text=folder)
        if ok and new.strip() and new.strip() != folder:
            self._write(lambda: tag_store.rename_folder(folder, new.strip()))

    def recolour(self) -> None:
        tag = self.tags.current_tag()
        if tag is None:
            return
        colour = QColorDialog.getColor(QColor(tag[3]), self, self.tr("Colour of “{tag}”").format(tag=tag[1]))
        if colour.isValid():
            self._write(lambda: friend_edit.set_colour(tag[0], colour.name()))

    def delete(self) -> None:
        tag = self.tags.current_tag()
        if tag is None:
            return
        _tag_id, name, _folder, _colour, count = tag
        text = self.tr("Delete the tag “{tag}”? It is removed from %n friend(s); the friends themselves stay.",
                       "", count).format(tag=name)
        if confirm(self, self.tr("Delete tag"), text):
            self._write(lambda: tag_store.delete_tag(tag_store.find_tag(name)), drops_a_tag=True)

    def move_tag(self, tag_id: int, folder: str) -> None:
        tag = self.tags.model.tag(tag_id)
        if tag is not None:
            self._undo.push(MoveTagCommand(self._undo, tag_id, tag[1], folder))
