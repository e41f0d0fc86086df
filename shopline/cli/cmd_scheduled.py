"""`shopline scheduled [--cancel NAME]`: scheduled and recurring sends, and cancelling one."""

from __future__ import annotations

import argparse
import datetime as dt
from typing import Any

from shopline.cli.common import open_from_args, say
from shopline.core.segments import Node

STATUS = {"active": ("予約中", "scheduled"), "done": ("送信済み", "sent"), "cancelled": ("取り消し", "cancelled"),
          "paused_quota": ("上限で停止", "paused: month's limit")}


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("scheduled", help="予約・定期配信の一覧と取り消し / scheduled and recurring sends")
    p.add_argument("--cancel", metavar="NAME", help="この予約配信を取り消す")
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from shopline.automations import schedules
    from shopline.automations.shop_time import shop_tz, utc, utc_now

    open_from_args(args)
    if args.cancel:
        schedules.cancel(args.cancel)
        print(say(f"「{args.cancel}」の予約を取り消しました。", f"Cancelled \"{args.cancel}\"."))
        return 0
    rows = schedules.listing()
    if not rows:
        print(say("予約・定期配信はありません。`shopline send ... --at` で予約できます。",
                  "No scheduled sends; schedule one with `shopline send ... --at`."))
        return 0
    tz = shop_tz()
    now = utc_now()
    print("\t".join(say("名前 状態 いつ 次回 セグメント", "name status when next segment").split()))
    for row in rows:
        rec = schedules.recurrence_of(row)
        when = str(rec.describe()) if rec else f"{utc(row.at).astimezone(tz):%Y-%m-%d %H:%M}"
        horizon = now + dt.timedelta(days=370)
        upcoming = ([utc(row.at)] if rec is None else schedules.upcoming(row, now, horizon, tz)) \
            if row.status == "active" else []
        nxt = f"{upcoming[0].astimezone(tz):%Y-%m-%d %H:%M}" if upcoming else "-"
        print("\t".join((row.name, say(*STATUS.get(row.status, (row.status, row.status))), when, nxt,
                         row.segment_text)))
    return 0


def schedule_send(args: argparse.Namespace, tree: Node, objects: list[dict[str, Any]]) -> int:
    """`shopline send ... --at` / `--every`: saved, sent by `run-due` when the time comes."""
    from shopline.automations import schedules
    from shopline.automations.shop_time import shop_tz
    from shopline.cli.cmd_run_due import parse_now
    from shopline.core.automations import recurrence_from_args

    tz = shop_tz()
    if args.every:
        rec = recurrence_from_args(args.every, args.at, args.day)
        schedules.add(args.name, tree, objects, recurrence=rec, text=args.segment, unit=args.unit)
        print(say(f"「{args.name}」を定期配信にしました({rec.describe().ja})。毎回そのときのセグメントの友だちに送ります。",
                  f"\"{args.name}\" is now a recurring send ({rec.describe().en}); each time it goes to the "
                  "segment's friends as they are then."))
    else:
        at = parse_now(args.at, tz)
        schedules.add(args.name, tree, objects, at=at, text=args.segment, unit=args.unit)
        print(say(f"「{args.name}」を {at:%Y-%m-%d %H:%M} に予約しました。宛先はそのときのセグメントで決まります。",
                  f"\"{args.name}\" is scheduled for {at:%Y-%m-%d %H:%M}; recipients are chosen then."))
    print(say("送るのは `shopline run-due` です(`shopline schedule install` で5分ごとに自動で実行されます)。",
              "`shopline run-due` sends it (`shopline schedule install` runs it every 5 minutes)."))
    return 0
