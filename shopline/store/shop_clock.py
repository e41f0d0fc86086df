"""The shop's time zone (Setting shop.timezone, else the machine's) and today's date in it.

Relative dates (days_since, birthdays, quiet hours, conversions) all count from here; it lives in the store
because segment SQL, a layer below the automations, needs the date too.
"""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from shopline.store.settings import SHOP_TIMEZONE


def shop_zone() -> dt.tzinfo:
    """The zone the setting names; the machine's when it names none, or one this machine does not know."""
    name = SHOP_TIMEZONE.get()
    if name:
        try:
            return ZoneInfo(name)
        except (ZoneInfoNotFoundError, ValueError):
            pass
    local = dt.datetime.now().astimezone().tzinfo
    assert local is not None
    return local


def set_shop_zone(name: str | None) -> None:
    """Refuses (ZoneInfoNotFoundError/ValueError) a name that is no zone; empty: the machine's again."""
    if not name:
        SHOP_TIMEZONE.clear()
        return
    ZoneInfo(name)
    SHOP_TIMEZONE.set(name)


def shop_today(now: dt.datetime | None = None) -> dt.date:
    """The shop's date at `now` (an aware time; the present by default)."""
    return (now or dt.datetime.now(dt.UTC)).astimezone(shop_zone()).date()
