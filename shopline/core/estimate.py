"""The verdict before a send: what it counts, what remains this month, what it costs, whether it may go.

The composer's estimate panel, `shopline estimate` and the delivery engine's quota guard all call
verdict(), so the shop sees one answer everywhere.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum

from shopline.core.messages import Text
from shopline.core.plans import (
    DEFAULT_COUNTRY,
    Plan,
    Quota,
    TierCharge,
    extra_charges,
    plan_from_quota,
    plans_for,
    quota_of,
    upgrade_for,
)

COUNTING_NOTE = Text("吹き出しがいくつあっても、1人に送るごとに1通と数えます（ブロック中の人は数えません）。",
                     "A message counts once per recipient, however many bubbles it holds "
                     "(friends who blocked the account are not counted).")


class Status(StrEnum):
    OK = "ok"
    WARN_80 = "warn_80"  # this send takes the month past 80% of its free messages
    NEEDS_CHECK = "needs_check"  # the figures at hand cannot settle it: connect to LINE or choose the plan
    BLOCKED = "blocked"  # the month's limit cannot take this many: nothing may be sent


@dataclass(frozen=True)
class Estimate:
    plan: Plan | None
    recipients: int
    messages_counted: int  # = recipients, whatever the number of bubbles
    used: int | None  # this month's consumption, None when unknown
    limit: int | None  # the month's hard limit; None when LINE sets none, or when limit_known is False
    limit_known: bool  # False when neither LINE's quota nor the plan says what the limit is
    remaining_before: int | None
    remaining_after: int | None
    over_by: int  # recipients beyond the limit
    extra_messages: int
    extra_cost_yen: Decimal  # tax excluded
    charges: tuple[TierCharge, ...]  # the extra cost tier by tier
    cost_confirmed: bool  # False when an unconfirmed tier price was used
    cost_known: bool  # False when the plan or the month's usage is unknown: extra_cost_yen is then no answer
    status: Status
    reasons: tuple[Text, ...]
    ways_out: tuple[Text, ...]  # what the shop can do when blocked
    offline_asof: dt.datetime | None  # when the figures came from LINE, if they are not live


def format_yen(amount: Decimal) -> str:
    """¥6,000 or ¥2,802.8: whole yen without a decimal point."""
    if amount == amount.to_integral_value():
        return f"¥{int(amount):,}"
    return f"¥{amount.normalize():,f}"


def _blocked(plan: Plan | None, limit: int, used: int | None, recipients: int,
             plans: Sequence[Plan] | None) -> tuple[Text, list[Text]]:
    """Why a send cannot go, and the ways out. used None: the month's usage is unknown, but the limit alone
    already forbids the send."""
    if used is None:
        left = limit  # at most: whatever was sent this month comes off it
        reason = Text(
            f"このプランで1か月に送れるのは最大{limit:,}通です。今月の送信数がわからなくても、"
            f"{recipients:,}人には送れません。",
            f"This plan can send at most {limit:,} messages a month: whatever this month's usage, "
            f"{recipients:,} recipients is too many.")
    else:
        left = max(limit - used, 0)
        reason = Text(
            f"今月送れるのはあと{left:,}通です（上限{limit:,}通、送信済み{used:,}通）。{recipients:,}人には送れません。",
            f"Only {left:,} more messages can go out this month (limit {limit:,}, {used:,} sent); "
            f"{recipients:,} recipients is too many.")
    ways: list[Text] = []
    if left:
        fewer = Text("（今月すでに送った分があれば、さらに少なく）", " (fewer still if messages went out this month)") \
            if used is None else Text("", "")
        ways.append(Text(f"セグメントを絞って{left:,}人以下にする{fewer.ja}。",
                         f"Narrow the segment to {left:,} friends or fewer{fewer.en}."))
    if plan is not None and plan.allows_extra:
        ways.append(Text("LINE Official Account Managerで追加メッセージの上限を引き上げる。",
                         "Raise the cap on extra messages in LINE Official Account Manager."))
    else:
        up = upgrade_for(plan, (used or 0) + recipients, plans)
        if up is not None:
            ways.append(Text(f"{up.name.ja}（月額{format_yen(Decimal(up.monthly_fee))}、"
                             f"無料メッセージ{up.included:,}通）にアップグレードする。",
                             f"Upgrade to the {up.name.en} ({format_yen(Decimal(up.monthly_fee))} a month, "
                             f"{up.included:,} free messages)."))
    if recipients > limit:  # even a fresh month cannot take them all at once
        ways.append(Text(f"来月に分けて送る（送信数は毎月1日にリセットされます。1か月に{limit:,}人まで）。",
                         f"Split it across months (the count starts again on the 1st; up to {limit:,} a month)."))
    else:
        ways.append(Text("来月まで待つ（送信数は毎月1日にリセットされます）。",
                         "Wait for next month (the count starts again on the 1st)."))
    return reason, ways


def verdict(plan: Plan | None, quota: Quota | None, used: int | None, recipients: int,
            offline_asof: dt.datetime | None = None, plans: Sequence[Plan] | None = None) -> Estimate:
    """Judge sending to `recipients` friends now.

    plan: the one the shop chose, or None to derive it from LINE's quota. quota: LINE's answer,
    or None when never fetched (the plan's own limit stands in). used: LINE's totalUsage.
    offline_asof: set when quota and used are the last known figures rather than live ones; they
    must be from the current month (the caller drops older ones), since a new month resets usage.
    """
    if recipients < 0 or (used is not None and used < 0):
        raise ValueError("recipients and used must be >= 0")
    reasons: list[Text] = []
    ways: list[Text] = []
    blocked = check = warn = False
    country = plan.country if plan else DEFAULT_COUNTRY
    derived = plan_from_quota(quota.type, quota.value, plans_for(country, plans)) if quota else None
    if plan is None:
        plan = derived
    elif derived is not None and derived.key != plan.key:
        check = True
        reasons.append(Text(f"選んだプラン（{plan.name.ja}）とLINEの上限（{derived.name.ja}）が一致しません。",
                            f"The chosen plan ({plan.name.en}) does not match LINE's limit ({derived.name.en})."))
    if quota is None and plan is not None:
        quota = quota_of(plan)
    limit = quota.limit if quota else None
    if plan is None:
        check = True
        reasons.append(Text("プランがわからないため、追加料金を計算できません。プランを選んでください。",
                            "The plan is unknown, so extra costs cannot be worked out: choose the plan."))
    charges: tuple[TierCharge, ...] = ()
    remaining_before = remaining_after = None
    over_by = 0
    if used is None and limit is not None and recipients > limit:
        # More than the month's whole limit: no usage, however small, lets this send go.
        blocked = True
        over_by = recipients - limit
        reason, ways = _blocked(plan, limit, None, recipients, plans)
        reasons.append(reason)
    elif used is None:
        check = True
        reasons.append(Text("今月の送信数がわかりません。LINEに接続して確認してください。",
                            "This month's usage is unknown: connect to LINE to check it."))
    else:
        after = used + recipients
        if limit is not None:
            remaining_before, remaining_after = max(limit - used, 0), max(limit - after, 0)
            over_by = max(after - limit, 0)
        if over_by:
            blocked = True
            reason, ways = _blocked(plan, limit or 0, used, recipients, plans)
            reasons.append(reason)
        base = plan.included if plan else limit
        if not blocked and base and after * 5 > base * 4:  # past 80%, in integers
            warn = True
            reasons.append(Text(f"送信後の今月の送信数（{after:,}通）が無料メッセージ{base:,}通の80%を超えます。",
                                f"After this send the month's usage ({after:,}) is past 80% of its "
                                f"{base:,} free messages."))
        if plan is not None and plan.allows_extra:
            charges = extra_charges(plan, used, recipients)
    extra = sum(c.count for c in charges)
    cost = sum((c.yen for c in charges), Decimal(0))
    confirmed = all(c.confirmed for c in charges)
    if extra:
        reasons.append(Text(f"無料分を超える{extra:,}通は追加メッセージで、{format_yen(cost)}（税別）かかります。",
                            f"{extra:,} messages go beyond the free ones and cost {format_yen(cost)} "
                            "(tax excluded)."))
    if not confirmed:
        reasons.append(Text("一部の単価は未確認の料金表によるものです。LINEの最新の料金表で確かめてください。",
                            "Part of this cost uses unconfirmed tier prices: check LINE's current table."))
    if offline_asof is not None:
        # Usage only grows within a month, so an old "blocked" still holds; an old "fine" may not.
        check = check or not blocked
        reasons.append(Text(f"オフラインのため、{offline_asof:%Y-%m-%d %H:%M}時点の数値です。",
                            f"Offline: these figures are from {offline_asof:%Y-%m-%d %H:%M}."))
    cost_known = plan is not None and (used is not None or not plan.allows_extra)
    status = (Status.BLOCKED if blocked else Status.NEEDS_CHECK if check
              else Status.WARN_80 if warn else Status.OK)
    return Estimate(plan=plan, recipients=recipients, messages_counted=recipients, used=used, limit=limit,
                    limit_known=quota is not None, remaining_before=remaining_before,
                    remaining_after=remaining_after, over_by=over_by, extra_messages=extra, extra_cost_yen=cost,
                    charges=charges, cost_confirmed=confirmed, cost_known=cost_known,
                    status=status, reasons=tuple(reasons), ways_out=tuple(ways), offline_asof=offline_asof)


def month_sentence(est: Estimate) -> Text:
    """The month as a sentence, for the send dialog and anything else that states it in one line.

    Unknown figures are said as unknown, with why; "no limit" only when LINE (or the plan) says so.
    """
    if est.used is None:
        ja, en = "今月の送信数: 不明（LINEに確認できません）。", "This month's usage: unknown (LINE cannot be asked). "
        if not est.limit_known:
            return Text(ja + "上限も不明です。", en + "The limit is unknown too.")
        if est.limit is None:
            return Text(ja + "上限はありません。", en + "There is no monthly limit.")
        return Text(ja + f"上限は月{est.limit:,}通です。", en + f"The limit is {est.limit:,} a month.")
    ja, en = f"今月 {est.used:,}通送信", f"{est.used:,} sent this month"
    if not est.limit_known:
        return Text(ja + "。上限は不明です（プランを選んでください）。",
                    en + ". The limit is unknown (choose the plan).")
    if est.limit is None:
        return Text(ja + "。上限はありません。", en + ". There is no monthly limit.")
    ja, en = ja + f" / 上限{est.limit:,}通。", f"{est.used:,} of {est.limit:,} sent this month. "
    if est.recipients and est.remaining_after is not None and not est.over_by:
        return Text(ja + f"この送信後の残りは{est.remaining_after:,}通です。",
                    en + f"{est.remaining_after:,} left after this send.")
    return Text(ja + f"残りは{max(est.limit - est.used, 0):,}通です。",
                en + f"{max(est.limit - est.used, 0):,} left.")


def cost_sentence(est: Estimate) -> Text:
    """The extra cost in words: unknown with what is missing, none for a plan without extra messages, or yen."""
    if not est.cost_known:
        return Text("不明（プランと今月の送信数が必要です）", "unknown (needs the plan and this month's usage)")
    if est.plan is not None and not est.plan.allows_extra:
        return Text("なし（このプランに追加メッセージはありません）", "none (this plan has no extra messages)")
    yen = format_yen(est.extra_cost_yen)
    return Text(f"{yen}（税別）", f"{yen} (tax excluded)")
