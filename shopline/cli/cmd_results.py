"""`shopline results [NAME] [--refresh] [--json]`, `shopline trend`, `shopline crosstab ROWS COLS` (効果測定).

Without --refresh nothing is asked of LINE: the figures are the last ones fetched, with when.
In JSON a null from LINE (fewer than 20 users) stays null, never 0.
"""

from __future__ import annotations

import argparse
import json
import sys
from typing import Any

from shopline.cli.common import open_from_args, say
from shopline.core.results import CampaignFigures, own_count, own_rate, shared_sentence, show_count, show_rate


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("results", help="配信の効果測定（開封率・クリック率・ブロック・CV） / campaign results")
    p.add_argument("name", nargs="?", help="この配信の詳細（URLごとのクリック、目標との比較）")
    p.add_argument("--refresh", action="store_true", help="先にLINEから最新の数字を取得する（1時間に60回まで）")
    p.add_argument("--json", action="store_true", help="配信ごとに1行のJSONで出力")
    p.add_argument("--conversion-tag", metavar="TAG", help="送信後にこのタグが付いた友だちをコンバージョンとする")
    p.add_argument("--conversion-days", type=int, metavar="N", help="送信後N日以内をコンバージョンとする（既定7）")
    p.add_argument("--purchase-days", type=int, metavar="N",
                   help="送信後N日以内の購入をコンバージョンとし、売上とROIを出す（0で解除）")
    for name in ("open", "click", "conversion"):
        p.add_argument(f"--goal-{name}", type=float, metavar="PERCENT", help=f"{name} rate の目標（%%）")
    p.set_defaults(func=run_results)
    t = sub.add_parser("trend", help="友だち数・ターゲットリーチ・ブロック数の推移 / the account per day")
    t.add_argument("--days", type=int, default=30)
    t.add_argument("--refresh", action="store_true", help="先にLINEから足りない日を取得する")
    t.add_argument("--json", action="store_true")
    t.set_defaults(func=run_trend)
    c = sub.add_parser("crosstab", help="クロス分析: 2つの切り口で友だちを数える / friends over two dimensions")
    c.add_argument("rows", help="gender, age_band, birth_month, region, friend_days_band, folder:NAME, または項目名")
    c.add_argument("cols")
    c.add_argument("--segment", metavar="EXPR", help="このセグメントの友だちだけを数える")
    c.add_argument("--percent", choices=["row", "col"], help="行または列に対する割合で表示")
    c.add_argument("--csv", metavar="FILE", help="CSVに書き出す（UTF-8 BOM付き）")
    c.set_defaults(func=run_crosstab)


def as_json(f: CampaignFigures) -> dict[str, Any]:
    return {
        "name": f.name, "sent": f.sent, "sent_at": f.sent_at.isoformat() if f.sent_at else None,
        "impressions": f.impressions, "clicks": f.clicks, "open_rate": f.open_rate, "click_rate": f.click_rate,
        "click_through_rate": f.click_through, "blocks_after": f.blocks_after, "block_rate": f.block_rate,
        "conversions": f.conversions, "conversion_rate": f.conversion_rate,
        "cost_yen": int(f.cost_yen) if f.cost_yen is not None else None,
        "revenue_yen": int(f.revenue) if f.revenue is not None else None, "roi": f.roi,
        "final": f.final, "fetched_at": f.fetched_at.isoformat() if f.fetched_at else None,
        "urls": [{"url": u.url, "clicks": u.clicks, "unique_clicks": u.unique_clicks} for u in f.urls],
        "shared_unit": None if f.shared is None else {
            "unit": f.shared.unit, "campaigns": f.shared.campaigns, "sent": f.shared.sent,
            "impressions": f.shared.impressions, "clicks": f.shared.clicks,
            "from": f.shared.range_from.isoformat() if f.shared.range_from else None,
            "to": f.shared.range_to.isoformat() if f.shared.range_to else None},
        "goals": {k: {"target": v.target, "actual": v.actual, "achieved": v.achieved} for k, v in f.versus().items()},
    }


def _refresh(names: list[str] | None, followers: bool) -> None:
    from shopline import secrets
    from shopline.results.refresh import refresh

    result = refresh(secrets.channel_token(), names, followers=followers,
                     notice=lambda text: print(str(text), file=sys.stderr))
    for error in result.errors[:3]:
        print(error, file=sys.stderr)
    print(str(result.message()), file=sys.stderr)


def _set_goals(args: argparse.Namespace) -> bool:
    given = {k: getattr(args, k) for k in ("conversion_tag", "conversion_days", "purchase_days", "goal_open",
                                           "goal_click", "goal_conversion") if getattr(args, k) is not None}
    if not given:
        return False
    from shopline.delivery.resume import find_campaign
    from shopline.results.conversions import set_goal

    if not args.name:
        print(say("目標やコンバージョンは配信名を指定して設定します。",
                  "Name the campaign to set goals or conversions."), file=sys.stderr)
        return True
    values: dict[str, Any] = {}
    for key, target in (("goal_open", "open_rate"), ("goal_click", "click_rate"),
                        ("goal_conversion", "conversion_rate")):
        if key in given:
            values[target] = given[key] / 100
    if "conversion_tag" in given:
        values["tag"] = given["conversion_tag"]
    if "conversion_days" in given:
        values["days"] = given["conversion_days"]
    if "purchase_days" in given:
        values["purchase_days"] = given["purchase_days"] or None
    set_goal(find_campaign(args.name), **values)
    return False


def run_results(args: argparse.Namespace) -> int:
    from shopline.results import figures

    open_from_args(args)
    if _set_goals(args):
        return 2
    if args.refresh:
        _refresh([args.name] if args.name else None, followers=not args.name)
    rows = [figures.figures_for(args.name)] if args.name else figures.all_figures()
    if args.json:
        for f in rows:
            print(json.dumps(as_json(f), ensure_ascii=False))
        return 0
    if not rows:
        print(say("送信済みの配信はまだありません。", "No campaigns have been sent yet."))
        return 0
    if args.name:
        _detail(rows[0])
        return 0
    print(say("名前\t送信\t開封\t開封率\tクリック\tクリック率\tブロック\tCV\t費用\t取得",
              "name\tsent\topened\topen rate\tclicks\tclick rate\tblocks\tconv.\tcost\tfetched"))
    for f in rows:
        print("\t".join([f.name, f"{f.sent:,}", own_count(f, f.impressions), own_rate(f, f.open_rate),
                         own_count(f, f.clicks), own_rate(f, f.click_rate), f"{f.blocks_after:,}",
                         "—" if f.conversions is None else f"{f.conversions:,}", _yen(f), _fetched(f)]))
    return 0


def _yen(f: CampaignFigures) -> str:
    return "—" if f.cost_yen is None else f"¥{int(f.cost_yen):,}"


def _fetched(f: CampaignFigures) -> str:
    if f.fetched_at is None:
        return say("未取得", "not fetched")
    stamp = f.fetched_at.astimezone().strftime("%Y-%m-%d %H:%M")
    return stamp + (say("（確定）", " (final)") if f.final else "")


def _detail(f: CampaignFigures) -> None:
    lines = [
        (say("送信数", "Sent"), f"{f.sent:,}"),
        (say("開封（ユニーク）", "Opened (unique)"), own_count(f, f.impressions)),
        (say("開封率（開封÷送信）", "Open rate (opened ÷ sent)"), own_rate(f, f.open_rate)),
        (say("クリック（ユニーク）", "Clicked (unique)"), own_count(f, f.clicks)),
        (say("クリック率（クリック÷送信）", "Click rate (clicks ÷ sent)"), own_rate(f, f.click_rate)),
        (say("クリック率（クリック÷開封）", "Click-through (clicks ÷ opened)"), own_rate(f, f.click_through)),
        (say("送信後7日のブロック", "Blocks within 7 days"), f"{f.blocks_after:,} ({show_rate(f.block_rate)})"),
        (say("コンバージョン", "Conversions"), "—" if f.conversions is None else f"{f.conversions:,}"),
        (say("コンバージョン率", "Conversion rate"), show_rate(f.conversion_rate)),
        (say("費用", "Cost"), _yen(f)),
        (say("売上", "Revenue"), "—" if f.revenue is None else f"¥{int(f.revenue):,}"),
        ("ROI", "—" if f.roi is None else f"{f.roi:.2f}"),
        (say("取得", "Fetched"), _fetched(f)),
    ]
    for label, value in lines:
        print(f"{label}\t{value}")
    if f.shared is not None:
        print(str(shared_sentence(f.shared)))
    for key, versus in f.versus().items():
        if versus.target is not None:
            mark = {True: say("達成", "met"), False: say("未達", "missed"), None: "—"}[versus.achieved]
            print(f"{say('目標', 'Goal')} {key}\t{show_rate(versus.target)} / {show_rate(versus.actual)}\t{mark}")
    for u in f.urls:
        print(f"{u.url}\t{show_count(u.clicks)}\t{show_count(u.unique_clicks)}")


def run_trend(args: argparse.Namespace) -> int:
    from shopline.results.trend import trend

    open_from_args(args)
    if args.refresh:
        _refresh([], followers=True)
    found = trend(args.days)
    sends: dict[str, list[str]] = {}
    for s in found.sends:
        sends.setdefault(s.day.isoformat(), []).append(s.name)
    if args.json:
        for d in found.days:
            print(json.dumps({"date": d.day.isoformat(), "status": d.status, "followers": d.followers,
                              "targeted_reaches": d.targeted_reaches, "blocks": d.blocks,
                              "sends": sends.get(d.day.isoformat(), [])}, ensure_ascii=False))
        return 0
    if not found.days:
        print(say("まだ推移がありません。`shopline trend --refresh` でLINEから取得します。",
                  "No days yet. `shopline trend --refresh` fetches them from LINE."))
        return 0
    print(say("日付\t友だち\tターゲットリーチ\tブロック\t配信", "date\tfollowers\ttargeted reaches\tblocks\tsends"))
    for d in found.days:
        figures = [("—" if v is None else f"{v:,}") for v in (d.followers, d.targeted_reaches, d.blocks)]
        print("\t".join([d.day.isoformat(), *figures, ", ".join(sends.get(d.day.isoformat(), []))]))
    return 0


def run_crosstab(args: argparse.Namespace) -> int:
    from shopline.results.crosstab import crosstab_text, write_csv

    open_from_args(args)
    table = crosstab_text(args.rows, args.cols, args.segment)
    mode = args.percent or "count"
    if args.csv:
        path = write_csv(table, args.csv, mode)
        print(say(f"{path} に書き出しました。", f"Written to {path}."))
        return 0
    for row in table.grid(mode):
        print("\t".join(row))
    return 0
