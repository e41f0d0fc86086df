"""Segment trees as bitmap algebra over the index, checked against the database before every answer.

Freshness. The engine reads through a connection of its own, so every commit by anyone else (the
window's writer thread, the `shopline` command, a second window: each has another connection)
moves that connection's PRAGMA data_version. Each answer opens one read transaction there, reads
data_version and, if it moved, brings the index up to that snapshot: every commit by a ShopLine
connection logs which tables, friends, tags and fields it wrote (store/write_log.py), so the index
reads those places again and drops what a table written whole feeds; when the log cannot account for
a commit, it starts again (catch_up.py). It then evaluates inside the same transaction: the pieces it
loads and the number it checked describe one snapshot, so no answer is older than the last commit
before it began. The index lives in memory only; a new process always starts empty.
What this connection cannot see is a caller's own uncommitted writes, so a caller inside a
transaction gets the SQL compiler's answer on its own connection, unless it says its transaction
has written nothing yet (freezing does, right after taking the write lock).

Coverage. Tags, the following friends, gender, region, source, birth month, age, friend days, custom
fields, and the purchase conditions purchases.py lists are answered from the index. Any other condition,
including kinds added after this engine was written, goes to the SQL compiler (the reference) for its
largest subtree the index cannot answer, and its ids join the algebra as a bitmap: correctness never
depends on the index knowing every kind.
"""

from __future__ import annotations

import datetime as dt
import os
import sqlite3
import threading
from array import array
from collections.abc import Callable, Iterator
from contextlib import contextmanager

from peewee import SqliteDatabase
from pyroaring import BitMap

from shopline.core.segments import And, Compare, HasTag, Node, Not, Or
from shopline.core.segments.fields import age_cutoff, builtin, custom_operand, month_number
from shopline.store.base import db
from shopline.store.bitmaps import purchases, readers, scans
from shopline.store.bitmaps.catch_up import catch_up, last_write
from shopline.store.bitmaps.index import Index, Unindexable

# Built-in conditions the index answers, and the friend column each reads.
_NATIVE = {"gender": "gender", "region": "region", "source": "source", "birth_month": "birth_month",
           "age": "birthday", "friend_days": "followed_at"}
_MIRROR = {"=": "=", "!=": "!=", "<": ">", "<=": ">=", ">": "<", ">=": "<="}
# The SQL compiler's compile_tree(tree, select, today) -> (sql, params), handed in by store/segment_sql.py.
Compile = Callable[[Node, str, dt.date], tuple[str, list[object]]]
_LEAF_CACHE = 4096  # answers to single conditions kept per state; the builder asks the same ones again


class _Source:
    """The engine's connection to one database file, and the index of its last seen state."""

    def __init__(self, path: str) -> None:
        self.path = path
        self.identity = _identity(path)
        self.connection = sqlite3.connect(path, timeout=10, check_same_thread=False, isolation_level=None)
        self.connection.execute("PRAGMA query_only = 1")  # it only ever reads
        self.index: Index | None = None
        self.builds = 0  # how many times the index was started afresh: the tests watch it
        self.updates = 0  # how many times it caught up in place with others' commits
        self.seen: int | None = None  # the last store_write row the index reflects (store/write_log.py)

    def close(self) -> None:
        self.connection.close()


def _identity(path: str) -> tuple[int, int]:
    st = os.stat(path)
    return st.st_dev, st.st_ino


_lock = threading.RLock()  # one evaluation at a time: the connection and the index are shared by threads
_source: _Source | None = None


def _database() -> SqliteDatabase | None:
    real = db.obj
    if isinstance(real, SqliteDatabase) and real.database not in ("", ":memory:") \
            and not real.database.startswith("file:"):
        return real
    return None


def _source_for(path: str) -> _Source:
    global _source
    if _source is not None and (_source.path != path or _source.identity != _identity(path)):
        # Another store was opened, or the file was replaced under the same name (a restore).
        _source.close()
        _source = None
    if _source is None:
        _source = _Source(path)
    return _source


def reset() -> None:
    """Forget the index and close the engine's connection (tests, and a store being closed)."""
    global _source
    with _lock:
        if _source is not None:
            _source.close()
            _source = None


def builds() -> int:
    """How many times this process started the index afresh for the open store."""
    return _source.builds if _source is not None else 0


def updates() -> int:
    """How many times this process brought the index up to date in place (store/write_log.py rows)."""
    return _source.updates if _source is not None else 0


def memory_bytes() -> int:
    return _source.index.nbytes() if _source is not None and _source.index is not None else 0


def usable(trust_transaction: bool = False) -> bool:
    """Whether the engine may answer for the calling thread's connection."""
    real = _database()
    if real is None:
        return False
    if trust_transaction:
        return True
    # The caller's own uncommitted writes are invisible to the engine's connection.
    return not real.connection().in_transaction


@contextmanager
def _snapshot() -> Iterator[tuple[sqlite3.Connection, Index]]:
    real = _database()
    assert real is not None
    with _lock:
        source = _source_for(real.database)
        connection = source.connection
        connection.execute("BEGIN")
        try:
            # Inside the transaction: the number and everything read below belong to one snapshot.
            version = (connection.execute("PRAGMA data_version").fetchone()[0],)
            if source.index is not None and source.index.version != version:
                # Someone committed: the rows they logged say what to read again, or that we must start over.
                source.seen = catch_up(connection, source.index, source.seen)
                if source.seen is None:
                    source.index = None
                else:
                    source.index.version = version
                    source.updates += 1
            if source.index is None:
                source.index = Index(version)
                source.seen = last_write(connection)
                source.builds += 1
            yield connection, source.index
        finally:
            connection.execute("COMMIT")


class _Fallback(Exception):
    """The tree needs what only the caller's connection can answer: use the SQL compiler for all of it."""


class _Evaluator:
    def __init__(self, connection: sqlite3.Connection, index: Index, today: dt.date, compile_tree: Compile) -> None:
        self.connection, self.index, self.today, self.compile_tree = connection, index, today, compile_tree
        self.following = index.following(connection)
        self.tag_ids, self.fields = index.names(connection)

    def native(self, node: Node) -> bool:
        """Whether the index answers this leaf itself."""
        if isinstance(node, HasTag):
            return True
        if isinstance(node, Compare):
            field = builtin(node.name)
            if field is None:
                return node.name in self.fields
            return node.name in _NATIVE or purchases.answers(node, self.fields)
        return False

    def any_native(self, node: Node) -> bool:
        if isinstance(node, And | Or):
            return any(self.any_native(item) for item in node.items)
        if isinstance(node, Not):
            return self.any_native(node.item)
        return self.native(node)

    def members(self, node: Node) -> BitMap:
        """The friends matching node; not always within the following friends (see `within`)."""
        if isinstance(node, Not) and isinstance(node.item, Not):
            return self.members(node.item.item)  # NOT NOT x is x, at x's cost
        if not self.any_native(node):
            return self.sql(node)  # the whole subtree, NOTs included: the compiler's logic end to end
        if isinstance(node, Not):
            return self.following - self.members(node.item)
        if isinstance(node, And):
            inside = [item.item for item in node.items if isinstance(item, Not) and not isinstance(item.item, Not)]
            plain = [item for item in node.items if not (isinstance(item, Not) and not isinstance(item.item, Not))]
            found = BitMap.intersection(*(self.members(item) for item in plain)) if len(plain) > 1 else \
                self.members(plain[0]) if plain else self.following
            # A AND NOT B is a difference: B's complement is never built.
            return found - BitMap.union(*(self.members(item) for item in inside)) if inside else found
        if isinstance(node, Or):
            return BitMap.union(*(self.members(item) for item in node.items))
        key = (node, self.today)
        found = self.index.leaves.get(key)
        if found is None:
            try:
                found = self.leaf(node)
            except Unindexable:
                found = self.sql(node)
            if len(self.index.leaves) >= _LEAF_CACHE:
                self.index.leaves.clear()
            self.index.leaves[key] = found
        return found

    def leaf(self, node: Node) -> BitMap:
        if isinstance(node, HasTag):
            return self.index.tags(self.connection, [self.tag_ids[node.name]])[self.tag_ids[node.name]]
        assert isinstance(node, Compare)
        op, value = node.op, node.value
        if builtin(node.name) is None:
            field_id, kind = self.fields[node.name]
            operand = custom_operand(kind, node.name, op, str(value))
            return self.index.field_column(self.connection, field_id, kind == "number").compare(op, operand)
        if node.name not in _NATIVE:
            return purchases.Purchases(self.connection, self.index, self.today, self.following,
                                       self.fields).leaf(node)
        column = self.index.friend_column(self.connection, _NATIVE[node.name])
        if node.name == "birth_month":
            return column.compare(op, month_number(value, self.today))
        if node.name == "friend_days":
            since = self.today - dt.timedelta(days=int(value))
            return column.compare(_MIRROR[op], since.isoformat())
        if node.name == "age":
            return self.age(column, op, int(value))
        return column.compare(op, value)

    def age(self, column: object, op: str, years: int) -> BitMap:
        """As the SQL compiler's age(): a comparison of the birthday with today `years` years ago."""
        from shopline.store.bitmaps.index import Column

        assert isinstance(column, Column)
        if op in (">", "<="):
            op, years = ("<", years + 1) if op == "<=" else (">=", years + 1)
        if op in (">=", "<"):
            return column.compare("<=" if op == ">=" else ">", age_cutoff(self.today, years).isoformat())
        inside = column.between(age_cutoff(self.today, years + 1).isoformat(),
                                age_cutoff(self.today, years).isoformat())
        return inside if op == "=" else column.everyone() - inside

    def sql(self, node: Node) -> BitMap:
        """The SQL compiler's answer for a subtree, read in the same snapshot as the index."""
        key = ("sql", node, self.today)
        found = self.index.leaves.get(key)
        if found is not None:
            return found
        sql, params = self.compile_tree(node, "group_concat(f.id)", self.today)
        try:
            joined = self.connection.execute(sql, params).fetchone()[0]
        except sqlite3.OperationalError as err:  # e.g. a function only the store's own connections register
            raise _Fallback() from err
        found = self.index.leaves[key] = BitMap(array("I", map(int, joined.split(",")))) if joined else BitMap()
        return found

    def check_names(self, tree: Node) -> None:
        """Unknown names are reported as the SQL path reports them (with the nearest existing name)."""
        from shopline.core.segments import names_in
        from shopline.store.segments import resolve

        for leaf in names_in(tree):
            if isinstance(leaf, HasTag) and leaf.name not in self.tag_ids or \
                    isinstance(leaf, Compare) and builtin(leaf.name) is None and leaf.name not in self.fields:
                resolve(tree)  # raises UnknownNameError; if it does not, the leaf goes to SQL
                return


def members(tree: Node, today: dt.date | None, compile_tree: Compile) -> BitMap:
    """The following friends in the segment, as a bitmap (call only when usable())."""
    with _snapshot() as (connection, index):
        evaluator = _Evaluator(connection, index, today or dt.date.today(), compile_tree)
        evaluator.check_names(tree)
        found = evaluator.members(tree)
        return found & evaluator.following


def count(tree: Node, today: dt.date | None, compile_tree: Compile) -> int:
    with _snapshot() as (connection, index):
        evaluator = _Evaluator(connection, index, today or dt.date.today(), compile_tree)
        evaluator.check_names(tree)
        return evaluator.members(tree).intersection_cardinality(evaluator.following)


def build_all() -> dict[str, float]:
    """Load every piece of the index now rather than on first use (the benchmark's build time), on the engine's
    connection and a second one in a thread (readers.py). Answers the milliseconds each kind of piece took."""
    real = _database()
    assert real is not None
    with readers.mark(real.database) as taken, _snapshot() as (connection, index):  # the mark first: readers.py
        readers.load_all(index, connection, taken)
        return dict(index.load_ms)


def warm() -> int:
    """Load, ahead of need, every piece not loaded yet: one piece per snapshot, so a count arriving meanwhile
    takes the lock between two pieces rather than after all of them (at a million friends the whole index is
    seconds of reading). The window calls it in the background after opening and after each write it makes;
    what was loaded stays true through later commits by catching up. Answers how many pieces it loaded."""
    from shopline.store.bitmaps.index import FRIEND_COLUMNS

    if not usable():
        return 0
    loaded = 0
    with _snapshot() as (connection, index):
        tag_ids, fields = index.names(connection)
    steps: list[Callable[[sqlite3.Connection, Index], object]] = [lambda c, i: i.following(c)]
    tag_list = list(tag_ids.values())
    for first in range(0, len(tag_list), 32):
        steps.append(lambda c, i, part=tag_list[first:first + 32]: i.tags(c, part))
    # A column's block bitmaps too (everyone() makes them): the first range over a million friends then costs
    # a union of blocks, not a bitmap built from most of a million ids.
    # The columns that can share one scan of the wide friend rows share it; the others are a step each.
    steps.append(lambda c, i: i.friend_columns(c, [n for n in FRIEND_COLUMNS if n in scans.shared_scan(c)]))
    steps += [lambda c, i, name=name: i.friend_column(c, name).everyone() for name in FRIEND_COLUMNS]
    steps += [lambda c, i, fid=fid, number=kind == "number": i.field_column(c, fid, number).everyone()
              for fid, kind in fields.values()]
    for step in steps:
        with _snapshot() as (connection, index):
            before = len(index._pieces)
            try:
                step(connection, index)
            except (Unindexable, KeyError, sqlite3.OperationalError):
                pass  # those conditions go to the SQL compiler; a tag deleted meanwhile has nothing to load
            loaded += len(index._pieces) - before
    return loaded


def forget_answers() -> None:
    """Drop the remembered answers to single conditions, keeping the pieces (the benchmark's uncached runs)."""
    with _lock:
        if _source is not None and _source.index is not None:
            _source.index.leaves.clear()
