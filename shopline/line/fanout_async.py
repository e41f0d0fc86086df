"""fan_out() with the work on one event loop instead of a thread per call in flight: same promises, less CPU.

The calling thread keeps fan_out's side unchanged (line.fanout.drive): it alone sees results and writes the
database, hands out at most `workers + ahead` items, ticks a few times a second, and always reports what was in
flight when it stops. The work runs as coroutines on an event loop in one thread of its own, `workers` at a time,
inside a session the loop opens first and closes last (line.async_client's client, which belongs to its loop).

Why: with the sync SDK each request in flight needed its own thread, and 48 threads contending for the GIL cost
more client CPU per push than the request itself (bench/bench_personal.py).
"""

from __future__ import annotations

import asyncio
import threading
import time
from collections import deque
from collections.abc import Awaitable, Callable, Iterable
from concurrent.futures import Future
from contextlib import AbstractAsyncContextManager
from queue import Empty, SimpleQueue
from typing import Any, TypeVar

from shopline.line.fanout import _END, drive

T = TypeVar("T")
R = TypeVar("R")
C = TypeVar("C")

# The calling thread looks for results this often instead of being woken for each: a SimpleQueue.put that wakes a
# waiting thread takes ~20 us on an idle machine against ~0.1 us for one that does not (the GIL handed over and
# back), and at 1,700 answers a second that was the event loop's, whose one thread carries every push. The `ahead`
# items already with the loop keep every coroutine busy in between.
POLL = 0.005


class _Polled:
    """Results the loop appends (a deque: no lock, no wake-up) and the calling thread collects every POLL seconds,
    with SimpleQueue's get/get_nowait so line.fanout.drive reads them as it reads fan_out's."""

    def __init__(self) -> None:
        self._items: deque[tuple[Any, Future[Any]]] = deque()
        self.put = self._items.append

    def get(self, block: bool = True, timeout: float | None = None) -> tuple[Any, Future[Any]]:
        waited = 0.0
        while not self._items:
            if not block or (timeout is not None and waited >= timeout):
                raise Empty
            time.sleep(POLL)
            waited += POLL
        return self._items.popleft()

    def get_nowait(self) -> tuple[Any, Future[Any]]:
        try:
            return self._items.popleft()
        except IndexError:
            raise Empty from None


def fan_out_async(
    items: Iterable[T],
    work: Callable[[C, T], Awaitable[R]],
    done: Callable[[T, Future[R]], None],
    *,
    session: Callable[[], AbstractAsyncContextManager[C]],
    workers: int,
    ahead: int = 0,
    interval: float = 0.25,
    tick: Callable[[], bool] = lambda: False,
    before: Callable[[T], None] | None = None,
    name: str = "line",
) -> bool:
    """As fan_out(), awaiting work(context, item) with `context` what `session()` opened on the loop.

    An error opening the session is raised here before any item is handed out.
    """
    results = _Polled()
    opened: SimpleQueue[tuple[asyncio.AbstractEventLoop, asyncio.Queue[Any]] | BaseException] = SimpleQueue()

    async def serve() -> None:
        todo: asyncio.Queue[Any] = asyncio.Queue()
        async with session() as context:
            opened.put((asyncio.get_running_loop(), todo))

            async def worker() -> None:
                while (item := await todo.get()) is not _END:
                    future: Future[R] = Future()
                    try:
                        future.set_result(await work(context, item))
                    except Exception as exc:  # noqa: BLE001 - handed to done(), as fan_out's threads do
                        future.set_exception(exc)
                    results.put((item, future))

            await asyncio.gather(*(worker() for _ in range(workers)))

    def run() -> None:
        try:
            asyncio.run(serve())
        except BaseException as exc:  # noqa: BLE001 - the calling thread raises it
            gone: Future[Any] = Future()
            gone.set_exception(exc)
            opened.put(exc)  # read only if the session never opened
            results.put((_END, gone))

    thread = threading.Thread(target=run, name=f"{name}_loop")
    thread.start()
    first = opened.get()
    if isinstance(first, BaseException):
        thread.join()
        raise first
    loop, todo = first

    def hand(batch: list[T]) -> None:
        loop.call_soon_threadsafe(_put_all, todo, batch)

    def finish() -> None:  # what no coroutine has started is dropped, as fan_out drops what no thread took
        while not todo.empty():
            todo.get_nowait()
        _put_all(todo, [_END] * workers)

    try:
        return drive(items, hand, results, done, limit=workers + ahead, interval=interval, tick=tick, before=before)
    finally:
        try:
            loop.call_soon_threadsafe(finish)
        except RuntimeError:  # the loop is already closed: its thread has ended
            pass
        thread.join()


def _put_all(todo: asyncio.Queue[Any], items: list[Any]) -> None:
    for item in items:
        todo.put_nowait(item)
