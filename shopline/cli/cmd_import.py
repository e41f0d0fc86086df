"""`shopline import FILE`: friends from a CSV, with a per-row report and an errors CSV for refused rows."""

from __future__ import annotations

import argparse
import sys

from shopline.cli.common import allowed_into_demo, import_progress, open_from_args, print_refused, say
from shopline.csvio.encoding import ENCODINGS
from shopline.csvio.importer import import_csv
from shopline.csvio.report import ImportReport


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("import", help="CSVファイルから友だちを読み込む / import friends from a CSV",
                       description="CSVの友だちをユーザーIDで追加・更新します。タグは追加だけで、消えません。"
                                   "終了コード: 0 すべて読み込み、1 読み込めない行あり、"
                                   "2 ファイルが使えないか中止した。")
    p.add_argument("file", metavar="FILE", help="CSVファイル (UTF-8 か Shift_JIS)")
    p.add_argument("--encoding", choices=ENCODINGS, default="auto", help="文字コード (既定: 自動判定)")
    p.add_argument("--dry-run", action="store_true", help="確かめるだけで、データベースには書き込まない")
    p.add_argument("--yes", action="store_true", help="デモショップにも確認せずに読み込む")
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    open_from_args(args)
    if not args.dry_run and not allowed_into_demo(args, "本物の友だちを読み込む", "Importing real friends"):
        return 2
    report = import_csv(args.file, encoding=args.encoding, dry_run=args.dry_run,
                        progress=import_progress if sys.stderr.isatty() else None)
    if sys.stderr.isatty():
        print(file=sys.stderr)
    _print(report)
    return report.exit_code


def _print(report: ImportReport) -> None:
    print_refused(report)
    if report.new_fields:
        names = "、".join(report.new_fields)
        print(say(f"新しい友だち情報の項目: {names}", f"New custom fields: {', '.join(report.new_fields)}"))
    print(report.summary())
