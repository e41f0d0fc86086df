"""The draft being composed, changed only through undoable commands; views follow `changed`.

Draft is immutable, so every command keeps the draft before and after and undo simply puts
the old one back: no command needs to know how to reverse its own edit.
"""

from __future__ import annotations

from PySide6.QtCore import QObject, Signal
from PySide6.QtGui import QUndoCommand, QUndoStack

from shopline.core.drafts import MAX_BUBBLES, Bubble, Draft, Problem, TextBubble, validate
from shopline.core.messages import Text
from shopline.core.placeholders import problems as placeholder_problems

FULL = Text(f"吹き出しは{MAX_BUBBLES}つまでです。追加するには、どれかを消してください。",
            f"A message holds at most {MAX_BUBBLES} bubbles: remove one to add another.")
_EDIT_ID = 1  # commands with this id merge: typing a sentence is one undo step, not one per key


class DraftDocument(QObject):
    changed = Signal()
    moved = Signal(int, int)  # source, target: the list keeps the moved bubble selected

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._draft = Draft()
        self._fields: list[str] | None = None
        self.undo_stack = QUndoStack(self)

    @property
    def draft(self) -> Draft:
        return self._draft

    def set_fields(self, names: list[str]) -> None:
        """The shop's custom fields: a placeholder naming none of them is a problem on its bubble."""
        if names != self._fields:
            self._fields = list(names)
            self.changed.emit()

    def problems(self) -> list[Problem]:
        found = validate(self._draft)
        if self._fields is not None:  # unknown until the page has read them: no false alarm meanwhile
            found += [Problem(i, reason) for i, b in enumerate(self._draft.bubbles) if isinstance(b, TextBubble)
                      for reason in placeholder_problems(b.text, self._fields)]
        return found

    def problems_at(self, index: int) -> list[Text]:
        return [p.reason for p in self.problems() if p.bubble_index == index]

    def _set(self, draft: Draft) -> None:
        self._draft = draft
        self.changed.emit()

    def add(self, bubble: Bubble) -> Text | None:
        """Append a bubble; the reason instead when the message is already full."""
        if len(self._draft.bubbles) >= MAX_BUBBLES:
            return FULL
        self.undo_stack.push(_Replace(self, Draft((*self._draft.bubbles, bubble)), "add"))
        return None

    def edit(self, index: int, bubble: Bubble) -> None:
        if self._draft.bubbles[index] == bubble:
            return
        items = list(self._draft.bubbles)
        items[index] = bubble
        self.undo_stack.push(_Edit(self, Draft(tuple(items)), index))

    def remove(self, index: int) -> None:
        items = list(self._draft.bubbles)
        del items[index]
        self.undo_stack.push(_Replace(self, Draft(tuple(items)), "remove"))

    def move(self, source: int, target: int) -> bool:
        """Move a bubble (target: its index afterwards); False when nothing moves."""
        count = len(self._draft.bubbles)
        if source == target or not (0 <= source < count and 0 <= target < count):
            return False
        self.undo_stack.push(_Move(self, source, target))
        return True

    def replace(self, draft: Draft) -> None:
        """Put a whole draft in place, e.g. a template: undoable like any edit."""
        self.undo_stack.push(_Replace(self, draft, "template"))


class _Replace(QUndoCommand):
    def __init__(self, doc: DraftDocument, after: Draft, text: str) -> None:
        super().__init__(text)
        self.doc, self.before, self.after = doc, doc.draft, after

    def redo(self) -> None:
        self.doc._set(self.after)

    def undo(self) -> None:
        self.doc._set(self.before)


class _Edit(_Replace):
    def __init__(self, doc: DraftDocument, after: Draft, index: int) -> None:
        super().__init__(doc, after, "edit")
        self.index = index

    def id(self) -> int:
        return _EDIT_ID

    def mergeWith(self, other: QUndoCommand) -> bool:
        if not isinstance(other, _Edit) or other.index != self.index:
            return False
        self.after = other.after
        return True


class _Move(QUndoCommand):
    def __init__(self, doc: DraftDocument, source: int, target: int) -> None:
        super().__init__("move")
        self.doc, self.source, self.target = doc, source, target

    def redo(self) -> None:
        self.doc._set(self.doc.draft.moved(self.source, self.target))
        self.doc.moved.emit(self.source, self.target)

    def undo(self) -> None:
        self.doc._set(self.doc.draft.moved(self.target, self.source))
        self.doc.moved.emit(self.target, self.source)
