"""Everything SQLite-only lives here, so a shared PostgreSQL store only has to replace this file."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable, Iterator, Sequence
from contextlib import AbstractContextManager, contextmanager
from pathlib import Path
from typing import Any

from peewee import DatabaseProxy, SqliteDatabase

AnyDatabase = SqliteDatabase | DatabaseProxy  # the bulk helpers take the open database or the models' proxy

PRAGMAS = {
    "journal_mode": "wal",
    "foreign_keys": 1,
    "synchronous": "normal",  # safe with WAL: a power cut loses at most the last commit, never integrity
    "cache_size": -32_000,  # 32 MB page cache: segment counts over 600k tag links stay in memory
    "temp_store": "memory",
    "busy_timeout": 5_000,
}


def make_database(path: Path) -> SqliteDatabase:
    return SqliteDatabase(str(path), pragmas=PRAGMAS, check_same_thread=False)


def copy_database(source: SqliteDatabase, target: Path) -> None:
    """A consistent copy while the database is open (the backup API sees committed WAL pages too)."""
    dest = sqlite3.connect(str(target))
    try:
        source.connection().backup(dest)
    finally:
        dest.close()


def integrity_ok(database: SqliteDatabase) -> bool:
    return database.execute_sql("PRAGMA integrity_check").fetchone()[0] == "ok"


def write_transaction(database: AnyDatabase) -> AbstractContextManager[Any]:
    """A transaction that takes the write lock at once, so what it reads first is still true when it writes."""
    return database.atomic(lock_type="IMMEDIATE")


def insert_rows(database: AnyDatabase, table: str, columns: Sequence[str], rows: Iterable[Sequence[object]]) -> None:
    # Raw executemany: peewee's insert_many builds each batch's SQL in Python (615k tag links: ~6 s vs ~1.6 s).
    sql = f'INSERT INTO "{table}" ({", ".join(columns)}) VALUES ({", ".join("?" * len(columns))})'
    database.cursor().executemany(sql, rows)


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
    return database.execute_sql(f'SELECT COALESCE(MAX(rowid), 0) FROM "{table}"').fetchone()[0]


@contextmanager
def indexes_suspended(database: AnyDatabase, tables: Sequence[str]) -> Iterator[None]:
    """Drop the tables' own indexes and rebuild them afterwards: a bulk insert into a large table is
    several times faster when each index is built once in sorted order instead of row by row.
    Inside the caller's transaction, so a failure or a kill leaves the indexes as they were."""
    placeholders = ", ".join("?" * len(tables))
    saved = database.execute_sql(
        f"SELECT name, sql FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL "
        f"AND tbl_name IN ({placeholders})", tuple(tables)).fetchall()
    for name, _sql in saved:
        database.execute_sql(f'DROP INDEX "{name}"')
    yield
    for _name, sql in saved:
        database.execute_sql(sql)
