"""One CSV row into friend values, or the reasons it is refused.

A file holds few distinct genders, statuses, prefectures, dates and tag names
but many rows, so every converter remembers what it has seen: the per-row cost
is mostly dictionary look-ups.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from shopline.core.messages import Text
from shopline.core.prefectures import normalise_prefecture
from shopline.core.tags import TagNameError, validate_tag_name
from shopline.core.values import USER_ID_RE, parse_date, parse_gender, parse_status, parse_user_id
from shopline.csvio.headers import Column

# Friend columns a row may set, in the order of ParsedRow.values.
VALUE_COLUMNS = ("display_name", "gender", "birthday", "region", "followed_at", "status",
                 "memo", "picture_url", "language")
_CACHE_LIMIT = 200_000  # free-text columns would otherwise grow the cache with every row
_MISSING = object()


@dataclass(frozen=True)
class RowError:
    row: int  # as Excel numbers it: the header is row 1
    column: str  # the header as written in the file; "" when the row as a whole is wrong
    reason: Text


@dataclass(slots=True)
class ParsedRow:
    user_id: str
    values: list[Any]  # VALUE_COLUMNS order; None where the cell is blank or the column absent
    tags: tuple[str, ...]  # folded names
    custom: list[str | None]  # raw cells of the custom-field columns, None when blank


def _region(raw: str) -> str:
    found = normalise_prefecture(raw)
    if found is None:
        raise ValueError(Text(f"地域「{raw}」は都道府県名ではありません。"
                              "「東京都」や「東京」のように書くか、空欄にしてください。",
                              f"The region \"{raw}\" is not a prefecture. "
                              "Write it like 東京都 or 東京, or leave it blank."))
    return found


def _date(raw: str) -> str | None:
    value = parse_date(raw)
    return value.isoformat() if value else None


class Cached:
    """A converter run once per distinct raw value: a blank cell is None, a refusal is its Text (not raised)."""

    __slots__ = ("convert", "cache")

    def __init__(self, convert: Callable[[str], Any]) -> None:
        self.convert = convert
        self.cache: dict[str, Any] = {}

    def __call__(self, raw: str) -> Any:
        value = self.cache.get(raw, _MISSING)
        return self.miss(raw) if value is _MISSING else value

    def miss(self, raw: str) -> Any:
        if not raw or raw.isspace():
            result = None
        else:
            try:
                result = self.convert(raw)
            except ValueError as err:
                result = err.args[0]
        if len(self.cache) < _CACHE_LIMIT:
            self.cache[raw] = result
        return result


_CONVERTERS: dict[str, Callable[[str], Any]] = {
    "display_name": str,
    "gender": parse_gender,
    "birthday": _date,
    "region": _region,
    "followed_at": _date,
    "status": parse_status,
    "memo": str,
    "picture_url": str.strip,
    "language": str.strip,
}


class RowParser:
    def __init__(self, columns: list[Column], field_checks: dict[int, Cached] | None = None) -> None:
        """field_checks: custom-column position -> cached converter, for fields that already have a kind."""
        self.width = len(columns)
        by_key = {c.known: c for c in columns if c.known}
        self.id_column = by_key["line_user_id"]
        self.tag_column = by_key.get("tags")
        self.custom_columns = [c for c in columns if c.field]
        self._scalars = [(VALUE_COLUMNS.index(key), c.index, c.header, Cached(_CONVERTERS[key]))
                         for key, c in by_key.items() if key in _CONVERTERS]
        self._checks = [(i, self.custom_columns[i], check) for i, check in (field_checks or {}).items()]
        self._tag_cache: dict[str, str | Text] = {}

    def parse(self, number: int, cells: list[str]) -> ParsedRow | list[RowError]:
        if len(cells) != self.width:
            if len(cells) < self.width or any(c.strip() for c in cells[self.width:]):
                return [RowError(number, "", Text(
                    f"列の数が違います(見出しは{self.width}列、この行は{len(cells)}列)。"
                    "値の中のコンマは \" \" で囲んでください。",
                    f"Wrong number of columns (the header has {self.width}, this row {len(cells)}). "
                    "Put values that contain commas inside double quotes."))]
            del cells[self.width:]  # Excel pads rows with empty cells past the last header
        errors: list[RowError] = []
        user_id = cells[self.id_column.index].strip()
        if not user_id:
            errors.append(RowError(number, self.id_column.header, Text(
                "ユーザーIDが空です。「U」に続く32文字の英数字を入れてください。",
                "The user ID is empty. Fill in \"U\" followed by 32 characters 0-9 a-f.")))
        elif not USER_ID_RE.match(user_id):
            try:
                parse_user_id(user_id)
            except ValueError as err:
                errors.append(RowError(number, self.id_column.header, err.args[0]))
        values: list[Any] = [None] * len(VALUE_COLUMNS)
        # The hot loop: a dict hit per cell, the converter only on a value not seen before.
        for slot, index, header, convert in self._scalars:
            raw = cells[index]
            if raw:
                value = convert.cache.get(raw, _MISSING)
                if value is _MISSING:
                    value = convert.miss(raw)
                if value.__class__ is Text:
                    errors.append(RowError(number, header, value))
                else:
                    values[slot] = value
        tags: tuple[str, ...] = ()
        if self.tag_column is not None and cells[self.tag_column.index]:
            tags = self._tags(number, cells[self.tag_column.index], errors)
        custom = [cells[c.index].strip() or None for c in self.custom_columns]
        for i, column, check in self._checks:
            cell = custom[i]
            if cell is not None:
                result = check(cell)
                if result.__class__ is Text:
                    errors.append(RowError(number, column.header, result))
        if errors:
            return errors
        return ParsedRow(user_id, values, tags, custom)

    def _tags(self, number: int, cell: str, errors: list[RowError]) -> tuple[str, ...]:
        # split_tags's rule (";" or "；", trimmed, empties skipped) inlined: each raw piece is looked up
        # as it stands, so the common case costs one split and a dict hit per tag.
        if "；" in cell:
            cell = cell.replace("；", ";")
        names: dict[str, None] = {}
        cache = self._tag_cache
        for raw in cell.split(";"):
            name = cache.get(raw)
            if name is None:
                name = self._tag(raw)
                if len(cache) < _CACHE_LIMIT:
                    cache[raw] = name
            if name.__class__ is Text:
                errors.append(RowError(number, self.tag_column.header, name))  # type: ignore[union-attr]
            elif name:
                names[name] = None  # type: ignore[index]
        return tuple(names)

    @staticmethod
    def _tag(raw: str) -> str | Text:
        """The folded name, "" for an empty piece, or the reason the name is refused."""
        if not raw.strip():
            return ""
        try:
            return validate_tag_name(raw)
        except TagNameError as err:
            return err.text
