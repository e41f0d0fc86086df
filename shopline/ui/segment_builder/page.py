"""The セグメント page: palette, canvas, text form and live count, with named segments.

The page owns the model and its undo stack and wires the parts to them; each
part follows the model's `changed` signal on its own.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, Qt, Signal
from PySide6.QtGui import QKeyEvent, QKeySequence, QShowEvent, QUndoStack
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QLabel,
    QMessageBox,
    QPushButton,
    QSplitter,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from shopline.core.changes import Changes
from shopline.core.segments import to_text
from shopline.store import segments as segment_store
from shopline.ui.change_bus import Follow
from shopline.ui.operations import Latest, Operation
from shopline.ui.segment_builder.canvas import Canvas
from shopline.ui.segment_builder.commands import ReplaceTree
from shopline.ui.segment_builder.live_count import LiveCount
from shopline.ui.segment_builder.model import SegmentModel, root_from_node
from shopline.ui.segment_builder.palette import Palette
from shopline.ui.segment_builder.text_bar import TextBar

# What the builder shows: the palette (tags, fields, purchase figures), saved segments, and the live count.
SHOWS = Changes(friends=True, tags=True, fields=True, segments=True, purchases=True)


class SegmentBuilderPage(QWidget):
    show_friends = Signal(object, str)  # (segment tree, a title): list these friends on the 友だち page
    saved_loaded = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._latest = Latest()  # overlapping reloads: the newest answer wins
        self.model = SegmentModel(self)
        self.stack = QUndoStack(self)
        self.tag_palette = Palette(self)
        self.canvas = Canvas(self.model, self.stack, self)
        self.canvas.palette_mime = self.tag_palette.current_mime
        self.text_bar = TextBar(self.model, self.stack, self)
        self.count = LiveCount(self)
        self._loaded = False
        self.follow = Follow(self, SHOWS, self._data_changed)

        self.name = QComboBox(self)
        self.name.setEditable(True)
        self.name.setMinimumWidth(260)  # Japanese names like 「30代以上の女性の常連」 fit without clipping
        self.name.lineEdit().setPlaceholderText(self.tr("Segment name"))
        self.open_button = QPushButton(self.tr("Open"), self)
        self.save_button = QPushButton(self.tr("Save"), self)
        self.delete_button = QPushButton(self.tr("Delete"), self)
        self.show_button = QPushButton(self.tr("Show these friends"), self)
        self.show_button.setDefault(False)
        self.help = QLabel(self.tr("Drag to move into a group · drop onto a condition to group the two · "
                                   "drag back to the list to remove · Ctrl+G: group · Delete: remove"), self)
        self.help.setObjectName("hint")
        self.help.setStyleSheet("#hint { color: #607d8b; }")
        self.help.setWordWrap(True)  # a long line in English must not widen the page
        self.undo_button = self._undo_button(True)
        self.redo_button = self._undo_button(False)
        top = QHBoxLayout()
        for widget in (self.name, self.open_button, self.save_button, self.delete_button):
            top.addWidget(widget)
        top.addStretch(1)
        bottom = QHBoxLayout()
        bottom.addWidget(self.undo_button)
        bottom.addWidget(self.redo_button)
        bottom.addWidget(self.count, 1)
        bottom.addWidget(self.show_button)

        right = QWidget(self)
        column = QVBoxLayout(right)
        column.setContentsMargins(0, 0, 0, 0)
        column.addLayout(top)
        column.addWidget(self.help)
        column.addWidget(self.canvas, 1)
        column.addWidget(self.text_bar)
        column.addLayout(bottom)
        self.splitter = QSplitter(Qt.Orientation.Horizontal, self)
        self.splitter.addWidget(self.tag_palette)
        self.splitter.addWidget(right)
        self.splitter.setStretchFactor(1, 1)
        self.splitter.setSizes([240, 800])
        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 6, 6, 6)
        layout.addWidget(self.splitter)

        self.tag_palette.chosen.connect(lambda data: self.canvas.add_from_palette(data=data))
        self.tag_palette.returned.connect(self.canvas.take_back)
        self.model.changed.connect(self._changed)
        self.open_button.clicked.connect(self.open_segment)
        self.name.activated.connect(lambda _i: self.open_segment())
        self.save_button.clicked.connect(self.save_segment)
        self.delete_button.clicked.connect(self.delete_segment)
        self.show_button.clicked.connect(self._show_friends)
        self._changed()

    def _undo_button(self, undo: bool) -> QToolButton:
        """A button whose label stays put (QUndoStack's own actions add the command's name and jump in width);
        what it would undo or redo is in its tooltip."""
        button = QToolButton(self)
        button.setText(self.tr("Undo") if undo else self.tr("Redo"))
        button.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
        button.clicked.connect(self.stack.undo if undo else self.stack.redo)
        button.setEnabled(False)

        # Fed by the stack's signals' own values: the stack also signals while it is being destroyed.
        def tip(what: str) -> None:
            if undo:
                button.setToolTip(self.tr("Undo: {what} (Ctrl+Z)").format(what=what) if what
                                  else self.tr("Undo (Ctrl+Z)"))
            else:
                button.setToolTip(self.tr("Redo: {what} (Ctrl+Shift+Z)").format(what=what) if what
                                  else self.tr("Redo (Ctrl+Shift+Z)"))

        (self.stack.undoTextChanged if undo else self.stack.redoTextChanged).connect(tip)
        (self.stack.canUndoChanged if undo else self.stack.canRedoChanged).connect(button.setEnabled)
        tip("")
        return button

    @staticmethod
    def _undo_key(event: QKeyEvent) -> str | None:
        if event.matches(QKeySequence.StandardKey.Undo):
            return "undo"
        chord = event.keyCombination().toCombined()
        redo = (QKeySequence("Ctrl+Shift+Z")[0].toCombined(), QKeySequence("Ctrl+Y")[0].toCombined())
        return "redo" if event.matches(QKeySequence.StandardKey.Redo) or chord in redo else None

    def event(self, event: QEvent) -> bool:
        # The window has its own undo stack on a window-wide Ctrl+Z. Inside this page Ctrl+Z means the
        # builder's: claiming the key before shortcuts are looked up (as a text box does) avoids a clash.
        if event.type() == QEvent.Type.ShortcutOverride and isinstance(event, QKeyEvent) and self._undo_key(event):
            event.accept()
            return True
        return super().event(event)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        which = self._undo_key(event)
        if which is None:
            super().keyPressEvent(event)
        elif which == "undo":
            self.stack.undo()
        else:
            self.stack.redo()

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        if not self._loaded:  # tags change on other pages: load when first looked at, not at start-up
            self._loaded = True
            self.reload()

    def reload(self) -> None:
        self.tag_palette.reload()
        self.reload_saved()

    def _data_changed(self, changes: Changes, _initiator: object | None) -> None:
        if not self._loaded:  # never shown yet: the first show loads everything
            return
        if changes.touches(Changes(tags=True, fields=True, friends=True, purchases=True)):
            self.tag_palette.reload()  # names, and the following counts beside them
        if changes.segments:
            self.reload_saved()
        if changes.touches(Changes(friends=True, tags=True, fields=True, purchases=True)):
            self.count.recount()

    def reload_saved(self) -> None:
        Operation(self, lambda _ctx: [s.name for s in segment_store.list_segments()],
                  success=self._latest(self._list_saved)).run()

    def _list_saved(self, names: list[str]) -> None:
        typed = self.name.currentText()
        self.name.blockSignals(True)
        self.name.clear()
        self.name.addItems(names)
        self.name.setEditText(typed)
        self.name.blockSignals(False)
        self.saved_loaded.emit()

    def _changed(self) -> None:
        tree = self.model.tree()
        self.count.set_tree(tree)
        self.show_button.setEnabled(tree is not None)
        self.save_button.setEnabled(tree is not None)

    def open_segment(self) -> None:
        name = self.name.currentText().strip()
        if name:
            Operation(self, lambda _ctx: segment_store.get_segment(name), success=self._opened).run()

    def _opened(self, saved: segment_store.SavedSegment) -> None:
        self.name.setEditText(saved.name)
        self.stack.push(ReplaceTree(self.model, root_from_node(saved.tree)))

    def save_segment(self) -> None:
        name, tree = self.name.currentText().strip(), self.model.tree()
        if tree is None:
            return
        if not name:
            QMessageBox.information(self, "ShopLine", self.tr("Type a name for the segment first."))
            self.name.setFocus()
            return
        Operation(self, lambda _ctx: segment_store.save_segment(name, tree)[0],
                  success=self._saved, writes=True, changes=Changes(segments=True)).run()

    def _saved(self, saved: segment_store.SavedSegment) -> None:
        self.name.setEditText(saved.name)  # the saved list follows the change bus

    def delete_segment(self) -> None:
        name = self.name.currentText().strip()
        if self.name.findText(name) < 0:
            return
        answer = QMessageBox.question(self, "ShopLine", self.tr("Delete the saved segment \"{name}\"?").format(
            name=name))
        if answer == QMessageBox.StandardButton.Yes:
            Operation(self, lambda _ctx: segment_store.delete_segment(name), writes=True,
                      changes=Changes(segments=True)).run()

    def _show_friends(self) -> None:
        tree = self.model.tree()
        if tree is not None:
            name = self.name.currentText().strip()
            self.show_friends.emit(tree, name if self.name.findText(name) >= 0 else to_text(tree))
