"""The pieces of the bitmap index, each loaded from the database the first time a segment needs it.

Every piece is read inside the engine's read transaction in which its PRAGMA data_version was checked (or on a
second connection proven to see the same snapshot, readers.py), so all pieces of one Index describe the same
committed state. How a piece travels from SQLite cheaply (one group_concat string, ids parsed in C by json,
grouping in C or by SQLite, several friend columns in one scan) is scans.py's.
"""

from __future__ import annotations

import json
import sqlite3
import threading
import time
from array import array
from bisect import bisect_left, bisect_right
from collections.abc import Hashable, Iterable
from dataclasses import dataclass, field
from typing import Any

from pyroaring import BitMap

from shopline.store.bitmaps import scans
from shopline.store.bitmaps.purchase_rows import PurchaseRows
from shopline.store.bitmaps.unindexable import Unindexable

__all__ = ["Column", "Index", "Unindexable"]

_BLOCK, _SMALL_BLOCK = 1 << 16, 1 << 11  # ids per block bitmap of a Column

@dataclass
class Column:
    """Friend ids ordered by one value: `keys` distinct and ascending in SQLite's order, the ids holding
    keys[i] at ids[starts[i]:starts[i + 1]]. A comparison is two bisections and one slice."""

    keys: list[Any]
    starts: array[int]
    ids: array[int]
    # Bitmaps of fixed runs of `ids` (two sizes), made on first use: a span is a union of large blocks, small
    # ones at its edges and two short slices, so `region != X` or `age >= 20` over a million friends does not
    # build a bitmap from a million ids, nor `age < 30` one from ten thousand.
    blocks: dict[tuple[int, int], BitMap] = field(default_factory=dict)

    @classmethod
    def load(cls, connection: sqlite3.Connection, rows: str, params: tuple[object, ...] = (), *,
             typed: bool = True) -> Column:
        """rows selects (id, v) with v never NULL. Every v must be text: SQLite orders numbers before text, which
        Python cannot compare. `typed`: v may hold other types; False when v has TEXT affinity, which converts a
        number to text on the way in, so the per-row check is skipped."""
        check = "total(typeof(v) != 'text')" if typed else "0"
        joined_ids, joined_values, strangers, n = connection.execute(
            f"SELECT group_concat(id), group_concat(v, char(31)), {check}, count(*) FROM ({rows})", params).fetchone()
        if strangers:
            raise Unindexable(rows)
        if not n:
            return cls([], array("I", [0]), array("I"))
        friends, values = json.loads("[" + joined_ids + "]"), joined_values.split(scans.SEPARATOR)
        if len(values) != n or len(friends) != n:
            raise Unindexable(rows)  # a value held the separator
        return cls(*scans.group(friends, values))

    @classmethod
    def from_scan(cls, groups: scans.Groups | None, what: object) -> Column:
        if groups is None:
            raise Unindexable(what)
        return cls(*groups)

    @classmethod
    def load_grouped(cls, connection: sqlite3.Connection, sql: str, params: tuple[object, ...] = ()) -> Column:
        """sql selects (key, group_concat(id)) grouped and ordered by key: for numbers, which keep their exact
        value this way (as text a REAL may round), and whose columns hold few distinct values."""
        keys: list[Any] = []
        starts, ids = array("I", [0]), array("I")
        kind: type | None = None
        for key, joined in connection.execute(sql, params):
            # SQLite orders numbers before text; Python cannot compare them, so a mixed column is not ours.
            here = float if isinstance(key, int | float) else type(key)
            if kind is None:
                kind = here
            elif here is not kind:
                raise Unindexable(sql)
            keys.append(key)
            ids.extend(scans.ids(joined))
            starts.append(len(ids))
        return cls(keys, starts, ids)

    @classmethod
    def from_groups(cls, groups: dict[Any, list[array[int]]]) -> Column:
        """A Column of ids gathered per key in Python (keys of one type, so Python sorts them as SQLite does)."""
        if len({float if isinstance(k, int | float) else type(k) for k in groups}) > 1:
            raise Unindexable(groups)
        starts, ids = array("I", [0]), array("I")
        keys = sorted(groups)
        for key in keys:
            for part in groups[key]:
                ids.extend(part)
            starts.append(len(ids))
        return cls(keys, starts, ids)

    def _span(self, first: int, last: int) -> BitMap:
        return self._rows(self.starts[first], self.starts[last], _BLOCK)

    def _rows(self, low: int, high: int, size: int) -> BitMap:
        """The ids at [low, high): the blocks of `size` wholly inside, and the edges from smaller blocks."""
        whole_first, whole_last = -(-low // size), high // size
        if whole_last <= whole_first:
            return BitMap(self.ids[low:high]) if size <= _SMALL_BLOCK else self._rows(low, high, _SMALL_BLOCK)
        parts = [self._block(size, b) for b in range(whole_first, whole_last)]
        edges = (low, whole_first * size), (whole_last * size, high)
        if size > _SMALL_BLOCK:
            parts += [self._rows(a, b, _SMALL_BLOCK) for a, b in edges if b > a]
        else:
            parts += [BitMap(self.ids[a:b]) for a, b in edges if b > a]
        return BitMap.union(*parts) if len(parts) > 1 else parts[0].copy()

    def _block(self, size: int, number: int) -> BitMap:
        found = self.blocks.get((size, number))
        if found is None:
            found = self.blocks[size, number] = BitMap(self.ids[number * size:(number + 1) * size])
        return found

    def compare(self, op: str, value: Any) -> BitMap:
        """The ids whose key `op` value, as SQLite compares them (NULLs were never loaded)."""
        try:
            low, high = bisect_left(self.keys, value), bisect_right(self.keys, value)
        except TypeError as err:  # text against numbers: SQLite would order them by type
            raise Unindexable(op) from err
        end = len(self.keys)
        spans = {"=": [(low, high)], "!=": [(0, low), (high, end)], "<": [(0, low)], "<=": [(0, high)],
                 ">": [(high, end)], ">=": [(low, end)]}[op]
        return BitMap.union(BitMap(), *(self._span(a, b) for a, b in spans if b > a))

    def between(self, above: Any, at_most: Any) -> BitMap:
        """The ids whose key is > above and <= at_most."""
        try:
            first, last = bisect_right(self.keys, above), bisect_right(self.keys, at_most)
        except TypeError as err:
            raise Unindexable(above) from err
        return self._span(first, last) if last > first else BitMap()

    def everyone(self) -> BitMap:
        return self._span(0, len(self.keys)) if self.keys else BitMap()

    def nbytes(self) -> int:
        return self.ids.itemsize * (len(self.ids) + len(self.starts)) + sum(_size(k) for k in self.keys) + \
            sum(_bitmap_bytes(b) for b in self.blocks.values())


def _bitmap_bytes(bitmap: BitMap) -> int:
    stats = bitmap.get_statistics()
    return stats["n_bytes_array_containers"] + stats["n_bytes_bitset_containers"] + stats["n_bytes_run_containers"]


def _size(key: object) -> int:
    import sys

    return sys.getsizeof(key) + 8  # the object and its list slot


# The columns of the friend row a built-in condition reads, as the SQL compiler reads them (store/segment_sql.py).
FRIEND_COLUMNS = {
    "gender": "gender",
    "region": "region",
    "source": "source",
    "birthday": "birthday",
    "followed_at": "followed_at",
    "birth_month": "CAST(substr(birthday, 6, 2) AS INTEGER)",  # birthdays are YYYY-MM-DD text
}


class Index:
    """One committed state of the database, as bitmaps; discarded whole when data_version moves."""

    def __init__(self, version: tuple[object, ...]) -> None:
        self.version = version
        self._pieces: dict[Hashable, Any] = {}
        self.leaves: dict[Hashable, BitMap] = {}  # answers to single conditions, kept while the state holds
        self.load_ms: dict[str, float] = {}  # what each kind of piece cost to load (the benchmark prints it)
        self.load_cpu_ms: dict[str, float] = {}  # the same in CPU time of the loading thread
        self._timing = threading.Lock()

    def _piece(self, key: Hashable, load: Any) -> Any:
        found = self._pieces.get(key)
        if found is None:
            start = self._clock()
            try:
                found = load()
            except Unindexable as err:
                found = err  # remembered: the next condition on it goes to the SQL compiler at once
            self._pieces[key] = found
            self._took(key, start)
        if isinstance(found, Unindexable):
            raise found
        return found

    @staticmethod
    def _clock() -> tuple[float, float]:
        # CPU time of this thread beside the wall: pieces load in two threads, and the machine may be busy.
        return time.perf_counter(), time.thread_time()

    def _took(self, key: Hashable, start: tuple[float, float], share: float = 1.0) -> None:
        kind = key[0] if isinstance(key, tuple) else key
        name = f"{kind} {key[1]}" if kind == "column" and isinstance(key, tuple) else str(kind)
        wall, cpu = (time.perf_counter() - start[0]) * 1000 * share, (time.thread_time() - start[1]) * 1000 * share
        with self._timing:  # two loading threads may both add to "field"
            self.load_ms[name] = self.load_ms.get(name, 0.0) + wall
            self.load_cpu_ms[name] = self.load_cpu_ms.get(name, 0.0) + cpu

    def loaded(self) -> set[Hashable]:
        """The keys of the pieces loaded (or found unindexable) so far."""
        return set(self._pieces)

    def peek(self, key: Hashable) -> Any:
        """A piece if loaded, else None; never reads."""
        return self._pieces.get(key)

    def following(self, connection: sqlite3.Connection) -> BitMap:
        def load() -> BitMap:
            row = connection.execute("SELECT group_concat(id) FROM friend WHERE status = 'following'").fetchone()
            return BitMap(scans.ids(row[0]))
        return self._piece("following", load)  # type: ignore[no-any-return]

    def names(self, connection: sqlite3.Connection) -> tuple[dict[str, int], dict[str, tuple[int, str]]]:
        def load() -> tuple[dict[str, int], dict[str, tuple[int, str]]]:
            tags = {name: tid for tid, name in connection.execute("SELECT id, name FROM tag")}
            fields = {name: (fid, kind) for fid, name, kind in connection.execute("SELECT id, name, kind FROM field")}
            return tags, fields
        return self._piece("names", load)  # type: ignore[no-any-return]

    def tags(self, connection: sqlite3.Connection, tag_ids: Iterable[int], *, every: bool = False) -> dict[int, BitMap]:
        """The members of each tag; the missing ones loaded in one query (`every`: all tags are wanted, so one
        pass over the tag index beats a list of them)."""
        tag_ids = list(tag_ids)
        wanted = [t for t in dict.fromkeys(tag_ids) if ("tag", t) not in self._pieces]
        if wanted:
            start = self._clock()
            found = {t: BitMap() for t in wanted}  # a tag nobody has has no row
            if every:
                rows = connection.execute("SELECT tag_id, group_concat(friend_id) FROM friend_tag GROUP BY tag_id")
                self._tag_rows(rows, found)
            else:
                for first in range(0, len(wanted), 500):
                    part = wanted[first:first + 500]
                    self._tag_rows(connection.execute(
                        f"SELECT tag_id, group_concat(friend_id) FROM friend_tag WHERE tag_id IN "
                        f"({', '.join('?' * len(part))}) GROUP BY tag_id", part), found)
            # Only once every one is read: a failed read leaves no tag looking empty.
            self._pieces.update({("tag", t): members for t, members in found.items()})
            self._took("tags", start)
        return {t: self._pieces[("tag", t)] for t in tag_ids}

    @staticmethod
    def _tag_rows(rows: Iterable[tuple[int, str]], found: dict[int, BitMap]) -> None:
        for tag_id, joined in rows:
            if tag_id in found:
                found[tag_id] = BitMap(scans.ids(joined))

    def friend_column(self, connection: sqlite3.Connection, name: str) -> Column:
        if name == "birth_month":
            return self._piece(("column", name), lambda: self._months(connection))  # type: ignore[no-any-return]
        found = self.friend_columns(connection, [name])[name]
        if isinstance(found, Unindexable):
            raise found
        return found

    def friend_columns(self, connection: sqlite3.Connection, names: Iterable[str]) -> dict[str, Column | Unindexable]:
        """Friend columns (FRIEND_COLUMNS' plain ones), those not loaded yet read in one scan of the friend table:
        a count or a build that needs several pays for the wide rows once. A column that cannot be indexed is
        answered as its Unindexable (its conditions go to the SQL compiler)."""
        names = list(dict.fromkeys(names))
        wanted = [name for name in names if ("column", name) not in self._pieces]
        if wanted:
            start = self._clock()
            for name, groups in scans.friend_columns(connection, wanted).items():
                try:
                    self._pieces["column", name] = Column.from_scan(groups, name)
                except Unindexable as err:
                    self._pieces["column", name] = err
                # One scan for all of them: each is charged its share (the benchmark's split).
                self._took(("column", name), start, 1 / len(wanted))
        return {name: self._pieces["column", name] for name in names}

    def _months(self, connection: sqlite3.Connection) -> Column:
        """Birth months from the birthday column when every birthday is a YYYY-MM-DD text (a month is then
        the CAST of its two digits), saving a pass over the friends; else from SQLite's own expression."""
        try:
            birthdays = self.friend_column(connection, "birthday")
        except Unindexable:
            birthdays = None
        if birthdays is None or not scans.all_days(birthdays.keys):
            return Column.load_grouped(connection, f"SELECT {FRIEND_COLUMNS['birth_month']} AS k, group_concat(id) "
                                                   f"FROM friend WHERE birthday IS NOT NULL GROUP BY k ORDER BY k")
        groups: dict[int, list[array[int]]] = {}
        ids, starts = birthdays.ids, birthdays.starts
        for i, day in enumerate(birthdays.keys):
            groups.setdefault(int(day[5:7]), []).append(ids[starts[i]:starts[i + 1]])
        return Column.from_groups(groups)

    def field_column(self, connection: sqlite3.Connection, field_id: int, numeric: bool) -> Column:
        # The same rows the SQL compiler's EXISTS accepts: a number present, or text that is not empty.
        if numeric:
            return self._piece(("field", field_id, numeric), lambda: Column.load_grouped(  # type: ignore[no-any-return]
                connection, "SELECT num_value, group_concat(friend_id) FROM field_value WHERE field_id = ? "
                            "AND num_value IS NOT NULL GROUP BY num_value ORDER BY num_value", (field_id,)))
        # Grouped by SQLite off the (field_id, text_value) index: already in order, nothing to sort.
        return self._piece(("field", field_id, numeric), lambda: Column.from_scan(  # type: ignore[no-any-return]
            scans.grouped(connection, "text_value", "FROM field_value WHERE field_id = ? AND text_value != ''",
                          (field_id,), friend="friend_id"), field_id))

    def last_purchase(self, connection: sqlite3.Connection) -> Column:
        """Each friend's latest purchase time, off the end of its (friend_id, at) index range."""
        return self._piece("last purchase", lambda: Column.load(  # type: ignore[no-any-return]
            connection, "SELECT friend_id AS id, max(at) AS v FROM purchase WHERE friend_id IS NOT NULL "
                        "GROUP BY friend_id"))

    def purchase_rows(self, connection: sqlite3.Connection) -> PurchaseRows:
        return self._piece("purchase rows", lambda: PurchaseRows.load(connection))  # type: ignore[no-any-return]

    def rfm_column(self, connection: sqlite3.Connection, column: str) -> Column:
        """A score (r, f, m) or the group (grp) of purchase_rfm, as stored."""
        if column == "grp":
            return self._piece(("rfm", column), lambda: Column.load(  # type: ignore[no-any-return]
                connection, "SELECT friend_id AS id, grp AS v FROM purchase_rfm", typed=False))  # VARCHAR
        return self._piece(("rfm", column), lambda: Column.load_grouped(  # type: ignore[no-any-return]
            connection, f"SELECT {column}, group_concat(friend_id) FROM purchase_rfm GROUP BY {column} "
                        f"ORDER BY {column}"))

    def nbytes(self) -> int:
        """Roughly what the index holds, for the benchmark's memory line."""
        total = 0
        for piece in [*self._pieces.values(), *self.leaves.values()]:
            if isinstance(piece, BitMap):
                total += _bitmap_bytes(piece)
            elif hasattr(piece, "nbytes"):
                total += piece.nbytes()
        return total
