"""Loading many pieces of the index at once, on the engine's connection and a second one in a thread.

SQLite releases the GIL while a statement runs, and a piece's aggregate query does its whole scan in one step,
so one thread's scan overlaps the other's Python (splitting, grouping, parsing ids). About two thirds of the
CPU of every piece at once is SQLite's (100,000 friends: ~290 of ~430 ms), so on two free cores the wall time
can approach half of loading the pieces one after another; on a busy machine it gains nothing and costs little.

One committed state. All pieces of an Index must describe the snapshot of the engine's read transaction. The
second connection starts its own read transaction, which is the same snapshot exactly when no commit landed
between the start of the engine's and the start of this one. `mark` reads PRAGMA data_version on a third
connection, outside any transaction, before the engine's transaction begins; once the second connection's
snapshot has started, the same connection reads it again. Unmoved, no commit came in between, so both
snapshots are the state at the mark. Moved, the second connection loads nothing, and the engine's connection
loads everything itself, serially (the mark cannot be taken again before a transaction that has begun).
"""

from __future__ import annotations

import sqlite3
import threading
from collections import deque
from collections.abc import Callable, Iterator
from contextlib import contextmanager

from shopline.core.segments import HasTag, Node, names_in
from shopline.core.segments.fields import DATE_BUILTINS, builtin
from shopline.store.bitmaps import scans
from shopline.store.bitmaps.index import FRIEND_COLUMNS, Index, Unindexable

__all__ = ["Mark", "load_all", "mark", "marked", "prefetch", "worth_a_helper"]

Task = Callable[[sqlite3.Connection], object]
# Connections besides the engine's: with two cores, one more keeps both busy while the GIL lets one thread's
# Python run beside the other's scan.
HELPERS = 1
# The friend columns read as stored (birth_month is computed from the birthdays).
_PLAIN = [name for name, sql in FRIEND_COLUMNS.items() if sql == name]
# Those that usually share one scan (scans.shared_scan asks the schema; this guess only weighs the work).
_SHARED_GUESS = ("gender", "region", "source")


class Mark:
    """PRAGMA data_version read before the engine's read transaction began, on a connection of its own."""

    def __init__(self, path: str) -> None:
        self.path = path
        self.connection = _connect(path)
        self.version = self._read()

    def _read(self) -> int:
        return int(self.connection.execute("PRAGMA data_version").fetchone()[0])

    def unmoved(self) -> bool:
        """Whether nothing was committed since the mark (so every snapshot begun since is the mark's state)."""
        return self._read() == self.version

    def close(self) -> None:
        self.connection.close()


@contextmanager
def mark(path: str) -> Iterator[Mark]:
    """Take before the engine's read transaction begins; hand to load_all inside it."""
    taken = Mark(path)
    try:
        yield taken
    finally:
        taken.close()


def _connect(path: str) -> sqlite3.Connection:
    connection = sqlite3.connect(path, timeout=10, check_same_thread=False, isolation_level=None)
    connection.execute("PRAGMA query_only = 1")
    return connection


def load_all(index: Index, connection: sqlite3.Connection, taken: Mark, *, threads: bool = True) -> None:
    """Every piece of the index (the following friends, names, tags, friend columns, custom fields) not
    loaded yet, read in the snapshot of `connection`'s open read transaction, taken's mark before it began."""
    index.names(connection)
    run(index, connection, taken, tasks(index, connection), threads=threads)


def prefetch(index: Index, connection: sqlite3.Connection, tree: Node, native: dict[str, str],
             taken: Mark | None = None) -> None:
    """The pieces the tree's leaves read that are not loaded yet, loaded together before it is evaluated: its
    friend columns in one scan rather than one each, and, with a mark taken before the engine's transaction
    (see `marked`), shared with a second connection. `native` maps a built-in condition to the friend column it
    reads (the engine's). Purchase pieces and anything unknown are left to the evaluator's first use."""
    columns, tags, field_ids = _needs(tree, native, index.names(connection))
    loaded = index.loaded()
    columns = [c for c in columns if ("column", c) not in loaded]
    tags = [t for t in tags if ("tag", t) not in loaded]
    field_ids = [f for f in field_ids if ("field", *f) not in loaded]
    work: list[Task] = []
    months = "birth_month" in columns
    plain = [c for c in columns if c != "birth_month"] + (["birthday"] if months and "birthday" not in columns else [])
    if plain:
        shared = scans.shared_scan(connection)
        together = [c for c in plain if c in shared]
        if together:
            work.append(lambda c: index.friend_columns(c, together))
        work += [_column(index, name, months) for name in plain if name not in shared]
    if tags:
        work.append(lambda c: index.tags(c, tags))
    work += [_field(index, field_id, numeric) for field_id, numeric in field_ids]
    if "following" not in loaded:
        work.append(index.following)
    if taken is None:
        for task in work:
            task(connection)
    else:
        run(index, connection, taken, work)


def worth_a_helper(index: Index | None, tree: Node, native: dict[str, str]) -> bool:
    """Whether the tree needs two or more heavy pieces this index lacks (a friend column, a custom field, or one
    of those and the following friends), so a second connection would pay for opening it. A look without a
    transaction, before the engine's begins: a wrong guess costs speed, never truth."""
    names = index.peek("names") if index is not None else None
    if index is None or not isinstance(names, tuple):
        # A fresh index: the following friends, and a column or field for any condition but a tag's.
        return any(not isinstance(leaf, HasTag) for leaf in names_in(tree))
    columns, _tags, field_ids = _needs(tree, native, names)
    try:
        loaded = index.loaded()
    except RuntimeError:  # another thread's answer was adding a piece just then
        return True
    heavy = len({"shared" if c in _SHARED_GUESS else c for c in columns if ("column", c) not in loaded})
    heavy += sum(("field", *f) not in loaded for f in field_ids)
    return heavy >= 2 or heavy == 1 and "following" not in loaded


@contextmanager
def marked(path: str, index: Index | None, tree: Node, native: dict[str, str]) -> Iterator[Mark | None]:
    """A mark when a second connection is worth it (worth_a_helper), else None: a count on pieces already loaded,
    or needing one more, opens no connection."""
    if not worth_a_helper(index, tree, native):
        yield None
        return
    with mark(path) as taken:
        yield taken


def _needs(tree: Node, native: dict[str, str], names: tuple[dict[str, int], dict[str, tuple[int, str]]]) \
        -> tuple[list[str], list[int], list[tuple[int, bool]]]:
    """The friend columns, tags and custom fields (id, numeric) the tree's leaves read from the index."""
    tag_ids, fields = names
    columns: list[str] = []
    tags: list[int] = []
    field_ids: list[tuple[int, bool]] = []
    for leaf in names_in(tree):
        if isinstance(leaf, HasTag):
            if leaf.name in tag_ids:
                tags.append(tag_ids[leaf.name])
        elif builtin(leaf.name) is None:
            if leaf.name in fields:
                field_ids.append((fields[leaf.name][0], fields[leaf.name][1] == "number"))
        elif leaf.name in native:
            columns.append(native[leaf.name])
        elif leaf.name == "days_since" and str(dict(leaf.args).get("field")) in DATE_BUILTINS:
            columns.append(str(dict(leaf.args)["field"]))
    return list(dict.fromkeys(columns)), list(dict.fromkeys(tags)), list(dict.fromkeys(field_ids))


def _column(index: Index, name: str, months: bool = True) -> Task:
    if name == "birthday" and months:  # birth months come from the birthdays, right after them
        return lambda c: (index.friend_columns(c, [name]), _quietly(lambda: index.friend_column(c, "birth_month")))
    return lambda c: index.friend_columns(c, [name])


def _field(index: Index, field_id: int, numeric: bool) -> Task:
    return lambda c: _quietly(lambda: index.field_column(c, field_id, numeric))


def tasks(index: Index, connection: sqlite3.Connection) -> list[Task]:
    """Every piece as a task on a connection, heaviest first, so the two threads end close together."""
    tag_ids, fields = index.names(connection)

    shared = scans.shared_scan(connection)
    # Text columns hold few values and share one scan; each date column is grouped by SQLite on its own.
    together = [name for name in _PLAIN if name in shared]
    return [lambda c: index.friend_columns(c, together), lambda c: index.tags(c, tag_ids.values(), every=True),
            *(_column(index, name) for name in _PLAIN if name not in shared),
            *(_field(index, field_id, kind == "number") for field_id, kind in fields.values()),
            index.following]


def _quietly(load: Callable[[], object]) -> None:
    try:
        load()
    except Unindexable:
        pass  # remembered by the index: its conditions go to the SQL compiler


def run(index: Index, connection: sqlite3.Connection, taken: Mark, work: list[Task], *,
        threads: bool = True) -> None:
    """The tasks, shared between `connection` (this thread) and HELPERS more connections in threads, each
    only once its snapshot is proven the same (see the module's docstring); else all on `connection`."""
    queue = deque(work)
    failed: list[BaseException] = []
    checking = threading.Lock()  # the mark's connection, read by each helper in turn

    def drain(on: sqlite3.Connection) -> None:
        while True:
            try:
                task = queue.popleft()
            except IndexError:
                return
            task(on)

    def helper() -> None:
        try:
            worker = _connect(taken.path)
        except sqlite3.Error:
            return  # no help: the other connections load everything
        try:
            worker.execute("BEGIN")
            worker.execute("PRAGMA data_version").fetchone()  # its snapshot starts at its first read
            with checking:
                same = taken.unmoved()
            if same:
                drain(worker)
        except BaseException as err:  # re-raised by the caller's thread: a failure is never silently partial
            failed.append(err)
        finally:
            worker.close()  # ends its read transaction

    helpers = [threading.Thread(target=helper, name="bitmap-index-load", daemon=True)
               for _ in range(min(HELPERS, len(queue) - 1) if threads else 0)]
    for thread in helpers:
        thread.start()
    try:
        drain(connection)
    finally:
        queue.clear()  # after a failure here, the helpers take nothing more
        for thread in helpers:
            thread.join()
    if failed:
        raise failed[0]
