"""`shopline campaigns` (配信履歴 with status and counts) and `shopline resume NAME`."""

from __future__ import annotations

import argparse

from shopline import secrets
from shopline.cli.cmd_send import report, run_with_pause, show_progress
from shopline.cli.common import open_from_args, say
from shopline.delivery import history, service
from shopline.delivery.resume import find_campaign


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("campaigns", help="配信の一覧と状況 / campaigns with status and counts")
    p.add_argument("name", nargs="?", help="この配信の送れなかった友だちと理由を表示")
    p.set_defaults(func=run_list)
    r = sub.add_parser("resume", help="一時停止・中断した配信の続きを送る / continue a campaign")
    r.add_argument("name")
    choice = r.add_mutually_exclusive_group()
    choice.add_argument("--accept-duplicates", action="store_true",
                        help="24時間以上前に試みた分も送る（二重に届くおそれがあります）")
    choice.add_argument("--skip-uncertain", action="store_true",
                        help="24時間以上前に試みた分は送らない")
    r.set_defaults(func=run_resume)


def run_list(args: argparse.Namespace) -> int:
    open_from_args(args)
    if args.name:
        return _not_sent(args.name)
    rows = history.campaigns()
    if not rows:
        print(say("配信はまだありません。", "No campaigns yet."))
        return 0
    print(say("作成日時\t状態\t人数\t送信済み\t送れず\t未送信\t名前", "created\tstatus\trecipients\tsent\tnot sent\t"
              "pending\tname"))
    for c in rows:
        print(f"{c.created_at:%Y-%m-%d %H:%M}\t{history.STATUS_TEXT.get(c.status, c.status)}\t{c.recipients}\t"
              f"{c.delivered}\t{c.failed}\t{c.pending}\t{c.name}")
    return 0


def _not_sent(name: str) -> int:
    campaign = find_campaign(name)
    shown = 0
    for status in ("failed", "pending"):
        for row in history.recipients(campaign, status, limit=1_000_000):
            print(f"{row.user_id}\t{row.display_name}\t{history.BATCH_TEXT[row.status]}\t{row.why}")
            shown += 1
    if not shown:
        print(say("全員に送信済みです。", "Everyone has been sent to."))
    return 0


def run_resume(args: argparse.Namespace) -> int:
    open_from_args(args)
    token = secrets.channel_token()
    result = run_with_pause(lambda cancelled: service.resume(
        args.name, token, accept_duplicates=args.accept_duplicates, skip_uncertain=args.skip_uncertain,
        progress=show_progress, cancelled=cancelled), args.name)
    return report(args.name, result)
