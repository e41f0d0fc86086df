"""`shopline segments save NAME EXPR | list | show NAME | delete NAME`: named segments."""

from __future__ import annotations

import argparse

from shopline.cli.common import open_from_args, say
from shopline.core.segments import parse, to_text
from shopline.store import segments as segment_store
from shopline.store.segment_sql import count


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("segments", help="名前を付けたセグメントの保存・一覧・表示")
    p.set_defaults(func=run_list)
    ssub = p.add_subparsers(dest="segments_command", metavar="ACTION")
    save = ssub.add_parser("save", help="式に名前を付けて保存する(同じ名前は上書き)")
    save.add_argument("name")
    save.add_argument("expression", metavar="EXPR")
    save.set_defaults(func=run_save)
    ssub.add_parser("list", help="保存したセグメントと人数").set_defaults(func=run_list)
    show = ssub.add_parser("show", help="セグメントの式と人数")
    show.add_argument("name")
    show.set_defaults(func=run_show)
    delete = ssub.add_parser("delete", help="セグメントを削除する")
    delete.add_argument("name")
    delete.set_defaults(func=run_delete)


def run_save(args: argparse.Namespace) -> int:
    open_from_args(args)
    saved, created = segment_store.save_segment(args.name, parse(args.expression))
    if created:
        print(say(f"セグメント「{saved.name}」を保存しました: {to_text(saved.tree)}",
                  f"Saved the segment \"{saved.name}\": {to_text(saved.tree)}"))
    else:
        print(say(f"セグメント「{saved.name}」を上書きしました: {to_text(saved.tree)}",
                  f"Replaced the segment \"{saved.name}\": {to_text(saved.tree)}"))
    return 0


def run_list(args: argparse.Namespace) -> int:
    open_from_args(args)
    saved = segment_store.list_segments()
    if not saved:
        print(say("保存したセグメントはまだありません。", "No saved segments yet."))
    for segment in saved:
        print(f"{segment.name}\t{to_text(segment.tree)}")
    return 0


def run_show(args: argparse.Namespace) -> int:
    open_from_args(args)
    segment = segment_store.get_segment(args.name)
    print(to_text(segment.tree))
    print(say(f"{count(segment.tree)}人", f"{count(segment.tree)} friends"))
    return 0


def run_delete(args: argparse.Namespace) -> int:
    open_from_args(args)
    segment = segment_store.get_segment(args.name)
    segment_store.delete_segment(segment.name)
    print(say(f"セグメント「{segment.name}」を削除しました。", f"Deleted the segment \"{segment.name}\"."))
    return 0
