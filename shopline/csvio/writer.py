"""The database half of an import, a chunk of rows at a time: new friends in bulk, existing friends only
where something changed, and which rows repeat a user ID an earlier row of the same file had."""

from __future__ import annotations

from array import array
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from typing import Any

from shopline.csvio.rows import VALUE_COLUMNS, ParsedRow
from shopline.store.bulk import insert_rows, next_friend_id, search_folding_deferred, update_rows, upsert_rows
from shopline.store.connection import db
from shopline.store.models import FieldValue, Friend, FriendTag, now
from shopline.store.tags import get_or_create_tags

FieldSpec = tuple[int, Callable[[str], Any]]  # (field id, raw cell -> (text_value, num_value))
Duplicate = tuple[int, str, int]  # (row, user ID, the earlier row with that ID)

_NEW_DEFAULTS = {"display_name": "", "gender": "unknown", "status": "following", "memo": ""}
_DEFAULTS = tuple(_NEW_DEFAULTS.get(c) for c in VALUE_COLUMNS)
FRIEND_TABLE = Friend._meta.table_name
LINK_TABLE = FriendTag._meta.table_name
VALUE_TABLE = FieldValue._meta.table_name
_FRIEND_COLUMNS = ("id", "user_id", *VALUE_COLUMNS, "source", "created_at", "updated_at")
_LINK_COLUMNS = ("friend_id", "tag_id")
_FIELD_VALUE_COLUMNS = ("friend_id", "field_id", "text_value", "num_value")
_IN_CHUNK = 500  # ids per IN (...): well under SQLite's bound-variable limit
# From this many rows, the friend search column is folded once at the end instead of by a trigger per row
# (which writes each friend twice); below it, the trigger costs less than the one statement.
_SUSPEND_AT = 10_000
Fold = Callable[[Sequence[int]], None]


@contextmanager
def bulk_writes(rows: int) -> Iterator[Fold]:
    """The search folding a FriendWriter needs: deferred for a large file, the triggers' own otherwise."""
    if rows < _SUSPEND_AT:
        yield lambda ids: None
        return
    with search_folding_deferred(db) as fold:
        yield fold


class FriendWriter:
    """Writes chunks of parsed rows in file order, remembering per friend id (an array, 5 bytes a friend,
    not a dict of user IDs) the first row of this file that wrote it: a later row with the same user ID
    is then reported, its values win as an update would, and the friend is counted once."""

    def __init__(self, fields: list[FieldSpec], fold: Fold) -> None:
        self.fields = fields
        self.fold = fold  # refolds the search column of friends updated while its triggers are away
        self.stamp = str(now())
        self.next_id = next_friend_id()
        self.first_row = array("I", bytes(4 * self.next_id))  # friend id -> first row writing it (0: none yet)
        self.counted = bytearray(self.next_id)  # friend id -> already counted as created or updated
        self.tag_ids: dict[str, int] = {}
        self.created = 0
        self.updated = 0

    def write(self, rows: list[tuple[int, ParsedRow]]) -> list[Duplicate]:
        found = self._lookup({r.user_id for _n, r in rows})
        new: dict[str, tuple[int, ParsedRow]] = {}  # user ID -> (friend id, row) new in this chunk
        old: dict[int, ParsedRow] = {}  # friend id -> row, for friends already in the database
        duplicates: list[Duplicate] = []
        for number, row in rows:
            uid = row.user_id
            fid = found.get(uid)
            if fid is None:
                seen = new.get(uid)
                if seen is None:
                    new[uid] = (self.next_id, row)
                    self.first_row.append(number)
                    self.counted.append(1)
                    self.next_id += 1
                else:
                    duplicates.append((number, uid, self.first_row[seen[0]]))
                    _merge(seen[1], row)
                continue
            first = self.first_row[fid]
            if first:
                duplicates.append((number, uid, first))
            else:
                self.first_row[fid] = number
            earlier = old.get(fid)
            if earlier is None:
                old[fid] = row
            else:
                _merge(earlier, row)
        self._tags(r for _f, r in new.values())
        self._tags(old.values())
        self._insert(new.values())
        self.created += len(new)
        for fid in self._update(old):
            if not self.counted[fid]:
                self.counted[fid] = 1
                self.updated += 1
        return duplicates

    def _lookup(self, user_ids: set[str]) -> dict[str, int]:
        wanted = list(user_ids)
        found: dict[str, int] = {}
        for start in range(0, len(wanted), _IN_CHUNK):
            part = wanted[start:start + _IN_CHUNK]
            found.update(db.execute_sql(
                f'SELECT user_id, id FROM "{FRIEND_TABLE}" WHERE user_id IN ({", ".join("?" * len(part))})', part))
        return found

    def _tags(self, rows: Iterable[ParsedRow]) -> None:
        missing = {t for r in rows for t in r.tags} - self.tag_ids.keys()
        if missing:
            self.tag_ids.update(get_or_create_tags(missing))

    def _insert(self, rows: Iterable[tuple[int, ParsedRow]]) -> None:
        friends, links, values = [], [], []
        tag_ids = self.tag_ids
        for fid, row in rows:
            friends.append((fid, row.user_id,
                            *[d if v is None else v for v, d in zip(row.values, _DEFAULTS, strict=True)],
                            "csv", self.stamp, self.stamp))
            links += [(fid, tag_ids[t]) for t in row.tags]
            for (field_id, convert), raw in zip(self.fields, row.custom, strict=True):
                if raw is not None and field_id:
                    values.append((fid, field_id, *convert(raw)))
        insert_rows(db, FRIEND_TABLE, _FRIEND_COLUMNS, friends)
        insert_rows(db, LINK_TABLE, _LINK_COLUMNS, links)
        insert_rows(db, VALUE_TABLE, _FIELD_VALUE_COLUMNS, values)

    def _update(self, rows: dict[int, ParsedRow]) -> list[int]:
        """Blank cells keep what is stored and tags are only added; returns the friends that changed."""
        changed_friends = []
        pending = list(rows.items())
        for start in range(0, len(pending), _IN_CHUNK):
            chunk = pending[start:start + _IN_CHUNK]
            fids = [fid for fid, _row in chunk]
            marks = ", ".join("?" * len(fids))
            current = {r[0]: r[1:] for r in db.execute_sql(
                f'SELECT id, {", ".join(VALUE_COLUMNS)} FROM "{FRIEND_TABLE}" WHERE id IN ({marks})', fids)}
            links = set(db.execute_sql(
                f'SELECT friend_id, tag_id FROM "{LINK_TABLE}" WHERE friend_id IN ({marks})', fids))
            stored = {(f, k): (t, n) for f, k, t, n in db.execute_sql(
                f'SELECT friend_id, field_id, text_value, num_value FROM "{VALUE_TABLE}" '
                f'WHERE friend_id IN ({marks})', fids)}
            updates, new_links, new_values = [], [], []
            for fid, row in chunk:
                old = current[fid]
                new = tuple(o if v is None else v for v, o in zip(row.values, old, strict=True))
                changed = new != old
                if changed:
                    updates.append((*new, self.stamp, fid))
                for name in row.tags:
                    pair = (fid, self.tag_ids[name])
                    if pair not in links:
                        new_links.append(pair)
                        changed = True
                for (field_id, convert), raw in zip(self.fields, row.custom, strict=True):
                    if raw is not None and field_id:
                        typed = convert(raw)
                        if stored.get((fid, field_id)) != typed:
                            new_values.append((fid, field_id, *typed))
                            changed = True
                if changed:
                    changed_friends.append(fid)
            update_rows(db, FRIEND_TABLE, (*VALUE_COLUMNS, "updated_at"), "id", updates)
            if updates:
                self.fold([u[-1] for u in updates])
            insert_rows(db, LINK_TABLE, _LINK_COLUMNS, new_links)
            upsert_rows(db, VALUE_TABLE, _FIELD_VALUE_COLUMNS, ("friend_id", "field_id"), new_values)
        return changed_friends


def _merge(first: ParsedRow, later: ParsedRow) -> None:
    """A later row of the same friend in one chunk, applied as the update it would be in a later chunk."""
    first.values = [a if b is None else b for a, b in zip(first.values, later.values, strict=True)]
    first.tags = tuple(dict.fromkeys(first.tags + later.tags))
    first.custom = [a if b is None else b for a, b in zip(first.custom, later.custom, strict=True)]


# Values already in the form the kind stores, which SQL can settle without a trip through Python.
_CANONICAL = {
    "number": "text_value != '' AND length(text_value) <= 15 AND text_value NOT GLOB '*[^0-9]*'",
    "date": "text_value GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]'",
}
_SETTLE_PAGE = 5_000


def settle_field(field_id: int, kind: str, convert: Callable[[str], tuple[str, float | None]]) -> None:
    """A new field's values were written as the text of the cells, before every value was seen and its
    kind known; now that it is, store them as that kind (a number's num_value, a date as YYYY-MM-DD)."""
    canonical = _CANONICAL.get(kind)
    if canonical is None:
        return
    if kind == "number":
        db.execute_sql(f'UPDATE "{VALUE_TABLE}" SET num_value = CAST(text_value AS REAL) '
                       f"WHERE field_id = ? AND {canonical}", (field_id,))
    last = 0
    while True:
        page = db.execute_sql(
            f'SELECT friend_id, text_value FROM "{VALUE_TABLE}" WHERE field_id = ? AND friend_id > ? '
            f"AND NOT ({canonical}) ORDER BY friend_id LIMIT {_SETTLE_PAGE}", (field_id, last)).fetchall()
        if not page:
            return
        db.cursor().executemany(
            f'UPDATE "{VALUE_TABLE}" SET text_value = ?, num_value = ? WHERE friend_id = ? AND field_id = ?',
            [(*convert(text), fid, field_id) for fid, text in page])
        last = page[-1][0]
