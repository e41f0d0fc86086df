"""One row per commit in store_write: the tables the commit wrote and, where the writer named them, the friends,
tags and fields it touched. The bitmap index (store/bitmaps) reads the rows committed since it last looked and
updates itself in place instead of starting again; a commit from any ShopLine process leaves its row in the
same transaction as its writes, so the row and the data are never seen apart.

Every store connection is a LoggingConnection (dialect/sqlite.make_database), so nothing a writer does escapes:
each statement is classified once by its text (what table, which verb), foreign-key cascades and triggers add
the tables they reach (read from the schema), and the row is written just before COMMIT. A write made outside a
transaction is wrapped in one, so it too commits with its row. What a writer names is a promise about the
statements run while it is named (`touching`); a write to a table of the index that nobody named makes that
table "whole" in the row, and the index reloads what reads it. A database changed by another program leaves no
row: the index notices the gap and rebuilds.
"""

from __future__ import annotations

import json
import re
import sqlite3
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

TABLE = "store_write"
CREATE = f"CREATE TABLE IF NOT EXISTS {TABLE} (n INTEGER PRIMARY KEY, tables TEXT NOT NULL, places TEXT)"
UNKNOWN = "*"  # in `tables`: the commit changed the schema, or wrote something we could not name
KEEP = 2_000  # rows kept; an index further behind than this rebuilds
_MAX_PLACES = 20_000  # ids named in one row; a bigger change is cheaper to reload than to patch

_WRITE = re.compile(r'\b(INSERT(?:\s+OR\s+\w+)?\s+INTO|REPLACE\s+INTO|UPDATE(?:\s+OR\s+\w+)?|DELETE\s+FROM)\s+'
                    r'(?:"?\w+"?\s*\.\s*)?"?(\w+)"?', re.IGNORECASE)
_FIRST = re.compile(r"\s*(\w+)")
_READ = {"SELECT", "PRAGMA", "EXPLAIN", "VALUES", "SAVEPOINT", "RELEASE", "ANALYZE"}
_HARMLESS_DDL = re.compile(r"\s*(CREATE|DROP)\s+(UNIQUE\s+)?(INDEX|TRIGGER|TEMP|TEMPORARY)\b|\s*CREATE\s+TABLE\s+"
                           r"IF\s+NOT\s+EXISTS\s+" + TABLE + r"\b|\s*DROP\s+TABLE\s+(IF\s+EXISTS\s+)?temp\.",
                           re.IGNORECASE)


@dataclass(frozen=True)
class _Statement:
    kind: str  # "read", "write", "begin", "commit", "rollback", "ddl", "harmless ddl"
    writes: tuple[tuple[str, str], ...] = ()  # (table, verb) the text names


_statements: dict[str, _Statement] = {}
_reach_by_schema: dict[tuple[str, int], dict[tuple[str, str], set[str]]] = {}  # (file, schema_version) -> reach


def _classify(sql: str) -> _Statement:
    found = _statements.get(sql)
    if found is not None:
        return found
    first = _FIRST.match(sql)
    word = first.group(1).upper() if first else ""
    if word in _READ and word != "SELECT" or word == "SELECT" and not _WRITE.search(sql):
        found = _Statement("read")
    elif word == "BEGIN":
        found = _Statement("begin")
    elif word in ("COMMIT", "END"):
        found = _Statement("commit")
    elif word == "ROLLBACK":
        # ROLLBACK TO a savepoint keeps the transaction: what it undid stays named, which only costs a reload.
        found = _Statement("read" if re.match(r"\s*ROLLBACK\s+(TRANSACTION\s+)?TO\b", sql, re.I) else "rollback")
    elif word in ("CREATE", "DROP", "ALTER", "VACUUM", "REINDEX", "ATTACH", "DETACH"):
        found = _Statement("harmless ddl" if _HARMLESS_DDL.match(sql) else "ddl")
    else:
        writes = tuple((m.group(2).lower(), verb) for m in _WRITE.finditer(sql) for verb in _verbs(m.group(1)))
        found = _Statement("write", writes) if writes else _Statement("ddl")  # a write we cannot name
    if len(_statements) < 5_000:  # peewee's texts repeat; bound the odd generated ones
        _statements[sql] = found
    return found


def _verbs(clause: str) -> tuple[str, ...]:
    """The row events a write clause can cause: an INSERT may be an upsert's UPDATE, OR REPLACE deletes too."""
    words = clause.upper().split()
    if words[0] == "INSERT":
        return ("INSERT", "UPDATE", "DELETE") if "REPLACE" in words else ("INSERT", "UPDATE")
    return ("INSERT", "UPDATE", "DELETE") if words[0] == "REPLACE" else (words[0],)


# Which places each kind of table can be named by (the rest are reloaded whole when written).
_NAMED_BY = {"friend": "friends", "friend_tag": "tags", "field_value": "fields"}


@dataclass
class _Naming:
    friends: set[int] = field(default_factory=set)
    tags: dict[int, set[int]] = field(default_factory=dict)
    fields: set[int] = field(default_factory=set)
    later: bool = False  # the friends are added before the naming ends (rows made inside get their ids there)


@dataclass
class _Transaction:
    tables: set[str] = field(default_factory=set)
    whole: set[str] = field(default_factory=set)  # written outside any naming
    named: _Naming = field(default_factory=_Naming)
    unknown: bool = False


class LoggingConnection(sqlite3.Connection):
    """A sqlite3 connection that writes a store_write row into every transaction that wrote."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._tx = _Transaction()
        self._namings: list[_Naming] = []
        self._reach: dict[tuple[str, str], set[str]] | None = None
        self._logging: bool | None = None  # does store_write exist (not during the migration that makes it)

    def cursor(self, factory: Any = None) -> Any:
        return super().cursor(factory or LoggingCursor)

    def execute(self, sql: str, parameters: Any = (), /) -> Any:
        return self.cursor().execute(sql, parameters)

    def executemany(self, sql: str, parameters: Any, /) -> Any:
        return self.cursor().executemany(sql, parameters)

    def executescript(self, script: str, /) -> Any:
        self._tx.unknown = True
        if self.in_transaction:
            self._write_row()
        return super().executescript(script)

    def commit(self) -> None:
        if self.in_transaction:
            self.cursor().execute("COMMIT")

    def rollback(self) -> None:
        self._tx = _Transaction()
        super().rollback()

    # -- what the cursor reports
    def _wrote(self, writes: Iterable[tuple[str, str]]) -> None:
        reach = self._reaches()
        naming = self._namings[-1] if self._namings else None
        for table, verb in writes:
            for reached in reach.get((table, verb), {table}):
                self._tx.tables.add(reached)
                kind = _NAMED_BY.get(reached)
                if kind is None:
                    continue
                by_friends = naming is not None and (bool(naming.friends) or naming.later)
                if naming is None or not (getattr(naming, kind) or kind == "tags" and by_friends or
                                          kind == "friends" and by_friends):
                    self._tx.whole.add(reached)
                    continue
                # Named now, not when the naming ends: the transaction may commit inside it.
                named = self._tx.named
                named.friends |= naming.friends
                for t, ids in naming.tags.items():
                    named.tags.setdefault(t, set()).update(ids)
                named.fields |= naming.fields

    def _schema_changed(self) -> None:
        self._tx.unknown = True
        self._reach, self._logging = None, None

    def _reaches(self) -> dict[tuple[str, str], set[str]]:
        if self._reach is None:
            # Worked out once per schema, not per connection: every background job opens a connection of its own.
            cursor = sqlite3.Cursor(self)
            key = (cursor.execute("PRAGMA database_list").fetchone()[2],
                   cursor.execute("PRAGMA schema_version").fetchone()[0])
            found = _reach_by_schema.get(key) if key[0] else None  # an in-memory database has no name to share
            if found is None:
                found = _reach_of(self)
                if key[0]:
                    _reach_by_schema[key] = found
            self._reach = found
        return self._reach

    def _write_row(self) -> None:
        """Inside the transaction, just before COMMIT: the row that tells the index what changed."""
        tx, self._tx = self._tx, _Transaction()
        if not (tx.tables or tx.unknown):
            return
        if any(naming.later for naming in self._namings):
            tx.whole |= {"friend", "friend_tag"} & tx.tables  # committed before the writer named its friends
        if self._logging is None:
            self._logging = bool(sqlite3.Cursor(self).execute(
                "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?", (TABLE,)).fetchone())
        if not self._logging:
            return
        tables = UNKNOWN if tx.unknown else ",".join(sorted(tx.tables))
        cursor = sqlite3.Cursor(self)
        n = cursor.execute(f"INSERT INTO {TABLE} (tables, places) VALUES (?, ?)",
                           (tables, _places(tx))).lastrowid or 0
        if n % 256 == 0:
            cursor.execute(f"DELETE FROM {TABLE} WHERE n <= ?", (n - KEEP,))


def _places(tx: _Transaction) -> str | None:
    named = tx.named
    places: dict[str, Any] = {}
    if "friend" in tx.tables and "friend" not in tx.whole:
        places["f"] = sorted(named.friends)
    if "friend_tag" in tx.tables and "friend_tag" not in tx.whole:
        places["t"] = {str(t): sorted(ids) for t, ids in named.tags.items()}
        places["tf"] = sorted(named.friends)
    if "field_value" in tx.tables and "field_value" not in tx.whole:
        places["v"] = sorted(named.fields)
    size = len(named.friends) + sum(len(ids) for ids in named.tags.values())
    if not places or size > _MAX_PLACES:
        return None  # every table of the index it wrote is reloaded whole
    return json.dumps(places, separators=(",", ":"))


class LoggingCursor(sqlite3.Cursor):
    def execute(self, sql: str, parameters: Any = (), /) -> Any:
        statement = _statements.get(sql)
        if statement is not None and statement.kind == "read":  # most statements: one lookup, no closure
            return super().execute(sql, parameters)
        return self._run(sql, lambda: super(LoggingCursor, self).execute(sql, parameters))

    def executemany(self, sql: str, parameters: Any, /) -> Any:
        return self._run(sql, lambda: super(LoggingCursor, self).executemany(sql, parameters))

    def _run(self, sql: str, run: Any) -> Any:
        connection = self.connection
        if not isinstance(connection, LoggingConnection):
            return run()
        statement = _classify(sql)
        kind = statement.kind
        if kind == "read":
            return run()
        if kind == "harmless ddl" and connection.in_transaction:
            connection._reach = None  # a trigger made or dropped changes what a write reaches
            return run()
        if kind == "begin":
            connection._tx = _Transaction()
            return run()
        if kind == "commit":
            if connection.in_transaction:
                connection._write_row()
            return run()
        if kind == "rollback":
            connection._tx = _Transaction()
            return run()
        if not connection.in_transaction:
            # A write on its own: give it a transaction so its row commits with it.
            sqlite3.Cursor(connection).execute("BEGIN IMMEDIATE")
            try:
                result = self._note_and_run(connection, statement, run)
                connection._write_row()
                sqlite3.Cursor(connection).execute("COMMIT")
            except BaseException:
                connection._tx = _Transaction()
                if connection.in_transaction:
                    sqlite3.Cursor(connection).execute("ROLLBACK")
                raise
            return result
        return self._note_and_run(connection, statement, run)

    @staticmethod
    def _note_and_run(connection: LoggingConnection, statement: _Statement, run: Any) -> Any:
        if statement.kind == "write":
            connection._wrote(statement.writes)
        elif statement.kind == "ddl":
            connection._schema_changed()
        elif statement.kind == "harmless ddl":
            connection._reach = None
        return run()


def _reach_of(connection: sqlite3.Connection) -> dict[tuple[str, str], set[str]]:
    """(table, verb) -> every table a statement of that verb on that table can change: itself, the children
    its foreign keys cascade to on DELETE, and whatever its triggers write, followed through."""
    cursor = sqlite3.Cursor(connection)
    direct: dict[tuple[str, str], set[str]] = {}
    tables = [name for (name,) in cursor.execute("SELECT name FROM sqlite_master WHERE type = 'table'")]
    for child in tables:
        for row in sqlite3.Cursor(connection).execute(f'PRAGMA foreign_key_list("{child}")'):
            parent, on_update, on_delete = row[2], row[5], row[6]
            if on_delete.upper() in ("CASCADE", "SET NULL", "SET DEFAULT"):
                direct.setdefault((parent, "DELETE"), set()).add(child)
            if on_update.upper() in ("CASCADE", "SET NULL", "SET DEFAULT"):
                direct.setdefault((parent, "UPDATE"), set()).add(child)
    for table, sql in cursor.execute("SELECT tbl_name, sql FROM sqlite_master WHERE type = 'trigger'"):
        event = re.search(r"\b(INSERT|UPDATE|DELETE)\b", sql, re.IGNORECASE)
        verbs = [event.group(1).upper()] if event else ["INSERT", "UPDATE", "DELETE"]
        body = sql[sql.upper().find(" BEGIN") + 1:] if " BEGIN" in sql.upper() else sql
        for verb in verbs:
            direct.setdefault((table, verb), set()).update(m.group(2).lower() for m in _WRITE.finditer(body))
    reach: dict[tuple[str, str], set[str]] = {}
    for table in tables:
        for verb in ("INSERT", "UPDATE", "DELETE"):
            seen, todo = {table}, [(table, verb)]
            while todo:
                for child in direct.get(todo.pop(), ()):
                    if child not in seen:  # a trigger's statements may be of any verb: follow all three
                        seen.add(child)
                        todo += [(child, "INSERT"), (child, "UPDATE"), (child, "DELETE")]
            reach[(table, verb)] = seen
    return reach


def _connection() -> LoggingConnection | None:
    from shopline.store.base import db

    try:
        found = db.connection()
    except Exception:  # no store open: nothing to name
        return None
    return found if isinstance(found, LoggingConnection) else None


@contextmanager
def touching(*, friends: Iterable[int] = (), tags: dict[int, Sequence[int]] | None = None,
             fields: Iterable[int] = (), later: bool = False) -> Iterator[_Naming]:
    """Name what the statements run inside will change, for the current thread's store connection:
    `friends` (their rows: status, built-in columns; and all their tags), `tags` ({tag id: friend ids} whose
    membership changes), `fields` (custom field ids whose values change). Naming too much only costs the
    index a little reloading; a write to a table of the index while nothing names it reloads that table.
    `later`: friend rows are made inside, so their ids are added to the yielded naming's `friends` before the
    block ends (and the transaction must not commit inside it)."""
    naming = _Naming(set(friends), {t: set(ids) for t, ids in (tags or {}).items()}, set(fields), later)
    connection = _connection()
    if connection is None:
        yield naming
        return
    connection._namings.append(naming)
    try:
        yield naming
    finally:
        connection._namings.pop()
        if later and connection.in_transaction:
            connection._tx.named.friends |= naming.friends
