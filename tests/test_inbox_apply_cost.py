"""What one apply of a pulled page asks SQLite: the work the set-based apply skips when it can, and that the
skipping changes no result (tests/test_inbox_sets.py compares the whole semantics with the per-event walk)."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from shopline.inbox.apply import apply_page
from shopline.inbox.events import Incoming
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
