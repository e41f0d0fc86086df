"""`shopline abtest create|send|status|send-winner|list` (A/B tests, issue 20).

    shopline abtest create NAME --segment EXPR --variant A.json --variant B.json [--test-share 20]
                           [--metric open|click|conversion] [--seed N] [--usual-rate 3] [--send [--yes]]
    shopline abtest send NAME                     # sends (or continues) every variant
    shopline abtest status NAME [--refresh] [--json]
    shopline abtest send-winner NAME [--variant K] [--yes]

`create` sends nothing by itself: it splits the segment with a recorded seed, freezes one campaign per
variant and prints each group's size and the difference the groups can detect. `send` (or `create
--send`) sends them. A --variant is a message file (as `shopline send --message` reads) or template:NAME.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

from shopline import secrets
from shopline.cli.cmd_send import load_messages, run_with_pause, show_progress
from shopline.cli.common import confirm, open_from_args, say
from shopline.core.messages import ShopLineError, Text
from shopline.core.results import show_rate


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("abtest", help="A/Bテスト: ランダムに分けて送り、勝ちパターンを残りに送る / A/B tests")
    cmds = p.add_subparsers(dest="abtest_command", metavar="COMMAND", required=True)
    c = cmds.add_parser("create", help="セグメントを分けてパターンごとの配信を用意する(まだ送りません)")
    c.add_argument("name", help="テストの名前(配信名は「名前 A」「名前 B」…になります)")
    c.add_argument("--segment", required=True, metavar="EXPR", help="セグメントの式")
    c.add_argument("--variant", action="append", required=True, metavar="FILE.json",
                   help="パターンのメッセージ(JSON)、または template:テンプレート名。2〜4回指定")
    c.add_argument("--test-share", type=int, default=100, metavar="PERCENT",
                   help="テストする割合(%%)。100なら全員を均等に分け、それ未満なら残りを勝ちパターン用に残す")
    c.add_argument("--metric", choices=["open", "click", "conversion"], default="click", help="比べる数字")
    c.add_argument("--seed", type=int, help="乱数シード(同じシードなら同じ分け方になります)")
    c.add_argument("--usual-rate", type=float, metavar="PERCENT", help="いつもの率(%%)。既定は過去の結果から")
    c.add_argument("--conversion-tag", metavar="TAG", help="送信後にこのタグが付いた友だちをコンバージョンとする")
    c.add_argument("--conversion-days", type=int, default=7, metavar="N", help="コンバージョンを数える日数(既定7)")
    c.add_argument("--purchase-days", type=int, metavar="N", help="送信後N日以内の購入をコンバージョンとする")
    c.add_argument("--send", action="store_true", help="作ったあと、そのまま各パターンを送る")
    c.add_argument("--yes", action="store_true", help="確認せずに送る(上限を超える配信は送りません)")
    c.set_defaults(func=run_create)
    s = cmds.add_parser("send", help="各パターンを送る(途中で止まったものは続きから)")
    s.add_argument("name")
    s.add_argument("--yes", action="store_true")
    _resume_options(s)
    s.set_defaults(func=run_send)
    st = cmds.add_parser("status", help="パターンごとの結果と判定")
    st.add_argument("name")
    st.add_argument("--refresh", action="store_true", help="先にLINEから最新の数字を取得する")
    st.add_argument("--json", action="store_true")
    st.set_defaults(func=run_status)
    w = cmds.add_parser("send-winner", help="勝ちパターンを残りの友だちに送る")
    w.add_argument("name")
    w.add_argument("--variant", metavar="K", help="送るパターン(A, B…)。省略すると差がはっきりした勝ちパターン")
    w.add_argument("--yes", action="store_true")
    _resume_options(w)
    w.set_defaults(func=run_send_winner)
    ls = cmds.add_parser("list", help="A/Bテストの一覧")
    ls.set_defaults(func=run_list)


def _resume_options(p: argparse.ArgumentParser) -> None:
    p.add_argument("--accept-duplicates", action="store_true", help="24時間以上前に試みた分も送る(二重送信のおそれ)")
    p.add_argument("--skip-uncertain", action="store_true", help="24時間以上前に試みた分は送らない")


def read_variant(spec: str) -> tuple[str, Any]:
    """(label, messages) of a --variant: a message file, or template:NAME."""
    if spec.startswith("template:"):
        from shopline.store.templates import get_template

        saved = get_template(spec.removeprefix("template:"))
        return saved.name, saved.draft
    path = Path(spec)
    return path.name, load_messages(path)


def _percent(value: float | None, what: str) -> float | None:
    if value is None:
        return None
    if not 0 < value < 100:
        raise ShopLineError(Text(f"{what}は0より大きく100未満の%で指定してください。",
                                 f"Give {what} as a percentage above 0 and below 100."))
    return value / 100


def run_create(args: argparse.Namespace) -> int:
    from shopline.abtests import create
    from shopline.cli.cmd_quota import estimate_lines
    from shopline.store.segments import parse_checked

    open_from_args(args)
    tree = parse_checked(args.segment)
    variants = [create.VariantSpec(*read_variant(v)) for v in args.variant]
    token = secrets.channel_token()
    created = create.create_test(
        args.name, tree, variants, text=args.segment, share=args.test_share, metric=args.metric, seed=args.seed,
        token=token, usual=_percent(args.usual_rate, "--usual-rate"), conversion_tag=args.conversion_tag,
        conversion_days=args.conversion_days, purchase_days=args.purchase_days)
    test, plan = created.test, created.preview
    print(say(f"A/Bテスト「{test.name}」を作りました(まだ送っていません)。",
              f"Created the A/B test \"{test.name}\" (nothing sent yet)."))
    print(plan.groups_text())
    if plan.detectable is not None:
        print(plan.detectable)
    else:
        print(say("いつもの率がわからないため、見分けられる差は出せません(--usual-rate 3 のように指定できます)。",
                  "The usual rate is not known, so the detectable difference cannot be given (try --usual-rate 3)."))
    for line in estimate_lines(created.estimate):
        print(line)
    if not args.send:
        print(say(f"送るには `shopline abtest send {test.name}` を実行してください。",
                  f"Send it with `shopline abtest send {test.name}`."))
        return 0
    return _send(args, test.name, token)


def _send(args: argparse.Namespace, name: str, token: str) -> int:
    from shopline.abtests import send, status

    total = sum(v.recipients for v in status.status(name).variants)
    if not args.yes and not confirm(say(f"「{name}」の各パターンを送りますか?(合計{total:,}人)",
                                        f"Send every variant of \"{name}\"? ({total:,} friends in all)")):
        return 1
    result = run_with_pause(lambda cancelled: send.send_variants(
        name, token, progress=lambda key, p: show_progress(p), cancelled=cancelled,
        accept_duplicates=getattr(args, "accept_duplicates", False),
        skip_uncertain=getattr(args, "skip_uncertain", False)), name)
    return _report(result, f"shopline abtest send {name}")


def _report(result: Any, again: str) -> int:
    print(say(f"送信済み {result.delivered:,}人 / 送れず {result.failed:,}人 / 未送信 {result.pending:,}人",
              f"{result.delivered:,} sent / {result.failed:,} not sent / {result.pending:,} pending"))
    if result.message is not None:
        print(str(result.message), file=sys.stderr)
    if result.pending:
        print(say(f"続きは `{again}` で送れます。", f"Continue with `{again}`."), file=sys.stderr)
        return 4
    return 1 if result.failed else 0


def run_send(args: argparse.Namespace) -> int:
    open_from_args(args)
    return _send(args, args.name, secrets.channel_token())


def run_send_winner(args: argparse.Namespace) -> int:
    from shopline.abtests import lookup, send, status

    open_from_args(args)
    token = secrets.channel_token()
    test = lookup.find_test(args.name)
    if test.winner_campaign_id is None:  # asked before anything is frozen: "no" leaves the choice open
        key = send.choose_winner(test, args.variant).key
        people, campaign_name = status.held_back_following(test), lookup.winner_campaign_name(test.name, key)
    else:
        key, people, campaign_name = test.winner_key, test.winner_campaign.recipients, test.winner_campaign.name
    if not args.yes and not confirm(say(
            f"{key}を残りの{people:,}人に送りますか?(配信名「{campaign_name}」)",
            f"Send {key} to the {people:,} held-back friends? (campaign \"{campaign_name}\")")):
        return 1
    result = run_with_pause(lambda cancelled: send.send_winner(
        test.name, token, variant=key, progress=lambda _, p: show_progress(p), cancelled=cancelled,
        accept_duplicates=args.accept_duplicates, skip_uncertain=args.skip_uncertain), campaign_name)
    return _report(result, f"shopline abtest send-winner {test.name}")


def _interval(v: Any) -> str:
    if v.interval is None:
        return ""
    low, high = v.interval
    return say(f" (95%: {show_rate(low)}〜{show_rate(high)})", f" (95%: {show_rate(low)} to {show_rate(high)})")


def run_status(args: argparse.Namespace) -> int:
    from shopline.abtests import status, verdict

    open_from_args(args)
    if args.refresh:
        from shopline.results.refresh import refresh

        names = [v.campaign for v in status.status(args.name).variants]
        print(refresh(secrets.channel_token(), names, followers=False).message())
    st = status.status(args.name)
    if args.json:
        print(json.dumps(status.status_json(st), ensure_ascii=False))
        return 0
    metric = verdict.metric_name(st.metric)
    share = say(f"テスト {st.share}%", f"testing {st.share}%") if st.share < 100 else say("全員", "everyone")
    print(say(f"A/Bテスト「{st.name}」 {metric.ja}で比較({share}、シード {st.seed})",
              f"A/B test \"{st.name}\": comparing {metric.en} ({share}, seed {st.seed})"))
    for v in st.variants:
        m = v.measured
        if m.sent == 0:
            figure = say("未送信", "not sent")
        elif not m.fetched:
            figure = say("未取得", "not fetched")
        elif m.successes is None:
            figure = say("20人未満(まだ測れません)", "fewer than 20 (not yet measurable)")
        else:
            figure = f"{m.successes:,}{say('人', '')} {show_rate(v.rate)}{_interval(v)}"
        print(f"  {v.key}  {v.label}  " + say(f"送信 {m.sent:,}人  ", f"sent {m.sent:,}  ") + figure)
    print(say("判定: ", "Verdict: ") + str(st.verdict.text))
    if st.winner_campaign:
        print(say(f"残りの{st.held_back:,}人には{st.winner_key}を送っています(「{st.winner_campaign}」、{st.winner_status})。",
                  f"{st.winner_key} goes to the {st.held_back:,} held back (\"{st.winner_campaign}\", "
                  f"{st.winner_status})."))
    elif st.held_back:
        print(say(f"残り{st.held_back:,}人: `shopline abtest send-winner {st.name}` で勝ちパターンを送れます。",
                  f"{st.held_back:,} held back: send the winner with `shopline abtest send-winner {st.name}`."))
    return 0


def run_list(args: argparse.Namespace) -> int:
    from shopline.abtests import status, verdict

    open_from_args(args)
    tests = status.list_tests()
    if not tests:
        print(say("A/Bテストはまだありません。", "No A/B tests yet."))
    for t in tests:
        print(f"{t.name}\t{verdict.metric_name(t.metric)}\t{t.test_share}%\t{t.created_at:%Y-%m-%d}")
    return 0
