"""Helpers shared by subcommands: opening the store from the global options, printing."""

from __future__ import annotations

import argparse
from pathlib import Path

from shopline.core.messages import language
from shopline.store import open_store


def open_from_args(args: argparse.Namespace) -> Path:
    import sys

    from shopline.store.backups import take_notices

    folder = open_store(args.data_dir)
    for notice in take_notices():  # e.g. today's backup failed: said once, and the command goes on
        print(str(notice), file=sys.stderr)
    return folder


def say(ja: str, en: str) -> str:
    return en if language() == "en" else ja


def confirm(question: str) -> bool:
    """Ask on the terminal; with no terminal (scripts, cron) the answer is no."""
    import sys

    if not sys.stdin or not sys.stdin.isatty():
        print(question, file=sys.stderr)
        print(say("確認できないため中止しました。--yes を付けると確認なしで実行します。",
                  "Stopped: cannot ask for confirmation. Add --yes to go ahead without asking."), file=sys.stderr)
        return False
    answer = input(f"{question} [y/N] ").strip().lower()
    return answer in ("y", "yes", "はい")
