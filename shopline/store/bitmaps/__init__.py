"""The bitmap segment engine (issue 21): counts and recipient sets as bitmap algebra.

`count` and `members` answer from an in-memory index of pyroaring bitmaps when they may (see engine.py
for why an answer is never stale) and return None otherwise. store/segment_sql.py calls them and answers
a None itself: the SQL compiler stays the reference the property tests compare against, and this package
is handed its compile function rather than importing it, so the two modules do not import each other.
"""

from __future__ import annotations

import datetime as dt

from pyroaring import BitMap

from shopline.core.segments import Node
from shopline.store.bitmaps import engine
from shopline.store.bitmaps.engine import Compile, _Fallback

__all__ = ["Compile", "count", "members"]


def count(tree: Node, today: dt.date | None, compile_tree: Compile) -> int | None:
    """How many following friends the segment holds, or None when the SQL must answer."""
    if engine.usable():
        try:
            return engine.count(tree, today, compile_tree)
        except _Fallback:
            pass
    return None


def members(tree: Node, today: dt.date | None, compile_tree: Compile, *,
            trust_transaction: bool = False) -> BitMap | None:
    """The following friends in the segment as a bitmap, or None when the SQL must answer.
    `trust_transaction`: the caller is inside a transaction that has written nothing yet, so the
    committed state is what it sees."""
    if engine.usable(trust_transaction):
        try:
            return engine.members(tree, today, compile_tree)
        except _Fallback:
            pass
    return None
