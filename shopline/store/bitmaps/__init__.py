"""The bitmap segment engine (issue 21): counts and recipient sets as bitmap algebra.

`count`, `friend_ids` and `members` answer from an in-memory index of pyroaring bitmaps when they
may (see engine.py for why an answer is never stale) and from the SQL compiler otherwise; the SQL
compiler (store/segment_sql.py) stays the reference the property tests compare against.
"""

from __future__ import annotations

import datetime as dt

from pyroaring import BitMap

from shopline.core.segments import Node
from shopline.store.bitmaps import engine
from shopline.store.bitmaps.engine import _Fallback

__all__ = ["count", "friend_ids", "members"]


def count(tree: Node, today: dt.date | None = None) -> int:
    """How many following friends the segment holds."""
    if engine.usable():
        try:
            return engine.count(tree, today)
        except _Fallback:
            pass
    from shopline.store import segment_sql

    return segment_sql.reference_count(tree, today)


def members(tree: Node, today: dt.date | None = None, *, trust_transaction: bool = False) -> BitMap:
    """The following friends in the segment as a bitmap. `trust_transaction`: the caller is inside a
    transaction that has written nothing yet, so the committed state is what it sees."""
    if engine.usable(trust_transaction):
        try:
            return engine.members(tree, today)
        except _Fallback:
            pass
    from shopline.store import segment_sql

    return BitMap(segment_sql.reference_friend_ids(tree, today))


def friend_ids(tree: Node, today: dt.date | None = None) -> list[int]:
    """The segment's friend ids, ascending."""
    return list(members(tree, today))
