"""`shopline quota` (plan, used, remaining) and `shopline estimate --segment EXPR` (what a send would cost).

Both work offline: without a connected channel, or when LINE does not answer,
they show the last figures LINE gave, with their time.
"""

from __future__ import annotations

import argparse

from shopline import secrets
from shopline.cli.common import open_from_args, say
from shopline.core.estimate import COUNTING_NOTE, Estimate, Status, format_yen
from shopline.core.messages import ShopLineError, Text
from shopline.core.plans import plans_for
from shopline.delivery.usage import Usage, choose_plan, current_usage, verdict_for
from shopline.store.segment_sql import count
from shopline.store.segments import parse_checked

VERDICT = {Status.OK: ("送信できます", "OK to send"),
           Status.WARN_80: ("送信できます（今月の80%を超えます）", "OK to send (past 80% of the month)"),
           Status.NEEDS_CHECK: ("要確認", "needs a check"),
           Status.BLOCKED: ("送信できません", "cannot be sent")}


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("quota", help="今月の上限・送信数・残り / this month's limit, usage and what remains")
    p.add_argument("--plan", metavar="KEY", help="契約プランを記録する (auto: LINEの上限から判断) / "
                   f"record the plan: {', '.join(p.key for p in plans_for())} or auto")
    p.add_argument("--offline", action="store_true", help="LINEに問い合わせず、前回の数値を使う")
    p.set_defaults(func=run_quota)
    e = sub.add_parser("estimate", help="配信の通数・残り・追加料金 / what a send to a segment costs")
    e.add_argument("--segment", required=True, metavar="EXPR", help="セグメントの式")
    e.add_argument("--offline", action="store_true", help="LINEに問い合わせず、前回の数値を使う")
    e.set_defaults(func=run_estimate)


def token_or_none() -> str | None:
    """The channel token, or None to work from remembered figures when no channel is connected."""
    try:
        return secrets.channel_token()
    except (secrets.NotConnected, secrets.KeyringUnavailable):
        return None


def _n(value: int | None) -> str:
    return say("不明", "unknown") if value is None else f"{value:,}"


def _limit(est: Estimate, value: int | None) -> str:
    """A limit or what remains of it: a number, no limit (LINE sets none), or unknown (nothing says)."""
    if not est.limit_known:
        return say("不明", "unknown")
    return say("上限なし", "no limit") if est.limit is None else _n(value)


def _cost(est: Estimate) -> str:
    if not est.cost_known:
        return say("不明（プランと今月の送信数が必要です）", "unknown (needs the plan and this month's usage)")
    return say(f"{format_yen(est.extra_cost_yen)}（税別）", f"{format_yen(est.extra_cost_yen)} (tax excl.)")


def usage_lines(usage: Usage) -> list[str]:
    if usage.fetched_at is None:
        when = say("LINEに未確認", "never checked with LINE")
    else:
        stamp = f"{usage.fetched_at.astimezone():%Y-%m-%d %H:%M}"
        when = stamp + ("" if usage.live else say("（オフライン: 前回の数値）", " (offline: last known figures)"))
    lines = [say(f"数値の時点: {when}", f"Figures as of: {when}")]
    if usage.problem:
        lines.append(say(f"LINEに問い合わせできませんでした: {usage.problem}", f"Could not ask LINE: {usage.problem}"))
    return lines


def estimate_lines(est: Estimate) -> list[str]:
    plan = est.plan.name if est.plan else None
    ja_verdict, en_verdict = VERDICT[est.status]
    lines = [
        say(f"プラン: {plan.ja if plan else '不明'}", f"Plan: {plan.en if plan else 'unknown'}"),
        say(f"今月の上限: {_limit(est, est.limit)}", f"Monthly limit: {_limit(est, est.limit)}"),
        say(f"今月の送信数: {_n(est.used)}", f"Used this month: {_n(est.used)}"),
        say(f"送信する人数: {est.recipients:,}人", f"Recipients: {est.recipients:,}"),
        say(f"数える通数: {est.messages_counted:,}通", f"Messages counted: {est.messages_counted:,}"),
        say(f"送信後の残り: {_limit(est, est.remaining_after)}",
            f"Remaining after: {_limit(est, est.remaining_after)}"),
        say(f"追加料金: {_cost(est)}", f"Extra cost: {_cost(est)}"),
        say(f"判定: {ja_verdict}", f"Verdict: {en_verdict}"),
    ]
    lines += [f"  - {r}" for r in est.reasons]
    lines += [say("対処:", "Ways out:")] + [f"  - {w}" for w in est.ways_out] if est.ways_out else []
    lines.append(str(COUNTING_NOTE))
    return lines


def run_quota(args: argparse.Namespace) -> int:
    open_from_args(args)
    if args.plan:
        if args.plan != "auto" and args.plan not in {p.key for p in plans_for()}:
            raise _unknown_plan(args.plan)
        choose_plan(None if args.plan == "auto" else args.plan)
    usage = current_usage(None if args.offline else token_or_none(), fresh=True)
    est = verdict_for(0, usage)
    remaining = est.remaining_before
    plan = est.plan.name if est.plan else None
    print(say(f"プラン: {plan.ja if plan else '不明'}{'（選択）' if usage.plan else ''}",
              f"Plan: {plan.en if plan else 'unknown'}{' (chosen)' if usage.plan else ''}"))
    print(say(f"今月の上限: {_limit(est, est.limit)}", f"Monthly limit: {_limit(est, est.limit)}"))
    print(say(f"今月の送信数: {_n(usage.used)}", f"Used this month: {_n(usage.used)}"))
    print(say(f"残り: {_limit(est, remaining)}", f"Remaining: {_limit(est, remaining)}"))
    for line in usage_lines(usage):
        print(line)
    return 0


def _unknown_plan(key: str) -> ShopLineError:
    keys = ", ".join(p.key for p in plans_for())
    return ShopLineError(Text(f"プラン「{key}」はありません。{keys} か auto を指定してください。",
                              f"There is no plan \"{key}\": use {keys} or auto."))


def run_estimate(args: argparse.Namespace) -> int:
    open_from_args(args)
    tree = parse_checked(args.segment)
    usage = current_usage(None if args.offline else token_or_none(), fresh=True)
    est = verdict_for(count(tree), usage)
    for line in estimate_lines(est) + usage_lines(usage):
        print(line)
    return 3 if est.status is Status.BLOCKED else 0
