"""The `shopline` command: headless, and never imports PySide6.

Each subcommand lives in its own module with a register(subparsers) that sets
`run(args) -> int` as the parser's default `func`.
"""

from __future__ import annotations

import argparse
import importlib
import os
import sys

from shopline import __version__
from shopline.core.messages import ShopLineError, set_language

COMMAND_MODULES = [
    "shopline.cli.cmd_import",
    "shopline.cli.cmd_export",
    "shopline.cli.cmd_tags",
    "shopline.cli.cmd_friends",
    "shopline.cli.cmd_demo",
    "shopline.cli.cmd_connect",
    "shopline.cli.cmd_sync",
    "shopline.cli.cmd_count",
    "shopline.cli.cmd_tag",
    "shopline.cli.cmd_segments",
    "shopline.cli.cmd_send",
    "shopline.cli.cmd_campaigns",
    "shopline.cli.cmd_quota",
    "shopline.cli.cmd_relay",
    "shopline.cli.cmd_inbox",
    "shopline.cli.cmd_results",
    "shopline.cli.cmd_scenarios",
    "shopline.cli.cmd_run_due",
    "shopline.cli.cmd_scheduled",
    "shopline.cli.cmd_schedule",
    "shopline.cli.cmd_purchases",
    "shopline.cli.cmd_abtest",
    "shopline.cli.cmd_clicks",
]


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="shopline",
        description="ShopLine: LINE公式アカウントの友だち・タグ・配信を手元で管理します。",
    )
    parser.add_argument("--version", action="version", version=f"ShopLine {__version__}")
    parser.add_argument("--data-dir", metavar="DIR", help="データフォルダ (既定: SHOPLINE_HOME かOSの標準の場所)")
    parser.add_argument("--lang", choices=["ja", "en"], help="表示する言語 / language of messages")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    for name in COMMAND_MODULES:
        importlib.import_module(name).register(sub)
    return parser


def main(argv: list[str] | None = None) -> int:
    for stream in (sys.stdout, sys.stderr):
        if hasattr(stream, "reconfigure"):
            stream.reconfigure(errors="replace")  # a cp932 console must not crash on an emoji name
    parser = build_parser()
    args = parser.parse_args(argv)
    if args.lang:
        set_language(args.lang)
    if not getattr(args, "func", None):
        parser.print_help()
        return 0
    try:
        return int(args.func(args) or 0)
    except ShopLineError as err:
        print(str(err), file=sys.stderr)
        return getattr(err, "exit_code", 2)
    except BrokenPipeError:  # `shopline friends | head`: the reader has what it wanted
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())  # nor fail again when Python flushes
        return 0
    except KeyboardInterrupt:
        print("中断しました。データベースは中断前の状態のままです。", file=sys.stderr)
        return 130
    except Exception as exc:  # a locked, full or read-only database still gets a sentence, not a traceback
        explained = _explain(exc)
        if explained is None:
            raise
        print(str(explained), file=sys.stderr)
        return getattr(explained, "exit_code", 2)


def _explain(exc: Exception) -> ShopLineError | None:
    from shopline.store import connection, errors

    return errors.explain(exc, connection._folder)
