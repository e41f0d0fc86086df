"""The month's usage for estimates: live from LINE when connected, else the last figures LINE gave.

The last figures and the shop's plan choice live in Setting (non-secret). LINE's
monthly count resets on the 1st, Japan time: figures from an earlier month say
nothing about this one's usage, so only their quota (the plan) is kept.

The composer's estimate panel calls estimate_for() as the shop types; live figures
younger than LIVE_FOR are reused rather than asked for again on every keystroke.

The remembered figure was true when LINE gave it; our own sends since then (batches
LINE accepted, from the window or the CLI) are added to it, so the month shown after a
send includes that send without asking LINE again, and offline too. LINE's own count
can lag behind a send that has just gone out, so a fresh answer never lowers the month.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any, cast

from shopline.core.estimate import Estimate, verdict
from shopline.core.plans import Plan, Quota, plan_by_key
from shopline.core.segments import Node, from_json
from shopline.line.config import LineClient
from shopline.line.errors import LineError
from shopline.line.quota import get_consumption, get_quota
from shopline.store import settings
from shopline.store.campaign_models import Batch
from shopline.store.segment_sql import count

USAGE_KEY = settings.USAGE.key  # declared in store/settings.py, with what it holds
PLAN_KEY = settings.PLAN.key
LIVE_FOR = dt.timedelta(seconds=60)
JST = dt.timezone(dt.timedelta(hours=9))


@dataclass(frozen=True)
class Usage:
    quota: Quota | None
    used: int | None
    fetched_at: dt.datetime | None  # aware; None: LINE was never asked
    live: bool  # fetched just now (or within LIVE_FOR), not remembered from earlier
    plan: Plan | None  # the shop's choice; None: derive it from the quota
    problem: str = ""  # why live figures could not be had, when they could not

    @property
    def offline_asof(self) -> dt.datetime | None:
        """What verdict() wants: the local time of remembered figures, None for live ones."""
        if self.live or self.fetched_at is None:
            return None
        return self.fetched_at.astimezone().replace(tzinfo=None)


def _utcnow() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


def chosen_plan() -> Plan | None:
    key = settings.PLAN.get()
    return plan_by_key(key) if key else None


def choose_plan(key: str | None) -> None:
    """Remember the shop's plan; None goes back to deriving it from LINE's quota."""
    if key is None:
        settings.PLAN.clear()
        return
    if plan_by_key(key) is None:
        raise ValueError(f"unknown plan {key!r}")
    settings.PLAN.set(key)


def _month(at: dt.datetime) -> tuple[int, int]:
    local = at.astimezone(JST)
    return local.year, local.month


def sent_this_month(at: dt.datetime | None = None) -> int:
    """Messages LINE accepted from our own sends this month (Japan time): one per recipient of an accepted batch.

    Remembered with each figure from LINE; what it has grown by since is what LINE's figure does not hold yet.
    A count rather than a time: the journal keeps whole seconds, too coarse to tell a batch from a figure.
    """
    now = at or _utcnow()
    month = _month(now)
    first = now.astimezone(JST).replace(day=1, hour=0, minute=0, second=0, microsecond=0)
    # A day's margin in SQL, the exact month in Python: rows written before times were UTC hold local times.
    rows = cast(Iterable[tuple[int, object]], Batch.select(Batch.size, Batch.done_at).where(
        Batch.status == "accepted", Batch.done_at.is_null(False),
        Batch.done_at >= (first - dt.timedelta(days=1)).astimezone(dt.UTC)).tuples())
    return sum(size for size, done in rows if isinstance(done, dt.datetime) and _month(done) == month)


def remembered(at: dt.datetime | None = None) -> Usage:
    """The last figures from LINE plus our sends since; usage from an earlier month (Japan time) is dropped."""
    data: dict[str, Any] | None = settings.USAGE.get()
    if not data:
        return Usage(None, None, None, False, chosen_plan())
    fetched = dt.datetime.fromisoformat(data["fetched_at"])
    now = at or _utcnow()
    quota = Quota(data["type"], data.get("value"))
    live = now - fetched < LIVE_FOR
    used = None
    if _month(fetched) == _month(now):
        ours = data.get("ours")  # absent in figures remembered before sends were counted
        used = data["used"] + (max(sent_this_month(now) - ours, 0) if ours is not None else 0)
    return Usage(quota, used, fetched, live, chosen_plan())


def refresh(client: LineClient) -> Usage:
    """Ask LINE now and remember the answer."""
    before = remembered()
    quota, used = get_quota(client), get_consumption(client)
    fetched = _utcnow()
    if before.used is not None and before.fetched_at is not None and _month(before.fetched_at) == _month(fetched):
        used = max(used, before.used)  # the month only grows: LINE has not counted a send that just went out
    settings.USAGE.set({"type": quota.type, "value": quota.value, "used": used, "fetched_at": fetched.isoformat(),
                        "ours": sent_this_month(fetched)})
    return Usage(quota, used, fetched, True, chosen_plan())


def current_usage(token: str | None = None, *, fresh: bool = False) -> Usage:
    """Live figures when a token is given and LINE answers; otherwise the remembered ones.

    token: the channel token (ui/cli get it from shopline.secrets); None means offline.
    fresh: ask LINE even if the remembered figures are younger than LIVE_FOR (the send's guard).
    """
    last = remembered()
    if token is None or (last.live and not fresh):
        return last
    try:
        with LineClient(token) as client:
            return refresh(client)
    except LineError as error:
        return Usage(last.quota, last.used, last.fetched_at, False, last.plan, str(error))


def verdict_for(recipients: int, usage: Usage) -> Estimate:
    return verdict(usage.plan, usage.quota, usage.used, recipients, offline_asof=usage.offline_asof)


def estimate_for(tree: Node | dict[str, Any], token: str | None = None, *, usage: Usage | None = None) -> Estimate:
    """Recipients (following friends in the segment) judged against the month: the estimate panel's answer."""
    node = from_json(tree) if isinstance(tree, dict) else tree
    return verdict_for(count(node), usage or current_usage(token))
