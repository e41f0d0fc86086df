"""`shopline tag EXPR --add TAG | --remove TAG`: tag or untag a whole segment at once."""

from __future__ import annotations

import argparse

from shopline.cli.common import open_from_args, say
from shopline.core.segments import parse
from shopline.core.tags import validate_tag_name
from shopline.store.segment_sql import friend_ids
from shopline.store.tags import find_tag, get_or_create_tags, tag_friends, untag_friends


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("tag", help="セグメントの友だち全員にタグを付ける・外す")
    p.add_argument("expression", metavar="EXPR", help="セグメントの式")
    action = p.add_mutually_exclusive_group(required=True)
    action.add_argument("--add", metavar="TAG", help="付けるタグ(なければ作ります)")
    action.add_argument("--remove", metavar="TAG", help="外すタグ")
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    open_from_args(args)
    tree = parse(args.expression)
    if args.add is not None:
        name = validate_tag_name(args.add)
        ids = friend_ids(tree)  # before the tag exists: a new tag cannot change who matches
        changed = tag_friends(ids, get_or_create_tags([name])[name])
        print(say(f"{changed}人にタグ「{name}」を付けました。", f"Tagged {changed} friends with \"{name}\"."))
    else:
        tag = find_tag(args.remove)
        changed = untag_friends(friend_ids(tree), tag.id)
        print(say(f"{changed}人からタグ「{tag.name}」を外しました。",
                  f"Removed \"{tag.name}\" from {changed} friends."))
    return 0
