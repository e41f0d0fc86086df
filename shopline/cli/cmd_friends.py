"""`shopline friends`: list and search friends, with their tags."""

from __future__ import annotations

import argparse

from shopline.cli.common import open_from_args, say
from shopline.core.values import GENDER_LABELS_JA, STATUS_LABELS_JA
from shopline.store import friends


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("friends", help="友だちの一覧・検索")
    p.add_argument("--search", metavar="TEXT", help="名前・ユーザーID・メモで検索(スペース区切りはすべて含む)")
    p.add_argument("--tag", metavar="TAG", help="このタグの付いた友だちだけ")
    p.add_argument("--sort", choices=friends.ORDER_KEYS, default="display_name")
    p.add_argument("--limit", type=int, default=50, metavar="N", help="表示する人数 (既定 50、0 で全員)")
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    open_from_args(args)
    within = None
    if args.tag:
        from shopline.store.tags import find_tag

        within = friends.tag_members(find_tag(args.tag).id)
    ids = friends.friend_ids(args.search, order=args.sort, friend_ids_query=within)
    shown = ids if args.limit == 0 else ids[:args.limit]
    rows, tags = friends.rows(shown), friends.tags_for(shown)
    english = say("", "en") == "en"
    for fid in shown:
        r = rows[fid]
        gender = r.gender if english else GENDER_LABELS_JA.get(r.gender, r.gender)
        status = r.status if english else STATUS_LABELS_JA.get(r.status, r.status)
        print("\t".join([r.user_id, r.display_name, gender, r.region or "", status,
                         ";".join(name for name, _ in tags[fid])]))
    total = len(ids)
    more = total - len(shown)
    print(say(f"{total}人" + (f"(ほか{more}人は --limit 0 で表示)" if more else ""),
              f"{total} friends" + (f" ({more} more with --limit 0)" if more else "")), flush=True)
    return 0
