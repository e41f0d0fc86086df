"""`shopline count EXPR [EXPR ...]`: how many following friends each segment holds, one per line."""

from __future__ import annotations

import argparse

from shopline.cli.common import open_from_args
from shopline.core.segments import parse
from shopline.store.segment_sql import count


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("count", help="セグメントの人数を数える (例: '女性 AND age >= 30')")
    p.add_argument("expressions", nargs="+", metavar="EXPR", help="セグメントの式")
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    open_from_args(args)
    # Read every expression before counting any, so a typo in the last one prints nothing half-done.
    trees = [parse(text) for text in args.expressions]
    for tree in trees:
        print(count(tree))
    return 0
