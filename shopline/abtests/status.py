"""An A/B test's state: each variant's figure for the chosen metric, its 95% interval, and the verdict.

Figures come from the results layer (results/figures.py: our journal's sent counts, LINE's figures as last
fetched, conversions by tag or purchase within N days). Clicks are per friend when the variant's links
were tracked (the relay's clicks, exact, never null); otherwise LINE's unique clicks, which may be null.
Read-only: works offline, from the last fetch.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from shopline.abtests import verdict
from shopline.abtests.lookup import find_test, variants_of
from shopline.abtests.usual import successes
from shopline.core.results import CampaignFigures
from shopline.results.figures import all_figures
from shopline.store.abtest_models import ABTest, Assignment
from shopline.store.campaign_models import Campaign
from shopline.store.connection import db
from shopline.store.models import Friend


@dataclass(frozen=True)
class VariantStatus:
    key: str
    label: str
    campaign: str
    campaign_status: str
    assigned: int  # friends assigned when the test was made
    recipients: int  # of whom were following when frozen
    measured: verdict.Measured
    per_friend_clicks: bool = False  # clicks counted from tracked links, not LINE's aggregate

    @property
    def rate(self) -> float | None:
        return self.measured.rate

    @property
    def interval(self) -> tuple[float, float] | None:
        return self.measured.interval


@dataclass(frozen=True)
class TestStatus:
    name: str
    metric: str
    seed: int
    share: int
    segment_text: str
    created_at: dt.datetime | None
    variants: tuple[VariantStatus, ...]
    held_back: int
    winner_key: str | None
    winner_campaign: str | None
    winner_status: str | None
    verdict: verdict.Verdict

    @property
    def can_send_winner(self) -> bool:
        return self.held_back > 0 and self.winner_campaign is None


def tracked_clicks(campaign_ids: list[int]) -> dict[int, int]:
    """Per campaign that has tracked links: the friends who clicked one (tracked links, shopline/links)."""
    if not campaign_ids or not db.table_exists("tracked_link") or not db.table_exists("click"):
        return {}
    marks = ", ".join("?" for _ in campaign_ids)
    tracked = {cid for (cid,) in db.execute_sql(
        f"SELECT DISTINCT campaign_id FROM tracked_link WHERE campaign_id IN ({marks})", campaign_ids)}
    found = dict(db.execute_sql(
        f"SELECT campaign_id, count(DISTINCT friend_id) FROM click WHERE campaign_id IN ({marks}) "
        "GROUP BY campaign_id", campaign_ids).fetchall())
    return {cid: int(found.get(cid, 0)) for cid in tracked}


def _measured(key: str, metric: str, figures: CampaignFigures | None, clicks: int | None) -> verdict.Measured:
    if figures is None:  # not sent to anyone yet
        return verdict.Measured(key, 0, None, fetched=False)
    if metric == "click" and clicks is not None:
        return verdict.Measured(key, figures.sent, clicks)
    found = successes(figures, metric)
    fetched = metric == "conversion" or figures.fetched_at is not None  # conversions are ours, never fetched
    return verdict.Measured(key, figures.sent, found, fetched=fetched)


def status(name: str) -> TestStatus:
    test = find_test(name)
    variants = variants_of(test)
    campaigns = {c.id: c for c in Campaign.select().where(Campaign.id.in_([v.campaign_id for v in variants]))}
    figures = {f.name: f for f in all_figures()}
    clicks = tracked_clicks(list(campaigns))
    counts = dict(db.execute_sql("SELECT coalesce(key, ''), count(*) FROM assignment WHERE test_id = ? GROUP BY key",
                                 (test.id,)).fetchall())
    rows = []
    for v in variants:
        campaign = campaigns[v.campaign_id]
        rows.append(VariantStatus(v.key, v.label, campaign.name, campaign.status, int(counts.get(v.key, 0)),
                                  campaign.recipients,
                                  _measured(v.key, test.metric, figures.get(campaign.name), clicks.get(campaign.id)),
                                  per_friend_clicks=test.metric == "click" and campaign.id in clicks))
    winner = Campaign.get_or_none(Campaign.id == test.winner_campaign_id) if test.winner_campaign_id else None
    return TestStatus(test.name, test.metric, int(test.seed), test.test_share, test.segment_text, test.created_at,
                      tuple(rows), int(counts.get("", 0)), test.winner_key, winner.name if winner else None,
                      winner.status if winner else None, verdict.judge(test.metric, [r.measured for r in rows]))


def list_tests() -> list[ABTest]:
    return list(ABTest.select().order_by(ABTest.created_at.desc(), ABTest.id.desc()))


def held_back_following(test: ABTest) -> int:
    """Held-back friends who can still be sent to: the winner goes to these."""
    return Assignment.select().join(Friend, on=(Assignment.friend == Friend.id)).where(
        (Assignment.test == test) & Assignment.key.is_null() & (Friend.status == "following")).count()


def status_json(st: TestStatus) -> dict[str, Any]:
    return {
        "name": st.name, "metric": st.metric, "seed": st.seed, "test_share": st.share, "segment": st.segment_text,
        "held_back": st.held_back,
        "variants": [{"key": v.key, "label": v.label, "campaign": v.campaign, "status": v.campaign_status,
                      "assigned": v.assigned, "recipients": v.recipients, "sent": v.measured.sent,
                      "successes": v.measured.successes, "measurable": v.measured.measurable,
                      "fetched": v.measured.fetched, "rate": v.rate,
                      "interval": list(v.interval) if v.interval else None,
                      "per_friend_clicks": v.per_friend_clicks} for v in st.variants],
        "verdict": {"state": st.verdict.state, "text": str(st.verdict.text), "p_value": st.verdict.p_value,
                    "statistic": st.verdict.statistic, "df": st.verdict.df, "best": st.verdict.best,
                    "more_needed": st.verdict.more_needed},
        "winner": {"variant": st.winner_key, "campaign": st.winner_campaign, "status": st.winner_status}
        if st.winner_campaign else None,
    }
