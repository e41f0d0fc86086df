"""Bounded fan-out: many LINE calls on a few threads, results handled in the calling thread.

Sync (profiles) and sending (batches) both use it, so both keep the same promises:
at most `workers` calls in flight, only the calling thread sees results (it alone
writes the database), a tick a few times a second for progress and cancelling, and
calls already in flight are always reported when it stops (a send may have been
accepted by LINE; forgetting it would lose the journal's truth).
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future
from queue import Empty, SimpleQueue
from typing import Any, Protocol, TypeVar

T = TypeVar("T")
R = TypeVar("R")

_END = object()  # tells a worker thread to finish


def fan_out(
    items: Iterable[T],
    work: Callable[[T], R],
    done: Callable[[T, Future[R]], None],
    *,
    workers: int,
    ahead: int = 0,
    interval: float = 0.25,
    tick: Callable[[], bool] = lambda: False,
    before: Callable[[T], None] | None = None,
    name: str = "line",
) -> bool:
    """Run work(item) for each item; True when all ran, False when tick() said stop first.

    before(item) runs in the calling thread just before the item is handed to a thread;
    done(item, future) as each one finishes; tick() after each round of results, and at
    least every `interval` seconds, returning True to submit nothing more. `ahead` items
    beyond `workers` may wait in the queue, so threads never idle between results.

    Workers take items from one queue and put results on another, instead of a future per
    item and concurrent.futures.wait(): wait() hooks a waiter onto every future in flight
    on each call, which at 100 pushes in flight and 1,800 a second cost more client CPU
    per push (~120 us) than the engine's own work (bench/bench_personal.py).
    """
    todo: SimpleQueue[Any] = SimpleQueue()
    results: SimpleQueue[tuple[T, Future[R]]] = SimpleQueue()

    def worker() -> None:
        while (item := todo.get()) is not _END:
            future: Future[R] = Future()
            try:
                future.set_result(work(item))
            except BaseException as exc:  # noqa: BLE001 - handed to done(), as an executor's future would
                future.set_exception(exc)
            results.put((item, future))

    threads = [threading.Thread(target=worker, name=f"{name}_{i}") for i in range(workers)]
    for thread in threads:
        thread.start()
    def hand(batch: list[T]) -> None:
        for item in batch:
            todo.put(item)

    try:
        return drive(items, hand, results, done, limit=workers + ahead, interval=interval, tick=tick, before=before)
    finally:
        try:  # after an error here: what no thread has started is dropped, as cancelled futures were
            while True:
                todo.get_nowait()
        except Empty:
            pass
        for _ in threads:
            todo.put(_END)
        for thread in threads:
            thread.join()


class Results(Protocol):
    """Where workers leave (item, future) pairs for drive(): a SimpleQueue, or anything read the same way."""

    def get(self, block: bool = True, timeout: float | None = None) -> Any: ...

    def get_nowait(self) -> Any: ...


class WorkersGone(RuntimeError):
    """The workers ended with items still in flight (their event loop failed): nothing more will come back."""


def drive(
    items: Iterable[T],
    hand: Callable[[list[T]], object],
    results: Results,
    done: Callable[[T, Future[R]], None],
    *,
    limit: int,
    interval: float,
    tick: Callable[[], bool],
    before: Callable[[T], None] | None,
) -> bool:
    """fan_out()'s calling-thread side, whatever runs the work: hand(items) to the workers, at most `limit` in
    flight, done() for each (item, future) the workers put on `results`, tick() after each round. A result whose
    item is _END carries why the workers are gone (WorkersGone raised here)."""
    queue: Iterator[Any] = iter(items)
    in_flight = 0
    stopped = exhausted = False
    while True:
        batch: list[T] = []
        while not stopped and not exhausted and in_flight < limit:
            item: Any = next(queue, _END)
            if item is _END:
                exhausted = True
                break
            if before is not None:
                before(item)
            batch.append(item)
            in_flight += 1
        if batch:
            hand(batch)
        if not in_flight:
            break
        finished: list[tuple[T, Future[R]]] = []
        try:
            finished.append(results.get(timeout=interval))
            while True:  # and whatever else finished meanwhile, without waiting
                finished.append(results.get_nowait())
        except Empty:
            pass
        for item, future in finished:
            if item is _END:
                raise WorkersGone(f"{in_flight} items in flight") from future.exception()
            in_flight -= 1
            done(item, future)
        if not stopped and tick():
            stopped = True
    return exhausted and not stopped
