"""The insight limiter kept in the store: 60 an hour across processes, a 429 held for everyone, a simulated clock."""

from __future__ import annotations

import subprocess
import sys
import textwrap

from shopline.line.limits import INSIGHT, Family
from shopline.results.limiter import StoreLimiter
from shopline.store.insight_models import RateSlot

SMALL = Family("insight", 6, period=3600.0, persisted=True)


class Clock:
    def __init__(self) -> None:
        self.now = 1_000_000.0

    def __call__(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.now += seconds


def test_at_most_the_limit_in_any_period_and_slots_expire(store):
    clock = Clock()
    limiter = StoreLimiter("chan", INSIGHT, clock=clock, sleep=clock.sleep)
    taken = []
    for _ in range(130):
        assert limiter.wait()
        taken.append(clock.now)
    assert all(b - a >= 3600 for a, b in zip(taken, taken[60:], strict=False))  # the 61st waits out the first
    assert taken[59] == taken[0] and taken[60] == taken[0] + 3600
    assert RateSlot.select().count() <= 60  # expired slots are removed


def test_a_hold_after_429_stops_every_caller_until_it_ends(store):
    clock = Clock()
    first = StoreLimiter("chan", SMALL, clock=clock, sleep=clock.sleep)
    other = StoreLimiter("chan", SMALL, clock=clock, sleep=clock.sleep)  # another process, same store
    first.hold(120)
    assert other.try_acquire() == 120
    assert other.wait() and clock.now == 1_000_120.0
    assert StoreLimiter("another channel", SMALL, clock=clock).try_acquire() == 0


_TAKE = textwrap.dedent("""
    import sys
    from shopline.store import open_store
    from shopline.line.limits import Family
    from shopline.results.limiter import StoreLimiter
    open_store(sys.argv[1])
    limiter = StoreLimiter("chan", Family("insight", 6, period=3600.0, persisted=True))
    print(sum(limiter.try_acquire() == 0 for _ in range(5)))
""")


def test_two_processes_share_one_limit(store):
    procs = [subprocess.Popen([sys.executable, "-c", _TAKE, str(store)], stdout=subprocess.PIPE, text=True)
             for _ in range(2)]
    granted = [int(p.communicate(timeout=60)[0].strip()) for p in procs]
    assert sum(granted) == 6 and all(p.returncode == 0 for p in procs)
    assert RateSlot.select().count() == 6
