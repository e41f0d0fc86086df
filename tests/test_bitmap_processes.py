"""The bitmap index across processes: writes committed by another process between counts are always
seen, and a process killed in the middle of a write leaves nothing behind that a later count could trust."""

from __future__ import annotations

import datetime as dt
import json
import os
import signal
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from bitmap_helpers import evaluate, friends, make_shop, mirror_write, trees, writes
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from shopline.core.segments import HasTag, parse
from shopline.store import segment_sql
from shopline.store.bitmaps import engine
from shopline.store.models import Friend, FriendTag, Tag
from shopline.store.segment_sql import compile_tree

TODAY = dt.date(2025, 12, 10)
HERE = Path(__file__).parent
ROOT = HERE.parent


def _env() -> dict[str, str]:
    return {**os.environ, "PYTHONPATH": os.pathsep.join([str(ROOT), str(HERE)])}


@pytest.fixture
def writer(store):
    """A second process that commits one write per request."""
    child = subprocess.Popen([sys.executable, str(HERE / "bitmap_helpers.py"), str(store)], env=_env(),
                             stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)

    def write(kind: str, row: int, value) -> None:
        assert child.stdin is not None and child.stdout is not None
        child.stdin.write(json.dumps([kind, row, value]) + "\n")
        child.stdin.flush()
        assert child.stdout.readline().strip() == "ok"

    yield write
    assert child.stdin is not None
    child.stdin.close()
    child.wait(timeout=30)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.lists(friends, min_size=1, max_size=10), steps=st.lists(st.tuples(writes, trees), max_size=8))
def test_writes_from_another_process_between_counts(writer, data, steps):
    rows: list[int | None] = list(make_shop(data))
    for (kind, n, value), tree in steps:
        engine.count(tree, TODAY, compile_tree)  # this process's index is current before the other one writes
        n %= len(data)
        if rows[n] is not None:
            writer(kind, rows[n], value)
            mirror_write(kind, n, value, data, rows)
        want = [row for row, friend in zip(rows, data, strict=True)
                if row is not None and friend["status"] == "following" and evaluate(tree, friend, TODAY)]
        assert list(engine.members(tree, TODAY, compile_tree)) == want
        assert engine.count(tree, TODAY, compile_tree) == len(want) == segment_sql.reference_count(tree, TODAY)


_KILLED_MID_WRITE = textwrap.dedent("""
    import sys, time
    from shopline.core.segments import HasTag
    from shopline.store import db, open_store, segment_sql
    from shopline.store.models import FriendTag, Tag
    open_store(sys.argv[1])
    print(segment_sql.count(HasTag("t0")), flush=True)  # this process's index holds t0
    with db.atomic():
        FriendTag.delete().where(FriendTag.tag == Tag.get(Tag.name == "t0")).execute()
        print(segment_sql.count(HasTag("t0")), flush=True)  # its own uncommitted write, counted
        time.sleep(60)  # killed here, before the commit
""")

_COUNT = textwrap.dedent("""
    import sys
    from shopline.core.segments import parse
    from shopline.store import open_store, segment_sql
    from shopline.store.bitmaps import engine
    open_store(sys.argv[1])
    print(segment_sql.count(parse(sys.argv[2])), engine.builds(), flush=True)
""")


def test_a_kill_during_a_write_leaves_no_stale_index(store):
    make_shop([])
    for n in range(20):
        friend = Friend.create(user_id=f"U{n:032x}")
        FriendTag.create(friend=friend, tag=Tag.get(Tag.name == ("t0" if n % 2 else "t1")))
    assert segment_sql.count(HasTag("t0")) == 10  # the test's own index, built before the kill

    child = subprocess.Popen([sys.executable, "-c", _KILLED_MID_WRITE, str(store)], env=_env(),
                             stdout=subprocess.PIPE, text=True)
    assert child.stdout is not None
    assert [child.stdout.readline().strip() for _ in range(2)] == ["10", "0"]
    child.send_signal(signal.SIGKILL)
    child.wait(timeout=30)

    # The index was memory only: nothing of it is left in the data folder (the daily backup aside) ...
    assert {p.name for p in store.iterdir()} - {"backups"} <= {"shopline.sqlite3", "shopline.sqlite3-wal",
                                                               "shopline.sqlite3-shm"}
    # ... the next process builds its own from what was committed, and so does this one.
    out = subprocess.run([sys.executable, "-c", _COUNT, str(store), "t0 OR NOT t1"], env=_env(),
                         capture_output=True, text=True, timeout=60, check=True).stdout.split()
    assert out == ["10", "1"]
    assert segment_sql.count(parse("t0 OR NOT t1")) == segment_sql.reference_count(parse("t0 OR NOT t1")) == 10
    # A committed write by a process killed right after it is seen here at once.
    child = subprocess.Popen([sys.executable, str(HERE / "bitmap_helpers.py"), str(store)], env=_env(),
                             stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    assert child.stdin is not None and child.stdout is not None
    child.stdin.write(json.dumps(["untag", Friend.get(Friend.user_id == f"U{1:032x}").id, "t0"]) + "\n")
    child.stdin.flush()
    assert child.stdout.readline().strip() == "ok"
    child.send_signal(signal.SIGKILL)
    child.wait(timeout=30)
    assert segment_sql.count(HasTag("t0")) == 9
