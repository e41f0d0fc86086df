"""The shop's time zone: the machine's, unless the setting says otherwise; and reading stored times."""

from __future__ import annotations

import datetime as dt

from shopline.store.shop_clock import set_shop_zone as set_shop_tz
from shopline.store.shop_clock import shop_zone as shop_tz

__all__ = ["local_naive_to_utc", "set_shop_tz", "shop_tz", "stamp", "utc", "utc_now"]


def utc(value: dt.datetime | str) -> dt.datetime:
    """A stored time as aware UTC. Ours are written aware; a naive one is UTC too (SQLite's CURRENT_TIMESTAMP)."""
    if isinstance(value, str):
        value = dt.datetime.fromisoformat(value)
    return value.replace(tzinfo=dt.UTC) if value.tzinfo is None else value.astimezone(dt.UTC)


def local_naive_to_utc(value: dt.datetime) -> dt.datetime:
    """Friend.created_at and other first-wave times: naive, in the machine's local time."""
    return value.astimezone(dt.UTC)


def utc_now() -> dt.datetime:
    return dt.datetime.now(dt.UTC).replace(microsecond=0)


def stamp(value: dt.datetime) -> str:
    """How our times are stored and compared in SQL: aware UTC, whole seconds, '+00:00' (as the journal's)."""
    return value.astimezone(dt.UTC).replace(microsecond=0).isoformat(sep=" ")
