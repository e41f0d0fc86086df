"""Everything SQLite-only lives here (pragmas, the write lock, raw bulk writes, rowid, sqlite_master, the backup
API, planner hints), so a shared PostgreSQL store adds a sibling module rather than touching the callers.
Callers go through store/dialect/__init__.py, which picks the module for the database in use."""

from __future__ import annotations

import functools
import os
import sqlite3
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from peewee import Database, DatabaseProxy, SqliteDatabase, _savepoint, _transaction

from shopline.core.ordering import natural_sort_text
from shopline.store import search
from shopline.store.write_log import LoggingConnection

AnyDatabase = Database | DatabaseProxy  # the helpers take the open database or the models' proxy

PRAGMAS = {
    "journal_mode": "wal",
    "foreign_keys": 1,
    "synchronous": "normal",  # safe with WAL: a power cut loses at most the last commit, never integrity
    "cache_size": -32_000,  # 32 MB page cache: segment counts over 600k tag links stay in memory
    "temp_store": "memory",
    "busy_timeout": 10_000,  # a second writer waits this long for the first, then is told to try again
}
BUSY_TIMEOUT_ENV = "SHOPLINE_BUSY_TIMEOUT_MS"  # tests shorten the wait; shops keep the default


def make_database(path: Path) -> SqliteDatabase:
    pragmas = dict(PRAGMAS)
    if os.environ.get(BUSY_TIMEOUT_ENV, "").isdigit():
        pragmas["busy_timeout"] = int(os.environ[BUSY_TIMEOUT_ENV])
    # Every connection logs what each commit wrote, for the bitmap index (store/write_log.py).
    database = SqliteDatabase(str(path), pragmas=pragmas, check_same_thread=False, factory=LoggingConnection)
    register_functions(database)
    return database


def register_functions(database: SqliteDatabase) -> None:
    """The folding function the friend search column's triggers call (store/search.py), and the
    natural order friends' names sort by (store/friends.py)."""
    database.register_function(search.search_text, "shopline_search_text", 3, deterministic=True)
    database.register_function(_natural_sort_text, "shopline_natural", 1, deterministic=True)


# Remembered per name: sorting 100,000 friends again (another column and back, a search) reuses the keys.
_natural_sort_text = functools.lru_cache(maxsize=200_000)(natural_sort_text)


def copy_database(source: SqliteDatabase, target: Path) -> None:
    """A consistent copy while the database is open (the backup API sees committed WAL pages too)."""
    dest = sqlite3.connect(str(target))
    try:
        source.connection().backup(dest)
        dest.execute("PRAGMA journal_mode = DELETE")  # one self-contained file, ready to copy back
    finally:
        dest.close()


def table_count(database: AnyDatabase) -> int:
    return int(database.execute_sql("SELECT COUNT(*) FROM sqlite_master WHERE type = 'table'").fetchone()[0])


def placeholders(n: int) -> str:
    """n bound-parameter marks for raw SQL, comma-separated."""
    return ", ".join("?" * n)


# Planner hint: SQLite keeps the left table of a CROSS JOIN outermost, so a small driving set stays the driver.
ORDERED_JOIN = "CROSS JOIN"


def integrity_ok(database: SqliteDatabase) -> bool:
    return bool(database.execute_sql("PRAGMA integrity_check").fetchone()[0] == "ok")


def _still_open(database: SqliteDatabase) -> bool:
    # SQLite rolls a transaction back by itself on some errors (a full disk, an I/O error); a second
    # ROLLBACK would then fail with "cannot rollback - no transaction is active" and hide the real error.
    connection: sqlite3.Connection = database.connection()
    return connection.in_transaction


class _WriteTransaction(_transaction):
    def rollback(self, begin: bool = True) -> None:
        if _still_open(self.db):
            super().rollback(begin)
        else:
            self.db._clear_commit_callbacks()
            if begin:
                self._begin()  # type: ignore[attr-defined]  # peewee's own, missing from its stubs


class _WriteSavepoint(_savepoint):
    def rollback(self, begin: bool = True) -> None:
        if _still_open(self.db):
            super().rollback(begin)


def write_transaction(database: AnyDatabase) -> Any:
    """A transaction that takes the write lock at once, so what it reads first is still true when it writes
    (a deferred one that read first fails at its first write when another process wrote in between).
    Inside another transaction it is a savepoint, as peewee's atomic() is."""
    real = database.obj if isinstance(database, DatabaseProxy) else database
    if real.transaction_depth() == 0:
        return _WriteTransaction(real, lock_type="IMMEDIATE")
    return _WriteSavepoint(real)


def insert_rows(database: AnyDatabase, table: str, columns: Sequence[str], rows: Iterable[Sequence[object]]) -> None:
    # Raw executemany: peewee's insert_many builds each batch's SQL in Python (615k tag links: ~6 s vs ~1.6 s).
    sql = f'INSERT INTO "{table}" ({", ".join(columns)}) VALUES ({", ".join("?" * len(columns))})'
    database.cursor().executemany(sql, rows)


def insert_ignore_rows(database: AnyDatabase, table: str, columns: Sequence[str],
                       rows: Iterable[Sequence[object]]) -> int:
    """insert_rows, skipping a row that collides with a unique key; returns how many were inserted."""
    sql = f'INSERT OR IGNORE INTO "{table}" ({", ".join(columns)}) VALUES ({", ".join("?" * len(columns))})'
    cursor = database.cursor()
    cursor.executemany(sql, rows)
    return int(cursor.rowcount)


def upsert_rows(database: AnyDatabase, table: str, columns: Sequence[str], key: Sequence[str],
                rows: Iterable[Sequence[object]]) -> None:
    """Insert, or on a key conflict overwrite the non-key columns."""
    updates = ", ".join(f"{c} = excluded.{c}" for c in columns if c not in key)
    sql = (f'INSERT INTO "{table}" ({", ".join(columns)}) VALUES ({", ".join("?" * len(columns))}) '
           f'ON CONFLICT ({", ".join(key)}) DO UPDATE SET {updates}')
    database.cursor().executemany(sql, rows)


def update_rows(database: AnyDatabase, table: str, columns: Sequence[str], key: str,
                rows: Iterable[Sequence[object]]) -> None:
    """rows hold the new values in `columns` order followed by the key."""
    sql = f'UPDATE "{table}" SET {", ".join(f"{c} = ?" for c in columns)} WHERE {key} = ?'
    database.cursor().executemany(sql, rows)


def max_rowid(database: AnyDatabase, table: str) -> int:
    return int(database.execute_sql(f'SELECT COALESCE(MAX(rowid), 0) FROM "{table}"').fetchone()[0])


@contextmanager
def indexes_suspended(database: AnyDatabase, tables: Sequence[str]) -> Iterator[None]:
    """Drop the tables' own indexes and rebuild them afterwards: a bulk insert into a large table is
    several times faster when each index is built once in sorted order instead of row by row.
    The friend search column's triggers are dropped too, and the rows inserted meanwhile folded in one
    statement (a trigger per row writes each friend twice). For inserts only: an update made inside
    would not be refolded. Inside the caller's transaction, so a failure or a kill leaves all as it was."""
    placeholders = ", ".join("?" * len(tables))
    saved = database.execute_sql(
        f"SELECT name, sql FROM sqlite_master WHERE sql IS NOT NULL AND (type = 'index' "
        f"OR (type = 'trigger' AND name IN {search.TRIGGER_NAMES})) "
        f"AND tbl_name IN ({placeholders})", tuple(tables)).fetchall()
    last = max_rowid(database, "friend") if "friend" in tables else 0
    for name, _sql in saved:
        kind = "TRIGGER" if name in search.TRIGGER_NAMES else "INDEX"
        database.execute_sql(f'DROP {kind} "{name}"')
    yield
    if any(name in search.TRIGGER_NAMES for name, _sql in saved):
        search.refold(database, after_rowid=last)
    for _name, sql in saved:
        database.execute_sql(sql)


@contextmanager
def foreign_keys_unchecked(database: AnyDatabase) -> Iterator[None]:
    """Foreign keys not enforced in the transaction run inside, for a bulk writer whose every reference was read in
    that same transaction (checking them cost a 1,000,000-row purchases import 1.5 s). SQLite ignores the switch
    inside a transaction, so called in one this changes nothing."""
    real = database.obj if isinstance(database, DatabaseProxy) else database
    connection: sqlite3.Connection = real.connection()
    if real.transaction_depth() > 0 or connection.in_transaction:
        yield
        return
    was = database.execute_sql("PRAGMA foreign_keys").fetchone()[0]
    database.execute_sql("PRAGMA foreign_keys = OFF")
    try:
        yield
    finally:
        database.execute_sql(f"PRAGMA foreign_keys = {int(was)}")


@contextmanager
def search_folding_deferred(database: AnyDatabase) -> Iterator[Callable[[Sequence[int]], None]]:
    """indexes_suspended's trigger half alone, for a bulk writer that still needs the friend indexes (a
    streamed import looks user IDs up as it goes): friends inserted meanwhile are folded in one statement
    at the end, and the writer folds the existing friends it updates through the function it is given."""
    saved = database.execute_sql(
        f"SELECT name, sql FROM sqlite_master WHERE type = 'trigger' AND name IN {search.TRIGGER_NAMES}").fetchall()
    last = max_rowid(database, "friend")
    for name, _sql in saved:
        database.execute_sql(f'DROP TRIGGER "{name}"')

    def fold(ids: Sequence[int]) -> None:
        for start in range(0, len(ids), 500):
            part = ids[start:start + 500]
            database.execute_sql(
                f"UPDATE friend SET {search.COLUMN} = {search.FUNCTION}(display_name, user_id, memo) "
                f"WHERE id IN ({', '.join('?' * len(part))})", tuple(part))

    yield fold if saved else (lambda ids: None)
    if saved:
        search.refold(database, after_rowid=last)
    for _name, sql in saved:
        database.execute_sql(sql)
