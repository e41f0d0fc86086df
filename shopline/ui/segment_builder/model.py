"""The builder's editable tree: groups (all/any, maybe negated) holding conditions and groups.

The core tree is frozen and insists on groups of two or more, which a canvas in
the middle of an edit cannot promise (a fresh group is empty, a drag leaves one
behind with a single item). So the canvas edits this looser tree, and tree()
folds it into the core form: empty groups vanish, one-item groups collapse.
Items keep their ids for their whole life, so undo commands can hold them.
"""

from __future__ import annotations

import itertools
import uuid
from dataclasses import dataclass, field

from PySide6.QtCore import QObject, Signal

from shopline.core.segments import And, Compare, HasTag, Node, Not, Or

Leaf = HasTag | Compare
_ids = itertools.count(1)


@dataclass(eq=False)
class Condition:
    leaf: Leaf
    negated: bool = False
    id: int = field(default_factory=lambda: next(_ids))


@dataclass(eq=False)
class Group:
    mode: str = "all"  # "all" (AND) or "any" (OR)
    negated: bool = False
    items: list[Item] = field(default_factory=list)
    id: int = field(default_factory=lambda: next(_ids))


Item = Condition | Group


def to_node(item: Item) -> Node | None:
    """The core form of an item, or None when it holds no condition at all."""
    if isinstance(item, Condition):
        node: Node = item.leaf
    else:
        parts = [n for n in (to_node(i) for i in item.items) if n is not None]
        if not parts:
            return None
        node = parts[0] if len(parts) == 1 else (And if item.mode == "all" else Or)(tuple(parts))
    return Not(node) if item.negated else node


def from_node(node: Node) -> Item:
    if isinstance(node, Not):
        inner = from_node(node.item)
        if inner.negated:  # NOT NOT x: the inner NOT needs a group of its own to live on
            return Group(negated=True, items=[inner])
        inner.negated = True
        return inner
    if isinstance(node, And | Or):
        return Group("all" if isinstance(node, And) else "any", items=[from_node(i) for i in node.items])
    return Condition(node)


def root_from_node(node: Node | None) -> Group:
    """The canvas's outermost group for a tree; a lone condition still sits in a group to drop beside."""
    if node is None:
        return Group()
    item = from_node(node)
    return item if isinstance(item, Group) else Group(items=[item])


class SegmentModel(QObject):
    """The domain object of the canvas; every change goes through a command and ends in `changed`."""

    changed = Signal()

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.root = Group()
        self.token = uuid.uuid4().hex  # tells our own drags from another builder's

    def tree(self) -> Node | None:
        return to_node(self.root)

    def find(self, item_id: int) -> Item | None:
        return next((item for item, _ in self.walk() if item.id == item_id), None)

    def parent_of(self, item_id: int) -> Group | None:
        return next((parent for item, parent in self.walk() if item.id == item_id), None)

    def walk(self) -> list[tuple[Item, Group | None]]:
        """Every item with its parent, in reading order (the root first, with no parent)."""
        out: list[tuple[Item, Group | None]] = [(self.root, None)]

        def visit(group: Group) -> None:
            for item in group.items:
                out.append((item, group))
                if isinstance(item, Group):
                    visit(item)

        visit(self.root)
        return out

    def contains(self, ancestor: Item, item_id: int) -> bool:
        if ancestor.id == item_id:
            return True
        return isinstance(ancestor, Group) and any(self.contains(i, item_id) for i in ancestor.items)

    # --- changes; only commands call these -----------------------------------------------

    def insert(self, group: Group, index: int, item: Item) -> None:
        group.items.insert(index, item)
        self.changed.emit()

    def take(self, item: Item) -> tuple[Group, int]:
        """Detach an item; returns where it was, for putting it back."""
        parent = self.parent_of(item.id)
        assert parent is not None, "the root group is never taken"
        index = parent.items.index(item)
        del parent.items[index]
        self.changed.emit()
        return parent, index

    def move(self, item: Item, group: Group, index: int) -> tuple[Group, int]:
        """Move an item to group[index] (index counted after it left); returns where it was."""
        parent = self.parent_of(item.id)
        assert parent is not None, "the root group is never moved"
        old = parent.items.index(item)
        del parent.items[old]
        group.items.insert(index, item)
        self.changed.emit()
        return parent, old

    def update(self, item: Item, **values: object) -> None:
        for name, value in values.items():
            setattr(item, name, value)
        self.changed.emit()

    def set_root(self, root: Group) -> None:
        self.root = root
        self.changed.emit()
