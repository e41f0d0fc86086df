"""`shopline demo`: a synthetic demo shop, for trying the app and for benchmarks."""

from __future__ import annotations

import argparse
from pathlib import Path

from shopline.cli.common import open_from_args, say
from shopline.demo import load_demo, write_demo_csv


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("demo", help="デモショップ(架空の友だち)を作る")
    p.add_argument("--friends", type=int, default=2000, metavar="N", help="友だちの人数 (既定 2000)")
    p.add_argument("--seed", type=int, default=1, metavar="S", help="同じ値なら同じデモになります")
    p.add_argument("--csv", metavar="FILE", help="データベースに入れず、CSVファイルに書き出す")
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    if args.csv:
        path = write_demo_csv(Path(args.csv), args.friends, args.seed)
        print(say(f"デモの友だち{args.friends}人を {path} に書き出しました。",
                  f"Wrote {args.friends} demo friends to {path}."))
        return 0
    open_from_args(args)
    report = load_demo(args.friends, args.seed)
    print(say(f"デモショップを作りました: 友だち{report.imported}人"
              "(デモデータです。メモに「デモデータ」と入っています)。",
              f"Demo shop ready: {report.imported} friends (demo data, marked \"デモデータ\" in the memo)."))
    return 0
