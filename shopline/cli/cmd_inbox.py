"""`shopline inbox pull` and `shopline inbox rules add|list|remove`."""

from __future__ import annotations

import argparse
import sys

from shopline.cli.common import open_from_args, say


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "inbox",
        help="中継サーバーのイベント (友だち追加・ブロック・メッセージ) を取り込む / pull the relay's events",
    )
    sub = parser.add_subparsers(dest="inbox_command", metavar="ACTION", required=True)
    sub.add_parser("pull", help="取り込んで反映し、中継サーバーに受領を伝える").set_defaults(func=run_pull)
    rules = sub.add_parser("rules", help="キーワードルール: メッセージに含まれる言葉でタグを付ける")
    rules_sub = rules.add_subparsers(dest="rules_command", metavar="ACTION", required=True)
    add = rules_sub.add_parser("add", help="例: shopline inbox rules add 予約 予約希望")
    add.add_argument("keyword")
    add.add_argument("tag")
    add.set_defaults(func=run_rules_add)
    rules_sub.add_parser("list", help="ルールの一覧").set_defaults(func=run_rules_list)
    remove = rules_sub.add_parser("remove", help="ルールを削除 (タグを省くとそのキーワードのルールすべて)")
    remove.add_argument("keyword")
    remove.add_argument("tag", nargs="?")
    remove.set_defaults(func=run_rules_remove)


def run_pull(args: argparse.Namespace) -> int:
    from shopline.inbox.pull import pull_inbox

    open_from_args(args)
    result = pull_inbox()
    print(say(
        f"{result.applied} 件のイベントを反映しました（新しい友だち {result.new_friends} 人、"
        f"ブロック {result.blocked} 人、反応 {result.reactions} 件、タグ付け {result.tagged} 件、"
        f"タグ外し {result.untagged} 件、重複 {result.duplicates} 件）。",
        f"Applied {result.applied} events ({result.new_friends} new friends, {result.blocked} blocked, "
        f"{result.reactions} reactions, {result.tagged} tagged, {result.untagged} untagged, "
        f"{result.duplicates} duplicates)."))
    return 0


def run_rules_add(args: argparse.Namespace) -> int:
    from shopline.inbox.rules import add_rule

    open_from_args(args)
    rule = add_rule(args.keyword, args.tag)
    print(say(f"ルールを追加しました: 「{rule.keyword}」を含むメッセージ → タグ「{rule.tag}」",
              f"Rule added: a message containing \"{rule.keyword}\" → tag \"{rule.tag}\""))
    return 0


def run_rules_list(args: argparse.Namespace) -> int:
    from shopline.inbox.rules import list_rules

    open_from_args(args)
    rules = list_rules()
    if not rules:
        print(say("キーワードルールはありません。", "There are no keyword rules."), file=sys.stderr)
    for rule in rules:
        print(f"{rule.keyword}\t{rule.tag}")
    return 0


def run_rules_remove(args: argparse.Namespace) -> int:
    from shopline.inbox.rules import remove_rule

    open_from_args(args)
    gone = remove_rule(args.keyword, args.tag)
    if not gone:
        print(say(f"「{args.keyword}」のルールはありません。", f"There is no rule for \"{args.keyword}\"."),
              file=sys.stderr)
        return 1
    print(say(f"{gone} 件のルールを削除しました。", f"Removed {gone} rule(s)."))
    return 0
