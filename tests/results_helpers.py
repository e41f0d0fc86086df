"""Sent campaigns written straight into the journal, for the results tests and benchmarks."""

from __future__ import annotations

import datetime as dt
import json
import uuid

import pytest

from shopline.line import limits
from shopline.store.campaign_models import Batch, Campaign, Recipient
from shopline.store.models import Friend


def friends(n: int, first: int = 0) -> list[int]:
    Friend.insert_many([{"user_id": f"U{i:032x}", "display_name": f"友だち{i}"} for i in range(first, first + n)]) \
        .execute()
    return [fid for (fid,) in Friend.select(Friend.id).where(Friend.user_id.in_(
        [f"U{i:032x}" for i in range(first, first + n)])).order_by(Friend.id).tuples()]


def sent_campaign(name: str, friend_ids: list[int], at: dt.datetime, *, unit: str | None = None,
                  plan: str | None = "jp_light", used: int = 0) -> Campaign:
    """A campaign LINE accepted for every friend in one batch at `at` (aware)."""
    campaign = Campaign.create(name=name, segment_tree="{}", segment_text="", messages="[]",
                               unit=unit or f"sl_{uuid.uuid4().hex[:10]}", status="done",
                               recipients=len(friend_ids), started_at=at,
                               estimate=json.dumps({"plan": plan, "used": used}))
    batch = Batch.create(campaign=campaign, seq=1, retry_key=str(uuid.uuid4()), size=len(friend_ids),
                         status="accepted", done_at=at)
    if friend_ids:
        users = dict(Friend.select(Friend.id, Friend.user_id).where(Friend.id.in_(friend_ids)).tuples())
        Recipient.insert_many([(campaign.id, fid, batch.id, users[fid]) for fid in friend_ids],
                              fields=[Recipient.campaign, Recipient.friend, Recipient.batch, Recipient.user_id]
                              ).execute()
    return campaign


@pytest.fixture(autouse=True)
def fresh_limiters():
    """Each test's own hourly limits (a module importing this gets it for every test): none left from another."""
    limits.use_factory(None)
    yield
    limits.use_factory(None)
