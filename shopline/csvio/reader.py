"""A decoded CSV as a header and records, with the checks that make a file unusable as a whole."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from shopline.core.messages import Text
from shopline.core.values import USER_ID_RE
from shopline.csvio.encoding import read_text
from shopline.csvio.errors import CsvUnusableError
from shopline.csvio.formulas import restore_row
from shopline.csvio.headers import Column, duplicates, export_header, map_headers


@dataclass
class CsvFile:
    path: Path
    encoding: str
    headers: list[str]
    columns: list[Column]
    records: Iterator[tuple[int, list[str]]]  # (row number as Excel shows it, cells); blank rows skipped
    estimated_rows: int  # line count: exact unless cells hold line breaks


def open_csv(path: Path, encoding: str = "auto") -> CsvFile:
    text, used = read_text(path, encoding)
    first_line = text.split("\n", 1)[0]
    # Excel's "Unicode text" and some tools write tabs; commas win when the header has both.
    delimiter = "\t" if "\t" in first_line and "," not in first_line else ","
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    estimate = max(0, text.count("\n") - 1)
    del text
    records = _records(path, reader)
    try:
        number, headers = next(records)
    except StopIteration:
        raise CsvUnusableError(Text(f"{path.name} には行がありません。友だちの行が入ったCSVを選んでください。",
                                    f"{path.name} has no rows. Choose a CSV that holds friends.")) from None
    columns = map_headers(headers)
    _check_columns(path, headers, columns)
    return CsvFile(path, used, headers, columns, records, estimate)


def _records(path: Path, reader: Iterator[list[str]]) -> Iterator[tuple[int, list[str]]]:
    number = 0
    try:
        for cells in reader:
            number += 1
            if cells and any(cells):
                yield number, restore_row(cells)  # undo what export did against formulas
    except csv.Error as err:
        raise CsvUnusableError(Text(
            f"{path.name} の{number + 1}行目付近が読めません({err})。引用符「\"」の閉じ忘れがないか確かめてください。",
            f"Cannot read {path.name} near row {number + 1} ({err}). Check for a double quote that is not closed.",
        )) from None


def _check_columns(path: Path, headers: list[str], columns: list[Column]) -> None:
    if any(c.known == "line_user_id" for c in columns):
        dup = duplicates(columns)
        if dup:
            names = "、".join(dup)
            raise CsvUnusableError(Text(
                f"{path.name} には同じ意味の列が2つ以上あります({names})。"
                "どちらを使うか決められないので、1つにしてください。",
                f"{path.name} has more than one column for the same thing ({names}). Keep only one of each."))
        return
    id_header = export_header("line_user_id")
    if any(USER_ID_RE.match(h.strip()) for h in headers):
        raise CsvUnusableError(Text(
            f"{path.name} の1行目が見出しではなく友だちのデータです。"
            f"1行目に見出しの行(「{id_header}」「表示名」など)を足してください。",
            f"The first row of {path.name} is data, not a header. Add a header row (\"line_user_id\", "
            "\"display_name\", ...) above it."))
    shown = "、".join(h for h in headers[:8] if h.strip()) or "(空)"
    raise CsvUnusableError(Text(
        f"{path.name} にユーザーIDの列がありません(見出し: {shown})。"
        f"友だちを見分けるため、「{id_header}」または「line_user_id」という見出しの列が必要です。",
        f"{path.name} has no user ID column (headers: {shown}). A column headed \"line_user_id\" "
        f"or \"{id_header}\" is needed to tell friends apart."))
