"""LINE's hourly insight limit (60 requests) counted in the store, so the window and the CLI share it.

Each request takes a RateSlot row inside a write transaction (the write lock first, so two processes
cannot both see the 60th slot free); slots older than the period are deleted as they expire. A 429
writes a RateHold that every process honours. The clock is wall time (epoch seconds): monotonic clocks
are not comparable between processes.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable

from peewee import fn

from shopline.line import limits
from shopline.line.limits import Family
from shopline.store.connection import db
from shopline.store.insight_models import RateHold, RateSlot
from shopline.store.sqlite import write_transaction

_NEVER = threading.Event()


class StoreLimiter:
    """limits' Limiter shape (wait, hold), with its state in the store's RateSlot and RateHold tables."""

    def __init__(self, channel: str, family: Family, *, clock: Callable[[], float] = time.time,
                 sleep: Callable[[float], object] | None = None,
                 on_wait: Callable[[float], object] | None = None) -> None:
        self.channel, self.family = channel, family.name
        self.count, self.period = int(family.rate or family.limit), family.period
        self.clock, self._sleep, self.on_wait = clock, sleep, on_wait

    def _mine(self, model: type[RateSlot] | type[RateHold]):  # noqa: ANN202 - a peewee expression
        return (model.channel == self.channel) & (model.family == self.family)

    def _ready_at(self, now: float) -> float:
        RateSlot.delete().where(self._mine(RateSlot) & (RateSlot.at <= now - self.period)).execute()
        held = RateHold.get_or_none(self._mine(RateHold))
        until = held.until if held else 0.0
        used, oldest = RateSlot.select(fn.COUNT(RateSlot.id), fn.MIN(RateSlot.at)).where(
            self._mine(RateSlot)).scalar(as_tuple=True)
        return max(until, oldest + self.period if used >= self.count else now)

    def try_acquire(self) -> float:
        """Take a slot now and answer 0, or take nothing and answer the seconds until one is free."""
        with write_transaction(db):
            now = self.clock()
            ready = self._ready_at(now)
            if ready <= now:
                RateSlot.create(channel=self.channel, family=self.family, at=now)
                return 0.0
            return ready - now

    def ready_in(self) -> float:
        """Seconds until a request may go (0: now), taking nothing."""
        with write_transaction(db):
            now = self.clock()
            return max(self._ready_at(now) - now, 0.0)

    def used(self) -> int:
        now = self.clock()
        return RateSlot.select().where(self._mine(RateSlot) & (RateSlot.at > now - self.period)).count()

    def wait(self, stop: threading.Event | None = None) -> bool:
        while True:
            delay = self.try_acquire()
            if delay <= 0:
                return True
            if self.on_wait is not None:
                self.on_wait(delay)
            (self._sleep or (stop or _NEVER).wait)(delay)
            if stop is not None and stop.is_set():
                return False

    def hold(self, seconds: float) -> None:
        with write_transaction(db):
            until = self.clock() + seconds
            held = RateHold.get_or_none(self._mine(RateHold))
            if held is None:
                RateHold.create(channel=self.channel, family=self.family, until=until)
            elif held.until < until:
                RateHold.update(until=until).where(self._mine(RateHold)).execute()


def store_factory(channel: str, family: Family) -> StoreLimiter:
    return StoreLimiter(channel, family)


def install() -> None:
    """From now on the insight family's limiter in this process is the store's (idempotent)."""
    limits.use_factory(store_factory)
