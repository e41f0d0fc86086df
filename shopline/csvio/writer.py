"""The database half of an import: new friends in bulk, existing friends only where something changed."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from shopline.csvio.progress import Ticker
from shopline.csvio.rows import VALUE_COLUMNS, ParsedRow
from shopline.store.connection import db
from shopline.store.models import FieldValue, Friend, FriendTag, now
from shopline.store.sqlite import indexes_suspended, insert_rows, max_rowid, update_rows, upsert_rows

FieldSpec = tuple[int, Callable[[str], Any]]  # (field id, raw cell -> (text_value, num_value))

_NEW_DEFAULTS = {"display_name": "", "gender": "unknown", "status": "following", "memo": ""}
_DEFAULTS = tuple(_NEW_DEFAULTS.get(c) for c in VALUE_COLUMNS)
_FRIEND = Friend._meta.table_name
_LINK = FriendTag._meta.table_name
_VALUE = FieldValue._meta.table_name
_FRIEND_COLUMNS = ("id", "user_id", *VALUE_COLUMNS, "source", "created_at", "updated_at")
_LINK_COLUMNS = ("friend_id", "tag_id")
_FIELD_VALUE_COLUMNS = ("friend_id", "field_id", "text_value", "num_value")
_NEW_CHUNK = 5_000  # rows per executemany: keeps memory flat and lets cancel be polled often
_EXISTING_CHUNK = 500  # ids per IN (...): well under SQLite's bound-variable limit
# Rebuilding an index once beats updating it row by row only when the insert is large next to the table.
_SUSPEND_AT = 10_000


def existing_ids() -> dict[str, int]:
    return dict(db.execute_sql(f'SELECT user_id, id FROM "{_FRIEND}"').fetchall())


def write_new(rows: Sequence[ParsedRow], tag_ids: dict[str, int], fields: list[FieldSpec], ticker: Ticker) -> None:
    stamp = str(now())
    next_id = max_rowid(db, _FRIEND) + 1
    big = len(rows) >= _SUSPEND_AT and len(rows) >= next_id
    with indexes_suspended(db, (_FRIEND, _LINK, _VALUE) if big else ()):
        for start in range(0, len(rows), _NEW_CHUNK):
            chunk = rows[start:start + _NEW_CHUNK]
            friends, links, values = [], [], []
            for row in chunk:
                fid = next_id
                next_id += 1
                friends.append((fid, row.user_id,
                                *[d if v is None else v for v, d in zip(row.values, _DEFAULTS, strict=True)],
                                "csv", stamp, stamp))
                links += [(fid, tag_ids[t]) for t in row.tags]
                for (field_id, convert), raw in zip(fields, row.custom, strict=True):
                    if raw is not None:
                        values.append((fid, field_id, *convert(raw)))
            insert_rows(db, _FRIEND, _FRIEND_COLUMNS, friends)
            insert_rows(db, _LINK, _LINK_COLUMNS, links)
            insert_rows(db, _VALUE, _FIELD_VALUE_COLUMNS, values)
            ticker.wrote(len(chunk))


def write_existing(rows: Sequence[ParsedRow], ids: dict[str, int], tag_ids: dict[str, int],
                   fields: list[FieldSpec], ticker: Ticker) -> int:
    """Blank cells keep what is stored and tags are only added; returns how many friends changed."""
    stamp = str(now())
    changed_friends = 0
    for start in range(0, len(rows), _EXISTING_CHUNK):
        chunk = rows[start:start + _EXISTING_CHUNK]
        fids = [ids[r.user_id] for r in chunk]
        marks = ", ".join("?" * len(fids))
        current = {r[0]: r[1:] for r in db.execute_sql(
            f'SELECT id, {", ".join(VALUE_COLUMNS)} FROM "{_FRIEND}" WHERE id IN ({marks})', fids)}
        links = set(db.execute_sql(f'SELECT friend_id, tag_id FROM "{_LINK}" WHERE friend_id IN ({marks})', fids))
        stored = {(f, k): (t, n) for f, k, t, n in db.execute_sql(
            f'SELECT friend_id, field_id, text_value, num_value FROM "{_VALUE}" WHERE friend_id IN ({marks})', fids)}
        updates, new_links, new_values = [], [], []
        for row, fid in zip(chunk, fids, strict=True):
            old = current[fid]
            new = tuple(o if v is None else v for v, o in zip(row.values, old, strict=True))
            changed = new != old
            if changed:
                updates.append((*new, stamp, fid))
            for name in row.tags:
                pair = (fid, tag_ids[name])
                if pair not in links:
                    new_links.append(pair)
                    changed = True
            for (field_id, convert), raw in zip(fields, row.custom, strict=True):
                if raw is not None:
                    typed = convert(raw)
                    if stored.get((fid, field_id)) != typed:
                        new_values.append((fid, field_id, *typed))
                        changed = True
            changed_friends += changed
        update_rows(db, _FRIEND, (*VALUE_COLUMNS, "updated_at"), "id", updates)
        insert_rows(db, _LINK, _LINK_COLUMNS, new_links)
        upsert_rows(db, _VALUE, _FIELD_VALUE_COLUMNS, ("friend_id", "field_id"), new_values)
        ticker.wrote(len(chunk))
    return changed_friends
