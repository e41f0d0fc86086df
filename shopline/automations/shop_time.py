"""The shop's time zone: the machine's, unless the setting says otherwise; and reading stored times."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from shopline.store.models import Setting

TZ_KEY = "shop.timezone"  # an IANA name, e.g. Asia/Tokyo


def shop_tz() -> dt.tzinfo:
    row = Setting.get_or_none(Setting.key == TZ_KEY)
    if row and row.value:
        try:
            return ZoneInfo(row.value)
        except (ZoneInfoNotFoundError, ValueError):
            pass
    local = dt.datetime.now().astimezone().tzinfo
    assert local is not None
    return local


def set_shop_tz(name: str | None) -> None:
    if not name:
        Setting.delete().where(Setting.key == TZ_KEY).execute()
        return
    ZoneInfo(name)  # refuses a name that is no zone
    Setting.replace(key=TZ_KEY, value=name).execute()


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
