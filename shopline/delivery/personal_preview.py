"""The composer's "preview as": which friend's values a personal message is shown with (the send freezes them again)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from peewee import fn

from shopline.delivery.personal import Person, people
from shopline.store.models import Friend
from shopline.store.segment_sql import friend_ids_query

PREVIEW_FRIENDS = 200  # the first friends of the segment offered by name; any other comes at random


def _following(tree: Any) -> Any:
    return (Friend.select(Friend.id, Friend.display_name, Friend.user_id)
            .where((Friend.status == "following") & Friend.id.in_(friend_ids_query(tree))))


def preview_friends(tree: Any, limit: int = PREVIEW_FRIENDS) -> list[tuple[int, str]]:
    """(friend id, display name) of the segment's first following friends, for "preview as"."""
    return [(fid, name or uid) for fid, name, uid in _following(tree).order_by(Friend.id).limit(limit).tuples()]


def random_friend(tree: Any) -> tuple[int, str] | None:
    row = _following(tree).order_by(fn.Random()).limit(1).tuples().first()
    return (row[0], row[1] or row[2]) if row else None


def preview_values(friend_id: int, messages: Sequence[dict[str, Any]]) -> dict[str, str | None]:
    """What this friend's placeholders would be filled with now."""
    found = people([friend_id], messages) or [Person(friend_id, "", "", {})]
    return found[0].values
