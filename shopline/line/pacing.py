"""Keeping under LINE's per-endpoint rate limits when several threads send requests."""

from __future__ import annotations

import threading
import time


class RateLimiter:
    """Spaces requests at most `per_second` apart on average, shared by all threads that call wait()."""

    def __init__(self, per_second: float) -> None:
        self._interval = 1.0 / per_second
        self._next = time.monotonic()
        self._lock = threading.Lock()

    def wait(self) -> None:
        with self._lock:
            now = time.monotonic()
            slot = max(self._next, now)
            self._next = slot + self._interval
        if slot > now:
            time.sleep(slot - now)
