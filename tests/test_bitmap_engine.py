"""The bitmap engine against the SQL compiler (the reference) and plain Python, over random shops and trees,
including after random writes between counts."""

from __future__ import annotations

import datetime as dt
import sqlite3

import pytest
from bitmap_helpers import TAGS, evaluate, expected, friends, make_shop, mirror_write, trees, write_row, writes
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from shopline.core.segments import And, HasTag, Not, UnknownNameError, parse
from shopline.store import db, segment_sql, tags
from shopline.store.bitmaps import engine
from shopline.store.models import Friend, FriendTag, Tag
from shopline.store.segment_sql import compile_tree

TODAY = dt.date(2025, 12, 10)
days = st.dates(dt.date(2024, 1, 1), dt.date(2026, 1, 31))


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.lists(friends, max_size=14), tree=trees, today=days)
def test_bitmaps_match_sql_and_python(store, data, tree, today):
    rows = make_shop(data)
    want = expected(tree, data, rows, today)
    assert engine.usable()  # the engine answers here, not its fallback
    assert list(engine.members(tree, today, compile_tree)) == want
    assert engine.count(tree, today, compile_tree) == len(want)
    assert segment_sql.reference_friend_ids(tree, today) == want
    assert segment_sql.count(tree, today) == len(want) and segment_sql.friend_ids(tree, today) == want


def apply_write(write, data: list[dict], rows: list[int]) -> None:
    """The write to the database and to the plain-Python copy alike."""
    kind, n, value = write
    if not data or rows[n % len(data)] is None:
        return
    n %= len(data)
    write_row(kind, rows[n], value)
    mirror_write(kind, n, value, data, rows)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.lists(friends, min_size=1, max_size=14), steps=st.lists(st.tuples(writes, trees), max_size=8))
def test_counts_follow_interleaved_writes(store, data, steps):
    rows: list[int | None] = list(make_shop(data))
    for write, tree in steps:
        engine.count(tree, TODAY, compile_tree)  # the index is built (or partly built) before each write
        apply_write(write, data, rows)
        want = [row for row, friend in zip(rows, data, strict=True)
                if row is not None and friend["status"] == "following" and evaluate(tree, friend, TODAY)]
        assert list(engine.members(tree, TODAY, compile_tree)) == want
        assert segment_sql.reference_friend_ids(tree, TODAY) == want


LEAVES = [HasTag(t) for t in TAGS] + [parse(text) for text in (
    "gender = male", "gender != female", "points >= 2", "points < 3", "age >= 30", "birth_month = 4")]


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.lists(friends, min_size=1, max_size=14), steps=st.lists(writes, min_size=1, max_size=10))
def test_an_index_caught_up_in_place_answers_as_a_fresh_one(store, data, steps):
    """Every piece loaded before each write, then every single condition checked: what catching up patched,
    dropped or kept must answer exactly as plain Python does."""
    rows: list[int | None] = list(make_shop(data))
    for write in steps:
        engine.build_all()
        apply_write(write, data, rows)
        for leaf in LEAVES:
            want = [row for row, friend in zip(rows, data, strict=True)
                    if row is not None and friend["status"] == "following" and evaluate(leaf, friend, TODAY)]
            assert list(engine.members(leaf, TODAY, compile_tree)) == want, (write, leaf)


def test_not_not_is_the_tree_itself(store, monkeypatch):
    make_shop([{"tags": {"t0"}, "status": "following", "gender": "male", "region": None, "source": "csv",
                "birthday": None, "followed_at": None, "points": None, "rank": None, "visited": None,
                "reacted": None}])
    differences = []
    real = engine._Evaluator.members

    def spy(self, node):
        differences.append(node)
        return real(self, node)

    monkeypatch.setattr(engine._Evaluator, "members", spy)
    assert engine.count(Not(Not(HasTag("t0"))), TODAY, compile_tree) == 1
    # NOT NOT x evaluates x and nothing else: no complement of a complement.
    assert differences == [Not(Not(HasTag("t0"))), HasTag("t0")]


def test_a_commit_from_another_thread_is_seen(store):
    import threading

    make_shop([])
    friend = Friend.create(user_id="U" + "1" * 32)
    tag = Tag.get(Tag.name == "t0")
    assert segment_sql.count(HasTag("t0")) == 0

    def writer():  # the window's writer thread has a connection of its own
        FriendTag.create(friend=friend, tag=tag)
        db.close()

    thread = threading.Thread(target=writer)
    thread.start()
    thread.join()
    assert segment_sql.count(HasTag("t0")) == 1


def test_own_uncommitted_writes_are_counted(store):
    make_shop([])
    friend = Friend.create(user_id="U" + "2" * 32)
    tag = Tag.get(Tag.name == "t1")
    assert segment_sql.count(HasTag("t1")) == 0
    builds = engine.builds()
    with db.atomic() as transaction:
        FriendTag.create(friend=friend, tag=tag)
        # Inside the caller's transaction the engine steps aside for the SQL on the caller's connection.
        assert not engine.usable()
        assert segment_sql.count(HasTag("t1")) == 1 and segment_sql.friend_ids(HasTag("t1")) == [friend.id]
        transaction.rollback()
    assert segment_sql.count(HasTag("t1")) == 0
    assert engine.builds() == builds  # a rollback commits nothing: the index stands


def test_the_index_is_kept_between_counts_and_caught_up_after_writes(store):
    make_shop([])
    friend = Friend.create(user_id="U" + "3" * 32)
    tree = And((HasTag("t0"), Not(HasTag("t1"))))
    segment_sql.count(tree)
    builds = engine.builds()
    for _ in range(3):
        segment_sql.count(tree)
        segment_sql.count(parse("gender = male OR age >= 3"))
    assert engine.builds() == builds
    # Tagging through the store names the friend and the tag: the index patches that bit and keeps the rest.
    t0, t1 = Tag.get(Tag.name == "t0"), Tag.get(Tag.name == "t1")
    tags.tag_friends([friend.id], t0.id)
    assert segment_sql.count(tree) == 1 and engine.builds() == builds
    loaded = engine._source.index._pieces
    assert ("tag", t1.id) in loaded and ("column", "gender") in loaded  # nothing was dropped
    # A write that names nothing drops the pieces its table feeds, and still answers right.
    FriendTag.create(friend=friend, tag=t1)
    assert segment_sql.count(tree) == 0 and engine.builds() == builds
    assert ("column", "gender") in engine._source.index._pieces
    # A friend row written without names cannot be patched: the index starts again.
    Friend.update(gender="male").where(Friend.id == friend.id).execute()
    assert segment_sql.count(parse("gender = male")) == 1 and engine.builds() == builds + 1
    # Another program's commit leaves no row in the log: the index notices and starts again.
    path = db.database
    other = sqlite3.connect(path)
    other.execute("DELETE FROM friend_tag")
    other.commit()
    other.close()
    assert segment_sql.count(tree) == 0 and segment_sql.count(HasTag("t1")) == 0
    assert engine.builds() == builds + 2


def test_unknown_names_are_reported_as_the_sql_path_reports_them(store):
    make_shop([])
    for text in ("VIPP AND t0", "pointz >= 3", "NOT t1 OR rnak = gold"):
        with pytest.raises(UnknownNameError) as reference:
            segment_sql.reference_count(parse(text))
        with pytest.raises(UnknownNameError) as err:
            segment_sql.count(parse(text))
        assert (err.value.text, err.value.suggestion) == (reference.value.text, reference.value.suggestion)
    assert err.value.suggestion == "rank"


def test_a_replaced_file_is_read_afresh(store):
    import shutil

    from shopline import paths
    from shopline.store import close_store, open_store

    make_shop([])
    Friend.create(user_id="U" + "4" * 32)
    FriendTag.create(friend=Friend.get(), tag=Tag.get(Tag.name == "t2"))
    path = paths.db_path(store)
    copy = store / "copy.sqlite3"
    db.execute_sql("PRAGMA wal_checkpoint(TRUNCATE)")
    shutil.copy(path, copy)
    FriendTag.delete().execute()
    assert segment_sql.count(HasTag("t2")) == 0
    close_store()
    for suffix in ("-wal", "-shm"):
        path.with_name(path.name + suffix).unlink(missing_ok=True)
    copy.replace(path)  # a backup restored over the file
    open_store(store)
    assert segment_sql.count(HasTag("t2")) == 1


def test_closing_the_store_closes_the_engines_connection(store):
    """Windows cannot delete or replace a database file a connection holds open (a restore, the self-test)."""
    from shopline.store import close_store

    make_shop([])
    segment_sql.count(HasTag("t0"))
    connection = engine._source.connection
    close_store()
    assert engine._source is None
    with pytest.raises(sqlite3.ProgrammingError):
        connection.execute("SELECT 1")
