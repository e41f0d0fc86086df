"""`shopline demo`: a synthetic demo shop, for trying the app and for benchmarks."""

from __future__ import annotations

import argparse
from pathlib import Path

from shopline.cli.common import confirm, open_from_args, say
from shopline.demo import demo_data, load_demo, remove_demo, write_demo_csv


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("demo", help="デモショップ(架空の友だち)を作る")
    p.add_argument("--friends", type=int, default=2000, metavar="N", help="友だちの人数 (既定 2000)")
    p.add_argument("--seed", type=int, default=1, metavar="S", help="同じ値なら同じデモになります")
    p.add_argument("--csv", metavar="FILE", help="データベースに入れず、CSVファイルに書き出す")
    p.add_argument("--remove", action="store_true",
                   help="デモの友だち・タグ・項目・購入データ・サンプルのシナリオだけを削除する"
                        " / remove exactly the demo data")
    p.add_argument("--yes", action="store_true", help="--remove を確認せずに実行する")
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    if args.remove:
        return run_remove(args)
    if args.csv:
        path = write_demo_csv(Path(args.csv), args.friends, args.seed)
        print(say(f"デモの友だち{args.friends}人を {path} に書き出しました。",
                  f"Wrote {args.friends} demo friends to {path}."))
        return 0
    open_from_args(args)
    report = load_demo(args.friends, args.seed)
    print(say(f"デモショップを作りました: 友だち{report.imported}人"
              "(デモデータです。メモに「デモデータ」と入っています)。購入データと、一時停止中のサンプルのシナリオも"
              "入っています(デモからは何も送信されません)。",
              f"Demo shop ready: {report.imported} friends (demo data, marked \"デモデータ\" in the memo), with "
              "purchases and a paused sample scenario (the demo never sends anything)."))
    return 0


def run_remove(args: argparse.Namespace) -> int:
    open_from_args(args)
    found = demo_data()
    if found.empty:
        print(say("デモのデータはありません。", "There is no demo data here."))
        return 0
    question = say(f"デモの友だち{found.friends:,}人、タグ{len(found.tags)}個、友だち情報の項目{len(found.fields)}個、"
                   f"購入データ{found.purchases:,}行、サンプルのシナリオ{found.scenarios}個を"
                   "削除します。ほかのデータはそのままです。よろしいですか？",
                   f"Remove the demo's {found.friends:,} friends, {len(found.tags)} tags, {len(found.fields)} "
                   f"custom fields, {found.purchases:,} purchase lines and {found.scenarios} sample scenario(s)? "
                   "Nothing else is touched.")
    if not args.yes and not confirm(question):
        return 1
    gone = remove_demo()
    print(say(f"デモを削除しました: 友だち{gone.friends:,}人、タグ{len(gone.tags)}個、"
              f"友だち情報の項目{len(gone.fields)}個、購入データ{gone.purchases:,}行、シナリオ{gone.scenarios}個。",
              f"Removed the demo: {gone.friends:,} friends, {len(gone.tags)} tags, {len(gone.fields)} custom fields, "
              f"{gone.purchases:,} purchase lines, {gone.scenarios} scenario(s)."))
    if gone.kept_tags:
        kept = "、".join(gone.kept_tags)
        print(say(f"本物の友だちにも付いているため残したタグ: {kept}",
                  f"Tags kept because real friends carry them: {', '.join(gone.kept_tags)}"))
    return 0
