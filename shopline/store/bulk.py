"""Bulk writes for importers (CSV, the relay's events): rows by the thousand, through the engine's fastest path.

An importer numbers the friends it inserts itself, so it can link their tags and values in the same pass
without reading ids back; next_friend_id() is where that numbering starts.
"""

from __future__ import annotations

from shopline.store import dialect
from shopline.store.dialect import insert_rows, search_folding_deferred, update_rows, upsert_rows
from shopline.store.models import Friend

__all__ = ["insert_rows", "next_friend_id", "search_folding_deferred", "update_rows", "upsert_rows"]


def next_friend_id() -> int:
    """The id the next friend inserted in bulk takes: past every id ever used, deleted friends' included."""
    return dialect.max_id(Friend._meta.table_name) + 1
