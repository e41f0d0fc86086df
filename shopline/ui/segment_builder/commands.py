"""Every change to the builder's tree is one of these commands on the page's QUndoStack.

Commands hold the items themselves (ids and all), so redo after undo puts back
the very objects the canvas knew, and the focus can follow them.
"""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication
from PySide6.QtGui import QUndoCommand

from shopline.ui.segment_builder.model import Group, Item, Leaf, SegmentModel

_TEXT_EDIT_ID = 1  # consecutive edits of the text form merge into one undo step


class AddItem(QUndoCommand):
    def __init__(self, model: SegmentModel, group: Group, index: int, item: Item) -> None:
        super().__init__(QCoreApplication.translate("SegmentCommands", "Add condition"))
        self.model, self.group, self.index, self.item = model, group, index, item

    def redo(self) -> None:
        self.model.insert(self.group, self.index, self.item)

    def undo(self) -> None:
        self.model.take(self.item)


class MoveItem(QUndoCommand):
    """Move a condition between groups, or nest a group inside another."""

    def __init__(self, model: SegmentModel, item: Item, group: Group, index: int) -> None:
        super().__init__(QCoreApplication.translate("SegmentCommands", "Move"))
        self.model, self.item, self.group, self.index = model, item, group, index
        self.back: tuple[Group, int] | None = None

    def redo(self) -> None:
        self.back = self.model.move(self.item, self.group, self.index)

    def undo(self) -> None:
        assert self.back is not None
        self.model.move(self.item, *self.back)


class RemoveItem(QUndoCommand):
    def __init__(self, model: SegmentModel, item: Item) -> None:
        super().__init__(QCoreApplication.translate("SegmentCommands", "Remove"))
        self.model, self.item = model, item
        self.back: tuple[Group, int] | None = None

    def redo(self) -> None:
        self.back = self.model.take(self.item)

    def undo(self) -> None:
        assert self.back is not None
        self.model.insert(*self.back, self.item)


class WrapInGroup(QUndoCommand):
    """Put an item into a new group of its own, in its place (Ctrl+G)."""

    def __init__(self, model: SegmentModel, item: Item) -> None:
        super().__init__(QCoreApplication.translate("SegmentCommands", "Group"))
        self.model, self.item = model, item
        self.group = Group(mode="any" if isinstance(item, Group) and item.mode == "all" else "all")

    def redo(self) -> None:
        parent, index = self.model.take(self.item)
        self.group.items = [self.item]
        self.model.insert(parent, index, self.group)

    def undo(self) -> None:
        parent, index = self.model.take(self.group)
        self.group.items = []
        self.model.insert(parent, index, self.item)


class GroupWith(QUndoCommand):
    """A drop onto a condition: it and what was dropped become a new group in its place.

    The new group takes the other mode than the one around it (an OR group inside an AND one),
    since a group of the same mode would mean nothing more than the two side by side.
    """

    def __init__(self, model: SegmentModel, target: Item, item: Item, *, new: bool) -> None:
        super().__init__(QCoreApplication.translate("SegmentCommands", "Group"))
        parent = model.parent_of(target.id)
        assert parent is not None, "the root group is never a drop's partner"
        self.model, self.target, self.item, self.new = model, target, item, new
        self.group = Group(mode="any" if parent.mode == "all" else "all")
        self.back: tuple[Group, int] | None = None

    def redo(self) -> None:
        if not self.new:
            self.back = self.model.take(self.item)
        parent, index = self.model.take(self.target)
        self.group.items = [self.target, self.item]
        self.model.insert(parent, index, self.group)

    def undo(self) -> None:
        parent, index = self.model.take(self.group)
        self.group.items = []
        self.model.insert(parent, index, self.target)
        if self.back is not None:
            self.model.insert(*self.back, self.item)


class SetValues(QUndoCommand):
    """Change an item's own attributes: a group's all/any, a NOT, a condition's operator or value."""

    def __init__(self, model: SegmentModel, item: Item, text: str, **values: object) -> None:
        super().__init__(text)
        self.model, self.item, self.new = model, item, values
        self.old = {name: getattr(item, name) for name in values}

    def redo(self) -> None:
        self.model.update(self.item, **self.new)

    def undo(self) -> None:
        self.model.update(self.item, **self.old)


def toggle_mode(model: SegmentModel, group: Group) -> SetValues:
    return SetValues(model, group, QCoreApplication.translate("SegmentCommands", "Switch AND/OR"),
                     mode="any" if group.mode == "all" else "all")


def toggle_not(model: SegmentModel, item: Item) -> SetValues:
    return SetValues(model, item, QCoreApplication.translate("SegmentCommands", "Switch exclude"),
                     negated=not item.negated)


def set_leaf(model: SegmentModel, item: Item, leaf: Leaf) -> SetValues:
    return SetValues(model, item, QCoreApplication.translate("SegmentCommands", "Edit condition"), leaf=leaf)


class ReplaceTree(QUndoCommand):
    """A whole new tree: from the text form, or a saved segment opened."""

    def __init__(self, model: SegmentModel, root: Group, *, from_text: bool = False) -> None:
        super().__init__(QCoreApplication.translate("SegmentCommands", "Edit text") if from_text
                         else QCoreApplication.translate("SegmentCommands", "Open segment"))
        self.model, self.new, self.old = model, root, model.root
        self.from_text = from_text

    def id(self) -> int:
        return _TEXT_EDIT_ID if self.from_text else -1

    def mergeWith(self, other: QUndoCommand) -> bool:
        if not isinstance(other, ReplaceTree) or not other.from_text:
            return False
        self.new = other.new
        return True

    def redo(self) -> None:
        self.model.set_root(self.new)

    def undo(self) -> None:
        self.model.set_root(self.old)
