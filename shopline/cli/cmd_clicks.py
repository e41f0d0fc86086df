"""`shopline clicks NAME [--csv FILE] [--segment clicked|not-clicked]`: who clicked a campaign's tracked links.

The same figures as the campaign's results page: per friend and URL, from the clicks the inbox pulled
from the relay; --segment saves 「NAME」をクリックした人 (or しなかった人) for the next send.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from shopline.cli.common import open_from_args, say
from shopline.delivery.resume import find_campaign
from shopline.links.results import campaign_clicks, export_clicks, make_retargeting_segment


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("clicks", help="配信の追跡リンクをクリックした友だち / who clicked a campaign's links")
    p.add_argument("name", help="配信の名前")
    p.add_argument("--csv", type=Path, metavar="FILE", help="友だちとURLごとのクリックをCSVに書き出す")
    p.add_argument("--segment", choices=["clicked", "not-clicked"],
                   help="クリックした人 / しなかった人(受信した人のうち)をセグメントとして保存する")
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    open_from_args(args)
    campaign = find_campaign(args.name)
    if args.segment:
        name, _ = make_retargeting_segment(campaign.name, args.segment == "clicked")
        print(say(f"セグメント「{name}」を保存しました。", f"Saved the segment \"{name}\"."))
    if args.csv:
        rows = export_clicks(campaign.name, args.csv)
        print(say(f"{rows:,}行を {args.csv} に書き出しました。", f"Wrote {rows:,} rows to {args.csv}."))
        return 0
    rows = campaign_clicks(campaign.name)
    for r in rows:
        print(f"{r.last_at:%Y-%m-%d %H:%M}\t{r.user_id}\t{r.display_name}\t{r.clicks}\t{r.url}")
    if not rows:
        print(say("まだクリックはありません(リンクは中継サーバーを接続しているときに追跡されます)。",
                  "No clicks yet (links are tracked when a relay is connected)."))
    return 0
