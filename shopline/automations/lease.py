"""One runner at a time: a lease row in the database, taken with a compare-and-set, renewed while sending,
released on exit, and expiring if its holder dies (at once when the holder was on this machine and its
process is gone). Wall-clock time, not the run's `--now`: the lease is about live processes."""

from __future__ import annotations

import datetime as dt
import os
import socket
import uuid
from collections.abc import Iterator
from contextlib import contextmanager

from shopline.automations.shop_time import utc, utc_now
from shopline.core.messages import ShopLineError, Text
from shopline.store.automation_models import Lease
from shopline.store.connection import db
from shopline.store.sqlite import write_transaction

NAME = "run-due"
TTL = dt.timedelta(minutes=10)


class LeaseHeld(ShopLineError):
    exit_code = 0  # the other runner is doing the work: for a scheduler this is no failure


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def acquire(name: str = NAME, ttl: dt.timedelta = TTL) -> str | None:
    """A holder id, or None while someone else holds a live lease."""
    holder = str(uuid.uuid4())
    host = socket.gethostname()
    with write_transaction(db):
        row = Lease.get_or_none(Lease.name == name)
        if row is not None and utc(row.expires_at) > utc_now():
            if not (row.host == host and row.pid != os.getpid() and not _alive(row.pid)):
                return None
        Lease.replace(name=name, holder=holder, host=host, pid=os.getpid(), expires_at=utc_now() + ttl).execute()
    return holder


def renew(holder: str, name: str = NAME, ttl: dt.timedelta = TTL) -> bool:
    return bool(Lease.update(expires_at=utc_now() + ttl)
                .where((Lease.name == name) & (Lease.holder == holder)).execute())


def release(holder: str, name: str = NAME) -> None:
    Lease.delete().where((Lease.name == name) & (Lease.holder == holder)).execute()


def holder_text(name: str = NAME) -> Text:
    row = Lease.get_or_none(Lease.name == name)
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
