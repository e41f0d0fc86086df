"""One runner at a time: the automations runner's lease (store/leases.py), taken with a compare-and-set,
renewed while sending, released on exit, and expiring if its holder dies (at once when the holder was on
this machine and its process is gone). Wall-clock time, not the run's `--now`: the lease is about live
processes."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from contextlib import contextmanager

from shopline.core.messages import ShopLineError, Text
from shopline.store import leases

NAME = "run-due"
TTL = dt.timedelta(minutes=10)


class LeaseHeld(ShopLineError):
    exit_code = 0  # the other runner is doing the work: for a scheduler this is no failure


def acquire(name: str = NAME, ttl: dt.timedelta = TTL) -> str | None:
    """A holder id, or None while someone else holds a live lease."""
    return leases.acquire(name, ttl)


def renew(holder: str, name: str = NAME, ttl: dt.timedelta = TTL) -> bool:
    return leases.renew(holder, name, ttl)


def release(holder: str, name: str = NAME) -> None:
    leases.release(holder, name)


def holder_text(name: str = NAME) -> Text:
    row = leases.current_holder(name)
    where = f"{row.host} (pid {row.pid})" if row else "?"
    return Text(f"ほかの実行({where})が配信中のため、今回は何もしませんでした。終わると次の実行で続きます。",
                f"Another run ({where}) is sending, so this one did nothing; the next run carries on after it.")


@contextmanager
def held(name: str = NAME) -> Iterator[str]:
    holder = acquire(name)
    if holder is None:
        raise LeaseHeld(holder_text(name))
    try:
        yield holder
    finally:
        release(holder, name)
