"""Helpers shared by subcommands: opening the store from the global options, printing."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

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


def allowed_into_demo(args: argparse.Namespace, what_ja: str, what_en: str) -> bool:
    """A demo shop takes real data only when the shop says so (--yes, or yes at the terminal)."""
    from shopline.store.friends import is_demo_shop

    if getattr(args, "yes", False) or not is_demo_shop():
        return True
    return confirm(say(
        f"このデータフォルダはデモショップ（架空の友だち）です。{what_ja}とデモと混ざります。"
        "先に `shopline demo --remove` でデモを消すか、--data-dir で別のフォルダを使えます。このまま続けますか？",
        f"This data folder is the demo shop (made-up friends). {what_en} mixes with the demo. You can first "
        "remove it with `shopline demo --remove`, or use another folder with --data-dir. Go ahead anyway?"))


def import_progress(done: int, total: int) -> None:
    """Rows read so far, on one line of a terminal's stderr (imports of friends and of purchases)."""
    print(f"\r{done}/{total}", end="", file=sys.stderr, flush=True)


def print_refused(report: Any) -> None:
    """An import report's encoding and the rows it refused (the first SHOWN_ERRORS, then how many more)."""
    from shopline.csvio.report import SHOWN_ERRORS

    print(say(f"文字コード: {report.encoding}", f"Encoding: {report.encoding}"))
    for error in report.refused[:SHOWN_ERRORS]:
        where = f" {error.column}" if error.column else ""
        print(say(f"  {error.row}行目{where}: {error.reason}", f"  row {error.row}{where}: {error.reason}"))
    if report.refused_count > SHOWN_ERRORS:
        rest = report.refused_count - SHOWN_ERRORS
        print(say(f"  ほか{rest}件", f"  and {rest} more"))
