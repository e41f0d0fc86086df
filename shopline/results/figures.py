"""A campaign's results (配信結果) from the store alone: works offline, from the last fetch.

sent comes from our journal (recipients of accepted batches), LINE's figures from the last
InsightSnapshot, the cost from the plan and the month's usage at the time (the estimate kept with
the campaign), blocks after the send from the friends' status times, conversions from the goal.
All campaigns are read in a handful of queries, not a loop of queries per campaign.
"""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal

from peewee import fn

from shopline.core.messages import ShopLineError, Text
from shopline.core.plans import plan_by_key
from shopline.core.results import BLOCK_WINDOW, CampaignFigures, UrlClicks, send_cost
from shopline.results import conversions
from shopline.store.campaign_models import Batch, Campaign
from shopline.store.connection import db
from shopline.store.insight_models import InsightSnapshot


def _epoch(value: object) -> float | None:
    """Epoch seconds of a stored time; a naive one is local time (the store's older rows)."""
    if value is None:
        return None
    if isinstance(value, str):
        try:
            value = dt.datetime.fromisoformat(value)
        except ValueError:
            return None
    if isinstance(value, dt.datetime):
        return value.timestamp()
    return None


def _aware(epoch: float | None) -> dt.datetime | None:
    return None if epoch is None else dt.datetime.fromtimestamp(epoch, dt.UTC)


def sent_times() -> dict[int, tuple[int, float | None]]:
    """Per campaign: recipients LINE accepted, and when the first batch was accepted (epoch seconds)."""
    out: dict[int, tuple[int, float | None]] = {}
    for cid, size, first in (Batch.select(Batch.campaign, fn.SUM(Batch.size), fn.MIN(Batch.done_at))
                             .where(Batch.status == "accepted").group_by(Batch.campaign).tuples()):
        out[cid] = (int(size or 0), _epoch(first))
    return out


def blocks_after(sent_at: dict[int, float], window: dt.timedelta = BLOCK_WINDOW) -> dict[int, int]:
    """Per campaign: recipients who became blocked or unfollowed within `window` of the send.

    When: the status event's time from the relay (InboxClock "status") if there is one, else the time
    sync last changed the friend (Friend.updated_at, local time).
    """
    if not sent_at:
        return {}
    values = ", ".join("(?, ?)" for _ in sent_at)
    params: list[object] = [v for item in sent_at.items() for v in item] + [window.total_seconds()]
    sql = f"""
        WITH sent(campaign_id, at) AS (VALUES {values})
        SELECT r.campaign_id, count(*)
        FROM friend f
        JOIN recipient r ON r.friend_id = f.id
        JOIN sent s ON s.campaign_id = r.campaign_id
        LEFT JOIN inbox_clock c ON c.friend_id = f.id AND c.topic = 'status'
        WHERE f.status IN ('blocked', 'unfollowed')
          AND coalesce(c.at / 1000.0, CAST(strftime('%s', f.updated_at, 'utc') AS REAL))
              BETWEEN s.at AND s.at + ?
        GROUP BY r.campaign_id"""
    return {cid: int(n) for cid, n in db.execute_sql(sql, params)}


def _urls(text: str) -> tuple[UrlClicks, ...]:
    """Per URL over every bubble: LINE lists a URL once per bubble; a null in any bubble leaves the sum unknown."""
    merged: dict[str, list[int | None]] = {}
    for item in json.loads(text or "[]"):
        totals = merged.setdefault(item["url"], [0, 0])
        for i, key in enumerate(("clicks", "unique_clicks")):
            value = item.get(key)
            totals[i] = None if value is None or totals[i] is None else totals[i] + value  # type: ignore[operator]
    return tuple(UrlClicks(url, c, u) for url, (c, u) in merged.items())


def _cost(campaign: Campaign, sent: int) -> Decimal | None:
    try:
        estimate = json.loads(campaign.estimate or "{}")
    except ValueError:
        return None
    plan = plan_by_key(estimate.get("plan") or "") if estimate.get("plan") else None
    used = estimate.get("used")
    return send_cost(plan, int(used), sent) if plan is not None and isinstance(used, int) else None


def all_figures() -> list[CampaignFigures]:
    """Every campaign that sent anything, newest first, with its last fetched figures."""
    campaigns = list(Campaign.select().order_by(Campaign.created_at.desc(), Campaign.id.desc()))
    sent = sent_times()
    when = {cid: at for cid, (_, at) in sent.items() if at is not None}
    for c in campaigns:  # a campaign accepted before done_at was written: its start is the best we know
        if c.id in sent and c.id not in when and c.started_at is not None:
            when[c.id] = _epoch(c.started_at) or 0.0
    snaps = {s.campaign_id: s for s in InsightSnapshot.select()}
    blocks = blocks_after(when)
    tagged = conversions.tag_conversions(when)
    settings = conversions.all_settings()
    out = []
    for c in campaigns:
        if c.id not in sent:
            continue
        out.append(_figures(c, sent[c.id][0], when.get(c.id), snaps.get(c.id), blocks.get(c.id, 0),
                            tagged.get(c.id), settings.get(c.id, conversions.NONE)))
    return out


def _figures(c: Campaign, sent: int, at: float | None, snap: InsightSnapshot | None, blocks: int,
             tagged: int | None, settings: conversions.Settings) -> CampaignFigures:
    converted, revenue = tagged, None
    source = conversions.purchase_source()
    if source is not None and settings.purchase_days and at is not None:
        start = _aware(at)
        assert start is not None
        bought = source(c.id, start, start + dt.timedelta(days=settings.purchase_days))
        converted = bought.buyers if converted is None else converted + bought.buyers
        revenue = bought.revenue
    fetched = snap.fetched_at if snap else None
    if isinstance(fetched, str):
        fetched = dt.datetime.fromisoformat(fetched)
    return CampaignFigures(
        name=c.name, sent=sent, sent_at=_aware(at), impressions=snap.impressions if snap else None,
        clicks=snap.clicks if snap else None, urls=_urls(snap.urls) if snap else (), cost_yen=_cost(c, sent),
        blocks_after=blocks, conversions=converted, revenue=revenue, fetched_at=fetched,
        final=bool(snap.final) if snap else False, goal=settings.goal)


def figures_for(name: str) -> CampaignFigures:
    for figures in all_figures():
        if figures.name == name:
            return figures
    if Campaign.get_or_none(Campaign.name == name) is None:
        raise ShopLineError(Text(f"「{name}」という配信はありません。`shopline results` で一覧を見られます。",
                                 f"There is no campaign named \"{name}\". `shopline results` lists them."))
    raise ShopLineError(Text(f"「{name}」はまだ誰にも送られていないため、結果はありません。",
                             f"\"{name}\" has not been sent to anyone yet, so it has no results."))
