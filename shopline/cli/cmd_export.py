"""`shopline export [FILE]`: every friend to a CSV with Japanese headers that Excel opens as is."""

from __future__ import annotations

import argparse
import datetime as dt
import os
from pathlib import Path

from shopline import paths
from shopline.cli.common import open_from_args, say
from shopline.core.messages import ShopLineError, Text
from shopline.csvio.exporter import EXPORT_ENCODINGS, export_csv


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("export", help="友だちをCSVファイルに書き出す / export friends to a CSV")
    p.add_argument("file", metavar="FILE", nargs="?",
                   help="書き出すファイル (省略するとデータフォルダの exports/ に日時入りの名前で)")
    p.add_argument("--encoding", choices=EXPORT_ENCODINGS, default="utf-8-sig",
                   help="utf-8-sig (既定、Excelでそのまま開けます) か cp932 (Shift_JIS)")
    p.add_argument("--segment", metavar="EXPR", help="このセグメントの友だちだけ (例: \"VIP AND gender = 女性\")")
    p.add_argument("--purchases", metavar="FILE", help="購入・来店の記録もすべてこのCSVに書き出す (ユーザーID付き)")
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    folder = open_from_args(args)
    target = Path(args.file) if args.file else (
        paths.exports_dir(folder) / f"friends-{dt.datetime.now():%Y%m%d-%H%M%S}.csv")
    check_target(folder, target)
    friend_ids = None
    if args.segment:
        from shopline.store.segment_sql import friend_ids_query
        from shopline.store.segments import parse_checked

        # Checked before the file is touched: a typo in a tag name must not leave a half-written export.
        friend_ids = friend_ids_query(parse_checked(args.segment))
    try:
        report = export_csv(target, encoding=args.encoding, friend_ids=friend_ids)
    except OSError as exc:
        raise _unwritable(target, exc) from None
    extra = "、".join(report.fields)
    print(say(f"友だち{report.rows}人を {report.path} に書き出しました({report.encoding})。"
              + (f"友だち情報の列: {extra}" if extra else ""),
              f"Wrote {report.rows} friends to {report.path} ({report.encoding})."
              + (f" Custom field columns: {', '.join(report.fields)}" if report.fields else "")))
    if args.purchases:
        from shopline.purchases.listing import export_purchases

        target = Path(args.purchases)
        check_target(folder, target)
        try:
            rows = export_purchases(target, args.encoding)
        except OSError as exc:
            raise _unwritable(target, exc) from None
        print(say(f"購入・来店{rows}行を {target} に書き出しました。", f"Wrote {rows} purchases to {target}."))
    return 0


def check_target(folder: Path, target: Path) -> None:
    """Refused before a row is read: the shop's own data files, a folder, a folder that is not there."""
    if paths.is_store_file(folder, target):
        raise ShopLineError(Text(
            f"{target} はShopLineのデータファイル（またはそのバックアップ）なので、書き出し先にできません。"
            "ほかのファイル名を指定してください（省略すると exports/ に書き出します）。",
            f"{target} is ShopLine's own data file (or one of its backups), so it cannot be the export. "
            "Give another file name (without one, the export goes to exports/)."))
    if target.is_dir() or str(target).endswith(("/", os.sep)):
        raise ShopLineError(Text(
            f"{target} はフォルダです。書き出すファイルの名前まで指定してください（例: {target / 'friends.csv'}）。",
            f"{target} is a folder. Give the name of the file to write too (e.g. {target / 'friends.csv'})."))
    if not target.parent.is_dir():
        raise ShopLineError(Text(
            f"フォルダ {target.parent} がありません。あるフォルダを指定するか、先にフォルダを作ってください。",
            f"The folder {target.parent} does not exist. Choose a folder that exists, or create it first."))


def _unwritable(target: Path, exc: OSError) -> ShopLineError:
    from shopline.store import errors

    if errors.kind_of(exc) == errors.FULL:
        return ShopLineError(Text(
            f"ディスクがいっぱいのため {target} を書き出せませんでした。空きを作ってから、もう一度試してください。",
            f"The disk is full, so {target} could not be written. Free some space, then try again."))
    return ShopLineError(Text(
        f"{target} に書き出せませんでした（{exc.strerror or exc}）。書き込める場所とファイル名を指定してください。",
        f"Could not write {target} ({exc.strerror or exc}). Choose a place and file name you can write to."))
