"""The account over time (推移): followers, targeted reaches and blocks per day, with each send marked."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from shopline.core.results import jst_date
from shopline.results.figures import sent_times
from shopline.store.campaign_models import Campaign
from shopline.store.insight_models import FollowerDay


@dataclass(frozen=True)
class Day:
    day: dt.date
    status: str
    followers: int | None
    targeted_reaches: int | None
    blocks: int | None


@dataclass(frozen=True)
class Send:
    day: dt.date  # UTC+9, as the trend's days are
    name: str
    sent: int


@dataclass(frozen=True)
class Trend:
    days: list[Day]
    sends: list[Send]


def _date(value: object) -> dt.date:
    return value if isinstance(value, dt.date) else dt.date.fromisoformat(str(value))


def trend(days: int = 30, today: dt.date | None = None) -> Trend:
    """The last `days` days (UTC+9) the store knows, oldest first, and the sends among them."""
    today = today or jst_date(dt.datetime.now(dt.UTC))
    first = today - dt.timedelta(days=days)
    rows = [Day(_date(r.day), r.status, r.followers, r.targeted_reaches, r.blocks)
            for r in FollowerDay.select().where(FollowerDay.day >= first).order_by(FollowerDay.day)]
    names = dict(Campaign.select(Campaign.id, Campaign.name).tuples())
    sends = []
    for cid, (size, at) in sent_times().items():
        if at is None:
            continue
        day = jst_date(dt.datetime.fromtimestamp(at, dt.UTC))
        if first <= day <= today:
            sends.append(Send(day, names.get(cid, "?"), size))
    sends.sort(key=lambda s: (s.day, s.name))
    return Trend(rows, sends)
