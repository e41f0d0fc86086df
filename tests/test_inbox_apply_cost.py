"""What one apply of a pulled page asks SQLite: the work the set-based apply skips when it can, and that the
skipping changes no result (tests/test_inbox_sets.py compares the whole semantics with the per-event walk)."""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager

from shopline.inbox.apply import apply_page
from shopline.inbox.events import Incoming, parse_items
from shopline.store.connection import db

URL = "https://relay.example"
ALICE = "U" + "a" * 32
BOB = "U" + "b" * 32


@contextmanager
def statements() -> Iterator[list[str]]:
    seen: list[str] = []
    connection = db.connection()
    connection.set_trace_callback(seen.append)
    try:
        yield seen
    finally:
        connection.set_trace_callback(None)


def _event_lookups(seen: list[str]) -> list[str]:
    return [sql for sql in seen if "FROM inbox_event" in sql]


def test_a_page_with_no_redelivery_looks_up_no_event_ids(store):
    page = [Incoming("e1", "follow", ALICE, 1_000), Incoming("e2", "message", ALICE, 2_000, "hi", "hi")]
    with statements() as seen:
        result = apply_page(page, 2, URL)
    assert _event_lookups(seen) == []
    assert (result.applied, result.duplicates, result.new_friends, result.reactions) == (2, 0, 1, 1)
    assert db.execute_sql("SELECT event_id, kind FROM inbox_event ORDER BY event_id").fetchall() == [
        ("e1", "follow"), ("e2", "message")]


def test_a_redelivered_event_in_a_page_is_skipped_and_the_rest_applied(store):
    apply_page([Incoming("e1", "follow", ALICE, 1_000)], 1, URL)
    page = [Incoming("e1", "follow", ALICE, 1_000), Incoming("e2", "follow", BOB, 3_000),
            Incoming("e2", "follow", BOB, 3_000)]
    with statements() as seen:
        result = apply_page(page, 2, URL)
    assert _event_lookups(seen)  # only now is the store asked which IDs it holds
    assert (result.applied, result.duplicates, result.new_friends) == (1, 2, 1)
    assert db.execute_sql("SELECT count(*) FROM inbox_event").fetchone()[0] == 2
    assert sorted(r[0] for r in db.execute_sql("SELECT user_id FROM friend")) == [ALICE, BOB]


@contextmanager
def collections() -> Iterator[list[int]]:
    """The cycle collector's passes while inside (gc.callbacks tells each one's start)."""
    started: list[int] = []

    def note(phase: str, info: dict) -> None:
        if phase == "start":
            started.append(info["generation"])

    gc.callbacks.append(note)
    try:
        yield started
    finally:
        gc.callbacks.remove(note)


def _items(count: int) -> list[dict]:
    return [{"id": f"e{n}", "kind": "webhook", "cursor": n + 1, "receivedAt": n,
             "event": {"type": "message", "timestamp": 1_000 + n, "source": {"type": "user", "userId": f"U{n:032x}"},
                       "message": {"type": "text", "text": f"hello {n}"}}} for n in range(count)]


def test_parsing_and_applying_a_page_walk_the_new_objects_once_each(store):
    items = _items(5_000)  # tens of thousands of new containers: a pass every 700 of them would be dozens
    assert gc.isenabled()
    with collections() as started:
        events = parse_items(items)
        result = apply_page(events, 5_000, URL)
    assert len(started) <= 2  # the one pass each owed when the collector is back on
    assert gc.isenabled()  # back on afterwards
    assert (result.applied, result.new_friends, result.reactions) == (5_000, 5_000, 5_000)


def test_a_paused_collector_stays_paused_after_an_apply(store):
    gc.disable()
    try:
        apply_page(parse_items(_items(10)), 10, URL)
        assert not gc.isenabled()
    finally:
        gc.enable()
