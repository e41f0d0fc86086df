"""The one way a LINE call is retried: the identical request, bounded backoff, interruptible waits.

Every caller goes through call_with_retries(): reads (profiles, followers, quota),
validation, test pushes and the delivery engine's multicasts. It
  - takes a turn from the family's shared limiter (line.limits) before every attempt;
  - retries only errors marked retryable, sending the identical request (so a send keeps
    its X-Line-Retry-Key on every attempt);
  - on a 429 holds the shared limiter, so every caller of that family waits, not just this one;
  - waits on the caller's stop event and checks it after every wait: a Ctrl-C or a pause is
    never held up by a backoff or a Retry-After, and no request leaves after it;
  - sends nothing after `not_after` (a retry key LINE may have forgotten by then).
A call awaited on an event loop (a personal send's pushes) goes through its twin, line.retry_async, with these rules.
"""

from __future__ import annotations

import datetime as dt
import random
import threading
from collections.abc import Callable
from dataclasses import dataclass
from typing import TypeVar

from shopline.line.errors import LineError
from shopline.line.pacing import Limiter

T = TypeVar("T")
_NEVER = threading.Event()


@dataclass(frozen=True)
class RetryPolicy:
    attempts: int = 4
    base_delay: float = 0.5  # doubled after each failure, with jitter so threads do not retry in step
    max_delay: float = 8.0
    max_retry_after: float = 60.0  # LINE's Retry-After is obeyed up to this; a longer one would look hung

    def delay(self, failures: int, error: LineError) -> float:
        if error.retry_after is not None:
            return max(0.0, min(float(error.retry_after), self.max_retry_after))
        wait: float = min(self.base_delay * 2.0 ** (failures - 1), self.max_delay)
        return wait * random.uniform(0.5, 1.0)


DEFAULT_RETRY = RetryPolicy()
# A campaign's batch is worth a longer wait than a read: giving up pauses the campaign.
SEND_RETRY = RetryPolicy(attempts=6, max_delay=30.0)


class Stopped(Exception):
    """The caller's stop event was set: nothing more was sent. Not a LineError: LINE did nothing wrong."""

    def __init__(self, last: LineError | None = None) -> None:
        super().__init__("stopped")
        self.last = last  # what the last attempt got, if any


class KeyExpiring(Stopped):
    """The next attempt would leave after `not_after`, when LINE may no longer remember its retry key."""


@dataclass
class Tries:
    """Filled in as call_with_retries() goes: how many requests went out, and the last failure."""

    count: int = 0
    last: LineError | None = None


def utc_now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


def call_with_retries(
    call: Callable[[], T],
    policy: RetryPolicy = DEFAULT_RETRY,
    *,
    limiter: Limiter | None = None,
    stop: threading.Event | None = None,
    not_after: dt.datetime | None = None,
    clock: Callable[[], dt.datetime] = utc_now,
    sleep: Callable[[float], object] | None = None,
    tries: Tries | None = None,
) -> T:
    """Run `call` until it succeeds, fails for good (LineError), or is stopped (Stopped, KeyExpiring)."""
    tries = tries if tries is not None else Tries()
    wait = sleep or (stop or _NEVER).wait
    while True:
        if stop is not None and stop.is_set() or limiter is not None and not limiter.wait(stop):
            raise Stopped(tries.last)
        next_attempt(tries, not_after, clock)
        try:
            return call()
        except LineError as error:
            wait(backoff(error, tries, policy, limiter))


def next_attempt(tries: Tries, not_after: dt.datetime | None, clock: Callable[[], dt.datetime]) -> None:
    """Count the attempt about to go, or raise KeyExpiring: its retry key is too old to send again (both loops)."""
    if not_after is not None and clock() > not_after:
        raise KeyExpiring(tries.last)
    tries.count += 1


def backoff(error: LineError, tries: Tries, policy: RetryPolicy, limiter: Limiter | None) -> float:
    """The seconds to wait before trying again after `error`, or the error itself when it is final (both loops)."""
    tries.last = error
    if not error.retryable or tries.count >= policy.attempts:
        raise error
    delay = policy.delay(tries.count, error)
    if error.status == 429 and limiter is not None:
        limiter.hold(delay)  # LINE counts the channel, not this caller: everyone waits
    return delay


def with_retries(call: Callable[[], T], policy: RetryPolicy = DEFAULT_RETRY, *,
                 sleep: Callable[[float], object] | None = None) -> T:
    """call_with_retries() with no limiter or stop flag, for a one-off call."""
    return call_with_retries(call, policy, sleep=sleep)
