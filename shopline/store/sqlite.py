"""Everything SQLite-only lives here, so a shared PostgreSQL store only has to replace this file."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from peewee import SqliteDatabase

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
