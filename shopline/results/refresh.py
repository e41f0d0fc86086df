"""Asking LINE for the figures and keeping them: campaigns (per aggregation unit) and the account per day.

Campaigns that share a unit (a step's daily runs) are asked about once, together: LINE counts the unit as a
whole, over up to 30 days, and each of them keeps that same whole (figures.py shows it once, as theirs together).

Within LINE's 60 insight requests an hour, shared with every other process on this data folder
(limiter.py): when the next request could only go later than `patience` seconds from now, the
refresh stops and says when it can go on, rather than hang for up to an hour. A campaign fetched
14 days or more after its send is final and never asked again. Nothing is held open while LINE
is asked: each answer is written in its own short transaction.
"""

from __future__ import annotations

import datetime as dt
import json
import threading
from collections.abc import Callable
from dataclasses import dataclass, field

from shopline.core.changes import Changes
from shopline.core.messages import Text
from shopline.core.results import (
    JST,
    aggregation_range,
    follower_dates_missing,
    is_final,
    jst_date,
    unit_range,
)
from shopline.line import insight
from shopline.line.errors import LineError
from shopline.line.retry import Stopped
from shopline.results import limiter
from shopline.results.figures import sent_times
from shopline.store.campaign_models import Campaign
from shopline.store.connection import db
from shopline.store.insight_models import FollowerDay, InsightSnapshot
from shopline.store.sqlite import write_transaction

PATIENCE = 90.0  # seconds a refresh waits for the next insight slot before it stops and says when
BACKFILL_BUDGET = 20  # follower days one refresh may ask for: the hour's other 40 stay for campaigns and others
BACKFILL_DAYS = 30


def utc_now() -> dt.datetime:
    return dt.datetime.now(dt.UTC).replace(microsecond=0)


@dataclass
class RefreshResult:
    campaigns: int = 0  # campaigns whose figures were fetched
    final: int = 0  # of which are now final
    days: int = 0  # follower days fetched
    left: int = 0  # campaigns and days still to ask for
    resume_at: dt.datetime | None = None  # when the limit lets the rest go
    errors: list[str] = field(default_factory=list)
    changes: Changes = field(default_factory=Changes)

    def message(self) -> Text:
        done = Text(f"{self.campaigns}件の配信と{self.days}日分の友だち数を取得しました。",
                    f"Fetched {self.campaigns} campaigns and {self.days} days of friends.")
        if self.left and self.resume_at is not None:
            at = self.resume_at.astimezone().strftime("%H:%M")
            return Text(done.ja + f"LINEの上限（1時間に60回）のため、残り{self.left}件は{at}以降に取得できます。",
                        done.en + f" LINE allows 60 requests an hour: the other {self.left} can be fetched "
                                  f"from {at}.")
        return done


def due_campaigns(names: list[str] | None = None) -> list[tuple[Campaign, float]]:
    """Sent campaigns whose figures are not final, never fetched first, then the longest ago."""
    sent = sent_times()
    snaps = {s.campaign_id: s for s in InsightSnapshot.select(InsightSnapshot.campaign, InsightSnapshot.final,
                                                              InsightSnapshot.fetched_at)}
    query = Campaign.select().where(Campaign.id.in_(list(sent)))
    if names:
        query = query.where(Campaign.name.in_(names))
    due = []
    for c in query:
        snap = snaps.get(c.id)
        at = sent[c.id][1]
        if (snap is not None and snap.final) or at is None:
            continue
        due.append((c, at, str(snap.fetched_at) if snap else ""))
    due.sort(key=lambda item: (item[2], item[1]))
    return [(c, at) for c, at, _ in due]


def shared_units(sent: dict[int, tuple[int, float | None]]) -> dict[str, list[float]]:
    """Aggregation units more than one sent campaign carries (a step's daily runs), with when each was sent."""
    units: dict[str, list[float]] = {}
    for cid, unit in Campaign.select(Campaign.id, Campaign.unit).where(Campaign.unit != "").tuples():
        at = sent.get(cid, (0, None))[1]
        if at is not None:
            units.setdefault(unit, []).append(at)
    return {unit: times for unit, times in units.items() if len(times) > 1}


def _jobs(campaigns: list[tuple[Campaign, float]]) -> list[tuple[str, object]]:
    """One request per campaign, but one per shared unit: LINE answers the same whole for each of its campaigns."""
    shared = shared_units(sent_times()) if campaigns else {}
    jobs: list[tuple[str, object]] = []
    grouped: dict[str, list[tuple[Campaign, float]]] = {}
    for campaign, at in campaigns:
        if campaign.unit not in shared:
            jobs.append(("campaign", (campaign, at)))
            continue
        if campaign.unit not in grouped:
            grouped[campaign.unit] = []
            jobs.append(("unit", (campaign.unit, shared[campaign.unit], grouped[campaign.unit])))
        grouped[campaign.unit].append((campaign, at))
    return jobs


def _store_snapshot(campaign: Campaign, stats: insight.UnitStats, start: dt.date, end: dt.date,
                    fetched: dt.datetime, final: bool) -> None:
    urls = json.dumps([{"seq": u.seq, "url": u.url, "clicks": u.clicks, "unique_clicks": u.unique_clicks,
                        "unique_clicks_of_request": u.unique_clicks_of_request} for u in stats.urls],
                      ensure_ascii=False)
    row = dict(unit=campaign.unit, impressions=stats.unique_impressions, clicks=stats.unique_clicks,
               media_played=stats.unique_media_played, urls=urls, range_from=start, range_to=end,
               fetched_at=fetched, final=final)
    with write_transaction(db):
        InsightSnapshot.insert(campaign=campaign.id, **row).on_conflict_replace().execute()


def _store_day(day: dt.date, count: insight.FollowerCount, fetched: dt.datetime) -> None:
    with write_transaction(db):
        FollowerDay.insert(day=day, status=count.status, followers=count.followers,
                           targeted_reaches=count.targeted_reaches, blocks=count.blocks,
                           fetched_at=fetched).on_conflict_replace().execute()


def known_days() -> set[dt.date]:
    """Days LINE has answered for good: ready (or out of service, which will not change)."""
    return {d if isinstance(d, dt.date) else dt.date.fromisoformat(str(d))
            for (d,) in FollowerDay.select(FollowerDay.day).where(FollowerDay.status != "unready").tuples()}


def refresh(token: str, names: list[str] | None = None, *, followers: bool = True,
            clock: Callable[[], dt.datetime] = utc_now, stop: threading.Event | None = None,
            progress: Callable[[int, int], None] | None = None, patience: float = PATIENCE,
            budget: int = BACKFILL_BUDGET, client: insight.InsightClient | None = None,
            notice: Callable[[Text], object] | None = None) -> RefreshResult:
    """Fetch what is due: the campaigns named (all when None) and, with `followers`, the account's missing days.

    `notice` hears when LINE answers 429 and when the next try will be."""
    limiter.install()
    sleep = _announcing_sleep(notice, stop, clock) if notice is not None else None
    result = RefreshResult()
    campaigns = _jobs(due_campaigns(names))
    today = jst_date(clock())
    days = follower_dates_missing(today, known_days(), BACKFILL_DAYS)[:budget] if followers else []
    total = len(campaigns) + len(days)
    own = client is None
    client = client or insight.InsightClient(token)
    shared = client.limiter()
    try:
        done = 0
        jobs: list[tuple[str, object]] = campaigns + [("day", d) for d in days]
        for kind, item in jobs:
            if stop is not None and stop.is_set():
                break
            wait = shared.ready_in() if isinstance(shared, limiter.StoreLimiter) else 0.0
            if wait > patience:
                result.left = total - done
                result.resume_at = clock() + dt.timedelta(seconds=wait)
                break
            try:
                if kind == "campaign":
                    campaign, at = item  # type: ignore[misc]
                    sent_at = _utc(at)
                    start, end = aggregation_range(sent_at, clock())
                    stats = insight.unit_statistics(client, campaign.unit, start, end, stop=stop, sleep=sleep)
                    fetched = clock()
                    final = is_final(sent_at, fetched)
                    _store_snapshot(campaign, stats, start, end, fetched, final)
                    result.campaigns += 1
                    result.final += final
                elif kind == "unit":
                    unit, times, due = item  # type: ignore[misc]
                    start, end = unit_range(_utc(min(times)), _utc(max(times)), clock())
                    stats = insight.unit_statistics(client, unit, start, end, stop=stop, sleep=sleep)
                    fetched = clock()
                    for campaign, at in due:
                        final = is_final(_utc(at), fetched)
                        _store_snapshot(campaign, stats, start, end, fetched, final)
                        result.campaigns += 1
                        result.final += final
                else:
                    count = insight.followers_on(client, item, stop=stop, sleep=sleep)  # type: ignore[arg-type]
                    _store_day(item, count, clock())  # type: ignore[arg-type]
                    result.days += count.status != "unready"
            except Stopped:
                break
            except LineError as exc:
                result.errors.append(str(exc))
                if exc.status in (401, 403) or exc.status is None:
                    result.left = total - done
                    break  # the token or the network: every other request would fail the same way
            done += 1
            if progress is not None:
                progress(done, total)
    finally:
        if own:
            client.close()
    result.changes = Changes(insights=bool(result.campaigns or result.days))
    return result


def _utc(epoch: float) -> dt.datetime:
    return dt.datetime.fromtimestamp(epoch, dt.UTC)


def _announcing_sleep(notice: Callable[[Text], object], stop: threading.Event | None,
                      clock: Callable[[], dt.datetime]) -> Callable[[float], object]:
    def sleep(seconds: float) -> None:
        at = (clock() + dt.timedelta(seconds=seconds)).astimezone().strftime("%H:%M:%S")
        notice(Text(f"LINEが混み合っています（429）。{at}にもう一度試します。",
                    f"LINE is busy (429): trying again at {at}."))
        (stop or threading.Event()).wait(seconds)

    return sleep


def last_fetched() -> dt.datetime | None:
    """When LINE's figures were last fetched, for "as of" under the offline figures."""
    stamps = [s for (s,) in InsightSnapshot.select(InsightSnapshot.fetched_at).tuples()]
    stamps += [s for (s,) in FollowerDay.select(FollowerDay.fetched_at).tuples()]
    parsed = [s if isinstance(s, dt.datetime) else dt.datetime.fromisoformat(str(s)) for s in stamps]
    return max((p if p.tzinfo else p.replace(tzinfo=JST) for p in parsed), default=None)
