"""The month's usage for estimates: live from LINE when connected, else the last figures LINE gave.

The last figures and the shop's plan choice live in Setting (non-secret). LINE's
monthly count resets on the 1st, Japan time: figures from an earlier month say
nothing about this one's usage, so only their quota (the plan) is kept.

The composer's estimate panel calls estimate_for() as the shop types; live figures
younger than LIVE_FOR are reused rather than asked for again on every keystroke.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass
from typing import Any

from shopline.core.estimate import Estimate, verdict
from shopline.core.plans import Plan, Quota, plan_by_key
from shopline.core.segments import Node, from_json
from shopline.line.config import LineClient
from shopline.line.errors import LineError
from shopline.line.quota import get_consumption, get_quota
from shopline.store.models import Setting
from shopline.store.segment_sql import count

USAGE_KEY = "delivery.usage"  # JSON: quota type and value, totalUsage, fetched_at (UTC)
PLAN_KEY = "delivery.plan"  # a plan key from plans.json; absent: derived from LINE's quota
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


def _get(key: str) -> str | None:
    row = Setting.get_or_none(Setting.key == key)
    return row.value if row else None


def chosen_plan() -> Plan | None:
    key = _get(PLAN_KEY)
    return plan_by_key(key) if key else None


def choose_plan(key: str | None) -> None:
    """Remember the shop's plan; None goes back to deriving it from LINE's quota."""
    if key is None:
        Setting.delete().where(Setting.key == PLAN_KEY).execute()
        return
    if plan_by_key(key) is None:
        raise ValueError(f"unknown plan {key!r}")
    Setting.replace(key=PLAN_KEY, value=key).execute()


def remembered(at: dt.datetime | None = None) -> Usage:
    """The last figures from LINE; usage from an earlier month (Japan time) is dropped."""
    raw = _get(USAGE_KEY)
    if not raw:
        return Usage(None, None, None, False, chosen_plan())
    data: dict[str, Any] = json.loads(raw)
    fetched = dt.datetime.fromisoformat(data["fetched_at"])
    now = at or _utcnow()
    quota = Quota(data["type"], data.get("value"))
    same_month = (fetched.astimezone(JST).year, fetched.astimezone(JST).month) == \
                 (now.astimezone(JST).year, now.astimezone(JST).month)
    live = now - fetched < LIVE_FOR
    return Usage(quota, data["used"] if same_month else None, fetched, live, chosen_plan())


def refresh(client: LineClient) -> Usage:
    """Ask LINE now and remember the answer."""
    quota, used = get_quota(client), get_consumption(client)
    fetched = _utcnow()
    Setting.replace(key=USAGE_KEY, value=json.dumps(
        {"type": quota.type, "value": quota.value, "used": used, "fetched_at": fetched.isoformat()})).execute()
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
