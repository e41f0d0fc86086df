"""fan_out's promises with a queue per direction instead of a future per item and concurrent.futures.wait()
(which hooked a waiter onto every future in flight on each call: ~120 us of client CPU a push at 1,800/s)."""

from __future__ import annotations

import threading

import pytest

from shopline.line import fanout
from shopline.line.fanout import fan_out


@pytest.fixture
def no_wait(monkeypatch):
    def refuse(*args, **kwargs):
        raise AssertionError("fan_out waited on every future in flight")
    monkeypatch.setattr(fanout, "wait", refuse, raising=False)


def test_every_item_once_at_most_workers_at_a_time_results_and_errors_to_the_caller(no_wait):
    lock = threading.Lock()
    running, peak = [0], [0]
    release = threading.Event()

    def work(n: int) -> int:
        with lock:
            running[0] += 1
            peak[0] = max(peak[0], running[0])
        release.wait(0.01)
        with lock:
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

    assert fan_out(range(60), work, done, workers=4, ahead=4, before=handed.append) is True
    assert handed == list(range(60)) and peak[0] <= 4
    assert {n for n, v in seen.items() if isinstance(v, ValueError)} == {n for n in range(60) if n % 10 == 3}
    assert all(seen[n] == n * 2 for n in range(60) if n % 10 != 3)
    assert callers == {threading.current_thread().name}  # results are handled in the calling thread only


def test_stopping_hands_out_nothing_more_but_reports_what_was_handed_out(no_wait):
    handed: list[int] = []
    reported: list[int] = []
    stop = threading.Event()

    def work(n: int) -> int:
        if n == 5:
            stop.set()
        return n

    assert fan_out(range(1000), work, lambda n, f: reported.append(f.result()), workers=2, ahead=2,
                   before=handed.append, tick=stop.is_set) is False
    assert len(handed) < 1000 and sorted(reported) == handed


def test_an_error_in_the_caller_drops_what_no_thread_started_and_leaves_no_thread(no_wait):
    started: list[int] = []
    gate = threading.Event()

    def work(n: int) -> int:
        started.append(n)
        if n:  # the first answers at once; the others are held until the caller has failed
            gate.wait(5)
        return n

    def done(n, future) -> None:
        threading.Timer(0.2, gate.set).start()
        raise RuntimeError("the journal could not be written")

    with pytest.raises(RuntimeError):
        fan_out(range(100), work, done, workers=3, ahead=10, name="dropping")
    assert len(started) <= 3 + 1  # the queued ten were never run
    assert not [t for t in threading.enumerate() if t.name.startswith("dropping")]
