"""The text form under the canvas: always the tree in words, and editable.

While the shop owner types, each pause parses the text and checks its names off
the UI thread (names live in the database). A valid text replaces the tree
through one undoable command; an invalid one stays as typed, highlighted, with
the parser's own message. When the canvas changes, the text follows it.
"""

from __future__ import annotations

from PySide6.QtCore import QTimer
from PySide6.QtGui import QUndoStack
from PySide6.QtWidgets import QLabel, QLineEdit, QVBoxLayout, QWidget

from shopline.core.segments import Node, SegmentError, to_text
from shopline.store.segments import parse_checked
from shopline.ui.operations import Operation, show_error
from shopline.ui.segment_builder.commands import ReplaceTree
from shopline.ui.segment_builder.model import SegmentModel, root_from_node

PARSE_DELAY_MS = 300  # a pause in typing, not every key
_BAD = "QLineEdit { background: #ffebee; border: 1px solid #e53935; }"


def _text(tree: Node | None) -> str:
    return to_text(tree) if tree is not None else ""


class TextBar(QWidget):
    def __init__(self, model: SegmentModel, stack: QUndoStack, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.model, self.stack = model, stack
        self.edit = QLineEdit(self)
        self.edit.setPlaceholderText(self.tr("e.g. VIP AND (region = 東京都 OR age >= 30) AND NOT 休眠"))
        self.edit.setAccessibleName(self.tr("Segment as text"))
        self.message = QLabel(self)
        self.message.setObjectName("error")
        self.message.setStyleSheet("color: #c62828;")
        self.message.setWordWrap(True)
        self.message.hide()
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.edit)
        layout.addWidget(self.message)
        self._generation = 0
        self._own = False
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(PARSE_DELAY_MS)
        self._timer.timeout.connect(self.check)
        self.edit.textEdited.connect(lambda _text: self._timer.start())
        self.edit.returnPressed.connect(self.check)
        model.changed.connect(self.follow)
        self.follow()

    def follow(self) -> None:
        """Show the tree as text; a change made on the canvas wins over an unfinished edit here."""
        if self._own:
            return  # the tree came from this text: leave it as typed, cursor and all
        self._timer.stop()
        self._generation += 1  # an answer still on its way is about the old text
        self._show_error(None)
        text = _text(self.model.tree())
        if text != self.edit.text():
            self.edit.setText(text)

    def check(self) -> None:
        """Parse and check the text as it is now; stale answers (the text changed since) are dropped."""
        self._timer.stop()
        self._generation += 1
        generation, text = self._generation, self.edit.text()
        Operation(self, lambda _ctx: parse_checked(text) if text.strip() else None,
                  success=lambda tree: self._parsed(generation, tree)
                  ).failure(lambda exc: self._failed(generation, exc)).run()

    def _parsed(self, generation: int, tree: Node | None) -> None:
        if generation != self._generation or self._timer.isActive():
            return
        self._show_error(None)
        current = self.model.tree()
        # The same tree spelt another way (性別 = 女性 for gender = female) is still the shop owner's edit:
        # the model keeps their words, so the next change on the canvas prints them back.
        if tree != current or _text(tree) != _text(current):
            self._own = True
            try:
                self.stack.push(ReplaceTree(self.model, root_from_node(tree), from_text=True))
            finally:
                self._own = False

    def _failed(self, generation: int, exc: BaseException) -> None:
        if generation != self._generation or self._timer.isActive():
            return
        if not isinstance(exc, SegmentError):
            show_error(self, exc)  # our bug or the database's, not the shop owner's text
            return
        self._show_error(str(exc))
        position = getattr(exc, "position", None)
        if position is not None:
            self.edit.setToolTip(self.tr("Problem at character {n}").format(n=position))

    def _show_error(self, message: str | None) -> None:
        self.message.setText(message or "")
        self.message.setVisible(message is not None)
        self.edit.setStyleSheet(_BAD if message is not None else "")
        if message is None:
            self.edit.setToolTip("")

    def is_invalid(self) -> bool:
        return self.message.isVisible()
