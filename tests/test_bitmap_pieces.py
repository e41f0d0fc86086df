"""Loading the index's pieces cheaply (store/bitmaps/scans.py, readers.py): friend columns together in one scan,
dates grouped by SQLite, every piece at once on two connections in two threads, and never a mix of two
committed states when someone commits while the pieces load."""

from __future__ import annotations

import datetime as dt
import sqlite3
import threading

import pytest
from bitmap_helpers import expected, friends, make_shop, trees
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from shopline.core.segments import parse
from shopline.store import db, segment_sql
from shopline.store.bitmaps import engine, readers, scans
from shopline.store.bitmaps.index import Unindexable
from shopline.store.segment_sql import compile_tree

TODAY = dt.date(2025, 12, 10)
# The demo's columns through every kind of condition the index answers from them.
TEXTS = ["gender = female", "gender != female", "region = 東京都", "region != 東京都", "source = csv", "age >= 30",
         "age < 33", "birth_month = 4", "birth_month != 4", "friend_days > 300", "NOT (age = 31)", "rank = gold",
         "rank != gold", "points >= 2", "visited < 2025-01-05", "t0 AND NOT t1", "NOT t2"]


def _friend(n: int, **values) -> dict:
    return {"tags": {"t0"} if n % 2 else {"t1"}, "status": "following", "gender": "female", "region": "東京都",
            "source": "csv", "birthday": dt.date(1990 + n, 4, 1 + n), "followed_at": dt.date(2025, 1, 1 + n),
            "points": float(n), "rank": "gold", "visited": dt.date(2025, 1, 1 + n % 9), "reacted": None, **values}


def _build_all(threads: bool = True) -> dict:
    """What engine.build_all does with readers: every piece, in the engine's snapshot; answers the pieces."""
    with readers.mark(db.obj.database) as taken, engine._snapshot() as (connection, index):
        readers.load_all(index, connection, taken, threads=threads)
        return dict(index._pieces)


def _same_as_reference(texts: list[str]) -> None:
    for text in texts:
        tree = parse(text)
        assert segment_sql.count(tree, TODAY) == segment_sql.reference_count(tree, TODAY), text
        assert segment_sql.friend_ids(tree, TODAY) == segment_sql.reference_friend_ids(tree, TODAY), text


@pytest.mark.parametrize("column", ["gender", "region", "source", "birthday", "followed_at"])
@pytest.mark.parametrize("number", [5, 19900101, 2.5])
def test_a_number_written_into_any_friend_column_counts_as_sqlite_counts_it(store, column, number):
    # TEXT affinity turns the number into text on the way in, so those columns skip the per-row type check;
    # a DATE column keeps it a number, which SQLite orders before every text: those go to the SQL compiler.
    rows = make_shop([_friend(n) for n in range(6)])
    db.execute_sql(f"UPDATE friend SET {column} = ? WHERE id = ?", [number, rows[2]])
    stored = db.execute_sql(f"SELECT typeof({column}) FROM friend WHERE id = ?", [rows[2]]).fetchone()[0]
    assert stored == ("text" if column in ("gender", "region", "source") else "integer" if number != 2.5 else "real")
    _build_all()
    _same_as_reference(TEXTS)
    engine.reset()
    _same_as_reference(TEXTS)  # and each column loaded alone, lazily


@pytest.mark.parametrize("odd", ["\x1e", "東京\x1f都", ""])
def test_a_text_value_holding_the_null_mark_or_the_separator_is_sqlites(store, odd):
    rows = make_shop([_friend(n, region=None if n == 4 else "東京都") for n in range(6)])
    db.execute_sql("UPDATE friend SET region = ? WHERE id = ?", [odd, rows[1]])
    db.execute_sql("UPDATE friend SET gender = ? WHERE id = ?", [odd, rows[3]])
    _build_all()
    _same_as_reference(["region = 東京都", "region != 東京都", "gender = female",
                        "gender != female", "source = csv"])


def test_keys_of_mixed_types_are_not_grouped(store):
    make_shop([_friend(n) for n in range(4)])
    with engine._snapshot() as (connection, _index):
        assert scans.grouped(connection, "CASE WHEN id % 2 THEN id ELSE 'x' END", "FROM friend") is None
        assert scans.grouped(connection, "id * 0.5", "FROM friend") is None  # a REAL's text may round
        keys, starts, ids = scans.grouped(connection, "id % 2", "FROM friend")
        assert keys == [0, 1] and list(starts) == [0, 2, 4] and sorted(ids) == sorted(
            r[0] for r in connection.execute("SELECT id FROM friend"))


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.lists(friends, max_size=14), tree=trees, threads=st.booleans())
def test_every_piece_at_once_answers_as_sql_and_python(store, data, tree, threads):
    rows = make_shop(data)
    engine.reset()
    _build_all(threads)
    builds = engine.builds()
    want = expected(tree, data, rows, TODAY)
    assert list(engine.members(tree, TODAY, compile_tree)) == want
    assert segment_sql.reference_friend_ids(tree, TODAY) == want
    assert engine.builds() == builds  # answered from the pieces loaded at once, not a new index


def test_the_second_connection_loads_pieces_when_nothing_moved(store, monkeypatch):
    make_shop([_friend(n) for n in range(6)])
    engine.reset()
    loaders: set[str] = set()
    both = threading.Barrier(2, timeout=5)  # the first two tasks wait for each other: each thread takes one
    drain = readers.run

    def run(index, connection, taken, work, *, threads=True):
        def held(task):
            def go(c):
                loaders.add(threading.current_thread().name)
                both.wait()
                return task(c)
            return go

        def watched(task):
            return lambda c: (loaders.add(threading.current_thread().name), task(c))

        return drain(index, connection, taken, [held(work[0]), held(work[1]), *map(watched, work[2:])],
                     threads=threads)

    monkeypatch.setattr(readers, "run", run)
    pieces = _build_all()
    assert loaders == {threading.current_thread().name, "bitmap-index-load"}
    assert all(not isinstance(p, Unindexable) for p in pieces.values())
    _same_as_reference(TEXTS)


def _commit_everything_changed(path: str) -> None:
    """Another process's commit: every friend moves to 大阪府 and gains t2."""
    other = sqlite3.connect(path, isolation_level=None)
    other.execute("BEGIN IMMEDIATE")
    other.execute("UPDATE friend SET region = '大阪府', birthday = '2001-01-01'")
    other.execute("INSERT OR IGNORE INTO friend_tag (friend_id, tag_id) "
                  "SELECT f.id, t.id FROM friend f, tag t WHERE t.name = 't2'")
    other.execute("COMMIT")
    other.close()


def _as_the_engine_reads(connection: sqlite3.Connection, index) -> None:
    """Every loaded piece holds what the engine's own connection reads in its snapshot: one state, never a mix."""
    for name in ("region", "birthday"):
        column = index.friend_column(connection, name)
        assert column.keys == [r[0] for r in connection.execute(
            f"SELECT DISTINCT {name} FROM friend WHERE {name} IS NOT NULL ORDER BY 1")], name
    tag_ids, _ = index.names(connection)
    for tag, tag_id in tag_ids.items():
        assert list(index.tags(connection, [tag_id])[tag_id]) == [r[0] for r in connection.execute(
            "SELECT friend_id FROM friend_tag WHERE tag_id = ? ORDER BY 1", [tag_id])], tag


@pytest.mark.parametrize("when", ["after the mark", "after the engine's snapshot began"])
def test_a_commit_while_pieces_load_never_mixes_two_states(store, monkeypatch, when):
    make_shop([_friend(n) for n in range(6)])
    path = db.obj.database
    engine.reset()
    if when == "after the mark":  # before the engine's read transaction: both snapshots see it
        read = readers.Mark._read

        def read_then_commit(self):
            found = read(self)
            if not hasattr(self, "version"):
                _commit_everything_changed(path)
            return found

        monkeypatch.setattr(readers.Mark, "_read", read_then_commit)
    else:  # between the engine's snapshot and the helper's
        connect = readers._connect
        calls = []

        def connect_then_commit(where: str) -> sqlite3.Connection:
            calls.append(where)
            found = connect(where)
            if len(calls) == 2:  # the first is the mark's
                _commit_everything_changed(path)
            return found

        monkeypatch.setattr(readers, "_connect", connect_then_commit)
    with readers.mark(path) as taken, engine._snapshot() as (connection, index):
        readers.load_all(index, connection, taken)
        assert not taken.unmoved()  # the commit did land inside the bracket
        _as_the_engine_reads(connection, index)
        before = index.friend_column(connection, "region").keys == ["東京都"]
    assert before == (when != "after the mark")
    # The next count sees the commit.
    assert segment_sql.count(parse("region = 大阪府 AND t2 AND birth_month = 1"), TODAY) == 6
    _same_as_reference(TEXTS)


def test_without_the_check_the_commit_would_mix_states(store, monkeypatch):
    """The hook above does land between the two snapshots: trusting the helper blindly mixes them."""
    make_shop([_friend(n) for n in range(6)])
    path = db.obj.database
    engine.reset()
    connect = readers._connect
    calls = []

    def connect_then_commit(where: str) -> sqlite3.Connection:
        calls.append(where)
        found = connect(where)
        if len(calls) == 2:
            _commit_everything_changed(path)
        return found

    monkeypatch.setattr(readers, "_connect", connect_then_commit)
    monkeypatch.setattr(readers.Mark, "unmoved", lambda self: True)
    with readers.mark(path) as taken, engine._snapshot() as (connection, index):
        work = readers.tasks(index, connection)
        both = threading.Barrier(2, timeout=5)  # each thread takes one of the two tasks

        def held(task):
            return lambda c: (both.wait(), task(c))

        readers.run(index, connection, taken, [held(work[0]), held(work[1])])
        with pytest.raises(AssertionError):
            _as_the_engine_reads(connection, index)


def _text_column_scans(monkeypatch) -> list[list[str]]:
    """The text columns each scan reads, in order, as the scans go on reading them."""
    scanned: list[list[str]] = []
    text_columns = scans._text_columns

    def spy(connection, names):
        scanned.append(list(names))
        return text_columns(connection, names)

    monkeypatch.setattr(scans, "_text_columns", spy)
    return scanned


def test_prefetch_loads_what_a_tree_reads_in_one_pass(store, monkeypatch):
    make_shop([_friend(n) for n in range(6)])
    engine.reset()
    scanned = _text_column_scans(monkeypatch)
    text = ("(gender = female OR region != 東京都) AND source = csv AND age >= 30 AND birth_month = 4 AND t0 "
            "AND rank = gold")
    tree = parse(text)
    with readers.marked(db.obj.database, None, tree, engine._NATIVE) as taken, \
            engine._snapshot() as (connection, index):
        assert taken is not None  # nothing loaded yet: worth two threads
        readers.prefetch(index, connection, tree, engine._NATIVE, taken)
        loaded = index.loaded()
    assert scanned == [["gender", "region", "source"]]
    assert {("column", "gender"), ("column", "region"), ("column", "source"), ("column", "birthday"),
            ("column", "birth_month"), "following"} <= loaded
    assert any(key[0] == "tag" for key in loaded if isinstance(key, tuple))
    assert any(key[0] == "field" for key in loaded if isinstance(key, tuple))
    assert ("column", "followed_at") not in loaded
    _same_as_reference([text])
    assert not readers.worth_a_helper(index, tree, engine._NATIVE)
    with readers.marked(db.obj.database, index, tree, engine._NATIVE) as taken:
        assert taken is None  # the count on loaded pieces opens no connection
    assert not readers.worth_a_helper(index, parse("friend_days > 3 AND t1"), engine._NATIVE)  # one piece: no
    assert readers.worth_a_helper(index, parse("friend_days > 3 AND visited < 2025-01-05"), engine._NATIVE)
    assert readers.worth_a_helper(None, parse("t0 AND gender = male"), engine._NATIVE)
    assert not readers.worth_a_helper(None, parse("t0 OR t1"), engine._NATIVE)  # tags are light


def test_prefetch_without_a_mark_loads_on_the_engines_connection_alone(store, monkeypatch):
    make_shop([_friend(n) for n in range(6)])
    engine.reset()
    monkeypatch.setattr(readers, "_connect", None)  # any second connection would fail
    text = "gender = female AND region = 東京都 AND birth_month = 4 AND friend_days > 300 AND t1 AND points >= 2"
    with engine._snapshot() as (connection, index):
        readers.prefetch(index, connection, parse(text), engine._NATIVE)
        assert {("column", "gender"), ("column", "region"), ("column", "birth_month"),
                ("column", "followed_at")} <= index.loaded()
    _same_as_reference([text])


def test_an_indexed_column_is_grouped_off_its_index(store, monkeypatch):
    make_shop([_friend(n, region="大阪府" if n % 3 else "東京都") for n in range(6)])
    db.execute_sql("CREATE INDEX friend_region_for_test ON friend (region)")
    engine.reset()
    scanned = _text_column_scans(monkeypatch)
    _build_all()
    assert scanned == [["gender", "source"]]  # region is read off its index, already in order
    _same_as_reference(TEXTS + ["region = 大阪府", "region != 大阪府"])


def test_a_failure_on_the_helper_thread_reaches_the_caller(store):
    make_shop([_friend(n) for n in range(4)])
    engine.reset()
    both = threading.Barrier(2, timeout=5)

    def fine(c):
        both.wait()

    def broken(c):
        both.wait()
        raise sqlite3.OperationalError("disk I/O error")

    with readers.mark(db.obj.database) as taken, engine._snapshot() as (connection, index):
        with pytest.raises(sqlite3.OperationalError, match="disk I/O"):
            readers.run(index, connection, taken, [fine, broken])


def test_tags_are_kept_only_once_all_are_read(store, monkeypatch):
    make_shop([_friend(n) for n in range(4)])
    engine.reset()
    with engine._snapshot() as (connection, index):
        tag_ids, _ = index.names(connection)

        class Failing:
            def execute(self, *args):
                raise sqlite3.OperationalError("interrupted")

        with pytest.raises(sqlite3.OperationalError):
            index.tags(Failing(), tag_ids.values(), every=True)
        assert not any(isinstance(key, tuple) and key[0] == "tag" for key in index.loaded())
    assert segment_sql.count(parse("t0"), TODAY) == 2  # read again, not an empty tag
