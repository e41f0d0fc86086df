"""A campaign's results (配信結果) from the store alone: works offline, from the last fetch.

sent comes from our journal (recipients of accepted batches), LINE's figures from the last
InsightSnapshot, the cost from the plan and the month's usage at the time (the estimate kept with
the campaign), blocks after the send from the friends' status times, conversions from the goal.
All campaigns are read in a handful of queries, not a loop of queries per campaign. Campaigns sharing one
aggregation unit (a step's daily runs) get LINE's whole for the unit as `shared`, and no figures of their own:
LINE cannot tell them apart, and repeating the whole on each would count every open once per run.
"""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal
from typing import NamedTuple

from peewee import fn

from shopline.core.messages import ShopLineError, Text
from shopline.core.plans import plan_by_key
from shopline.core.results import BLOCK_WINDOW, CampaignFigures, Goal, SharedUnit, UrlClicks, jst_date, send_cost
from shopline.results import conversions
from shopline.store.campaign_models import Batch, Campaign
from shopline.store.connection import db


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
    # From the few friends who left to their campaigns, matched to the sends here: walking every recipient of
    # every campaign to find them cost 100,000 lookups for 1,000 campaigns (a VALUES table has no index to join on).
    sql = """
        SELECT r.campaign_id, coalesce(c.at / 1000.0, CAST(strftime('%s', f.updated_at, 'utc') AS REAL)) AS left_at
        FROM friend f
        CROSS JOIN recipient r ON r.friend_id = f.id
        LEFT JOIN inbox_clock c ON c.friend_id = f.id AND c.topic = 'status'
        WHERE f.status IN ('blocked', 'unfollowed') AND left_at >= ?"""
    span = window.total_seconds()
    out: dict[int, int] = {}
    for cid, left_at in db.execute_sql(sql, [min(sent_at.values())]):
        at = sent_at.get(cid)
        if at is not None and at <= left_at <= at + span:
            out[cid] = out.get(cid, 0) + 1
    return out


def _urls(text: str) -> tuple[UrlClicks, ...]:
    """Per URL over every bubble: LINE lists a URL once per bubble; a null in any bubble leaves the sum unknown."""
    merged: dict[str, list[int | None]] = {}
    for item in json.loads(text or "[]"):
        totals = merged.setdefault(item["url"], [0, 0])
        for i, key in enumerate(("clicks", "unique_clicks")):
            value = item.get(key)
            totals[i] = None if value is None or totals[i] is None else totals[i] + value  # type: ignore[operator]
    return tuple(UrlClicks(url, c, u) for url, (c, u) in merged.items())


def _cost(estimate_json: str | None, sent: int) -> Decimal | None:
    try:
        estimate = json.loads(estimate_json or "{}")
    except ValueError:
        return None
    plan = plan_by_key(estimate.get("plan") or "") if estimate.get("plan") else None
    used = estimate.get("used")
    return send_cost(plan, int(used), sent) if plan is not None and isinstance(used, int) else None


# Every sent campaign with its journal count, its last fetched figures and its goals: one query, read as tuples
# (building 1,000 peewee models per table cost most of the list's time).
_LIST = """
    SELECT c.id, c.name, c.estimate, c.started_at, b.size, b.first,
           s.impressions, s.clicks, s.urls, s.fetched_at, s.final, c.unit, s.range_from, s.range_to,
           g.campaign_id, g.open_rate, g.click_rate, g.conversion_rate, g.conversion_tag, g.conversion_days,
           g.purchase_days
    FROM (SELECT campaign_id, sum(size) AS size, min(done_at) AS first FROM batch WHERE status = 'accepted'
          GROUP BY campaign_id) b
    JOIN campaign c ON c.id = b.campaign_id
    LEFT JOIN insight_snapshot s ON s.campaign_id = c.id
    LEFT JOIN campaign_goal g ON g.campaign_id = c.id
    ORDER BY c.created_at DESC, c.id DESC"""


def all_figures() -> list[CampaignFigures]:
    """Every campaign that sent anything, newest first, with its last fetched figures."""
    rows = db.execute_sql(_LIST).fetchall()
    when: dict[int, float] = {}
    settings: dict[int, conversions.Settings] = {}
    for (cid, _name, _estimate, started, _size, first, *_snap, goal, open_rate, click_rate, conversion_rate,
         tag, days, purchase_days) in rows:
        at = _epoch(first)
        if at is None and started is not None:  # accepted before done_at was written: its start is the best we know
            at = _epoch(started) or 0.0
        if at is not None:
            when[cid] = at
        if goal is not None:
            settings[cid] = conversions.Settings(Goal(open_rate, click_rate, conversion_rate), tag, days,
                                                 purchase_days)
    blocks = blocks_after(when)
    outcomes = conversions.outcomes(when, settings)
    shared = _shared_units(rows, when)
    out = []
    for (cid, name, estimate, _started, size, _first, impressions, clicks, urls, fetched, final, unit,
         *_rest) in rows:
        outcome = outcomes.get(cid)
        sent = int(size or 0)
        whole = shared.get(unit)
        if whole is not None:  # LINE counted the unit as a whole: this campaign's own share is not known
            impressions = clicks = urls = None
        out.append(CampaignFigures(
            name=name, sent=sent, sent_at=_aware(when.get(cid)), impressions=impressions, clicks=clicks,
            urls=_urls(urls) if urls is not None else (), cost_yen=_cost(estimate, sent),
            blocks_after=blocks.get(cid, 0), conversions=outcome.conversions if outcome else None,
            revenue=outcome.revenue if outcome else None,
            fetched_at=dt.datetime.fromisoformat(fetched) if fetched is not None else None, final=bool(final),
            goal=settings.get(cid, conversions.NONE).goal, shared=whole))
    return out


class _Sent(NamedTuple):
    """One sent campaign of a unit, with the unit's whole as that campaign's snapshot last held it."""

    campaign: int
    sent: int
    impressions: int | None
    clicks: int | None
    fetched: str | None
    range_from: object
    range_to: object


def _shared_units(rows: list[tuple], when: dict[int, float]) -> dict[str, SharedUnit]:
    """Units more than one sent campaign carries, each with LINE's latest whole and the sends within its dates."""
    groups: dict[str, list[_Sent]] = {}
    for (cid, _name, _estimate, _started, size, _first, impressions, clicks, _urls, fetched, _final, unit,
         range_from, range_to, *_goal) in rows:
        if unit:
            groups.setdefault(unit, []).append(_Sent(cid, int(size or 0), impressions, clicks, fetched, range_from,
                                                     range_to))
    return {unit: _whole(unit, group, when) for unit, group in groups.items() if len(group) > 1}


# The sent campaigns of some units, with their snapshots: a scenario's steps, for its page.
_UNITS = """
    SELECT c.id, c.unit, c.started_at, b.size, b.first, s.impressions, s.clicks, s.fetched_at, s.range_from,
           s.range_to
    FROM (SELECT campaign_id, sum(size) AS size, min(done_at) AS first FROM batch WHERE status = 'accepted'
          GROUP BY campaign_id) b
    JOIN campaign c ON c.id = b.campaign_id
    LEFT JOIN insight_snapshot s ON s.campaign_id = c.id
    WHERE c.unit IN ({})"""


def unit_figures(units: list[str]) -> dict[str, SharedUnit]:
    """LINE's latest whole for each of these units that sent anything, with the sends inside its dates, however
    many campaigns carry it (a step that has run once is one campaign's own figures)."""
    if not units:
        return {}
    groups: dict[str, list[_Sent]] = {}
    when: dict[int, float] = {}
    for (cid, unit, started, size, first, impressions, clicks, fetched, range_from,
         range_to) in db.execute_sql(_UNITS.format(", ".join("?" * len(units))), list(units)):
        at = _epoch(first) or _epoch(started)
        if at is not None:
            when[cid] = at
        groups.setdefault(unit, []).append(_Sent(cid, int(size or 0), impressions, clicks, fetched, range_from,
                                                 range_to))
    return {unit: _whole(unit, group, when) for unit, group in groups.items()}


def _whole(unit: str, group: list[_Sent], when: dict[int, float]) -> SharedUnit:
    fetched = [s for s in group if s.fetched is not None]
    if not fetched:
        return SharedUnit(unit, len(group), sum(s.sent for s in group))
    latest = max(fetched, key=lambda s: str(s.fetched))
    start, end = _date(latest.range_from), _date(latest.range_to)
    inside = [s for s in group if s.campaign in when
              and start <= jst_date(dt.datetime.fromtimestamp(when[s.campaign], dt.UTC)) <= end]
    return SharedUnit(unit, len(inside), sum(s.sent for s in inside), latest.impressions, latest.clicks, start, end,
                      dt.datetime.fromisoformat(str(latest.fetched)))


def _date(value: object) -> dt.date:
    return value if isinstance(value, dt.date) else dt.date.fromisoformat(str(value))


def figures_for(name: str) -> CampaignFigures:
    for figures in all_figures():
        if figures.name == name:
            return figures
    if Campaign.get_or_none(Campaign.name == name) is None:
        raise ShopLineError(Text(f"「{name}」という配信はありません。`shopline results` で一覧を見られます。",
                                 f"There is no campaign named \"{name}\". `shopline results` lists them."))
    raise ShopLineError(Text(f"「{name}」はまだ誰にも送られていないため、結果はありません。",
                             f"\"{name}\" has not been sent to anyone yet, so it has no results."))
