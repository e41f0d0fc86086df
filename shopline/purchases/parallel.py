"""A large export parsed by worker processes while this one inserts: the per-row Python (dates, yen, folding, the
dedupe hash) costs about twice the inserts, and a thread would share the GIL with them.

The file is cut into spans of whole lines at a line break with an even count of double quotes before it, so no
span starts inside a quoted cell; each worker runs one process's row code over its span, reading the records as the
import's reader would (a span without quotes split at its line breaks and delimiters, one whose records each sit on
a line through the csv module, anything else through the reader itself).
Spans come back in file order, and the importer numbers their rows on from the rows before them, carries an order
that runs across a span's edge on (the nth line of an item in an order is part of its dedupe key) and dedupes
across spans. A double quote inside an unquoted cell (`ab"c`) would throw the count off, so a span with any
cell holding a quote, or one the reader refuses, makes the caller import the file again in one process: that
path reads it exactly, and says where a broken quote is.
"""

from __future__ import annotations

import csv
import gc
import io
import multiprocessing
import os
import sys
from collections.abc import Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field
from hashlib import blake2b
from pathlib import Path
from typing import TYPE_CHECKING

from shopline.csvio.errors import CsvUnusableError
from shopline.csvio.formulas import restore_row
from shopline.csvio.progress import Ticker
from shopline.csvio.reader import FIELD_LIMIT, _Records
from shopline.csvio.rows import RowError

if TYPE_CHECKING:
    from shopline.purchases.columns import Roles
    from shopline.purchases.row_import import RowImport

SPAN_BYTES = 1 << 20  # about 12,000 register lines: big enough that a span's overhead is small
IN_FLIGHT = 2  # spans queued per worker: the next one is ready when a worker finishes, memory stays bounded
# Fork where it is safe and starts at once (Linux: the workers inherit the customer index instead of unpickling it);
# spawn on macOS and Windows, where forking a process with GUI frameworks loaded is not.
START_METHOD = "fork" if sys.platform == "linux" else "spawn"

Row = tuple[object, ...]
Pending = tuple[int, list[str], list[RowError]]


@dataclass
class Parsed:
    """What a worker made of one span; rows numbered from 1 within it."""

    rows: list[Row] = field(default_factory=list)
    pending: list[Pending] = field(default_factory=list)
    count: int = 0  # records with any cell
    records: int = 0  # records, blank ones too: how far the next span's numbers start
    imported: int = 0
    last_order: tuple[str, str] = ("", "")
    seen_in_order: dict[str, int] = field(default_factory=dict)
    unsure: bool = False  # a cell held a double quote, or the reader refused the span: read the file in one process


def workers() -> int:
    return max(1, min(3, os.cpu_count() or 1))


def header_end(path: Path, headers: list[str], codec: str, delimiter: str) -> int | None:
    """The byte offset the data starts at when the header is the file's first line (what the spans need); None when
    it is not (a blank line or a line break inside a header cell), and one process reads the file."""
    with open(path, "rb") as f:
        first = f.readline()
    if not first.endswith(b"\n") or first.count(b'"') % 2:
        return None
    records = _Records(path, codec, delimiter)
    try:
        got = [cells for _number, cells in records.read(io.StringIO(first.decode(codec), newline=""))]
    except (CsvUnusableError, UnicodeDecodeError):
        return None
    return len(first) if got == [headers] else None


def spans(path: Path, start: int, size: int | None = None) -> Iterator[tuple[int, int]]:
    """(start, end) byte offsets of whole lines from `start` to the end of the file, each ending at a line break
    with an even count of double quotes since `start` (which is itself such a point)."""
    size = size or SPAN_BYTES
    with open(path, "rb") as f:
        f.seek(start)
        pos, left = start, b""
        while True:
            block = f.read(size)
            if not block:
                if left:
                    yield pos, pos + len(left)
                return
            buf = left + block
            end = buf.rfind(b"\n")
            while end >= 0 and buf.count(b'"', 0, end) % 2:
                end = buf.rfind(b"\n", 0, end)
            if end < 0:  # inside one long quoted cell: take more of the file into this span
                left = buf
                continue
            yield pos, pos + end + 1
            pos += end + 1
            left = buf[end + 1:]


# The worker process's importer, made once by _start so its converter caches serve every span it parses.
_worker: RowImport | None = None
_source: tuple[Path, str, str, list[str]] | None = None


def _start(path: Path, codec: str, delimiter: str, headers: list[str], roles: Roles,
           index: tuple[dict[str, int], dict[str, int]]) -> None:
    from shopline.purchases.report import PurchaseReport
    from shopline.purchases.row_import import RowImport

    global _worker, _source
    # The worker's objects live as long as it does and hold no cycles: collecting would only walk them again.
    gc.disable()
    _worker = RowImport(path, headers, roles, PurchaseReport(codec), None, Ticker(None, None, 0), index)
    # A span starts after the first line, so a byte order mark is no longer ahead of it.
    _source = (path, "utf-8" if codec == "utf-8-sig" else codec, delimiter, headers)


def parse(span: tuple[int, int]) -> Parsed:
    assert _worker is not None and _source is not None
    path, codec, delimiter, headers = _source
    with open(path, "rb") as f:
        f.seek(span[0])
        text = f.read(span[1] - span[0]).decode(codec)
    w = _worker
    # The fastest way that can read the span: reading records cost a worker as much as the row code, and a
    # register's export rarely needs the last way. Each either reads it or, returning None, passes it on.
    for read in (_split, _one_line_records, _records):
        w.restart()
        got = read(w, text, delimiter, path, codec, headers)
        if got is not None:
            return got
    return Parsed(unsure=True)


def _split(w: RowImport, text: str, delimiter: str, path: Path, codec: str, headers: list[str]) -> Parsed | None:
    """Nothing the reader would have to undo or check: a line is a row and its cells are split at the delimiter."""
    lines = _plain_lines(text)
    if lines is None:
        return None
    number = count = 0
    restore = "'" in text
    for number, line in enumerate(lines, 1):
        cells = line.split(delimiter)
        if any(cells):
            count += 1
            w.row(number, restore_row(cells) if restore else cells)
    return _parsed(w, count, number)


def _one_line_records(w: RowImport, text: str, delimiter: str, path: Path, codec: str,
                      headers: list[str]) -> Parsed | None:
    """Quoted cells, but every record on one line (no memo with a line break, which the reader checks for rows a
    broken quote swallowed) and no byte order mark: the csv module's records as they come."""
    if "\ufeff" in text:
        return None
    restore = "'" in text
    records = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True)
    number = count = 0
    try:
        for number, cells in enumerate(records, 1):
            if records.line_num != number:
                return None
            if '"' in "".join(cells):
                return Parsed(unsure=True)
            if any(cells):
                count += 1
                w.row(number, restore_row(cells) if restore else cells)
    except csv.Error:
        return Parsed(unsure=True)
    return _parsed(w, count, number)


def _records(w: RowImport, text: str, delimiter: str, path: Path, codec: str, headers: list[str]) -> Parsed | None:
    """Anything else, through the reader every import uses."""
    reader = _Records(path, codec, delimiter)
    reader.headers = headers
    count = 0
    try:
        for number, cells in reader.read(io.StringIO(text, newline=""), width=len(headers)):
            if '"' in "".join(cells):
                return Parsed(unsure=True)
            count += 1
            w.row(number, cells)
    except CsvUnusableError:
        return Parsed(unsure=True)
    return _parsed(w, count, reader.records)


def _parsed(w: RowImport, count: int, records: int) -> Parsed:
    w.settle()
    return Parsed(w.rows, w.pending, count, records, w.imported, w.last_order, w.seen_in_order)


def _plain_lines(text: str) -> list[str] | None:
    """The span's lines when it holds no double quote (so no cell holds a delimiter or a line break), no byte
    order mark and no cell too long to read, and its lines end in LF or CRLF; None otherwise."""
    if '"' in text or "\ufeff" in text or len(text) > FIELD_LIMIT:
        return None
    if "\r" in text:
        text = text.replace("\r\n", "\n")
        if "\r" in text:  # a line ending in CR alone: the csv module's reading of it is the one to keep
            return None
    lines = text.split("\n")
    if lines[-1] == "":
        lines.pop()
    return lines


class Orders:
    """The order that ran to the end of the spans so far, and its lines per item: a span's worker started its first
    order afresh, so the lines continuing that order are renumbered (and rehashed) here."""

    def __init__(self) -> None:
        self.last: tuple[str, str] = ("", "")
        self.counts: dict[str, int] = {}

    def carry(self, parsed: Parsed) -> None:
        rows = parsed.rows
        ended = not self.last[1]
        local: dict[str, int] = {}
        if not ended:
            store, order_id = self.last
            for i, row in enumerate(rows):
                if not row[3]:
                    continue  # a line without an order ID neither ends the order nor belongs to it
                if row[3] != order_id or row[7] != store:
                    ended = True
                    break
                item = str(row[4])
                nth = local[item] = local.get(item, 0) + 1
                before = self.counts.get(item, 0)
                if before:
                    key = f"o\x1f{store}\x1f{order_id}\x1f{item}\x1f{before + nth}"
                    rows[i] = (*row[:9], blake2b(key.encode(), digest_size=16).digest())
        if ended:
            self.last, self.counts = parsed.last_order, parsed.seen_in_order
        else:
            for item, n in local.items():
                self.counts[item] = self.counts.get(item, 0) + n


def run(importer: RowImport, path: Path, start: int, codec: str, delimiter: str,
        index: tuple[dict[str, int], dict[str, int]]) -> int | None:
    """The file's rows from byte `start` parsed by worker processes and handed to `importer` in file order; returns
    how many records were read, or None when a span was unsure (the caller then reads the file in one process)."""
    context = multiprocessing.get_context(START_METHOD)
    n = workers()
    orders = Orders()
    number = 1  # the header's row
    count = 0
    with ProcessPoolExecutor(n, context, initializer=_start,
                             initargs=(path, codec, delimiter, importer.headers, importer.roles, index)) as pool:
        queued: list[Future[Parsed]] = []
        todo = spans(path, start)
        try:
            while True:
                for span in todo:
                    queued.append(pool.submit(parse, span))
                    if len(queued) >= n * IN_FLIGHT:
                        break
                if not queued:
                    return count
                try:
                    parsed = queued.pop(0).result()
                except BrokenProcessPool:  # a worker was killed (out of memory, say): one process reads the file
                    return None
                if parsed.unsure:
                    return None
                orders.carry(parsed)
                importer.take(parsed, number)
                number += parsed.records
                count += parsed.count
                importer.ticker.read(count)
        finally:
            for future in queued:
                future.cancel()
