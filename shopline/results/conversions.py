"""What counts as a conversion for a campaign, its goals, and the purchases that count.

A conversion is a recipient who, within N days of the send, gained the chosen tag (`購入済み`, `来店`)
or bought something (a Purchase row of theirs, issue 16): each recipient counts once, whichever they
did. FriendTag.added_at says when a tag came, for links made since the store had that column (older
links have no time and are not counted: when they were made is not known). Purchase.at is the shop's
local time, as the register wrote it, so the send's window is turned into the shop's time to compare.
Revenue is what those purchases came to; with no purchase data at all it stays unknown (None), never 0.
register_purchase_source() lets another source of purchases stand in for the store's.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal

from shopline.core.changes import Changes
from shopline.core.folding import fold
from shopline.core.messages import ShopLineError, Text
from shopline.core.results import Goal
from shopline.store.campaign_models import Campaign
from shopline.store.connection import db
from shopline.store.insight_models import CampaignGoal
from shopline.store.shop_clock import shop_zone
from shopline.store.sqlite import write_transaction


@dataclass(frozen=True)
class PurchaseFigures:
    buyers: int  # recipients who bought within the window
    revenue: Decimal | None  # None where amounts are not known


# (campaign id, window start UTC, window end UTC) -> what recipients bought in that window.
PurchaseSource = Callable[[int, dt.datetime, dt.datetime], PurchaseFigures]
_purchase_source: PurchaseSource | None = None


def register_purchase_source(source: PurchaseSource | None) -> None:
    """Count purchases from `source` instead of the store's Purchase table (None: the store's again)."""
    global _purchase_source
    _purchase_source = source


def purchase_source() -> PurchaseSource | None:
    return _purchase_source


@dataclass(frozen=True)
class Settings:
    goal: Goal
    tag: str | None
    days: int
    purchase_days: int | None


NONE = Settings(Goal(), None, 7, None)


def settings_for(campaign: Campaign) -> Settings:
    row = CampaignGoal.get_or_none(CampaignGoal.campaign == campaign)
    return NONE if row is None else _settings(row)


def _settings(row: CampaignGoal) -> Settings:
    return Settings(Goal(row.open_rate, row.click_rate, row.conversion_rate), row.conversion_tag,
                    row.conversion_days, row.purchase_days)


def all_settings() -> dict[int, Settings]:
    return {row.campaign_id: _settings(row) for row in CampaignGoal.select()}


_UNSET = object()


def set_goal(campaign: Campaign, *, open_rate: object = _UNSET, click_rate: object = _UNSET,
             conversion_rate: object = _UNSET, tag: object = _UNSET, days: object = _UNSET,
             purchase_days: object = _UNSET) -> Changes:
    """Change only what is given; None clears a target or the conversion tag."""
    values: dict[str, object] = {}
    for name, value in (("open_rate", open_rate), ("click_rate", click_rate), ("conversion_rate", conversion_rate)):
        if value is not _UNSET:
            if value is not None and not (isinstance(value, int | float) and 0 <= float(value) <= 1):
                raise ShopLineError(Text("目標は0%から100%の間で指定してください。",
                                         "A target must be between 0% and 100%."))
            values[name] = value
    if tag is not _UNSET:
        values["conversion_tag"] = fold(str(tag)).strip() or None if tag is not None else None
    for name, value in (("conversion_days", days), ("purchase_days", purchase_days)):
        if value is not _UNSET:
            if value is not None and not (isinstance(value, int) and 1 <= value <= 365):
                raise ShopLineError(Text("日数は1から365までの整数で指定してください。",
                                         "Give the number of days as a whole number from 1 to 365."))
            values[name] = value
    with write_transaction(db):
        row = CampaignGoal.get_or_none(CampaignGoal.campaign == campaign)
        if row is None:
            CampaignGoal.create(campaign=campaign, **values)
        elif values:
            CampaignGoal.update(**values).where(CampaignGoal.campaign == campaign).execute()
    return Changes(insights=True)


@dataclass(frozen=True)
class Outcome:
    """A campaign's conversions and the revenue of its recipients' purchases; None where not known."""

    conversions: int | None
    revenue: Decimal | None


def has_purchases() -> bool:
    """Whether any purchase data exists: until it does, purchases are not offered as a conversion."""
    return bool(db.execute_sql("SELECT EXISTS (SELECT 1 FROM purchase)").fetchone()[0])


def _shop_time(epoch: float, zone: dt.tzinfo) -> str:
    """As the purchases import writes Purchase.at: the shop's wall time, to the second."""
    return dt.datetime.fromtimestamp(epoch, zone).replace(tzinfo=None, microsecond=0).isoformat(sep=" ")


def outcomes(sent_at: dict[int, float], settings: dict[int, Settings]) -> dict[int, Outcome]:
    """Per campaign with a conversion chosen: distinct recipients who converted, and the revenue of purchases.

    `sent_at` maps campaign ids to the send's epoch seconds. Two GROUP BYs over every such campaign; a
    campaign without a conversion tag or purchase days has no entry (its conversions are not known).
    """
    chosen = {cid: s for cid, s in settings.items() if cid in sent_at and (s.tag or s.purchase_days)}
    if not chosen:
        return {}
    source = _purchase_source
    bought = has_purchases() if source is None else False
    zone = shop_zone()
    rows: list[object] = []
    for cid, s in chosen.items():
        at = sent_at[cid]
        days = s.purchase_days if bought else None
        rows += [cid, at, at + s.days * 86400, s.tag,
                 _shop_time(at, zone) if days else None, _shop_time(at + days * 86400, zone) if days else None]
    values = ", ".join("(?, ?, ?, ?, ?, ?)" for _ in chosen)
    sent = f"sent(campaign_id, at, tag_until, tag, buy_from, buy_until) AS (VALUES {values})"
    # A recipient who gained the tag and also bought is one conversion: UNION, then count.
    converted = f"""
        WITH {sent}, converted(campaign_id, friend_id) AS (
            SELECT r.campaign_id, r.friend_id
            FROM sent s
            JOIN tag t ON t.name = s.tag
            JOIN recipient r ON r.campaign_id = s.campaign_id
            JOIN friend_tag ft ON ft.friend_id = r.friend_id AND ft.tag_id = t.id
            WHERE ft.added_at IS NOT NULL
              AND CAST(strftime('%s', ft.added_at) AS REAL) BETWEEN s.at AND s.tag_until
            UNION
            SELECT r.campaign_id, r.friend_id
            FROM sent s
            JOIN recipient r ON r.campaign_id = s.campaign_id
            WHERE s.buy_from IS NOT NULL AND EXISTS (
                SELECT 1 FROM purchase p WHERE p.friend_id = r.friend_id AND p.at BETWEEN s.buy_from AND s.buy_until))
        SELECT campaign_id, count(*) FROM converted GROUP BY campaign_id"""
    found = {cid: int(n) for cid, n in db.execute_sql(converted, rows)}
    revenue: dict[int, Decimal] = {}
    if bought:
        spent = f"""
            WITH {sent}
            SELECT s.campaign_id, coalesce(sum(p.amount), 0)
            FROM sent s
            JOIN recipient r ON r.campaign_id = s.campaign_id
            JOIN purchase p ON p.friend_id = r.friend_id AND p.at BETWEEN s.buy_from AND s.buy_until
            WHERE s.buy_from IS NOT NULL
            GROUP BY s.campaign_id"""
        revenue = {cid: Decimal(int(total)) for cid, total in db.execute_sql(spent, rows)}
    out: dict[int, Outcome] = {}
    for cid, s in chosen.items():
        counted = s.tag is not None or (bought and s.purchase_days is not None)
        conversions, money = (found.get(cid, 0) if counted else None), None
        if bought and s.purchase_days:
            money = revenue.get(cid, Decimal(0))
        elif source is not None and s.purchase_days:
            start = dt.datetime.fromtimestamp(sent_at[cid], dt.UTC)
            figures = source(cid, start, start + dt.timedelta(days=s.purchase_days))
            conversions = figures.buyers if conversions is None else conversions + figures.buyers
            money = figures.revenue
        out[cid] = Outcome(conversions, money)
    return out
