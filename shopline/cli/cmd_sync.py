"""`shopline sync`: followers and profiles from LINE into the local database."""

from __future__ import annotations

import argparse
import signal
import sys
import threading

from shopline import secrets
from shopline.cli.common import open_from_args, say
from shopline.sync import sync_friends


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "sync",
        help="LINEの友だち一覧とプロフィールを取り込む / sync followers and profiles from LINE",
        description="友だちのユーザーIDとプロフィールをLINEから取得し、データベースに反映します。"
        " 一覧にいない友だちは「ブロック/解除」として残り、削除はされません。",
    )
    parser.add_argument("--workers", type=int, default=8, help="同時に取得するプロフィールの数 (既定 8)")
    parser.set_defaults(func=run)


def _show(done: int, total: int) -> None:
    if not sys.stderr.isatty():
        return
    line = say(f"友だち一覧を取得中… {done}", f"Reading followers… {done}") if total == 0 else f"{done}/{total}"
    print(f"\r{line}   ", end="", file=sys.stderr, flush=True)


def run(args: argparse.Namespace) -> int:
    open_from_args(args)
    token = secrets.channel_token()
    stop = threading.Event()
    # Ctrl-C asks the sync to stop between batches, so what was fetched is written, not lost.
    previous = signal.signal(signal.SIGINT, lambda *_: stop.set())
    try:
        report = sync_friends(token, progress=_show, cancelled=stop.is_set, workers=max(1, args.workers))
    finally:
        signal.signal(signal.SIGINT, previous)
    if sys.stderr.isatty():
        print(file=sys.stderr)
    print(
        say(
            f"友だち {report.followers}人: 追加 {report.added} / 更新 {report.updated}"
            f" / ブロック {report.blocked} / 解除 {report.unfollowed} / 取得失敗 {report.failed}",
            f"{report.followers} followers: {report.added} added / {report.updated} updated / "
            f"{report.blocked} blocked / {report.unfollowed} unfollowed / {report.failed} failed",
        )
    )
    if report.cancelled:
        print(
            say(
                "途中で中止しました。ここまでの結果は保存済みです。",
                "Stopped early; what was fetched is saved.",
            )
        )
        return 130
    return 1 if report.failed else 0
