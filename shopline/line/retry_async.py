"""line.retry's one retry function for a call made on an event loop (line.async_client): the same rules, awaited.

The same policy, the same shared limiter (a RateLimiter's slot is taken with reserve() and waited out on the loop;
any other limiter is waited on a worker thread), the same stop event (a threading.Event: the engine's thread sets
it), the same retry key on every attempt, nothing sent after `not_after`. Waits are slices of asyncio.sleep that
look at the stop event between them, so a pause or a Ctrl-C is never held up by a backoff or a Retry-After.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import threading
from collections.abc import Awaitable, Callable
from typing import TypeVar

from shopline.line.errors import LineError
from shopline.line.pacing import Limiter
from shopline.line.retry import DEFAULT_RETRY, RetryPolicy, Stopped, Tries, backoff, next_attempt, utc_now

T = TypeVar("T")

SLICE = 0.05  # seconds between looks at the stop event during a long wait


async def pause(seconds: float, stop: threading.Event | None = None,
                sleep: Callable[[float], object] | None = None) -> bool:
    """Wait `seconds` on the loop; False when `stop` was set first. `sleep` (tests) replaces the waiting."""
    if sleep is not None:
        sleep(seconds)
        return not (stop and stop.is_set())
    loop = asyncio.get_running_loop()
    until = loop.time() + seconds
    while not (stop and stop.is_set()):
        left = until - loop.time()
        if left <= 0:
            return True
        await asyncio.sleep(min(left, SLICE) if stop is not None else left)
    return False


async def turn(limiter: Limiter, stop: threading.Event | None = None) -> bool:
    """One turn from `limiter`, as Limiter.wait() gives one; False when `stop` was set first (send nothing)."""
    reserve = getattr(limiter, "reserve", None)
    if reserve is None:  # a store-backed limiter blocks: its wait goes to a thread, the loop keeps running
        return await asyncio.to_thread(limiter.wait, stop)
    delay = reserve()
    if delay > 0:
        return await pause(delay, stop)
    return not (stop and stop.is_set())


async def call_with_retries_async(
    call: Callable[[], Awaitable[T]],
    policy: RetryPolicy = DEFAULT_RETRY,
    *,
    limiter: Limiter | None = None,
    stop: threading.Event | None = None,
    not_after: dt.datetime | None = None,
    clock: Callable[[], dt.datetime] = utc_now,
    sleep: Callable[[float], object] | None = None,
    tries: Tries | None = None,
) -> T:
    """Await `call` until it succeeds, fails for good (LineError), or is stopped (Stopped, KeyExpiring)."""
    tries = tries if tries is not None else Tries()
    while True:
        if stop is not None and stop.is_set() or limiter is not None and not await turn(limiter, stop):
            raise Stopped(tries.last)
        next_attempt(tries, not_after, clock)
        try:
            return await call()
        except LineError as error:
            await pause(backoff(error, tries, policy, limiter), stop, sleep)
