"""`shopline send --segment EXPR (--text TEXT | --message FILE.json) --name NAME [--yes]`.

Checks the message (ours, then LINE's), shows the estimate and asks; --yes skips
the question but never the quota guard. The campaign is saved before the first
request, so Ctrl-C, a crash or a lost connection leaves it for `shopline resume`.
"""

from __future__ import annotations

import argparse
import json
import signal
import sys
import threading
from pathlib import Path
from typing import Any

from shopline import secrets
from shopline.cli.cmd_quota import estimate_lines, usage_lines
from shopline.cli.common import confirm, open_from_args, say
from shopline.core.drafts import Draft, from_json
from shopline.core.messages import ShopLineError, Text
from shopline.delivery import personal, service
from shopline.delivery.freeze import check_name_free
from shopline.delivery.results import Progress, RunResult
from shopline.delivery.usage import current_usage, verdict_for
from shopline.links.relay import tracking_relay
from shopline.store.segment_sql import count
from shopline.store.segments import parse_checked


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("send", help="セグメントにメッセージを配信する / send a message to a segment")
    p.add_argument("--segment", required=True, metavar="EXPR", help="セグメントの式")
    what = p.add_mutually_exclusive_group(required=True)
    what.add_argument("--text", help="テキストメッセージ")
    what.add_argument("--message", type=Path, metavar="FILE.json",
                      help="下書きのJSON、またはLINEのメッセージオブジェクトの配列")
    p.add_argument("--name", required=True, help="配信の名前（再開や履歴で使います）")
    p.add_argument("--unit", help="集計単位名 (customAggregationUnits; 既定は自動)")
    p.add_argument("--yes", action="store_true", help="確認せずに送る（上限を超える配信は送りません）")
    p.add_argument("--skip-missing", action="store_true",
                   help="差し込み({表示名}など)の値がない友だちを除いて送る / leave out friends missing a value")
    p.add_argument("--at", metavar="'YYYY-MM-DD HH:MM'",
                   help="この日時に送る予約にする(--every と一緒なら HH:MM の時刻)。宛先は送るときに決まります")
    p.add_argument("--every", choices=["day", "week", "month"], help="定期配信にする(毎回それぞれの配信になります)")
    p.add_argument("--day", type=int, help="--every month の日付(1〜31)、--every week の曜日(1=月〜7=日)")
    p.set_defaults(func=run)


def load_messages(path: Path) -> Draft | list[dict[str, Any]]:
    try:
        text = path.read_text(encoding="utf-8-sig")
        data = json.loads(text)
    except (OSError, ValueError) as exc:
        raise ShopLineError(Text(f"{path} を読めません: {exc}", f"Cannot read {path}: {exc}")) from None
    if isinstance(data, dict) and "bubbles" in data:
        return from_json(text)  # a saved draft or template
    if isinstance(data, dict) and isinstance(data.get("messages"), list):
        return data["messages"]  # a request body
    if isinstance(data, list):
        return data
    raise ShopLineError(Text(f"{path} はメッセージのJSONではありません。", f"{path} is not message JSON."))


def show_progress(p: Progress) -> None:
    print(say(f"送信中 {p.batches_done}/{p.batches_total} 回, {p.friends_done:,}/{p.friends_total:,} 人",
              f"sending {p.batches_done}/{p.batches_total} batches, {p.friends_done:,}/{p.friends_total:,} friends"),
          flush=True)


def run_with_pause(work: Any, name: str | None = None) -> RunResult:
    """Ctrl-C pauses between batches (in-flight requests finish), so the journal stays exact.
    A database another ShopLine holds, or a full disk, stops the run with the way to resume `name`."""
    stop = threading.Event()
    previous = signal.signal(signal.SIGINT, lambda *_: stop.set())
    try:
        return work(stop.is_set)
    except Exception as exc:
        from shopline.store import connection, errors

        explained = errors.explain(exc, connection._folder, campaign=name)
        if explained is None:
            raise
        explained.exit_code = 4  # type: ignore[attr-defined]  # as report(): batches are left pending
        raise explained from None
    finally:
        signal.signal(signal.SIGINT, previous)


def report(name: str, result: RunResult) -> int:
    print(say(f"送信済み {result.delivered:,}人 / 送れず {result.failed:,}人 / 未送信 {result.pending:,}人",
              f"{result.delivered:,} sent / {result.failed:,} not sent / {result.pending:,} pending"))
    if result.message is not None:
        print(str(result.message), file=sys.stderr)
    if result.pending:
        print(say(f"続きは `shopline resume {name}` で送れます。", f"Continue with `shopline resume {name}`."),
              file=sys.stderr)
        return 4
    return 1 if result.failed else 0


def run(args: argparse.Namespace) -> int:
    open_from_args(args)
    check_name_free(args.name)  # before the estimate and the question, not after them
    tree = parse_checked(args.segment)
    messages = [{"type": "text", "text": args.text}] if args.text is not None else load_messages(args.message)
    token = secrets.channel_token()
    objects = service.checked_messages(messages, token)  # refused here: nothing is saved
    usage = current_usage(token, fresh=True)
    estimate = verdict_for(count(tree), usage)
    for line in estimate_lines(estimate) + usage_lines(usage):
        print(line)
    if (args.at or args.every) and personal.has_placeholders(objects):  # automations send by multicast only
        raise ShopLineError(Text(
            "予約配信・定期配信では差し込み({表示名} など)はまだ使えません。今すぐ送るか、差し込みを外してください。",
            "Placeholders such as {表示名} cannot be used in scheduled sends yet. Send now, or remove them."))
    if args.at or args.every:  # saved for later; the quota is judged again when it goes out
        from shopline.cli.cmd_scheduled import schedule_send
        return schedule_send(args, tree, objects)
    service.guard(estimate)
    left_out = personal.check_before_send(tree, objects, skip_unsendable=args.skip_missing, relay_url=tracking_relay())
    if left_out:
        print(say(f"差し込む値がない{len(left_out):,}人には送りません。", f"{len(left_out):,} friends missing a value "
                  "are left out."))
    if not args.yes and not confirm(say(f"「{args.name}」を{estimate.recipients:,}人に送りますか？",
                                        f"Send \"{args.name}\" to {estimate.recipients:,} friends?")):
        return 1
    prepared = service.prepare_send(args.name, tree, objects, token=token, text=args.segment, unit=args.unit,
                                    usage=usage, skip_unsendable=args.skip_missing)
    print(say(f"「{args.name}」を保存しました（{prepared.campaign.recipients:,}人）。送信します。",
              f"Saved \"{args.name}\" ({prepared.campaign.recipients:,} friends). Sending."), flush=True)
    result = run_with_pause(lambda cancelled: service.send(prepared.campaign, token, progress=show_progress,
                                                           cancelled=cancelled), args.name)
    return report(args.name, result)
