"""The inbox's segment conditions: last_reaction_days (messages and postbacks) and source = webhook."""

from __future__ import annotations

import datetime as dt

import pytest

from shopline.core.segments import Compare, SegmentError, parse, to_text
from shopline.store.inbox_models import Reaction
from shopline.store.models import Friend
from shopline.store.segment_sql import count

TODAY = dt.date(2025, 12, 10)


def add_friend(n: int, *, source: str = "webhook", status: str = "following",
               reactions: dict[str, str] | None = None) -> int:
    friend = Friend.create(user_id=f"U{n:032x}", source=source, status=status)
    for kind, at in (reactions or {}).items():
        Reaction.create(friend=friend, kind=kind, at=at, detail="")
    return friend.id


def counted(text: str) -> int:
    return count(parse(text), today=TODAY)


@pytest.mark.parametrize("text, tree", [
    ("last_reaction_days <= 30", Compare("last_reaction_days", "<=", 30)),
    ("最終反応日数 > 7", Compare("last_reaction_days", ">", 7)),
    ("source = webhook", Compare("source", "=", "webhook")),
    ("登録経路 != CSV", Compare("source", "!=", "csv")),
])
def test_parse_and_print_round_trip(text, tree):
    assert parse(text) == tree
    assert parse(to_text(tree)) == tree


def test_bad_values_are_refused_with_the_choices():
    with pytest.raises(SegmentError, match="webhook"):
        parse("source = line")
    with pytest.raises(SegmentError):
        parse("source > webhook")
    with pytest.raises(SegmentError):
        parse("last_reaction_days <= -1")


def test_last_reaction_days_counts_messages_postbacks_and_clicks_by_the_latest(store):
    add_friend(1, reactions={"message": "2025-12-05 10:00:00"})  # 5 days ago
    add_friend(2, reactions={"message": "2025-09-01 10:00:00", "postback": "2025-12-01 23:59:59"})  # 9 days
    add_friend(3, reactions={"message": "2025-10-01 09:00:00"})  # 70 days
    add_friend(4, reactions={"click": "2025-12-09 09:00:00"})  # a tracked-link click counts too (issue 19)
    add_friend(5)  # never reacted
    add_friend(6, status="blocked", reactions={"message": "2025-12-09 10:00:00"})
    assert counted("last_reaction_days <= 30") == 3
    assert counted("last_reaction_days <= 9") == 3
    assert counted("last_reaction_days < 9") == 2
    assert counted("last_reaction_days = 70") == 1
    assert counted("last_reaction_days > 30") == 1
    assert counted("NOT last_reaction_days <= 30") == 2  # the 70-day one and the silent one


def test_source_webhook(store):
    add_friend(1, source="webhook")
    add_friend(2, source="csv")
    add_friend(3, source="webhook", status="blocked")
    assert counted("source = webhook") == 1
    assert counted("source != webhook") == 1
    assert counted("source = webhook OR last_reaction_days <= 30") == 1
