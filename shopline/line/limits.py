"""One limiter per (channel, endpoint family), shared by every caller in the process.

Two sends at once, a sync during a send, the composer's quota check: they all take
their turns from the same limiter, so together they stay under LINE's per-channel
limits (LINE.md, "Rate limits"). A 429 held on one limiter holds every caller of it.

The channel is a fingerprint of the token, so the registry never keeps the token.
Families marked `persisted` (LINE's hourly limits) must be shared between processes
too (the window and `shopline run-due`): a store-backed limiter plugs in for them
through use_factory(); until one does, they are counted in this process.
"""

from __future__ import annotations

import hashlib
import threading
from collections.abc import Callable
from dataclasses import dataclass

from shopline.line.pacing import MULTICAST_RATE, Limiter, RateLimiter, WindowLimiter


@dataclass(frozen=True)
class Family:
    name: str
    limit: int  # LINE's figure: requests per `period` seconds per channel
    period: float = 1.0
    rate: float | None = None  # what we aim at, under the limit; None: the limit itself
    persisted: bool = False  # hourly and daily limits: counted across processes when a store is plugged in


MULTICAST = Family("multicast", 200, rate=MULTICAST_RATE)
PUSH = Family("push", 2000, rate=1800)
# "Other endpoints" are 2,000/s each; 80% leaves room for the web manager and other tools.
PROFILE = Family("profile", 2000, rate=1600)
FOLLOWERS = Family("followers", 2000, rate=1600)
QUOTA = Family("quota", 2000, rate=1600)
VALIDATE = Family("validate", 2000, rate=1600)
BOT_INFO = Family("bot_info", 2000, rate=1600)
INSIGHT = Family("insight", 60, period=3600.0, persisted=True)

LimiterFactory = Callable[[str, Family], Limiter]


def in_process(channel: str, family: Family) -> Limiter:
    if family.period == 1.0:
        return RateLimiter(family.rate or family.limit)
    return WindowLimiter(int(family.rate or family.limit), family.period)


_lock = threading.Lock()
_limiters: dict[tuple[str, str], Limiter] = {}
_factory: LimiterFactory | None = None  # for persisted families


def channel_of(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()[:16]


def limiter(channel: str, family: Family) -> Limiter:
    """The one limiter for this channel and family in this process."""
    with _lock:
        found = _limiters.get((channel, family.name))
        if found is None:
            make = _factory if family.persisted and _factory is not None else in_process
            found = _limiters[(channel, family.name)] = make(channel, family)
        return found


def use_factory(factory: LimiterFactory | None) -> None:
    """Make persisted families' limiters with `factory` (the store's) from now on; None: back to in-process."""
    global _factory
    with _lock:
        _factory = factory
        for key in [k for k in _limiters if _family_persisted(k[1])]:
            del _limiters[key]


def _family_persisted(name: str) -> bool:
    return any(f.name == name and f.persisted for f in FAMILIES)


FAMILIES = (MULTICAST, PUSH, PROFILE, FOLLOWERS, QUOTA, VALIDATE, BOT_INFO, INSIGHT)
