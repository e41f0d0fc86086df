"""Retrying a LINE call: only errors marked retryable, the identical request, bounded backoff."""

from __future__ import annotations

import random
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import TypeVar

from shopline.line.errors import LineError

T = TypeVar("T")


@dataclass(frozen=True)
class RetryPolicy:
    attempts: int = 4
    base_delay: float = 0.5  # doubled after each failure, with jitter so threads do not retry in step
    max_delay: float = 8.0

    def delay(self, failures: int, error: LineError) -> float:
        if error.retry_after is not None:
            return min(error.retry_after, self.max_delay)
        wait = min(self.base_delay * 2 ** (failures - 1), self.max_delay)
        return wait * random.uniform(0.5, 1.0)


DEFAULT_RETRY = RetryPolicy()


def with_retries(
    call: Callable[[], T],
    policy: RetryPolicy,
    *,
    sleep: Callable[[float], object] = time.sleep,
) -> T:
    """Run `call`, again after a retryable LineError, up to policy.attempts times in all."""
    failures = 0
    while True:
        try:
            return call()
        except LineError as error:
            failures += 1
            if not error.retryable or failures >= policy.attempts:
                raise
            sleep(policy.delay(failures, error))
