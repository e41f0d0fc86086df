"""Friend ids grouped by value, read from SQLite in one pass: the raw material of the index's Columns.

Ids and values travel as one group_concat string each (ids parsed in C by json, values split on a unit
separator), several times cheaper than a Python tuple per row; grouping runs in C too (a list per distinct
value, filled by map(list.append, ...)), because SQLite's GROUP BY sorts every row first and a Python loop
over 100,000 rows costs as much as the scan.

Several friend columns load in one scan of the (wide) friend table, aligned with one id list: a NULL is a
mark character, counted against count(column), so no WHERE is needed per column.

A value must be text for Python to order it as SQLite does (SQLite orders numbers before all text). A column of
TEXT affinity cannot hold a number, SQLite converts it on the way in, so only the others (a DATE column has
NUMERIC affinity) are checked, and only when a key is not a YYYY-MM-DD day, which no number renders as.
"""

from __future__ import annotations

import json
import re
import sqlite3
from array import array
from collections import deque
from collections.abc import Sequence
from itertools import accumulate
from typing import Any

__all__ = ["Groups", "friend_columns", "group", "grouped", "ids", "indexed", "shared_scan", "text_affinity"]

SEPARATOR = "\x1f"  # between text values: a unit separator no name or date holds (checked: the counts must agree)
NULL = "\x1e"  # a NULL in a column read without a WHERE (checked against count(column))
_DAY = re.compile("[0-9]{4}-[0-9]{2}-[0-9]{2}")

# keys ascending in SQLite's order, the ids holding keys[i] at ids[starts[i]:starts[i + 1]]
Groups = tuple[list[Any], array, array]


def ids(joined: str | None) -> array[int]:
    return array("I", json.loads("[" + joined + "]")) if joined else array("I")


def group(friends: Sequence[int], values: list[str], skip: str | None = None) -> Groups:
    """Friends grouped by their aligned values (`skip`: a value whose friends are left out)."""
    lists: dict[str, list[int]] = {value: [] for value in set(values)}
    deque(map(list.append, map(lists.__getitem__, values), friends), maxlen=0)  # the loop, in C
    if skip is not None:
        lists.pop(skip, None)
    keys = sorted(lists)  # str order is SQLite's BINARY order: UTF-8 sorts as its code points
    starts, ordered = array("I", [0]), array("I")
    for key in keys:
        ordered.extend(lists[key])
        starts.append(len(ordered))
    return keys, starts, ordered


def text_affinity(connection: sqlite3.Connection, table: str) -> set[str]:
    """The columns of `table` whose declared type gives TEXT affinity (SQLite's rules, section 3.1)."""
    found = set()
    for _cid, name, declared, *_ in connection.execute(f"PRAGMA table_info({table})"):
        kind = (declared or "").upper()
        if "INT" not in kind and any(word in kind for word in ("CHAR", "CLOB", "TEXT")):
            found.add(name)
    return found


def all_days(keys: list[str]) -> bool:
    return all(map(_DAY.fullmatch, keys))


def grouped(connection: sqlite3.Connection, key: str, rows: str, params: Sequence[object] = (),
            friend: str = "id") -> Groups | None:
    """Friends (`friend`) grouped by `key` (text or integer, never NULL) over `rows` ("FROM ... WHERE ..."),
    grouped and ordered by SQLite: for a column of many values (dates), whose sort costs less than 100,000
    appends into 20,000 lists in Python and runs without the GIL; an index on the key makes it free.
    The type check reads the min and max of the keys only, no per-row work: SQLite orders numbers before text
    and text before blobs, so keys are all text (or all integers) exactly when both ends are. None: the keys
    mix types, are real numbers, or a text key held the separator."""
    row = connection.execute(
        f"SELECT count(*), group_concat(k, char(31)), group_concat(c), group_concat(ids), typeof(min(k)), "
        f"typeof(max(k)) FROM (SELECT {key} AS k, count(*) AS c, group_concat({friend}) AS ids {rows} GROUP BY k "
        f"ORDER BY k)", tuple(params)).fetchone()
    n, joined_keys, joined_counts, joined_ids, low, high = row
    if not n:
        return [], array("I", [0]), array("I")
    if low != high or low not in ("text", "integer"):
        return None
    keys: list[Any] = joined_keys.split(SEPARATOR)
    if low == "integer":
        keys = list(map(int, keys))
    if len(keys) != n:
        return None  # a key held the separator
    starts = array("I", accumulate(json.loads("[" + joined_counts + "]"), initial=0))
    return keys, starts, ids(joined_ids)


def indexed(connection: sqlite3.Connection, table: str) -> set[str]:
    """The columns of `table` that lead a (non-partial) index: SQLite groups them by walking it, without a sort."""
    found = set()
    for _seq, index, _unique, _origin, partial in connection.execute(f"PRAGMA index_list({table})"):
        if not partial:
            first = connection.execute(f"PRAGMA index_info({index})").fetchone()
            if first is not None and first[2] is not None:
                found.add(first[2])
    return found


def shared_scan(connection: sqlite3.Connection, table: str = "friend") -> set[str]:
    """The columns friend_columns reads together in one scan: TEXT affinity (never a number) and no index."""
    return text_affinity(connection, table) - indexed(connection, table)


def friend_columns(connection: sqlite3.Connection, names: Sequence[str]) -> dict[str, Groups | None]:
    """Each named friend column grouped; None for a column that cannot be grouped as SQLite compares it (a
    value holding the separator or the NULL mark, or not text). Columns of TEXT affinity without an index (few
    values: gender, region, source) are read together in one scan of the wide friend table and grouped in
    Python; the others (dates: many values, and possibly numbers; any indexed column) each grouped by SQLite."""
    shared = shared_scan(connection) if names else set()
    together = [name for name in names if name in shared]
    found: dict[str, Groups | None] = {name: grouped(connection, name, f"FROM friend WHERE {name} IS NOT NULL")
                                       for name in names if name not in together}
    if together:
        found.update(_text_columns(connection, together))
    return {name: found[name] for name in names}


def _text_columns(connection: sqlite3.Connection, names: Sequence[str]) -> dict[str, Groups | None]:
    parts = ", ".join(f"group_concat(ifnull({name}, char(30)), char(31)), count({name})" for name in names)
    row = connection.execute(f"SELECT count(*), group_concat(id), {parts} FROM friend").fetchone()
    n = row[0]
    if not n:
        return {name: ([], array("I", [0]), array("I")) for name in names}
    friends = json.loads("[" + row[1] + "]")
    found: dict[str, Groups | None] = {}
    for i, name in enumerate(names):
        joined, present = row[2 + 2 * i], row[3 + 2 * i]
        values = joined.split(SEPARATOR)
        if len(values) != n or (present != n and values.count(NULL) != n - present):
            found[name] = None  # a value held the separator, or was the NULL mark itself
        else:
            found[name] = group(friends, values, NULL if present != n else None)
    return found
