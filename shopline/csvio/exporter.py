"""CSV export with Japanese headers, for Excel and for importing into another ShopLine.

CP932 cannot hold every character (emoji, some kanji variants). We refuse such
an export rather than write a replacement: a "?" in a display name would come
back on the next import and overwrite the real name, so a replaced character is
data lost, only later. The error lists every friend row and column affected
and suggests UTF-8, which holds everything.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from peewee import Select

from shopline.core.messages import Text
from shopline.core.values import GENDER_LABELS_JA, STATUS_LABELS_JA
from shopline.csvio.errors import ExportEncodingError, Unencodable
from shopline.csvio.formulas import SafeWriter
from shopline.csvio.headers import COLUMNS, export_header
from shopline.store.models import Field, FieldValue, Friend, FriendTag, Tag

__all__ = ["ExportEncodingError", "ExportReport", "Unencodable", "export_csv"]

EXPORT_ENCODINGS = ("utf-8-sig", "cp932")
_PAGE = 2_000  # friends per query: memory stays flat however large the shop
_SHOWN = 10  # problems listed in the message; the exception carries them all


@dataclass
class ExportReport:
    path: Path
    encoding: str
    rows: int  # friends written
    headers: list[str]
    fields: list[str]  # custom fields written as extra columns


def export_csv(path: Path | str, *, encoding: str = "utf-8-sig", friend_ids: Select | None = None) -> ExportReport:
    """Write friends (all, or those whose ids `friend_ids` selects) to a CSV; the file appears whole or not at all."""
    if encoding not in EXPORT_ENCODINGS:
        raise ValueError(f"unknown encoding {encoding!r}; use one of {EXPORT_ENCODINGS}")
    path = Path(path)
    fields = list(Field.select(Field.id, Field.name).order_by(Field.position, Field.id).tuples())
    headers = [export_header(c) for c in COLUMNS] + [name for _id, name in fields]
    check = encoding == "cp932"
    problems: list[Unencodable] = []
    rows = 0
    part = path.with_name(path.name + ".part")
    try:
        with open(part, "w", encoding=encoding, newline="") as f:
            out = SafeWriter(f, lineterminator="\r\n")  # a display name may be a formula: see formulas.py
            out.writerow(headers)
            for cells in _rows(friend_ids, [fid for fid, _name in fields]):
                rows += 1
                if check and not _fits(cells, rows + 1, headers, problems):
                    continue
                out.writerow(cells)
        if problems:
            raise _encoding_error(path, problems)
        os.replace(part, path)
    finally:
        part.unlink(missing_ok=True)
    return ExportReport(path, encoding, rows, headers, [name for _id, name in fields])


def _rows(friend_ids: Select | None, field_ids: list[int]) -> Iterator[list[str]]:
    columns = [getattr(Friend, c if c != "line_user_id" else "user_id") for c in COLUMNS if c != "tags"]
    last = 0
    while True:
        query = Friend.select(Friend.id, *columns).where(Friend.id > last)
        if friend_ids is not None:
            query = query.where(Friend.id.in_(friend_ids))
        page = list(query.order_by(Friend.id).limit(_PAGE).tuples())
        if not page:
            return
        ids = [r[0] for r in page]
        tags: dict[int, list[str]] = {}
        for fid, name in (FriendTag.select(FriendTag.friend, Tag.name).join(Tag)
                          .where(FriendTag.friend.in_(ids)).order_by(Tag.name).tuples()):
            tags.setdefault(fid, []).append(name)
        values: dict[tuple[int, int], str] = {(f, k): t for f, k, t in FieldValue.select(
            FieldValue.friend, FieldValue.field, FieldValue.text_value).where(FieldValue.friend.in_(ids)).tuples()}
        for fid, *scalars in page:
            yield _cells(scalars, tags.get(fid, ())) + [values.get((fid, k), "") for k in field_ids]
        last = ids[-1]


def _cells(scalars: list[Any], tags: Any) -> list[str]:
    """Known columns in COLUMNS order, as a shop reads them (Japanese labels, ISO dates)."""
    user_id, name, gender, birthday, region, followed, status, memo, picture, lang = scalars
    return [user_id, name, GENDER_LABELS_JA.get(gender, gender), _date(birthday), region or "", _date(followed),
            STATUS_LABELS_JA.get(status, status), ";".join(tags), memo, picture or "", lang or ""]


def _date(value: Any) -> str:
    return value.isoformat() if value else ""


def _fits(cells: list[str], row: int, headers: list[str], problems: list[Unencodable]) -> bool:
    try:
        "".join(cells).encode("cp932")
        return True
    except UnicodeEncodeError:
        pass
    for header, cell in zip(headers, cells, strict=True):
        bad = "".join(dict.fromkeys(ch for ch in cell if not _cp932(ch)))
        if bad:
            problems.append(Unencodable(row, cells[0], header, bad))
    return False


def _cp932(ch: str) -> bool:
    try:
        ch.encode("cp932")
        return True
    except UnicodeEncodeError:
        return False


def _encoding_error(path: Path, problems: list[Unencodable]) -> ExportEncodingError:
    lines = "\n".join(f"  {p.row}行目 {p.user_id} {p.column}: {p.chars}" for p in problems[:_SHOWN])
    more_ja = f"\n  ほか{len(problems) - _SHOWN}件" if len(problems) > _SHOWN else ""
    more_en = f"\n  and {len(problems) - _SHOWN} more" if len(problems) > _SHOWN else ""
    return ExportEncodingError(Text(
        f"{path.name} は書き出していません。Shift_JIS(CP932)では表せない文字(絵文字など)が"
        f"{len(problems)}か所にあります:\n{lines}{more_ja}\n"
        "文字を失わないよう、UTF-8(--encoding utf-8-sig、Excelでもそのまま開けます)で書き出してください。",
        f"{path.name} was not written: {len(problems)} values hold characters Shift_JIS (CP932) cannot "
        f"represent (emoji and the like):\n{lines}{more_en}\n"
        "To keep every character, export as UTF-8 (--encoding utf-8-sig, which Excel opens as well)."),
        problems)
