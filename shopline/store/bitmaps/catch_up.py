"""Bringing an index up to a newer committed state from the store_write rows in between (store/write_log.py),
instead of starting it again: the tag a shop owner just added to three friends costs three lookups, not a
reload of 600,000 tag links.

Each row says which tables a commit wrote and, where the writer named them, which friends, tags and fields.
Named places are read again from the snapshot the answer is computed in, so the index never trusts a row's
content, only its pointing: a row that names too much costs a little reading, and a table written without
names has every piece that reads it dropped (loaded again on the next condition that needs it). Anything the
rows cannot account for (a gap, a schema change, a friend row written without names) starts the index again.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Hashable, Sequence
from typing import Any

from pyroaring import BitMap

from shopline.store import write_log
from shopline.store.bitmaps.index import Index

_PURCHASE_PIECES = ("last purchase", "purchase rows", "rfm")
_CHUNK = 500


def last_write(connection: sqlite3.Connection) -> int | None:
    """The newest store_write row in this snapshot (0 when none); None when the database has no log."""
    try:
        return int(connection.execute(f"SELECT coalesce(max(n), 0) FROM {write_log.TABLE}").fetchone()[0])
    except sqlite3.OperationalError:  # a database from before the log, opened read-only by a test
        return None


def catch_up(connection: sqlite3.Connection, index: Index, seen: int | None) -> int | None:
    """Apply every row after `seen`; answers the row now reached, or None when the index must start again."""
    if seen is None:
        return None
    rows = connection.execute(f"SELECT n, tables, places FROM {write_log.TABLE} WHERE n > ? ORDER BY n",
                              (seen,)).fetchall()
    if not rows or rows[0][0] != seen + 1:
        return None  # written by something that left no row, or the rows we needed were pruned
    for _n, tables, places in rows:
        if not _apply(connection, index, tables, json.loads(places) if places else {}):
            return None
    return int(rows[-1][0])


def _apply(connection: sqlite3.Connection, index: Index, tables: str, named: dict[str, Any]) -> bool:
    index.leaves.clear()  # answers through the SQL compiler may read any table
    if tables == write_log.UNKNOWN:
        return False
    written = set(tables.split(","))
    pieces = index._pieces
    if "friend" in written:
        if "f" not in named:
            return False
        _drop(pieces, lambda key: _kind(key) == "column")
        if "following" in pieces:
            pieces["following"] = _recheck(connection, pieces["following"], named["f"],
                                           "SELECT id FROM friend WHERE status = 'following' AND id IN ({})")
        _recheck_friends_tags(connection, pieces, named["f"])
    if "friend_tag" in written:
        if "t" not in named:
            _drop(pieces, lambda key: _kind(key) == "tag")
        else:
            for tag, ids in named["t"].items():
                key = ("tag", int(tag))
                if key in pieces:
                    pieces[key] = _recheck(connection, pieces[key], ids,
                                           f"SELECT friend_id FROM friend_tag WHERE tag_id = {int(tag)} "
                                           "AND friend_id IN ({})")
            _recheck_friends_tags(connection, pieces, named.get("tf", []))
    if "field_value" in written:
        fields = set(named.get("v", ())) if "v" in named else None
        _drop(pieces, lambda key: _kind(key) == "field" and (fields is None or key[1] in fields))
    if written & {"tag", "field"}:
        pieces.pop("names", None)
    if written & {"purchase", "purchase_rfm"}:
        _drop(pieces, lambda key: _kind(key) in _PURCHASE_PIECES)
    return True


def _kind(key: Hashable) -> object:
    return key[0] if isinstance(key, tuple) else key


def _drop(pieces: dict[Hashable, Any], which: Any) -> None:
    for key in [k for k in pieces if which(k)]:
        del pieces[key]


def _recheck(connection: sqlite3.Connection, piece: Any, ids: Sequence[int], sql: str) -> Any:
    """The piece with these friends' bits as the snapshot has them (a new bitmap: answers in flight keep theirs)."""
    if not isinstance(piece, BitMap) or not ids:
        return piece
    found = BitMap()
    for start in range(0, len(ids), _CHUNK):
        part = list(ids[start:start + _CHUNK])
        found.update(row[0] for row in connection.execute(sql.format(", ".join("?" * len(part))), part))
    return (piece - BitMap(ids)) | found


def _recheck_friends_tags(connection: sqlite3.Connection, pieces: dict[Hashable, Any], ids: Sequence[int]) -> None:
    """Every loaded tag, for these friends: what a friend-level change (a new friend, a merge) may have moved."""
    loaded = {key[1]: key for key in pieces if _kind(key) == "tag"}
    if not ids or not loaded:
        return
    members: dict[int, BitMap] = {}
    for start in range(0, len(ids), _CHUNK):
        part = list(ids[start:start + _CHUNK])
        for tag, friend in connection.execute(
                f"SELECT tag_id, friend_id FROM friend_tag WHERE friend_id IN ({', '.join('?' * len(part))})", part):
            members.setdefault(tag, BitMap()).add(friend)
    every = BitMap(ids)
    for tag, key in loaded.items():
        if isinstance(pieces[key], BitMap):
            pieces[key] = (pieces[key] - every) | members.get(tag, BitMap())
