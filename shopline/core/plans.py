"""LINE plans as data: what a month includes, what extra messages cost, what LINE's quota implies.

Figures are tax excluded. The bundled plans live in shopline/resources/plans.json so a shop, or a
Taiwan or Thailand build, can edit or extend them without touching code; parse_plans() takes the
same shape from anywhere else.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from functools import cache
from importlib import resources
from typing import Any

from shopline.core.messages import ShopLineError, Text

QUOTA_NONE = "none"
QUOTA_LIMITED = "limited"
DEFAULT_COUNTRY = "JP"


class PlanDataError(ShopLineError):
    """A plans file that cannot be used, with the reason."""


@dataclass(frozen=True)
class Tier:
    """One step of the extra-message price table."""

    up_to: int | None  # the month's cumulative extra messages where this tier ends; None: it never ends
    yen: Decimal  # per extra message, tax excluded
    confirmed: bool  # False until checked against LINE's published table


@dataclass(frozen=True)
class Plan:
    key: str
    country: str
    name: Text
    monthly_fee: int
    currency: str
    included: int  # free messages a month
    tiers: tuple[Tier, ...]  # empty: the plan cannot send past `included`
    source: str

    @property
    def allows_extra(self) -> bool:
        return bool(self.tiers)


@dataclass(frozen=True)
class Quota:
    """LINE's answer to GET /v2/bot/message/quota: a hard limit for the month, or none."""

    type: str
    value: int | None = None

    def __post_init__(self) -> None:
        if self.type not in (QUOTA_NONE, QUOTA_LIMITED):
            raise ValueError(f"unknown quota type {self.type!r}")
        if self.type == QUOTA_LIMITED and (self.value is None or self.value < 0):
            raise ValueError(f"a limited quota needs a value >= 0, not {self.value!r}")

    @property
    def limit(self) -> int | None:
        return self.value if self.type == QUOTA_LIMITED else None


@dataclass(frozen=True)
class TierCharge:
    """The part of one send priced at one tier; first/last number the month's extra messages."""

    first: int
    last: int
    yen_each: Decimal
    confirmed: bool

    @property
    def count(self) -> int:
        return self.last - self.first + 1

    @property
    def yen(self) -> Decimal:
        return self.yen_each * self.count


def _bad(what: str, why: str) -> PlanDataError:
    return PlanDataError(Text(f"料金プランのデータ（{what}）が正しくありません: {why}",
                              f"The plan data ({what}) is not valid: {why}"))


def _tier(raw: Mapping[str, Any], key: str) -> Tier:
    try:
        yen = Decimal(str(raw["yen"]))
        up_to = raw.get("up_to")
        confirmed = raw.get("confirmed", True)
    except (KeyError, InvalidOperation, TypeError) as exc:
        raise _bad(key, f"tier {raw!r}") from exc
    if not yen.is_finite() or yen < 0 or (up_to is not None and not isinstance(up_to, int)):
        raise _bad(key, f"tier {raw!r}")
    return Tier(up_to=up_to, yen=yen, confirmed=bool(confirmed))


def _plan(raw: Mapping[str, Any]) -> Plan:
    key = str(raw.get("key", "?"))
    try:
        name = Text(str(raw["name"]["ja"]), str(raw["name"]["en"]))
        plan = Plan(key=key, country=str(raw["country"]), name=name, monthly_fee=int(raw["monthly_fee"]),
                    currency=str(raw["currency"]), included=int(raw["included"]),
                    tiers=tuple(_tier(t, key) for t in raw["tiers"]), source=str(raw.get("source", "")))
    except (KeyError, TypeError, ValueError) as exc:
        raise _bad(key, repr(exc)) from exc
    if plan.included < 0 or plan.monthly_fee < 0:
        raise _bad(key, "negative figures")
    ends = [t.up_to for t in plan.tiers]
    # Costing walks the tiers in order and must never run off the end of the table.
    if ends and (ends[-1] is not None or None in ends[:-1]):
        raise _bad(key, "only the last tier may be open-ended, and it must be")
    bounded = [e for e in ends if e is not None]
    if bounded != sorted(set(bounded)) or any(e <= 0 for e in bounded):
        raise _bad(key, "tier ends must rise")
    return plan


def parse_plans(data: Mapping[str, Any]) -> tuple[Plan, ...]:
    """Plans from the plans.json shape: {"plans": [...]}."""
    plans = tuple(_plan(p) for p in data.get("plans", ()))
    keys = [p.key for p in plans]
    if len(keys) != len(set(keys)):
        raise _bad("plans", "duplicate keys")
    return plans


@cache
def bundled_plans() -> tuple[Plan, ...]:
    text = resources.files("shopline.resources").joinpath("plans.json").read_text(encoding="utf-8")
    return parse_plans(json.loads(text))


def plans_for(country: str = DEFAULT_COUNTRY, plans: Sequence[Plan] | None = None) -> tuple[Plan, ...]:
    """One country's plans, cheapest first."""
    chosen = [p for p in (bundled_plans() if plans is None else plans) if p.country == country]
    return tuple(sorted(chosen, key=lambda p: (p.monthly_fee, p.included)))


def plan_by_key(key: str, plans: Sequence[Plan] | None = None) -> Plan | None:
    return next((p for p in (bundled_plans() if plans is None else plans) if p.key == key), None)


def plan_from_quota(quota_type: str, quota_value: int | None,
                    plans: Sequence[Plan] | None = None) -> Plan | None:
    """The plan LINE's quota answer points to, or None when it does not tell.

    A plan without extra messages answers "limited" with exactly its included messages. A plan
    with extra messages answers "none", or "limited" with included + the cap the shop set on
    extra messages in LINE Official Account Manager.
    """
    candidates = plans_for(DEFAULT_COUNTRY) if plans is None else tuple(plans)
    with_extra = [p for p in candidates if p.allows_extra]
    if quota_type == QUOTA_NONE:
        return with_extra[0] if len(with_extra) == 1 else None
    if quota_type != QUOTA_LIMITED or quota_value is None:
        return None
    exact = [p for p in candidates if not p.allows_extra and p.included == quota_value]
    if len(exact) == 1:
        return exact[0]
    capped = [p for p in with_extra if p.included <= quota_value]
    return capped[0] if len(capped) == 1 else None


def quota_of(plan: Plan) -> Quota:
    """The limit a plan implies, for when LINE's own quota answer is not at hand."""
    return Quota(QUOTA_NONE) if plan.allows_extra else Quota(QUOTA_LIMITED, plan.included)


def remaining(quota: Quota, used: int) -> int | None:
    """Messages still sendable this month; None when LINE sets no limit."""
    limit = quota.limit
    return None if limit is None else max(limit - used, 0)


def extra_charges(plan: Plan, used_before: int, count: int) -> tuple[TierCharge, ...]:
    """How `count` messages sent after `used_before` this month are priced, tier by tier.

    Only the messages past plan.included are extra; tiers count the month's extra messages, so
    a send that starts inside a tier can spill into the next. A plan without tiers charges
    nothing here: whether it may send at all is the verdict's business.
    """
    if used_before < 0 or count < 0:
        raise ValueError("used_before and count must be >= 0")
    start = max(used_before - plan.included, 0)  # extra messages already sent this month
    end = max(used_before + count - plan.included, 0)
    charges: list[TierCharge] = []
    lower = 0
    for tier in plan.tiers:
        upper = end if tier.up_to is None else tier.up_to
        lo, hi = max(start, lower), min(end, upper)
        if hi > lo:
            charges.append(TierCharge(first=lo + 1, last=hi, yen_each=tier.yen, confirmed=tier.confirmed))
        if tier.up_to is None or tier.up_to >= end:
            break
        lower = tier.up_to
    return tuple(charges)


def extra_cost(plan: Plan, used_before: int, count: int) -> Decimal:
    """Yen (tax excluded) for the extra messages of one send."""
    return sum((c.yen for c in extra_charges(plan, used_before, count)), Decimal(0))


def upgrade_for(plan: Plan | None, total: int, plans: Sequence[Plan] | None = None) -> Plan | None:
    """The cheapest plan of the same country that could send `total` messages this month."""
    country = plan.country if plan else DEFAULT_COUNTRY
    fee = plan.monthly_fee if plan else -1
    return next((p for p in plans_for(country, plans)
                 if p.monthly_fee > fee and (p.allows_extra or p.included >= total)), None)
