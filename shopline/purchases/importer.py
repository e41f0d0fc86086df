"""Importing a register's or web store's export: rows streamed into one transaction, matched to friends,
deduplicated, refused rows in the same errors CSV the friends import writes, RFM rescored at the end.

How each row is read, matched and deduplicated is row_import.py's; this module takes a file through it, in one
process or with workers (parallel.py), with the table's indexes kept or suspended.
"""

from __future__ import annotations

from collections.abc import Callable
from contextlib import nullcontext
from pathlib import Path

from peewee import IntegrityError

from shopline.core.changes import Changes
from shopline.csvio.progress import Ticker
from shopline.csvio.purchases_reader import open_purchase_csv
from shopline.csvio.reader import CsvFile
from shopline.csvio.report import SHOWN_ERRORS, ErrorsFile
from shopline.purchases import parallel, rfm
from shopline.purchases.columns import FieldMap, Roles, roles_for
from shopline.purchases.report import PurchaseReport
from shopline.purchases.row_import import RowImport
from shopline.store import dialect
from shopline.store.models import db
from shopline.store.purchase_models import Purchase

_BULK_ROWS = 50_000  # below this the indexes are cheap to keep up row by row
_PARALLEL_ROWS = 100_000  # below this starting worker processes costs more than they save
_TABLE = Purchase._meta.table_name


def import_purchases(path: Path | str, *, encoding: str = "auto", dry_run: bool = False, key: str | None = None,
                     mapping: FieldMap | None = None, progress: Callable[[int, int], None] | None = None,
                     cancelled: Callable[[], bool] | None = None) -> PurchaseReport:
    """Purchases or visits from a CSV. `mapping` (field -> header, fields as core.purchase_values.ROLES) is laid
    over the aliases' guess: a field mapped to "" is not read, and a header mapped to a field is no longer read
    as any other. `key` names the column holding the customer (user ID or member number), as mapping customer."""
    path = Path(path)
    with open_purchase_csv(path, encoding) as csv_file:
        roles = roles_for(path, csv_file.headers, mapping, key)
        job = _Job(csv_file, roles, Ticker(progress, cancelled, csv_file.estimated_rows), dry_run)
        try:
            # Every friend a row names was read inside the transaction that holds the write lock: checking each
            # reference again costs more than all but the inserts themselves.
            with dialect.foreign_keys_unchecked(db), dialect.write_transaction(db) as txn:
                job.store(encoding)
                if job.report.added:
                    rfm.recompute(job.reader.tally)
                if dry_run:
                    txn.rollback()
        except BaseException:
            job.errors.discard()
            raise
        job.errors.close()
    report = job.report
    report.errors_path, report.errors_moved = job.errors.path, job.errors.moved
    matched = report.added - report.unmatched_rows
    report.changes = Changes(purchases=bool(report.added) and not dry_run, friends=matched > 0 and not dry_run)
    job.ticker.finish()
    return report


class _Job:
    """One import's way through the file: in worker processes or one, with the indexes kept or suspended, and
    read again from the start when a faster way turns out not to fit the file."""

    def __init__(self, csv_file: CsvFile, roles: Roles, ticker: Ticker, dry_run: bool) -> None:
        self.csv_file, self.roles, self.ticker, self.dry_run = csv_file, roles, ticker, dry_run
        self.report = PurchaseReport(encoding=csv_file.encoding, dry_run=dry_run)
        self.errors = ErrorsFile(csv_file.path, csv_file.encoding, csv_file.headers)
        self.reader = RowImport(csv_file.path, csv_file.headers, roles, self.report, self.errors, ticker)

    def store(self, encoding: str) -> None:
        bulk = _bulk(self.csv_file.estimated_rows)
        if bulk and not _stored():
            # Into an empty table nothing is held in memory to dedupe: the unique index built at the end refuses a
            # key stored twice, and only a file that repeats a row is read again with its keys held in a set.
            try:
                with dialect.write_transaction(db):
                    self.read(bulk=True, keys=False)
                return
            except IntegrityError:
                with open_purchase_csv(self.csv_file.path, encoding) as self.csv_file:
                    self.restart()
                    self.read(bulk=True, keys=True)
                return
        self.read(bulk=bulk, keys=bulk)

    def read(self, *, bulk: bool, keys: bool) -> None:
        """bulk: the indexes suspended meanwhile and built once at the end, sorted, instead of row by row at random
        places; keys: every key stored or read so far held in memory (without them the unique index dedupes)."""
        with dialect.indexes_suspended(db, [_TABLE]) if bulk else nullcontext():
            if not self.in_parallel(bulk, keys):
                self.reader.start(bulk, keys)
                self.reader.run(self.csv_file.records)
            if self.reader.tally is not None and self.report.added:
                self.reader.tally.score_meanwhile()

    def restart(self) -> None:
        """Forget what an attempt read (its savepoint already undid what it stored)."""
        self.errors.discard()
        self.report = PurchaseReport(encoding=self.csv_file.encoding, dry_run=self.dry_run)
        self.errors = ErrorsFile(self.csv_file.path, self.csv_file.encoding, self.csv_file.headers)
        self.reader = RowImport(self.csv_file.path, self.csv_file.headers, self.roles, self.report, self.errors,
                              self.ticker, (self.reader.users, self.reader.members))

    def in_parallel(self, bulk: bool, keys: bool) -> bool:
        """Whether worker processes read the whole file. Not for a small file (starting them costs more than they
        save), an order total repeated per line (settled across an order's lines, which a span's edge may split),
        a header that is not the first line alone, or a single core; nor when a span was unsure, after which what
        they stored is rolled back and the caller reads the file in one process."""
        csv_file, reader = self.csv_file, self.reader
        if csv_file.estimated_rows < _PARALLEL_ROWS or reader.totals or parallel.workers() < 2:
            return False
        start = parallel.header_end(csv_file.path, csv_file.headers, csv_file.encoding, csv_file.delimiter)
        if start is None:
            return False
        with dialect.write_transaction(db) as attempt:
            reader.start(bulk, keys)
            count = parallel.run(reader, csv_file.path, start, csv_file.encoding, csv_file.delimiter,
                                 (reader.users, reader.members))
            if count is None:
                attempt.rollback()
                self.restart()
                return False
        reader.finish(count)
        return True


def _stored() -> bool:
    return db.execute_sql(f"SELECT 1 FROM {_TABLE} LIMIT 1").fetchone() is not None


def _bulk(file_rows: int) -> bool:
    """Whether to import with the table's indexes suspended: the file is large and the table small beside it
    (rebuilding costs as much as all the stored rows, and their keys are held in memory meanwhile)."""
    if file_rows < _BULK_ROWS:
        return False
    stored = db.execute_sql(f"SELECT count(*) FROM (SELECT 1 FROM {_TABLE} LIMIT ?)", (file_rows // 4 + 1,))
    return int(stored.fetchone()[0]) <= file_rows // 4


__all__ = ["FieldMap", "PurchaseReport", "SHOWN_ERRORS", "import_purchases"]
