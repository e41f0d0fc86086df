"""Undoable edits of the shop's data, pushed on the window's one QUndoStack (Orange's commands.py).

Each redo/undo runs its store call as a writing Operation. The writer pool has one
thread, so an undo always runs after the redo it reverses, and it reads what that
redo recorded (the friends that really changed, the values it replaced) on the same
thread. What each command changes is announced on the app-wide change bus once the database holds it,
so every page showing those friends or tags follows (an undo too).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from PySide6.QtCore import QCoreApplication, QObject
from PySide6.QtGui import QUndoCommand

from shopline.core.changes import Changes
from shopline.store import friend_edit
from shopline.store.friend_edit import Edit
from shopline.ui.operations import Operation

__all__ = ["EditFriendCommand", "MoveTagCommand", "TagFriendsCommand"]


class _StoreCommand(QUndoCommand):
    CHANGES = Changes(friends=True)

    def __init__(self, owner: QObject, text: str) -> None:
        """`owner`: the window's undo stack, alive as long as the commands; it is the changes' initiator."""
        super().__init__(text)
        self._owner = owner

    def _run(self, work: Callable[[], Any]) -> None:
        Operation(self._owner, lambda _ctx: work(), writes=True, changes=self.CHANGES).run()


class TagFriendsCommand(_StoreCommand):
    """Tag (or untag) friends; undo reverses it for exactly the friends it changed."""

    CHANGES = Changes(friends=True, tags=True)  # the friends' chips and the tags' counts

    def __init__(self, owner: QObject, friend_ids: Sequence[int], tag_id: int, tag_name: str,
                 *, untag: bool = False) -> None:
        n = len(friend_ids)
        text = (QCoreApplication.translate("TagFriendsCommand", "Remove tag “{tag}” from %n friend(s)", "", n)
                if untag else QCoreApplication.translate("TagFriendsCommand", "Tag %n friend(s) “{tag}”", "", n))
        super().__init__(owner, text.format(tag=tag_name))
        self._ids, self._tag_id, self._untag = list(friend_ids), tag_id, untag
        self._changed: list[int] = []

    def _apply(self, add: bool) -> list[int]:
        return (friend_edit.add_tag if add else friend_edit.remove_tag)(self._ids, self._tag_id)

    def redo(self) -> None:
        def work() -> None:
            self._changed = self._apply(not self._untag)

        self._run(work)

    def undo(self) -> None:
        def work() -> None:
            changed = self._changed
            (friend_edit.remove_tag if not self._untag else friend_edit.add_tag)(changed, self._tag_id)

        self._run(work)


class EditFriendCommand(_StoreCommand):
    """Change a friend's details and custom fields; undo puts back the values they replaced."""

    CHANGES = Changes(friends=True, fields=True)

    def __init__(self, owner: QObject, friend_id: int, name: str, edit: Edit) -> None:
        text = QCoreApplication.translate("EditFriendCommand", "Edit “{name}”").format(name=name)
        super().__init__(owner, text)
        self._friend_id, self._edit = friend_id, edit
        self._previous: Edit | None = None

    def redo(self) -> None:
        def work() -> None:
            self._previous = friend_edit.edit_friend(self._friend_id, self._edit)

        self._run(work)

    def undo(self) -> None:
        def work() -> None:
            if self._previous is not None:  # None: the redo failed (the friend was deleted), nothing changed
                friend_edit.edit_friend(self._friend_id, self._previous)

        self._run(work)


class MoveTagCommand(_StoreCommand):
    """Put a tag into a folder (a drop on the tag panel); undo puts it back where it was."""

    CHANGES = Changes(tags=True)

    def __init__(self, owner: QObject, tag_id: int, tag_name: str, folder: str) -> None:
        text = QCoreApplication.translate("MoveTagCommand", "Move “{tag}” to “{folder}”")
        super().__init__(owner, text.format(tag=tag_name, folder=folder))
        self._tag_id, self._folder = tag_id, folder
        self._previous = ""

    def redo(self) -> None:
        def work() -> None:
            self._previous = friend_edit.move_tag(self._tag_id, self._folder)

        self._run(work)

    def undo(self) -> None:
        self._run(lambda: friend_edit.move_tag(self._tag_id, self._previous))
