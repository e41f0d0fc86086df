"""効果測定 in pure Python: rates that respect LINE's nulls, finality, date ranges, the cost of a send, goals.

LINE reports a figure under 20 users as null. Here a null stays None all the way to the
screen, where it reads 「20人未満」/"fewer than 20" — never 0 — and a rate with a null (or a
zero) on either side is None too: a rate computed from a hidden figure would be invented.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal

from shopline.core.messages import Text
from shopline.core.plans import Plan, extra_cost

Figure = int | None  # None: LINE's null, fewer than 20 users (or not known yet)

JST = dt.timezone(dt.timedelta(hours=9), "JST")  # LINE's insight dates are UTC+9, whatever the shop's zone
FINAL_AFTER = dt.timedelta(days=14)  # LINE's per-unit figures stop changing 14 days after the send
MAX_SPAN_DAYS = 30  # the aggregation endpoint's from..to may span at most 30 days
BLOCK_WINDOW = dt.timedelta(days=7)  # a block this soon after a send is counted against it

FEWER_THAN_20 = Text("20人未満", "fewer than 20")
NOT_YET = Text("未取得", "not fetched")


def rate(numerator: Figure, denominator: Figure) -> float | None:
    """numerator ÷ denominator, or None when either is unknown or the denominator is zero."""
    if numerator is None or denominator is None or denominator == 0:
        return None
    return numerator / denominator


def show_count(value: Figure) -> str:
    return str(FEWER_THAN_20) if value is None else f"{value:,}"


def show_rate(value: float | None) -> str:
    return "—" if value is None else f"{value * 100:.1f}%"


def yyyymmdd(day: dt.date) -> str:
    return day.strftime("%Y%m%d")


def jst_date(at: dt.datetime) -> dt.date:
    """The UTC+9 date of a moment; a naive time is the machine's local time, as the store keeps them."""
    aware = at if at.tzinfo is not None else at.astimezone()
    return aware.astimezone(JST).date()


def aggregation_range(sent_at: dt.datetime, now: dt.datetime) -> tuple[dt.date, dt.date]:
    """The from..to (UTC+9 dates) to ask about a send: its day up to 14 days on, but not past today."""
    start = jst_date(sent_at)
    end = min(jst_date(sent_at + FINAL_AFTER), jst_date(now))
    end = max(end, start)
    assert (end - start).days <= MAX_SPAN_DAYS
    return start, end


def is_final(sent_at: dt.datetime, fetched_at: dt.datetime) -> bool:
    """Figures fetched 14 days or more after the send no longer change: never ask again."""
    return _aware(fetched_at) - _aware(sent_at) >= FINAL_AFTER


def _aware(at: dt.datetime) -> dt.datetime:
    return at if at.tzinfo is not None else at.astimezone()


def within(event_at: dt.datetime | None, sent_at: dt.datetime, window: dt.timedelta) -> bool:
    return event_at is not None and _aware(sent_at) <= _aware(event_at) <= _aware(sent_at) + window


def send_cost(plan: Plan | None, used_before: int, count: int) -> Decimal | None:
    """Yen (tax excluded) a send of `count` cost: its share of the monthly fee, plus extra messages at the
    month's tier. Messages inside the plan cost fee ÷ included each; None when the plan is not known."""
    if plan is None or count < 0 or used_before < 0:
        return None
    inside = max(min(used_before + count, plan.included) - used_before, 0)
    share = Decimal(plan.monthly_fee) * inside / plan.included if plan.included else Decimal(0)
    return (share + extra_cost(plan, used_before, count)).quantize(Decimal("1"))


@dataclass(frozen=True)
class UrlClicks:
    url: str
    clicks: Figure  # times opened
    unique_clicks: Figure  # people who opened this link


@dataclass(frozen=True)
class Goal:
    """A campaign's targets (目標), as fractions: 0.4 is 40%. None: no target for that figure."""

    open_rate: float | None = None
    click_rate: float | None = None
    conversion_rate: float | None = None

    def __bool__(self) -> bool:
        return any(v is not None for v in (self.open_rate, self.click_rate, self.conversion_rate))


@dataclass(frozen=True)
class Versus:
    """予実: a target against the actual figure."""

    target: float | None
    actual: float | None

    @property
    def achieved(self) -> bool | None:
        """None when there is no target or the actual figure is unknown (a null is not a miss)."""
        if self.target is None or self.actual is None:
            return None
        return self.actual >= self.target

    @property
    def ratio(self) -> float | None:
        return rate_f(self.actual, self.target)


def rate_f(numerator: float | None, denominator: float | None) -> float | None:
    if numerator is None or denominator is None or denominator == 0:
        return None
    return numerator / denominator


@dataclass(frozen=True)
class CampaignFigures:
    """One campaign's results: our own journal's counts beside LINE's (possibly null) figures."""

    name: str
    sent: int  # recipients LINE accepted (our journal); not "delivered": LINE accepts blocked users too
    sent_at: dt.datetime | None
    impressions: Figure = None  # unique people who opened
    clicks: Figure = None  # unique people who opened any link
    urls: tuple[UrlClicks, ...] = ()
    cost_yen: Decimal | None = None
    blocks_after: int = 0
    conversions: int | None = None  # None: no conversion chosen for this campaign
    revenue: Decimal | None = None  # from purchases, once they exist
    fetched_at: dt.datetime | None = None
    final: bool = False
    goal: Goal = field(default_factory=Goal)

    @property
    def open_rate(self) -> float | None:
        return rate(self.impressions, self.sent)

    @property
    def click_rate(self) -> float | None:
        """Clicks ÷ sent: of everyone sent to, how many opened a link."""
        return rate(self.clicks, self.sent)

    @property
    def click_through(self) -> float | None:
        """Clicks ÷ impressions: of those who opened the message, how many opened a link."""
        return rate(self.clicks, self.impressions)

    @property
    def block_rate(self) -> float | None:
        return rate(self.blocks_after, self.sent)

    @property
    def conversion_rate(self) -> float | None:
        return rate(self.conversions, self.sent)

    @property
    def roi(self) -> float | None:
        """Revenue ÷ cost of the send; None without revenue, or when the send cost nothing."""
        if self.revenue is None or self.cost_yen is None or self.cost_yen == 0:
            return None
        return float(self.revenue / self.cost_yen)

    def versus(self) -> dict[str, Versus]:
        return {"open_rate": Versus(self.goal.open_rate, self.open_rate),
                "click_rate": Versus(self.goal.click_rate, self.click_rate),
                "conversion_rate": Versus(self.goal.conversion_rate, self.conversion_rate)}


def follower_dates_missing(today: dt.date, have: set[dt.date], days: int = 30) -> list[dt.date]:
    """The account days (UTC+9) of the last `days` not yet known, newest first. Today is never ready."""
    wanted = [today - dt.timedelta(days=n) for n in range(1, days + 1)]
    return [d for d in wanted if d not in have]
