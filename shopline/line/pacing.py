"""Keeping under a rate limit when several threads send requests: the limiters line.limits hands out.

RateLimiter hands out slots at least 1/rate seconds apart, so any one-second window
holds at most rate + 1 requests however many threads ask (Picard's ratecontrol does
the same per host). WindowLimiter counts requests in a sliding window, for LINE's
hourly limits. Both wait on the caller's stop event, so a Ctrl-C or a pause is never
held up by a long wait, and both say whether the wait ended because of it.
"""

from __future__ import annotations

import threading
import time
from collections import deque
from collections.abc import Callable
from typing import Protocol

MULTICAST_LIMIT = 200  # requests per second per channel (LINE.md)
MULTICAST_RATE = 180  # a margin under the limit for clock jitter and the web manager's own sends

_NEVER = threading.Event()  # waited on when the caller has no stop flag: a plain, timed wait


class Limiter(Protocol):
    """What every LINE call goes through; a store-backed one (shared between processes) has this shape too."""

    def wait(self, stop: threading.Event | None = None) -> bool:
        """Block until this caller may send one request; False when `stop` was set first (send nothing)."""
        ...

    def hold(self, seconds: float) -> None:
        """LINE answered 429: nobody sharing this limiter sends for `seconds`."""
        ...


def _waiter(stop: threading.Event | None, sleep: Callable[[float], object] | None) -> Callable[[float], object]:
    if sleep is not None:
        return sleep
    return (stop or _NEVER).wait


class RateLimiter:
    def __init__(self, per_second: float, clock: Callable[[], float] = time.monotonic,
                 sleep: Callable[[float], object] | None = None) -> None:
        self.interval = 1.0 / per_second
        self._clock, self._sleep = clock, sleep
        self._next = 0.0
        self._lock = threading.Lock()

    def reserve(self) -> float:
        """Take the next slot without waiting for it: the seconds until it comes (an event loop waits them)."""
        with self._lock:
            now = self._clock()
            slot = max(now, self._next)
            self._next = slot + self.interval
        return slot - now

    def wait(self, stop: threading.Event | None = None) -> bool:
        delay = self.reserve()
        if delay > 0:
            _waiter(stop, self._sleep)(delay)
        return not (stop and stop.is_set())

    def hold(self, seconds: float) -> None:
        with self._lock:
            self._next = max(self._next, self._clock() + seconds)


class WindowLimiter:
    """At most `count` requests in any `period` seconds (LINE's insight: 60 an hour), in this process."""

    def __init__(self, count: int, period: float, clock: Callable[[], float] = time.monotonic,
                 sleep: Callable[[float], object] | None = None) -> None:
        self.count, self.period = count, period
        self._clock, self._sleep = clock, sleep
        self._sent: deque[float] = deque()
        self._held_until = 0.0
        self._lock = threading.Lock()

    def wait(self, stop: threading.Event | None = None) -> bool:
        while True:
            with self._lock:
                now = self._clock()
                while self._sent and self._sent[0] <= now - self.period:
                    self._sent.popleft()
                ready = max(self._held_until, self._sent[0] + self.period if len(self._sent) >= self.count else now)
                if ready <= now:
                    self._sent.append(now)
                    return True
            _waiter(stop, self._sleep)(ready - now)
            if stop and stop.is_set():
                return False

    def hold(self, seconds: float) -> None:
        with self._lock:
            self._held_until = max(self._held_until, self._clock() + seconds)
