"""クロス分析 as bitmap intersections: a cell is how many friends a row key and a column key share.

The reference GROUP BY (crosstab.py) joins every friend to each tag of a folder and sorts the pairs:
1.3 s over 100,000 friends and a 300-tag folder. Here each side is a bitmap of friend ids per key, and
a cell is `a.intersection_cardinality(b)`: 300 tags × a dozen keys is a few thousand calls, milliseconds.

A tag's friends, and a gender's, a region's, a birth month's or an age band's, come from the bitmap engine
(store/bitmaps, kept current against PRAGMA data_version, so repeated tables reuse its bitmaps), or from one query
when the engine cannot answer (an in-memory store, or a caller inside a transaction). The dimensions the
engine does not index (friend-days bands, custom fields) read their keys with the reference's own
SQL expression (crosstab._Sql.key) in one GROUP BY of friend ids, so both paths put every friend under the
same key; the tests compare the two on random data.
"""

from __future__ import annotations

import datetime as dt
from array import array

from pyroaring import BitMap

from shopline.core.crosstab import AGE_BAND, BIRTH_MONTH, GENDER, REGION, UNKNOWN, CrossTable, Dimension
from shopline.core.messages import ShopLineError, Text
from shopline.core.prefectures import PREFECTURES
from shopline.core.segments import Compare, HasTag, Node, Not, Or
from shopline.core.values import GENDERS
from shopline.store import segment_sql
from shopline.store.bitmaps import engine
from shopline.store.connection import db
from shopline.store.models import Tag

Sets = dict[object, BitMap]


def _ids(joined: str | None) -> BitMap:
    return BitMap(array("I", map(int, joined.split(",")))) if joined else BitMap()


def _following() -> BitMap:
    return _ids(db.execute_sql("SELECT group_concat(id) FROM friend WHERE status = 'following'").fetchone()[0])


def _folder(name: str) -> tuple[Sets, dict[int, str]]:
    """Each tag of the folder: its following friends, by tag id (the reference's key)."""
    tags: dict[int, str] = dict(Tag.select(Tag.id, Tag.name).where(Tag.folder == name).tuples())
    if not tags:
        raise ShopLineError(Text(f"「{name}」というタグフォルダはありません。",
                                 f"There is no tag folder named \"{name}\"."))
    if engine.usable():
        return {tid: segment_sql.members(HasTag(tag)) for tid, tag in tags.items()}, tags
    following = _following()
    found: Sets = {tid: BitMap() for tid in tags}
    rows = db.execute_sql("SELECT tag_id, group_concat(friend_id) FROM friend_tag WHERE tag_id IN "
                          "(SELECT id FROM tag WHERE folder = ?) GROUP BY tag_id", [name])
    for tid, joined in rows:
        found[tid] = _ids(joined) & following
    return found, tags


# Built-in dimensions the engine holds bitmaps for: the keys the reference can return, and the key of friends
# without a value (the reference's coalesce; gender has none and groups a NULL as itself).
_ENGINE_KEYS: dict[str, tuple[tuple[object, ...], object]] = {
    GENDER: (GENDERS, None),
    REGION: (PREFECTURES, UNKNOWN),
    BIRTH_MONTH: (tuple(range(1, 13)), UNKNOWN),
}


def _from_engine(dim: Dimension) -> Sets | None:
    """The engine's value bitmaps of a built-in column, or None when a friend holds a value not listed (a
    malformed one, or an empty text): then only the reference's own expression keys them right."""
    keys, missing = _ENGINE_KEYS[dim.kind]
    found: Sets = {key: segment_sql.members(Compare(dim.kind, "=", key)) for key in keys}  # type: ignore[arg-type]
    # x = k OR x != k holds every friend with a value: a NULL matches no comparison, as in SQL.
    first = keys[0]
    valued = Or((Compare(dim.kind, "=", first), Compare(dim.kind, "!=", first)))  # type: ignore[arg-type]
    present = segment_sql.members(valued)
    if present - BitMap.union(BitMap(), *found.values()):
        return None
    following = segment_sql.members(Or((valued, Not(valued))))  # the engine's following friends
    found[missing] = following - present
    return {key: ids for key, ids in found.items() if ids}


def _age_bands(today: dt.date | None) -> Sets:
    """The reference's bands (tens of years, under 20 in 1, 70 and over in 7) from the engine's age comparisons,
    which compare the birthday with today N years ago as the reference's year-and-month-day arithmetic does."""
    def age(op: str, years: int) -> BitMap:
        return segment_sql.members(Compare("age", op, years), today)

    over = {band: age(">=", band * 10) for band in range(2, 8)}
    found: Sets = {1: age("<", 20)}
    for band in range(2, 7):
        found[band] = over[band] - over[band + 1]
    found[7] = over[7]
    present = found[1] | over[2]
    any_age = Or((Compare("age", ">=", 0), Compare("age", "<", 0)))
    found[UNKNOWN] = segment_sql.members(Or((any_age, Not(any_age))), today) - present
    return {key: ids for key, ids in found.items() if ids}


def _grouped(dim: Dimension, today: dt.date | None) -> Sets:
    """Following friends per key of a one-key-per-friend dimension, keyed as the reference keys them."""
    if dim.kind in _ENGINE_KEYS and engine.usable():
        found = _from_engine(dim)
        if found is not None:
            return found
    if dim.kind == AGE_BAND and engine.usable():
        return _age_bands(today)
    from shopline.results.crosstab import _Sql

    sql = _Sql(today or dt.date.today())
    key = sql.key(dim, 1)
    query = (f"SELECT {key} AS k, group_concat(f.id) FROM friend f {' '.join(sql.joins)} "
             f"WHERE f.status = 'following' GROUP BY k")
    return {k: _ids(joined) for k, joined in db.execute_sql(query, sql.params)}


def crosstab(rows: Dimension, cols: Dimension, segment: Node | None,
             today: dt.date | None) -> tuple[CrossTable, dict[int, str]]:
    """The counts as the reference would give them (keys with no friends left out), and the folders' tag names."""
    names: dict[int, str] = {}
    sides: list[Sets] = []
    for dim in (rows, cols):
        if dim.kind == "folder":
            found, tags = _folder(dim.name)
            names.update(tags)
            sides.append(found)
        else:
            sides.append(_grouped(dim, today))
    grouped = [s for dim, s in zip((rows, cols), sides, strict=True) if dim.kind != "folder"]
    # Every following friend is under exactly one key of a grouped dimension: their union is everyone.
    base = BitMap.union(BitMap(), *grouped[0].values()) if grouped else _following()
    if segment is not None:
        base &= segment_sql.members(segment, today)
    for dim, found in zip((rows, cols), sides, strict=True):
        for key in found:
            found[key] = found[key] & base  # not &=: the engine's bitmaps are not ours to change
        if dim.kind == "folder":
            # A friend with none of the folder's tags is counted under "(none)", as the reference's LEFT JOIN does.
            found[UNKNOWN] = base - BitMap.union(BitMap(), *found.values())
    row_sets, col_sets = sides
    counts: dict[tuple[object, object], int] = {}
    for r, a in row_sets.items():
        if not a:
            continue
        for c, b in col_sets.items():
            n = a.intersection_cardinality(b)
            if n:
                counts[(r, c)] = n
    return CrossTable(rows, cols, counts=counts), names
