"""クロス分析: following friends counted over two dimensions, optionally within a segment, in one GROUP BY
(the reference; a tag folder on an axis is counted as bitmap intersections instead, crosstab_bitmaps.py).

Each dimension is one SQL expression over the friend row `f` (a band computed from the birthday or
the follow date, a column) or a LEFT JOIN (a tag folder: one key per tag, friends with none of its
tags under "(none)"; a custom field: its value). A friend with several tags of a folder is counted
under each of them, as a tag list counts. The CSV is UTF-8 with a BOM (Excel opens it as UTF-8),
every cell through csvio's formula guard.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from shopline.core.crosstab import (
    AGE_BAND,
    BIRTH_MONTH,
    FOLDER_PREFIX,
    FRIEND_DAYS_BAND,
    FRIEND_DAYS_BOUNDS,
    GENDER,
    REGION,
    UNKNOWN,
    CrossTable,
    Dimension,
    parse_dimension,
)
from shopline.core.messages import ShopLineError, Text
from shopline.core.ordering import natural_key
from shopline.core.prefectures import PREFECTURES
from shopline.core.segments import Node, parse
from shopline.core.values import GENDERS
from shopline.csvio.formulas import SafeWriter
from shopline.store.connection import db
from shopline.store.models import Field, Tag
from shopline.store.segment_sql import compile_tree


def custom_fields() -> list[str]:
    return [name for (name,) in Field.select(Field.name).order_by(Field.position, Field.name).tuples()]


def dimension(text: str) -> Dimension:
    return parse_dimension(text, custom_fields())


def folders() -> list[str]:
    return [f for (f,) in Tag.select(Tag.folder).where(Tag.folder != "").distinct().order_by(Tag.folder).tuples()]


def dimension_choices() -> list[str]:
    """Every dimension there is now, as parse_dimension() reads them back."""
    from shopline.core.crosstab import BUILTIN_DIMENSIONS

    return [*BUILTIN_DIMENSIONS, *(FOLDER_PREFIX + f for f in folders()), *custom_fields()]


class _Sql:
    def __init__(self, today: dt.date) -> None:
        self.today = today.isoformat()  # a date we made: safe to inline, and used many times per row
        self.joins: list[str] = []
        self.params: list[object] = []
        self.tag_names: dict[int, str] = {}

    def key(self, dim: Dimension, n: int) -> str:
        t = f"'{self.today}'"
        if dim.kind == GENDER:
            return "f.gender"
        if dim.kind == REGION:
            return f"coalesce(f.region, '{UNKNOWN}')"
        if dim.kind == BIRTH_MONTH:
            return f"coalesce(CAST(substr(f.birthday, 6, 2) AS INTEGER), '{UNKNOWN}')"
        if dim.kind == AGE_BAND:
            age = (f"(CAST(substr({t}, 1, 4) AS INTEGER) - CAST(substr(f.birthday, 1, 4) AS INTEGER)"
                   f" - (substr({t}, 6, 5) < substr(f.birthday, 6, 5)))")
            return f"CASE WHEN f.birthday IS NULL THEN '{UNKNOWN}' ELSE min(max({age} / 10, 1), 7) END"
        if dim.kind == FRIEND_DAYS_BAND:
            days = f"(julianday({t}) - julianday(f.followed_at))"
            steps = " ".join(f"WHEN {days} >= {b} THEN {b}" for b in reversed(FRIEND_DAYS_BOUNDS[1:]))
            return f"CASE WHEN f.followed_at IS NULL THEN '{UNKNOWN}' {steps} ELSE 0 END"
        if dim.kind == "folder":
            tags = dict(Tag.select(Tag.id, Tag.name).where(Tag.folder == dim.name).tuples())
            if not tags:
                raise ShopLineError(Text(f"「{dim.name}」というタグフォルダはありません。",
                                         f"There is no tag folder named \"{dim.name}\"."))
            self.tag_names.update(tags)
            # The unary + keeps SQLite on friend_tag's primary key (friend first): on the (tag, friend) index
            # it probed every tag of the folder for every friend, 35x slower over 100,000 friends.
            self.joins.append(f"LEFT JOIN friend_tag j{n} ON j{n}.friend_id = f.id AND +j{n}.tag_id IN "
                              f"(SELECT id FROM tag WHERE folder = ?)")
            self.params.append(dim.name)
            return f"coalesce(j{n}.tag_id, '{UNKNOWN}')"
        field = Field.get_or_none(Field.name == dim.name)
        if field is None:
            raise ShopLineError(Text(f"「{dim.name}」という項目はありません。", f"There is no field \"{dim.name}\"."))
        self.joins.append(f"LEFT JOIN field_value j{n} ON j{n}.friend_id = f.id AND +j{n}.field_id = ?")
        self.params.append(field.id)
        return f"coalesce(nullif(j{n}.text_value, ''), '{UNKNOWN}')"


def _order(dim: Dimension, keys: set[object], tag_names: dict[int, str]) -> list[object]:
    unknown = [k for k in keys if k == UNKNOWN or k is None]
    known = [k for k in keys if not (k == UNKNOWN or k is None)]
    if dim.kind == GENDER:
        known.sort(key=lambda k: GENDERS.index(k) if k in GENDERS else len(GENDERS))
    elif dim.kind == REGION:
        known.sort(key=lambda k: PREFECTURES.index(k) if k in PREFECTURES else len(PREFECTURES))
    elif dim.kind == "folder":
        known.sort(key=lambda k: natural_key(tag_names.get(int(str(k)), "")))
    elif dim.kind == "field":
        known.sort(key=lambda k: natural_key(str(k)))
    else:
        known.sort(key=lambda k: int(str(k)))
    return known + unknown[:1]


def crosstab(rows: Dimension, cols: Dimension, segment: Node | None = None,
             today: dt.date | None = None) -> CrossTable:
    """A tag folder on either axis is counted as bitmap intersections (crosstab_bitmaps.py), anything else by
    the reference GROUP BY, which is already one pass over the friends."""
    if rows.kind != "folder" and cols.kind != "folder":
        return reference_crosstab(rows, cols, segment, today)
    from shopline.results import crosstab_bitmaps

    found, tag_names = crosstab_bitmaps.crosstab(rows, cols, segment, today)
    table = CrossTable(rows, cols, _order(rows, {r for r, _ in found.counts}, tag_names),
                       _order(cols, {c for _, c in found.counts}, tag_names), found.counts)
    return _named(table, tag_names)


def reference_crosstab(rows: Dimension, cols: Dimension, segment: Node | None = None,
                       today: dt.date | None = None) -> CrossTable:
    """The counts in one GROUP BY: the reference the bitmap path is tested against."""
    sql = _Sql(today or dt.date.today())
    row_key, col_key = sql.key(rows, 1), sql.key(cols, 2)
    where, params = "f.status = 'following'", []
    if segment is not None:
        inner, params = compile_tree(segment, "f.id", today)
        where = f"f.id IN ({inner})"
    query = (f"SELECT {row_key} AS r, {col_key} AS c, count(*) FROM friend f {' '.join(sql.joins)} "
             f"WHERE {where} GROUP BY r, c")
    counts = {(r, c): int(n) for r, c, n in db.execute_sql(query, [*sql.params, *params])}
    table = CrossTable(rows, cols, _order(rows, {r for r, _ in counts}, sql.tag_names),
                       _order(cols, {c for _, c in counts}, sql.tag_names), counts)
    return _named(table, sql.tag_names)


def _named(table: CrossTable, tag_names: dict[int, str]) -> CrossTable:
    """Folder keys as tag names (the query groups by tag id, which is cheaper than by name)."""
    if not tag_names:
        return table

    def name(dim: Dimension, key: object) -> object:
        return tag_names.get(int(str(key)), key) if dim.kind == "folder" and key != UNKNOWN else key

    return CrossTable(table.rows, table.cols, [name(table.rows, k) for k in table.row_keys],
                      [name(table.cols, k) for k in table.col_keys],
                      {(name(table.rows, r), name(table.cols, c)): n for (r, c), n in table.counts.items()})


def crosstab_text(rows: str, cols: str, segment: str | None = None) -> CrossTable:
    return crosstab(dimension(rows), dimension(cols), parse(segment) if segment else None)


def write_csv(table: CrossTable, path: Path | str, mode: str = "count") -> Path:
    path = Path(path)
    with path.open("w", encoding="utf-8-sig", newline="") as f:
        SafeWriter(f, lineterminator="\r\n").writerows(table.grid(mode))
    return path
