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


def unit_range(first_sent: dt.datetime, last_sent: dt.datetime, now: dt.datetime) -> tuple[dt.date, dt.date]:
    """The from..to (UTC+9 dates) to ask about an aggregation unit several sends share (a step's daily runs): up to
    14 days after its last send, reaching back as far as LINE allows (30 days), not before its first."""
    end = max(min(jst_date(last_sent + FINAL_AFTER), jst_date(now)), jst_date(first_sent))
    start = max(jst_date(first_sent), end - dt.timedelta(days=MAX_SPAN_DAYS))
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


class _Rates:
    """Opened and clicked ÷ sent, for anything that carries LINE's two figures beside our count of sends."""

    impressions: Figure
    clicks: Figure
    sent: int

    @property
    def open_rate(self) -> float | None:
        return rate(self.impressions, self.sent)

    @property
    def click_rate(self) -> float | None:
        """Clicks ÷ sent: of everyone sent to, how many opened a link."""
        return rate(self.clicks, self.sent)


@dataclass(frozen=True)
class SharedUnit(_Rates):
    """LINE's figures for an aggregation unit several campaigns share (a step's daily runs, a schedule sent again
    under one unit). LINE counts the unit as a whole, so these belong to all of them together, never to one: the
    sends counted are those within the figures' dates."""

    unit: str
    campaigns: int  # the unit's sends within range_from..range_to
    sent: int  # recipients LINE accepted over those sends
    impressions: Figure = None
    clicks: Figure = None
    range_from: dt.date | None = None  # None: not fetched yet
    range_to: dt.date | None = None
    fetched_at: dt.datetime | None = None


def together(wholes: list[SharedUnit]) -> SharedUnit | None:
    """Units whose sends reached different friends (a step's two branches) as one: figures add up, a null in
    either leaves the sum unknown. Only fetched units count, so the rate divides what LINE counted by its sends."""
    fetched = [w for w in wholes if w.range_from is not None and w.range_to is not None]
    if not fetched:
        return SharedUnit("+".join(w.unit for w in wholes), sum(w.campaigns for w in wholes),
                          sum(w.sent for w in wholes)) if wholes else None

    def total(values: list[Figure]) -> Figure:
        return None if any(v is None for v in values) else sum(v for v in values if v is not None)

    return SharedUnit("+".join(w.unit for w in fetched), sum(w.campaigns for w in fetched),
                      sum(w.sent for w in fetched), total([w.impressions for w in fetched]),
                      total([w.clicks for w in fetched]), min(w.range_from for w in fetched if w.range_from),
                      max(w.range_to for w in fetched if w.range_to),
                      max((w.fetched_at for w in fetched if w.fetched_at), default=None))


SHARED = Text("合算", "combined")  # a campaign's own figure when LINE counts it only together with others


def own_count(f: CampaignFigures, value: Figure) -> str:
    """One of LINE's figures for this campaign as shown: 合算 when LINE counted it only with its unit's others."""
    return str(SHARED) if f.shared is not None else show_count(value)


def own_rate(f: CampaignFigures, value: float | None) -> str:
    return str(SHARED) if f.shared is not None else show_rate(value)


def shared_sentence(whole: SharedUnit) -> Text:
    """Why this campaign's own opens are not known, and what its unit's sends made together."""
    why = Text("LINEはこの配信を同じ集計単位の配信（シナリオのステップの毎日の配信など）とまとめて数えるため、"
               "1回分の開封・クリックは分かりません。",
               "LINE counts this send together with the others sharing its aggregation unit (a scenario step's "
               "daily sends, for example), so one send's own opens and clicks are not known. ")
    if whole.range_from is None or whole.range_to is None:
        return Text(why.ja + "合計はまだ取得していません。「LINEから取得」を押してください。",
                    why.en + "Their combined figures have not been fetched yet: press Fetch from LINE.")
    def count(value: Figure, fewer: str) -> str:
        return fewer if value is None else f"{value:,}"

    opened, clicked = show_rate(whole.open_rate), show_rate(whole.click_rate)
    return Text(
        why.ja + f"{whole.range_from:%m/%d}〜{whole.range_to:%m/%d}の{whole.campaigns:,}回の配信"
                 f"（送信{whole.sent:,}人）の合計：開封{count(whole.impressions, FEWER_THAN_20.ja)}（{opened}）、"
                 f"クリック{count(whole.clicks, FEWER_THAN_20.ja)}（{clicked}）。",
        why.en + f"Together, its {whole.campaigns:,} sends of {whole.range_from:%m/%d}–{whole.range_to:%m/%d} "
                 f"(sent to {whole.sent:,}): opened {count(whole.impressions, FEWER_THAN_20.en)} ({opened}), "
                 f"clicked {count(whole.clicks, FEWER_THAN_20.en)} ({clicked}).")


@dataclass(frozen=True)
class CampaignFigures(_Rates):
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
    shared: SharedUnit | None = None  # set: LINE's figures are the unit's, so this campaign's own are unknown

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
