"""The pieces of the bitmap index, each loaded from the database the first time a segment needs it.

Every piece is read through the engine's own connection inside the read transaction in which its
PRAGMA data_version was checked, so all pieces of one Index describe the same committed state.
Ids travel from SQLite as one group_concat string per group: splitting and parsing it in C is
several times cheaper than a Python tuple per row.
"""

from __future__ import annotations

import sqlite3
from array import array
from bisect import bisect_left, bisect_right
from collections.abc import Hashable, Iterable
from dataclasses import dataclass
from typing import Any

from pyroaring import BitMap

ALL = ""  # a Column query's text when the whole column is meant


def _ids(joined: str | None) -> array[int]:
    return array("I", map(int, joined.split(","))) if joined else array("I")


class Unindexable(Exception):
    """A column whose stored values do not sort in Python as SQLite sorts them (mixed types):
    the conditions on it are answered by the SQL compiler instead."""


@dataclass
class Column:
    """Friend ids ordered by one value: `keys` distinct and ascending in SQLite's order, the ids holding
    keys[i] at ids[starts[i]:starts[i + 1]]. A comparison is two bisections and one slice."""

    keys: list[Any]
    starts: array[int]
    ids: array[int]

    @classmethod
    def load(cls, connection: sqlite3.Connection, sql: str, params: tuple[object, ...] = ()) -> Column:
        """sql selects (key, group_concat(id)) grouped and ordered by key."""
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
            ids.extend(_ids(joined))
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
        return BitMap(self.ids[self.starts[first]:self.starts[last]])

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
        return BitMap(self.ids)

    def nbytes(self) -> int:
        return self.ids.itemsize * (len(self.ids) + len(self.starts)) + sum(_size(k) for k in self.keys)


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
_NOT_NULL = {"birth_month": "birthday"}
# Read together in one pass: few distinct values each, so grouping by all of them keeps the groups few.
# (birth_month is NULL exactly when the birthday is: substr and CAST of NULL are NULL.)
_FEW_VALUES = ("gender", "region", "source", "birth_month")


class Index:
    """One committed state of the database, as bitmaps; discarded whole when data_version moves."""

    def __init__(self, version: tuple[object, ...]) -> None:
        self.version = version
        self._pieces: dict[Hashable, Any] = {}
        self.leaves: dict[Hashable, BitMap] = {}  # answers to single conditions, kept while the state holds

    def _piece(self, key: Hashable, load: Any) -> Any:
        found = self._pieces.get(key)
        if found is None:
            found = self._pieces[key] = load()
        return found

    def following(self, connection: sqlite3.Connection) -> BitMap:
        def load() -> BitMap:
            row = connection.execute("SELECT group_concat(id) FROM friend WHERE status = 'following'").fetchone()
            return BitMap(_ids(row[0]))
        return self._piece("following", load)  # type: ignore[no-any-return]

    def names(self, connection: sqlite3.Connection) -> tuple[dict[str, int], dict[str, tuple[int, str]]]:
        def load() -> tuple[dict[str, int], dict[str, tuple[int, str]]]:
            tags = {name: tid for tid, name in connection.execute("SELECT id, name FROM tag")}
            fields = {name: (fid, kind) for fid, name, kind in connection.execute("SELECT id, name, kind FROM field")}
            return tags, fields
        return self._piece("names", load)  # type: ignore[no-any-return]

    def tags(self, connection: sqlite3.Connection, tag_ids: Iterable[int]) -> dict[int, BitMap]:
        """The members of each tag; the missing ones loaded in one query."""
        wanted = [t for t in dict.fromkeys(tag_ids) if ("tag", t) not in self._pieces]
        for start in range(0, len(wanted), 500):
            part = wanted[start:start + 500]
            for t in part:
                self._pieces[("tag", t)] = BitMap()
            rows = connection.execute(
                f"SELECT tag_id, group_concat(friend_id) FROM friend_tag WHERE tag_id IN ({', '.join('?' * len(part))})"
                " GROUP BY tag_id", part)
            for tag_id, joined in rows:
                self._pieces[("tag", tag_id)] = BitMap(_ids(joined))
        return {t: self._pieces[("tag", t)] for t in tag_ids}

    def friend_column(self, connection: sqlite3.Connection, name: str) -> Column:
        if name in _FEW_VALUES:
            if ("column", name) not in self._pieces:
                self._few_values(connection)
            found = self._pieces[("column", name)]
            if isinstance(found, Unindexable):
                raise found
            return found  # type: ignore[no-any-return]
        expression = FRIEND_COLUMNS[name]
        guard = _NOT_NULL.get(name, name)
        return self._piece(("column", name), lambda: Column.load(  # type: ignore[no-any-return]
            connection, f"SELECT {expression} AS k, group_concat(id) FROM friend WHERE {guard} IS NOT NULL "
                        f"GROUP BY k ORDER BY k"))

    def _few_values(self, connection: sqlite3.Connection) -> None:
        """The columns with a handful of values, from one pass over the friends rather than one each."""
        names = list(_FEW_VALUES)
        groups: dict[str, dict[Any, list[array[int]]]] = {name: {} for name in names}
        rows = connection.execute(
            f"SELECT {', '.join(FRIEND_COLUMNS[n] for n in names)}, group_concat(id) FROM friend "
            f"GROUP BY {', '.join(str(i + 1) for i in range(len(names)))}")
        for *values, joined in rows:
            ids = _ids(joined)
            for name, value in zip(names, values, strict=True):
                if value is not None:  # NULL matches no comparison: never loaded, as in the Column queries
                    groups[name].setdefault(value, []).append(ids)
        for name in names:
            try:
                self._pieces[("column", name)] = Column.from_groups(groups[name])
            except Unindexable as err:
                self._pieces[("column", name)] = err

    def field_column(self, connection: sqlite3.Connection, field_id: int, numeric: bool) -> Column:
        # The same rows the SQL compiler's EXISTS accepts: a number present, or text that is not empty.
        where = "num_value IS NOT NULL" if numeric else "text_value != ''"
        column = "num_value" if numeric else "text_value"
        return self._piece(("field", field_id, numeric), lambda: Column.load(  # type: ignore[no-any-return]
            connection, f"SELECT {column}, group_concat(friend_id) FROM field_value WHERE field_id = ? AND {where} "
                        f"GROUP BY {column} ORDER BY {column}", (field_id,)))

    def nbytes(self) -> int:
        """Roughly what the index holds, for the benchmark's memory line."""
        total = 0
        for piece in [*self._pieces.values(), *self.leaves.values()]:
            if isinstance(piece, BitMap):
                total += piece.get_statistics()["n_bytes_array_containers"] + \
                    piece.get_statistics()["n_bytes_bitset_containers"] + \
                    piece.get_statistics()["n_bytes_run_containers"]
            elif isinstance(piece, Column):
                total += piece.nbytes()
        return total
