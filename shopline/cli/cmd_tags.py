"""`shopline tags`: list tags with friend counts (following, and all); add, rename (merging after
confirmation), delete."""

from __future__ import annotations

import argparse
import sys

from shopline.cli.common import confirm, open_from_args, say
from shopline.store import tags as tag_store


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("tags", help="タグの一覧・追加・名前変更・削除")
    p.set_defaults(func=run_list)
    tsub = p.add_subparsers(dest="tags_command", metavar="ACTION")
    add = tsub.add_parser("add", help="タグを作る")
    add.add_argument("name")
    add.add_argument("--folder", default="", help="フォルダ名")
    add.set_defaults(func=run_add)
    ren = tsub.add_parser("rename", help="タグの名前を変える(既にある名前ならまとめる)")
    ren.add_argument("old")
    ren.add_argument("new")
    ren.add_argument("--yes", action="store_true", help="まとめる確認をしない")
    ren.set_defaults(func=run_rename)
    rm = tsub.add_parser("delete", help="タグを削除する(友だちは削除されません)")
    rm.add_argument("name")
    rm.add_argument("--yes", action="store_true", help="確認をしない")
    rm.set_defaults(func=run_delete)


def run_list(args: argparse.Namespace) -> int:
    open_from_args(args)
    rows = tag_store.tag_counts()
    if not rows:
        print(say("タグはまだありません。", "No tags yet."))
        return 0
    # following is what `shopline count TAG` says and a send reaches; all adds blocked and unfollowed friends.
    print("tag\tfollowing\tall")
    for row in rows:
        folder = f"{row.tag.folder}/" if row.tag.folder else ""
        print(f"{folder}{row.tag.name}\t{row.following}\t{row.friends}")
    return 0


def run_add(args: argparse.Namespace) -> int:
    open_from_args(args)
    tag = tag_store.create_tag(args.name, folder=args.folder)
    print(say(f"タグ「{tag.name}」を作りました。", f"Created the tag \"{tag.name}\"."))
    return 0


def run_rename(args: argparse.Namespace) -> int:
    open_from_args(args)
    tag = tag_store.find_tag(args.old)
    try:
        result = tag_store.rename_tag(tag, args.new)
    except tag_store.MergeNeeded as need:
        if not (args.yes or confirm(str(need))):
            print(say("何も変更しませんでした。", "Nothing was changed."))
            return 1
        result = tag_store.rename_tag(tag, args.new, merge=True)
    print(say(f"タグ「{args.old}」を「{result.name}」にしました。", f"Renamed \"{args.old}\" to \"{result.name}\"."))
    return 0


def run_delete(args: argparse.Namespace) -> int:
    open_from_args(args)
    tag = tag_store.find_tag(args.name)
    affected = tag_store.friend_count(tag)
    question = say(f"タグ「{tag.name}」を削除します。{affected}人の友だちからこのタグが外れます。よろしいですか?",
                   f"Delete the tag \"{tag.name}\"? {affected} friends will lose it.")
    if not (args.yes or confirm(question)):
        print(say("何も変更しませんでした。", "Nothing was changed."), file=sys.stderr)
        return 1
    tag_store.delete_tag(tag)
    print(say(f"タグ「{tag.name}」を削除しました({affected}人)。", f"Deleted \"{tag.name}\" ({affected} friends)."))
    return 0
