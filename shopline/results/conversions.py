"""What counts as a conversion for a campaign, its goals, and the hook purchases plug into.

A conversion is a recipient who gained the chosen tag (`購入済み`, `来店`) within N days of the send:
FriendTag.added_at says when, for links made since the store had that column (older links have no
time and are not counted: when they were made is not known). Purchases arrive with another issue:
register_purchase_source() is where they plug in; until one is registered, purchase conversions,
revenue and ROI stay unknown (None), never 0.
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
from shopline.store.sqlite import write_transaction


@dataclass(frozen=True)
class PurchaseFigures:
    buyers: int  # recipients who bought within the window
    revenue: Decimal | None  # None where amounts are not known


# (campaign id, window start UTC, window end UTC) -> what recipients bought in that window.
PurchaseSource = Callable[[int, dt.datetime, dt.datetime], PurchaseFigures]
_purchase_source: PurchaseSource | None = None


def register_purchase_source(source: PurchaseSource | None) -> None:
    """The purchases store calls this once it exists; results then show purchase conversions, revenue and ROI."""
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


def tag_conversions(sent_at: dict[int, float]) -> dict[int, int]:
    """Per campaign with a conversion tag: recipients who gained it within the chosen days of the send.

    `sent_at` maps campaign ids to the send's epoch seconds. One GROUP BY over every campaign.
    """
    if not sent_at:
        return {}
    values = ", ".join("(?, ?)" for _ in sent_at)
    params: list[object] = [v for item in sent_at.items() for v in item]
    sql = f"""
        WITH sent(campaign_id, at) AS (VALUES {values})
        SELECT r.campaign_id, count(*)
        FROM campaign_goal g
        JOIN sent s ON s.campaign_id = g.campaign_id
        JOIN tag t ON t.name = g.conversion_tag
        JOIN recipient r ON r.campaign_id = g.campaign_id
        JOIN friend_tag ft ON ft.friend_id = r.friend_id AND ft.tag_id = t.id
        WHERE ft.added_at IS NOT NULL
          AND CAST(strftime('%s', ft.added_at) AS REAL) BETWEEN s.at AND s.at + g.conversion_days * 86400
        GROUP BY r.campaign_id"""
    found = {cid: int(n) for cid, n in db.execute_sql(sql, params)}
    with_tag = {row.campaign_id for row in CampaignGoal.select(CampaignGoal.campaign).where(
        CampaignGoal.conversion_tag.is_null(False))}
    return {cid: found.get(cid, 0) for cid in sent_at if cid in with_tag}
