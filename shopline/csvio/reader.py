"""A CSV file as a header and a stream of records, with the checks that make a file unusable as a whole.

Quoting is read strictly: a double quote that opens a cell and never closes properly would otherwise
swallow the rows after it into one cell, silently. A quoted cell may hold line breaks (a memo), so as
a cross-check a cell whose later lines look like rows of their own (a user ID between delimiters) is
taken for swallowed rows too. Either way the whole file is refused, naming the row and column where
the quote opened, because nothing after that point can be trusted.
"""

from __future__ import annotations

import csv
import itertools
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import IO

from shopline.core.messages import Text
from shopline.core.values import USER_ID_RE
from shopline.csvio.encoding import open_text, sniff
from shopline.csvio.errors import CsvUnusableError
from shopline.csvio.formulas import restore_row
from shopline.csvio.headers import Column, duplicates, export_header, map_headers

# Python's default (131,072 characters) refuses a long memo; 4 Mi characters is far beyond any real
# cell, and still bounds the memory a broken file can take. The limit is process-wide in the csv module.
FIELD_LIMIT = 4 * 1024 * 1024
csv.field_size_limit(max(csv.field_size_limit(), FIELD_LIMIT))


@dataclass
class CsvFile:
    path: Path
    encoding: str
    headers: list[str]
    columns: list[Column]
    records: Iterator[tuple[int, list[str]]]  # (row number as Excel shows it, cells); blank rows skipped
    estimated_rows: int  # line count: exact unless cells hold line breaks
    stream: IO[str]
    delimiter: str = ","

    def close(self) -> None:
        self.stream.close()

    def __enter__(self) -> CsvFile:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


FRIENDS = Text("友だち", "friends")


def open_records(path: Path, encoding: str = "auto", *, holding: Text = FRIENDS) -> CsvFile:
    """Any export as records: encoding sniffed, strict quoting, no column checks. `holding` names what its rows
    are, for the sentence about an empty file."""
    sniffed = sniff(path, encoding)
    stream = open_text(path, sniffed.codec)
    try:
        first_line = stream.readline()
        # Excel's "Unicode text" and some tools write tabs; commas win when the header has both.
        delimiter = "\t" if "\t" in first_line and "," not in first_line else ","
        scanner = _Records(path, sniffed.codec, delimiter)
        records = scanner.read(itertools.chain([first_line], stream))
        try:
            _number, headers = next(records)
        except StopIteration:
            raise CsvUnusableError(Text(
                f"{path.name} には行がありません。{holding.ja}の行が入ったCSVを選んでください。",
                f"{path.name} has no rows. Choose a CSV that holds {holding.en}.")) from None
        scanner.headers = headers
    except BaseException:
        stream.close()
        raise
    return CsvFile(path, sniffed.codec, headers, [], records, max(0, sniffed.lines - 1), stream, delimiter)


def open_csv(path: Path, encoding: str = "auto") -> CsvFile:
    """A friends export: its columns mapped and checked."""
    opened = open_records(path, encoding)
    try:
        opened.columns = map_headers(opened.headers)
        _check_columns(path, opened.headers, opened.columns)
    except BaseException:
        opened.close()
        raise
    return opened


class _Records:
    def __init__(self, path: Path, codec: str, delimiter: str) -> None:
        self.path = path
        self.codec = codec
        self.delimiter = delimiter
        self.headers: list[str] = []
        self.records = 0
        d = re.escape(delimiter)
        # A line inside a cell that holds a user ID as a whole cell of a row: a row swallowed by a quote.
        self._swallowed = re.compile(rf"[\r\n](?:[^\r\n]*{d})?U[0-9a-f]{{32}}(?:{d}|[\r\n]|$)")
        self._alone = re.compile(r"[\r\n]U[0-9a-f]{32}(?:[\r\n]|$)")

    def read(self, lines: Iterator[str], width: int = 0) -> Iterator[tuple[int, list[str]]]:
        """Records numbered from 1. `width` is the first row's, when `lines` begin after it (a part of a file read
        by a worker process); `self.records` counts the records read, blank ones too, once the lines are done."""
        reader = csv.reader(lines, delimiter=self.delimiter, strict=True)
        number = 0  # records read: the row number Excel shows, a cell's line breaks not counting
        line = 1  # the physical line the next record starts on
        try:
            for cells in reader:
                number += 1
                if reader.line_num > line:  # the record spans lines: a quoted cell holds line breaks
                    self._check_swallowed(number, cells, width)
                line = reader.line_num + 1
                if not cells:
                    continue
                if cells[0][:1] == "\ufeff":
                    # A byte order mark inside the file: two files joined. It is invisible, so it is dropped.
                    cells[0] = cells[0].lstrip("\ufeff")
                if any(cells):
                    width = width or len(cells)
                    yield number, restore_row(cells)  # undo what export did against formulas
            self.records = number
        except csv.Error as err:
            raise self._broken(number + 1, line, str(err)) from None

    def _check_swallowed(self, number: int, cells: list[str], width: int) -> None:
        pattern = self._swallowed if width != 1 else self._alone
        for i, cell in enumerate(cells):
            if ("\n" in cell or "\r" in cell) and pattern.search(cell):
                raise self._quote_error(number, i, cells[i].split("\n", 1)[0].strip()[:20])

    def _broken(self, number: int, line: int, detail: str) -> CsvUnusableError:
        """The record starting at `line` cannot be read: find which cell and how long, to say where to look."""
        column, length, closed = self._measure(line)
        if length > FIELD_LIMIT:
            where = self._where(column)
            return CsvUnusableError(Text(
                f"{self.path.name} の{number}行目{where[0]}の値が{length:,}文字あり、読める長さ"
                f"({FIELD_LIMIT:,}文字)を超えています。"
                + ("引用符「\"」が閉じていないため、後の行まで1つの値になっています。" if not closed else
                   "長すぎる値を短くしてから読み込んでください。"),
                f"Row {number}{where[1]} of {self.path.name} holds a value of {length:,} characters, more than "
                f"the {FIELD_LIMIT:,} that can be read. "
                + ("A double quote there is not closed, so the rows after it became one value."
                   if not closed else "Shorten it, then import the file again.")))
        return self._quote_error(number, column, detail=detail)

    def _quote_error(self, number: int, column: int | None, start: str = "", detail: str = "") -> CsvUnusableError:
        where = self._where(column)
        shown = f"「{start}…」" if start else ""
        return CsvUnusableError(Text(
            f"{self.path.name} の{number}行目{where[0]}{shown}で始まる引用符「\"」が正しく閉じていないため、"
            "それより後の行を正しく読めません。値の中の「\"」は「\"\"」と2つ重ねるか、消してください。"
            "ファイルは読み込んでいません。",
            f"In {self.path.name}, a double quote opened in row {number}{where[1]} is not closed properly, "
            "so the rows after it cannot be read. Double a quote inside a value (\"\") or remove it. "
            f"Nothing was imported.{f' ({detail})' if detail else ''}"))

    def _where(self, column: int | None) -> tuple[str, str]:
        header = self.headers[column] if column is not None and column < len(self.headers) else ""
        if header:
            return f"「{header}」", f", column \"{header}\""
        return ("", "") if column is None else (f"の{column + 1}列目", f", column {column + 1}")

    def _measure(self, line: int) -> tuple[int | None, int, bool]:
        """(column, length, closed) of the longest cell of the record starting at `line`, read again with a
        scanner that holds one line at a time: the cell may be far too long to hold."""
        best: tuple[int, int] = (0, -1)
        column = 0
        length = 0
        quoted = False
        at_start = True
        d = self.delimiter
        with open_text(self.path, self.codec) as stream:
            for raw in itertools.islice(stream, line - 1, None):
                i, n = 0, len(raw)
                while i < n:
                    if quoted:
                        j = raw.find('"', i)
                        if j < 0:
                            length += n - i
                            break
                        length += j - i
                        if raw[j + 1:j + 2] == '"':
                            length += 1
                            i = j + 2
                        else:
                            quoted = False
                            i = j + 1
                        continue
                    ch = raw[i]
                    if ch == d or ch in "\r\n":
                        best = max(best, (length, column))
                        if ch != d:
                            return best[1], best[0], True
                        column, length, at_start = column + 1, 0, True
                    elif ch == '"' and at_start:
                        quoted, at_start = True, False
                    else:
                        length, at_start = length + 1, False
                    i += 1
        best = max(best, (length, column))
        return best[1], best[0], not quoted


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
