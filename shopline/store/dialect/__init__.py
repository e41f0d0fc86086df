"""SQL that differs between database engines, chosen by the database the store has open.

Only SQLite exists today (dialect/sqlite.py). What peewee already writes portably stays in peewee and lives
here only as one named call, so a caller never spells an engine's syntax:
- upsert / insert_ignore: peewee's ON CONFLICT, which it writes for SQLite and PostgreSQL alike;
- the raw bulk writes, the write lock, rowid and sqlite_master, the backup API and planner hints: engine
  modules, reached through the functions below.
A second engine is a sibling of sqlite.py plus one branch in _check().
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any

from peewee import DatabaseProxy, SqliteDatabase

from shopline.store.base import BaseModel, db
from shopline.store.dialect import sqlite
from shopline.store.dialect.sqlite import (
    AnyDatabase,
    foreign_keys_unchecked,
    indexes_suspended,
    insert_ignore_rows,
    insert_rows,
    search_folding_deferred,
    update_rows,
    upsert_rows,
    write_transaction,
)

__all__ = ["AnyDatabase", "UnsupportedEngine", "copy_database", "foreign_keys_unchecked", "indexes_suspended",
           "insert_ignore",
           "insert_ignore_rows", "insert_rows",
           "max_id", "open_database", "ordered_join", "placeholders", "search_folding_deferred", "table_count",
           "update_rows", "upsert", "upsert_rows", "write_transaction"]


class UnsupportedEngine(RuntimeError):
    """A database this build has no dialect for: a programming error, never something a shop can cause."""


def _check(database: Any = None) -> Any:
    """The open database (the models' one by default) after making sure it is one we can speak to."""
    real = database if database is not None else db
    if isinstance(real, DatabaseProxy):
        real = real.obj
    if not isinstance(real, SqliteDatabase):
        raise UnsupportedEngine(f"no store dialect for {type(real).__name__}")
    return real


def open_database(path: Path) -> Any:
    """The database in the data folder, configured for its engine (not yet connected)."""
    return sqlite.make_database(path)  # through the module, so tests can substitute how it is opened


def upsert(model: type[BaseModel], rows: Sequence[Mapping[str, object]], key: Sequence[str]) -> None:
    """Insert rows, or overwrite the other columns of a row whose `key` columns already exist."""
    if not rows:
        return
    columns = [c for c in rows[0] if c not in key]
    fields = model._meta.fields
    query = model.insert_many(list(rows))
    if columns:
        query = query.on_conflict(conflict_target=[fields[k] for k in key], preserve=[fields[c] for c in columns])
    else:
        query = query.on_conflict_ignore()
    query.execute()


def insert_ignore(model: type[BaseModel], rows: Iterable[Mapping[str, object]]) -> None:
    """Insert the rows that do not collide with an existing unique key; leave the rest as they are."""
    rows = list(rows)
    if rows:
        model.insert_many(rows).on_conflict_ignore().execute()


def max_id(table: str, database: AnyDatabase | None = None) -> int:
    """The largest id ever handed out in `table` (0 when empty), for a bulk writer that numbers rows itself."""
    _check(database)
    return sqlite.max_rowid(database if database is not None else db, table)


def copy_database(database: AnyDatabase, target: Path) -> None:
    """A consistent, self-contained copy of the open database at `target`, taken while it stays open."""
    sqlite.copy_database(_check(database), target)


def table_count(database: AnyDatabase | None = None) -> int:
    return sqlite.table_count(_check(database))


def placeholders(n: int) -> str:
    """n bound-parameter marks for raw SQL, comma-separated."""
    return sqlite.placeholders(n)


def ordered_join() -> str:
    """A join that keeps its left side as the outer loop: the engine's planner cannot see how small it is."""
    return sqlite.ORDERED_JOIN
