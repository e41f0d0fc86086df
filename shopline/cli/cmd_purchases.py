"""`shopline purchases`: import a register's or web store's export, list purchases, link member numbers, RFM."""

from __future__ import annotations

import argparse
import sys

from shopline.cli.common import import_progress, open_from_args, print_refused, say
from shopline.core.purchase_values import ROLE_LABELS, ROLES
from shopline.core.rfm import GROUPS
from shopline.csvio.encoding import ENCODINGS


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("purchases", help="購入・来店の記録 / purchases and visits",
                       description="レジやネットショップの購入・来店の記録を読み込み、一覧にします。"
                                   "サブコマンドなしでは購入を一覧にします。")
    p.add_argument("--friend", metavar="USER_ID", help="この友だちの購入だけ")
    p.add_argument("--unmatched", action="store_true", help="友だちにつながっていない購入だけ")
    p.add_argument("--limit", type=int, default=None, help="表示する行数の上限")
    p.set_defaults(func=run_list)
    actions = p.add_subparsers(dest="action", metavar="ACTION")
    imp = actions.add_parser("import", help="CSVを読み込む / import a CSV",
                             description="購入・来店のCSVを読み込みます。同じファイルをもう一度読み込んでも増えません。"
                                         "終了コード: 0 すべて読み込み、1 読み込めない行あり、"
                                         "2 ファイルが使えないか中止した。")
    imp.add_argument("file", metavar="FILE", help="CSVファイル (UTF-8 か Shift_JIS)")
    imp.add_argument("--encoding", choices=ENCODINGS, default="auto", help="文字コード (既定: 自動判定)")
    imp.add_argument("--dry-run", action="store_true", help="確かめるだけで、データベースには書き込まない")
    imp.add_argument("--key", metavar="COLUMN", help="お客様を見分ける列 (会員番号かユーザーID。既定: 見出しから判断)")
    imp.add_argument("--map", metavar="FIELD=HEADER", action="append", default=[], dest="mapping",
                     help="項目をこの見出しの列から読む (繰り返し可。例: --map 金額=税込合計、"
                          "--map store= で読まない)。項目: " + "、".join(f"{r}({ROLE_LABELS[r].ja})" for r in ROLES))
    imp.set_defaults(func=run_import)
    link = actions.add_parser("link", help="会員番号の項目を決める / the friend field holding member numbers",
                              description="会員番号を入れた友だち情報の項目(例: 会員番号)を決めます(ID連携)。"
                                          "その番号の購入は友だちにつながります。")
    link.add_argument("field", metavar="FIELD", nargs="?", help="項目の名前 (省略すると今の設定を表示)")
    link.add_argument("--clear", action="store_true", help="連携をやめる")
    link.set_defaults(func=run_link)
    rfm = actions.add_parser("rfm", help="RFMグループごとの人数 / friends per RFM group")
    rfm.set_defaults(func=run_rfm)


def run_import(args: argparse.Namespace) -> int:
    from shopline.purchases.importer import import_purchases

    mapping: dict[str, str] = {}
    for pair in args.mapping:
        wanted, sep, header = pair.partition("=")
        if not sep or not wanted.strip():
            print(say(f"--map「{pair}」は 項目=見出し の形にしてください(例: --map 金額=税込合計)。",
                      f"Write --map \"{pair}\" as FIELD=HEADER (e.g. --map amount=税込合計)."), file=sys.stderr)
            return 2
        mapping[wanted.strip()] = header.strip()
    open_from_args(args)
    report = import_purchases(args.file, encoding=args.encoding, dry_run=args.dry_run, key=args.key,
                              mapping=mapping or None, progress=import_progress if sys.stderr.isatty() else None)
    if sys.stderr.isatty():
        print(file=sys.stderr)
    print_refused(report)
    print(report.summary())
    return report.exit_code


def run_list(args: argparse.Namespace) -> int:
    from shopline.purchases.listing import purchases

    open_from_args(args)
    print("\t".join(say(h, e) for h, e in (("日時", "when"), ("ユーザーID/お客様", "user ID/customer"),
                                           ("注文番号", "order"), ("商品名", "item"), ("数量", "qty"),
                                           ("金額", "amount"), ("店舗", "store"))))
    for p in purchases(friend=args.friend, unmatched=args.unmatched, limit=args.limit):
        who = p.user_id or say(f"{p.customer}(未連携)", f"{p.customer} (unmatched)")
        print("\t".join([str(p.at), who, p.order_id, p.item, "" if p.quantity is None else str(p.quantity),
                         "" if p.amount is None else f"{p.amount:,}", p.store]))
    return 0


def run_link(args: argparse.Namespace) -> int:
    from shopline.purchases import link

    open_from_args(args)
    if not args.field and not args.clear:
        field = link.member_field()
        print(say(f"会員番号の項目: {field.name}" if field else "会員番号の項目はまだ決まっていません。",
                  f"Member number field: {field.name}" if field else "No member number field is set yet."))
        return 0
    attached = link.set_member_field(None if args.clear else args.field)
    if args.clear:
        print(say("会員番号の連携をやめました。つながった購入はそのままです。",
                  "Member numbers are no longer linked. Purchases already attached stay so."))
    else:
        print(say(f"会員番号の項目を「{args.field}」にしました。{attached}件の購入が友だちにつながりました。",
                  f"Member numbers are now read from \"{args.field}\". {attached} purchases attached to friends."))
    return 0


def run_rfm(args: argparse.Namespace) -> int:
    from shopline.purchases import rfm

    open_from_args(args)
    rfm.refresh_if_stale()
    for code, n in rfm.group_counts().items():
        label = GROUPS[code]
        print(say(f"{label.ja}\t{n}", f"{label.en}\t{n}"))
    return 0
