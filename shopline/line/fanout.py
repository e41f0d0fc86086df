"""Bounded fan-out: many LINE calls on a few threads, results handled in the calling thread.

Sync (profiles) and sending (batches) both use it, so both keep the same promises:
at most `workers` calls in flight, only the calling thread sees results (it alone
writes the database), a tick a few times a second for progress and cancelling, and
calls already in flight are always reported when it stops (a send may have been
accepted by LINE; forgetting it would lose the journal's truth).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from concurrent.futures import FIRST_COMPLETED, Future, ThreadPoolExecutor, wait
from typing import TypeVar

T = TypeVar("T")
R = TypeVar("R")


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
    done(item, future) as each one finishes; tick() after every wait of at most `interval`
    seconds, returning True to submit nothing more. `ahead` items beyond `workers` may
    wait in the pool's queue, so threads never idle between results.
    """
    queue = iter(items)
    limit = workers + ahead
    in_flight: dict[Future[R], T] = {}
    stopped = exhausted = False
    with ThreadPoolExecutor(workers, thread_name_prefix=name) as pool:
        try:
            while True:
                while not stopped and not exhausted and len(in_flight) < limit:
                    for item in queue:
                        if before is not None:
                            before(item)
                        in_flight[pool.submit(work, item)] = item
                        break
                    else:
                        exhausted = True
                if not in_flight:
                    break
                finished, _ = wait(in_flight, timeout=interval, return_when=FIRST_COMPLETED)
                for future in finished:
                    done(in_flight.pop(future), future)
                if not stopped and tick():
                    stopped = True
        finally:
            for future in in_flight:
                future.cancel()
    return exhausted and not stopped
