"""Today in the shop's time zone (Setting shop.timezone, else the machine's): what relative dates count from.

The same setting automations.shop_time writes; read here because segment SQL, a layer below, needs the date too.
"""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from shopline.store.models import Setting

TZ_KEY = "shop.timezone"


def shop_today(now: dt.datetime | None = None) -> dt.date:
    """The shop's date at `now` (an aware time; the present by default)."""
    moment = now or dt.datetime.now(dt.UTC)
    row = Setting.get_or_none(Setting.key == TZ_KEY)
    if row and row.value:
        try:
            return moment.astimezone(ZoneInfo(row.value)).date()
        except (ZoneInfoNotFoundError, ValueError):
            pass
    return moment.astimezone().date()
