"""fan_out_async keeps fan_out's promises with the work as coroutines on one event loop (the personal send's pushes)."""

from __future__ import annotations

import asyncio
import threading
from contextlib import asynccontextmanager

import pytest

from shopline.line.fanout_async import fan_out_async


class Session:
    def __init__(self) -> None:
        self.opened_on: threading.Thread | None = None
        self.closed = False

    @asynccontextmanager
    async def __call__(self):
        self.opened_on = threading.current_thread()
        asyncio.get_running_loop()  # made on the loop that runs the work, as aiohttp's session must be
        try:
            yield self
        finally:
            self.closed = True


def test_every_item_once_at_most_workers_at_a_time_results_and_errors_to_the_caller():
    session = Session()
    running, peak = [0], [0]
    ran_on: set[threading.Thread] = set()

    async def work(context: Session, n: int) -> int:
        assert context is session
        ran_on.add(threading.current_thread())
        running[0] += 1
        peak[0] = max(peak[0], running[0])
        await asyncio.sleep(0.005)
        running[0] -= 1
        if n % 10 == 3:
            raise ValueError(n)
        return n * 2

    seen: dict[int, object] = {}
    callers: set[str] = set()
    handed: list[int] = []

    def done(n, future) -> None:
        callers.add(threading.current_thread().name)
        seen[n] = future.exception() or future.result()

    assert fan_out_async(range(60), work, done, session=session, workers=4, ahead=4, before=handed.append) is True
    assert handed == list(range(60)) and sorted(seen) == list(range(60)) and peak[0] == 4
    assert {n for n, v in seen.items() if isinstance(v, ValueError)} == {n for n in range(60) if n % 10 == 3}
    assert all(seen[n] == n * 2 for n in range(60) if n % 10 != 3)
    assert callers == {threading.current_thread().name}  # results are handled in the calling thread only
    assert ran_on == {session.opened_on} and session.opened_on is not threading.current_thread()
    assert session.closed


def test_stopping_hands_out_nothing_more_but_reports_what_was_handed_out():
    handed: list[int] = []
    reported: list[int] = []
    stop = threading.Event()

    async def work(context: Session, n: int) -> int:
        if n == 5:
            stop.set()
        await asyncio.sleep(0.001)
        return n

    finished = fan_out_async(range(1000), work, lambda n, f: reported.append(f.result()), session=Session(),
                             workers=3, ahead=3, tick=stop.is_set, before=handed.append)
    assert finished is False and len(handed) < 1000
    assert sorted(reported) == handed  # every item handed out came back, none was forgotten


def test_a_session_that_cannot_open_is_raised_before_anything_is_handed_out():
    @asynccontextmanager
    async def broken():
        raise OSError("no network")
        yield

    handed: list[int] = []

    async def work(context: object, n: int) -> int:
        return n

    with pytest.raises(OSError, match="no network"):
        fan_out_async(range(5), work, lambda n, f: None, session=broken, workers=2, before=handed.append)
    assert handed == []


def test_an_error_in_the_callers_hands_stops_the_loop_too():
    session = Session()

    async def work(context: Session, n: int) -> int:
        return n

    def done(n, future) -> None:
        raise RuntimeError("the journal could not be written")

    with pytest.raises(RuntimeError, match="journal"):
        fan_out_async(range(100), work, done, session=session, workers=2)
    assert session.closed  # the loop's thread ended and closed its session: nothing keeps sending
