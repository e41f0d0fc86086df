"""`shopline run-due [--now "YYYY-MM-DD HH:MM"] [--dry-run]`: send everything due, then exit.

What the OS scheduler runs every 5 minutes (`shopline schedule install`). --now treats that moment (the
shop's clock) as the present: for catching up after the laptop was closed, and for tests. --dry-run lists
who would get what, and writes and sends nothing.
"""

from __future__ import annotations

import argparse
import datetime as dt
import sys

from shopline.automations.runner import RunReport
from shopline.cli.common import open_from_args, say
from shopline.core.messages import ShopLineError, Text


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("run-due", help="時間になった自動配信を送る / send due automations")
    p.add_argument("--now", metavar="'YYYY-MM-DD HH:MM'", help="この時刻を現在として扱う(お店の時刻)")
    p.add_argument("--dry-run", action="store_true", help="送らずに、誰に何が送られるかだけを表示する")
    p.set_defaults(func=run)


def parse_now(text: str, tz: dt.tzinfo) -> dt.datetime:
    try:
        return dt.datetime.strptime(text.strip(), "%Y-%m-%d %H:%M").replace(tzinfo=tz)
    except ValueError:
        raise ShopLineError(Text(f"--now「{text}」が読めません。\"2026-12-24 10:00\" のように書いてください。",
                                 f"--now \"{text}\" cannot be read: write it like \"2026-12-24 10:00\".")) from None


def run(args: argparse.Namespace) -> int:
    from shopline import secrets
    from shopline.automations.lease import LeaseHeld
    from shopline.automations.runner import run_due
    from shopline.automations.shop_time import shop_tz
    from shopline.cli.cmd_send import run_with_pause

    open_from_args(args)
    tz = shop_tz()
    now = parse_now(args.now, tz) if args.now else None
    if args.dry_run:
        report = run_due(now, dry_run=True)
    else:
        token = secrets.channel_token()
        try:
            report = run_with_pause(lambda cancelled: run_due(now, token=token))
        except LeaseHeld as held:
            print(str(held), file=sys.stderr)
            return 0
    return show(report, tz)


def show(report: RunReport, tz: dt.tzinfo) -> int:
    when = f"{report.now.astimezone(tz):%Y-%m-%d %H:%M}"
    trial = say("(試し)", " (dry run)") if report.dry_run else ""
    print(say(f"{when} の時点{trial}", f"As of {when}{trial}"))
    for name, n in report.entered.items():
        extra = [say(f"開始 {n}人", f"{n} entered")]
        if report.stopped.get(name):
            extra.append(say(f"停止 {report.stopped[name]}人", f"{report.stopped[name]} stopped"))
        if report.missed.get(name):
            extra.append(say(f"遅れて見送り {report.missed[name]}人", f"{report.missed[name]} missed (over 24 h late)"))
        print(f"  {name}: " + ", ".join(extra))
    pending = 0
    for group in report.groups:
        line = f"  {group.scenario} {group.label}: "
        if group.result is None:
            line += say(f"{group.friends:,}人に送ります", f"would send to {group.friends:,}")
            if group.names:
                more = group.friends - len(group.names)
                rest = say(f" ほか{more:,}人", f" and {more:,} more") if more else ""
                line += " (" + ", ".join(group.names) + rest + ")"
        else:
            pending += group.result.pending
            line += say(f"送信済み {group.result.delivered:,}人 / 送れず {group.result.failed:,}人 / "
                        f"未送信 {group.result.pending:,}人",
                        f"{group.result.delivered:,} sent / {group.result.failed:,} not sent / "
                        f"{group.result.pending:,} pending")
        print(line)
        if group.result is not None and group.result.message is not None:
            print(str(group.result.message), file=sys.stderr)
    if not report.groups:
        print(say("  送るものはありません。", "  Nothing is due."))
    for name, why in report.paused:
        print(say(f"「{name}」を一時停止しました: {why.ja}", f"Paused \"{name}\": {why.en}"), file=sys.stderr)
    if pending:
        print(say("送れなかった分は次の実行で続きから送ります。", "What could not go out continues at the next run."),
              file=sys.stderr)
        return 4
    return 3 if report.paused else 0
