"""`shopline export [FILE]`: every friend to a CSV with Japanese headers that Excel opens as is."""

from __future__ import annotations

import argparse
import datetime as dt
from pathlib import Path

from shopline import paths
from shopline.cli.common import open_from_args, say
from shopline.csvio.exporter import EXPORT_ENCODINGS, export_csv


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("export", help="友だちをCSVファイルに書き出す / export friends to a CSV")
    p.add_argument("file", metavar="FILE", nargs="?",
                   help="書き出すファイル (省略するとデータフォルダの exports/ に日時入りの名前で)")
    p.add_argument("--encoding", choices=EXPORT_ENCODINGS, default="utf-8-sig",
                   help="utf-8-sig (既定、Excelでそのまま開けます) か cp932 (Shift_JIS)")
    p.add_argument("--segment", metavar="EXPR", help="このセグメントの友だちだけ (例: \"VIP AND gender = 女性\")")
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    folder = open_from_args(args)
    target = Path(args.file) if args.file else (
        paths.exports_dir(folder) / f"friends-{dt.datetime.now():%Y%m%d-%H%M%S}.csv")
    friend_ids = None
    if args.segment:
        from shopline.store.segment_sql import friend_ids_query
        from shopline.store.segments import parse_checked

        # Checked before the file is touched: a typo in a tag name must not leave a half-written export.
        friend_ids = friend_ids_query(parse_checked(args.segment))
    report = export_csv(target, encoding=args.encoding, friend_ids=friend_ids)
    extra = "、".join(report.fields)
    print(say(f"友だち{report.rows}人を {report.path} に書き出しました({report.encoding})。"
              + (f"友だち情報の列: {extra}" if extra else ""),
              f"Wrote {report.rows} friends to {report.path} ({report.encoding})."
              + (f" Custom field columns: {', '.join(report.fields)}" if report.fields else "")))
    return 0
