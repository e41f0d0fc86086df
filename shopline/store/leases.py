"""Claims on work that must have one holder at a time, across processes and PCs: a lease row taken with a
compare-and-set inside a write transaction, renewed while the work goes on, released when it ends, and
expiring if its holder dies (at once when the holder was a process on this machine that is gone).

A campaign being sent is claimed under `campaign:<id>`; the automations runner under its own name. Wall-clock
UTC throughout: a lease is about live processes, not about the time a run pretends it is.
"""

from __future__ import annotations

import datetime as dt
import os
import socket
import uuid
from dataclasses import dataclass

from shopline.store.automation_models import Lease
from shopline.store.connection import db
from shopline.store.sqlite import write_transaction


def _utc_now() -> dt.datetime:
    return dt.datetime.now(dt.UTC).replace(microsecond=0)


def _utc(value: dt.datetime | str) -> dt.datetime:
    if isinstance(value, str):
        value = dt.datetime.fromisoformat(value)
    return value.replace(tzinfo=dt.UTC) if value.tzinfo is None else value.astimezone(dt.UTC)


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # someone else's process: it exists
        return True
    except OSError:  # Windows answers other errors for a pid that is gone
        return False
    return True


@dataclass(frozen=True)
class Holder:
    host: str
    pid: int


def acquire(name: str, ttl: dt.timedelta) -> str | None:
    """A holder id, or None while another live holder has the lease."""
    holder = str(uuid.uuid4())
    host = socket.gethostname()
    with write_transaction(db):
        row = Lease.get_or_none(Lease.name == name)
        if row is not None and _utc(row.expires_at) > _utc_now():
            # Only a holder on this machine whose process has ended can be taken over before it expires.
            if not (row.host == host and row.pid != os.getpid() and not _alive(row.pid)):
                return None
        Lease.insert(name=name, holder=holder, host=host, pid=os.getpid(), expires_at=_utc_now() + ttl) \
            .on_conflict_replace().execute()
    return holder


def renew(holder: str, name: str, ttl: dt.timedelta) -> bool:
    """False when the lease is no longer ours (it expired and someone else took it)."""
    return bool(Lease.update(expires_at=_utc_now() + ttl)
                .where((Lease.name == name) & (Lease.holder == holder)).execute())


def release(holder: str, name: str) -> None:
    Lease.delete().where((Lease.name == name) & (Lease.holder == holder)).execute()


def current_holder(name: str) -> Holder | None:
    row = Lease.get_or_none(Lease.name == name)
    if row is None or _utc(row.expires_at) <= _utc_now():
        return None
    return Holder(row.host, row.pid)
