"""CSV import: rows streamed from the file into one transaction, a chunk at a time.

Nothing the size of the file is held in memory: rows are parsed and written in chunks, refused rows
go straight to the errors CSV, and a new custom field's values are stored as text until the last row
has shown which kind the field is (settle_field then converts them). The transaction makes the import
all or nothing: a refused file, a cancel or a crash leaves the database as it was.
"""

from __future__ import annotations

import gc
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from shopline.core.messages import Text
from shopline.csvio.encoding import ENCODINGS
from shopline.csvio.errors import CsvUnusableError, ImportCancelled
from shopline.csvio.fields import KindGuess, converter, create_field, existing_fields
from shopline.csvio.headers import Column
from shopline.csvio.progress import Ticker
from shopline.csvio.reader import CsvFile, open_csv
from shopline.csvio.report import ErrorsFile, ImportReport
from shopline.csvio.rows import Cached, ParsedRow, RowError, RowParser
from shopline.csvio.writer import FieldSpec, FriendWriter, bulk_writes, settle_field
from shopline.store.connection import db
from shopline.store.models import Field
from shopline.store.sqlite import write_transaction

__all__ = ["CsvPreview", "CsvUnusableError", "ImportCancelled", "ImportReport", "RowError",
           "import_csv", "preview_csv"]

_POLL_EVERY = 1_000  # rows between checks of the cancel flag while reading
# Rows parsed before they are written: memory stays flat, one executemany per table. The indexes stay
# in place: each chunk looks its user IDs up, and rows arrive in friend id order, so the link and value
# indexes grow mostly at their ends. Dropping and rebuilding them was slower for 300,000 rows, and its
# sort held the whole index in memory.
_CHUNK = 5_000


@dataclass
class CsvPreview:
    encoding: str
    headers: list[str]
    columns: list[Column]  # what each column will become
    rows: list[list[str]]  # the first rows, as in the file

    @property
    def mapping(self) -> dict[str, str | None]:
        """header -> known column key (e.g. "line_user_id"), custom field name, or None when ignored."""
        return {c.header: c.target for c in self.columns}

    @property
    def new_fields(self) -> list[str]:
        known = existing_fields(c.field for c in self.columns if c.field)
        return [c.field for c in self.columns if c.field and c.field not in known]


def preview_csv(path: Path | str, *, encoding: str = "auto", rows: int = 20) -> CsvPreview:
    with open_csv(Path(path), _check_encoding(encoding)) as csv_file:
        first: list[list[str]] = []
        for _number, cells in csv_file.records:
            if len(first) >= rows:
                break
            first.append(cells)
        return CsvPreview(csv_file.encoding, csv_file.headers, csv_file.columns, first)


def import_csv(path: Path | str, *, encoding: str = "auto", dry_run: bool = False,
               progress: Callable[[int, int], None] | None = None,
               cancelled: Callable[[], bool] | None = None) -> ImportReport:
    """Upsert friends by user ID from a CSV; bad rows are refused and written to an errors CSV beside it."""
    path = Path(path)
    with _gc_paused(), open_csv(path, _check_encoding(encoding)) as csv_file:
        report = ImportReport(encoding=csv_file.encoding, dry_run=dry_run)
        ticker = Ticker(progress, cancelled, csv_file.estimated_rows)
        errors = ErrorsFile(path, csv_file.encoding, csv_file.headers)
        try:
            with write_transaction(db) as txn:
                _Import(csv_file, report, errors, ticker).run()
                if dry_run:
                    txn.rollback()
        except BaseException:
            errors.discard()
            raise
        errors.close()
    report.errors_path, report.errors_moved = errors.path, errors.moved
    ticker.finish()
    return report


class _Import:
    def __init__(self, csv_file: CsvFile, report: ImportReport, errors: ErrorsFile, ticker: Ticker) -> None:
        self.csv_file = csv_file
        self.report = report
        self.errors = errors
        self.ticker = ticker
        self.id_header = next(c.header for c in csv_file.columns if c.known == "line_user_id")
        self.chunk: list[tuple[int, ParsedRow]] = []
        self.cells: dict[int, list[str]] = {}  # row -> cells of the chunk's rows, for the errors CSV
        self.pending: list[tuple[int, list[str], list[RowError]]] = []  # the chunk's errors-CSV rows

    def run(self) -> None:
        customs = [c for c in self.csv_file.columns if c.field]
        stored = existing_fields(c.field for c in customs if c.field)
        checks = {i: Cached(converter(stored[c.field][1])) for i, c in enumerate(customs) if c.field in stored}
        parser = RowParser(self.csv_file.columns, checks)
        # New fields exist from the start (values need their id) and learn their kind from every value.
        self.guesses: dict[int, tuple[Column, int, KindGuess]] = {
            i: (c, create_field(c.field, "text"), KindGuess())
            for i, c in enumerate(customs) if c.field and c.field not in stored}
        fields: list[FieldSpec] = [
            (stored[c.field][0], checks[i]) if i in checks else (self.guesses[i][1], converter("text"))
            for i, c in enumerate(customs) if c.field]
        with bulk_writes(self.csv_file.estimated_rows) as fold:
            self.writer = FriendWriter(fields, fold)
            self._read(parser)
        self._settle_fields()
        self.report.created, self.report.updated = self.writer.created, self.writer.updated

    def _read(self, parser: RowParser) -> None:
        headers = self.csv_file.headers
        report = self.report
        count = 0
        for number, cells in self.csv_file.records:
            count += 1
            if count % _POLL_EVERY == 0:
                self.ticker.read(count)
            parsed = parser.parse(number, cells) if cells != headers else self._header_again(number)
            if isinstance(parsed, list):
                report.refuse(parsed)
                self.pending.append((number, cells, parsed))
            else:
                report.imported += 1
                self.chunk.append((number, parsed))
                self.cells[number] = cells
            if len(self.chunk) + len(self.pending) >= _CHUNK:
                self._flush()
        self._flush()
        report.total_rows = count
        self.ticker.total = count
        if not count:
            path = self.csv_file.path
            raise CsvUnusableError(Text(
                f"{path.name} には見出しの行しかありません。友だちの行を足してから読み込んでください。",
                f"{path.name} holds only a header row. Add rows of friends, then import it."))

    def _header_again(self, number: int) -> list[RowError]:
        return [RowError(number, "", Text(
            "この行は見出しの行と同じです。2つのCSVをつなげたときに入ることがあります。この行を消してください。",
            "This row repeats the header row, as when two CSV files are joined. Delete it."))]

    def _flush(self) -> None:
        chunk = self.chunk
        for i, (_column, _fid, guess) in self.guesses.items():
            if guess.candidates or not guess.seen:
                guess.see({row.custom[i] for _n, row in chunk})
        for number, uid, first in self.writer.write(chunk):
            note = RowError(number, "", Text(
                f"{number}行目のユーザーID {uid} は{first}行目と同じです(後の行を使いました)",
                f"row {number} has the user ID {uid} of row {first} (the later row was used)"))
            self.report.duplicate(note)
            self.pending.append((number, self.cells[number], [note]))
        self.pending.sort(key=lambda entry: entry[0])
        for number, cells, reasons in self.pending:
            self.errors.add(number, cells, reasons)
        self.ticker.wrote(len(chunk) + len(self.pending))
        self.chunk, self.cells, self.pending = [], {}, []

    def _settle_fields(self) -> None:
        for column, field_id, guess in self.guesses.values():
            if not column.header.strip() and not guess.seen:
                Field.delete().where(Field.id == field_id).execute()  # Excel's trailing empty column: no field
                continue
            kind = guess.kind
            if kind != "text":
                Field.update(kind=kind).where(Field.id == field_id).execute()
                settle_field(field_id, kind, converter(kind))
            assert column.field is not None
            self.report.new_fields.append(column.field)


@contextmanager
def _gc_paused() -> Iterator[None]:
    """The rows in flight make no reference cycles, yet each of the cyclic collector's full passes
    walks all of them: pausing it saves a good part of the time to read a large file."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def _check_encoding(encoding: str) -> str:
    if encoding not in ENCODINGS:
        raise ValueError(f"unknown encoding {encoding!r}; use one of {ENCODINGS}")
    return encoding
