"""Keeping under LINE's per-endpoint rate limits when several threads send requests.

Slots are handed out at least 1/rate seconds apart, so any one-second window
holds at most rate + 1 requests however many threads ask (Picard's ratecontrol
does the same per host).
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable

MULTICAST_LIMIT = 200  # requests per second per channel (LINE.md)
MULTICAST_RATE = 180  # a margin under the limit for clock jitter and the web manager's own sends


class RateLimiter:
    def __init__(self, per_second: float, clock: Callable[[], float] = time.monotonic,
                 sleep: Callable[[float], None] = time.sleep) -> None:
        self.interval = 1.0 / per_second
        self._clock, self._sleep = clock, sleep
        self._next = 0.0
        self._lock = threading.Lock()

    def wait(self) -> None:
        with self._lock:
            now = self._clock()
            slot = max(now, self._next)
            self._next = slot + self.interval
        if slot > now:
            self._sleep(slot - now)

    def hold(self, seconds: float) -> None:
        """After a 429: nobody sends until the wait is over."""
        with self._lock:
            self._next = max(self._next, self._clock() + seconds)
