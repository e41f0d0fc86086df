"""A shop whose friends are the fake LINE's followers, for the delivery tests."""

from __future__ import annotations

from collections import Counter

from fake_line.server import TOKEN, user_id

from shopline.core.segments import HasTag
from shopline.store.models import Friend, FriendTag, Tag

MSG = [{"type": "text", "text": "春のセールのお知らせです"}]
VIP = HasTag("VIP")


def shop(n: int, blocked: int = 0) -> list[str]:
    """n friends tagged VIP, the first `blocked` of them blocked (never sent to)."""
    ids = [user_id(i) for i in range(n)]
    Friend.insert_many([{"user_id": u, "display_name": f"友だち{i}", "status": "blocked" if i < blocked else
                         "following"} for i, u in enumerate(ids)]).execute()
    tag = Tag.create(name="VIP")
    FriendTag.insert_many([(fid, tag.id) for (fid,) in Friend.select(Friend.id).tuples()],
                          fields=[FriendTag.friend, FriendTag.tag]).execute()
    return ids[blocked:]


def exactly_once(fake, expected: list[str]) -> None:
    """Every expected friend got the campaign once, and nobody else got it."""
    assert fake.delivered == Counter({u: 1 for u in expected})


__all__ = ["MSG", "TOKEN", "VIP", "exactly_once", "shop"]
