"""`shopline scenarios import FILE.json | export NAME | list | show NAME | pause NAME | resume NAME | delete NAME`."""

from __future__ import annotations

import argparse
import json
from pathlib import Path

from shopline.cli.common import open_from_args, say
from shopline.core.results import SharedUnit, show_rate


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("scenarios", help="シナリオ(ステップ配信) / step-delivery scenarios")
    actions = p.add_subparsers(dest="action", metavar="ACTION", required=True)
    imp = actions.add_parser("import", help="JSONのシナリオを読み込む(同じ名前は上書き)")
    imp.add_argument("file", type=Path)
    for name, text in (("export", "シナリオをJSONで表示する"), ("show", "シナリオの状況を表示する"),
                       ("pause", "一時停止する"), ("resume", "再開する"), ("delete", "削除する")):
        action = actions.add_parser(name, help=text)
        action.add_argument("name")
        if name == "show":
            action.add_argument("--days", type=int, default=30, help="先の予定を表示する日数")
    actions.add_parser("list", help="シナリオの一覧")
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from shopline.automations import scenarios

    open_from_args(args)
    if args.action == "import":
        for saved in scenarios.import_file(args.file):
            verb = say("追加しました", "added") if saved.created else say("更新しました", "updated")
            print(say(f"シナリオ「{saved.scenario.name}」を{verb}（ステップ{len(saved.scenario.steps)}個）。",
                      f"Scenario \"{saved.scenario.name}\" {verb} ({len(saved.scenario.steps)} steps)."))
        return 0
    if args.action == "export":
        print(json.dumps(scenarios.export(args.name), ensure_ascii=False, indent=2))
        return 0
    if args.action == "list":
        return _list()
    if args.action == "show":
        return _show(args.name, args.days)
    if args.action == "delete":
        scenarios.delete(args.name)
        print(say(f"「{args.name}」を削除しました。", f"Deleted \"{args.name}\"."))
        return 0
    getattr(scenarios, args.action)(args.name)
    done = {"pause": ("一時停止しました", "paused"), "resume": ("再開しました", "resumed")}[args.action]
    print(say(f"「{args.name}」を{done[0]}。", f"\"{args.name}\" {done[1]}."))
    return 0


STATUS = {"active": ("配信中", "active"), "paused": ("一時停止", "paused"),
          "paused_quota": ("上限で停止", "paused: month's limit"), "paused_token": ("トークン要確認", "paused: token")}


def _status(status: str) -> str:
    return say(*STATUS.get(status, (status, status)))


def _list() -> int:
    from shopline.automations import scenarios
    from shopline.automations.stats import scenario_stats

    rows = list(scenarios.all_rows())
    if not rows:
        print(say("シナリオはまだありません。`shopline scenarios import FILE.json` で追加できます。",
                  "No scenarios yet; add one with `shopline scenarios import FILE.json`."))
        return 0
    header = say("名前 状態 開始 進行中 完了 停止 見送り", "name status entered active done stopped missed")
    print("\t".join(header.split()))
    for row in rows:
        s = scenario_stats(row)
        print("\t".join(map(str, (s.name, _status(s.status), s.entered, s.active, s.done, s.stopped, s.missed))))
    return 0


def _show(name: str, days: int) -> int:
    from shopline.automations import scenarios
    from shopline.automations.shop_time import shop_tz
    from shopline.automations.stats import scenario_stats, timeline

    row = scenarios.find(name)
    s = scenario_stats(row)
    print(say(f"シナリオ「{s.name}」({_status(s.status)})", f"Scenario \"{s.name}\" ({_status(s.status)})"))
    reason = scenarios.reason_of(row)
    if reason is not None:
        print(f"  {reason}")
    print(say(f"  開始 {s.entered}人 / 進行中 {s.active}人 / 完了 {s.done}人 / 停止 {s.stopped}人 "
              f"/ 見送り {s.missed}人",
              f"  entered {s.entered} / active {s.active} / done {s.done} / stopped {s.stopped} / missed {s.missed}"))
    for step in s.steps:
        print(say(f"  ステップ{step.number}: 待ち {step.waiting}人 / 送信 {step.sent}人 / 見送り {step.missed}人 "
                  f"/ 対象外 {step.skipped}人{_opened(step.whole)} (集計単位 {step.unit})",
                  f"  step {step.number}: waiting {step.waiting} / sent {step.sent} / missed {step.missed} "
                  f"/ skipped {step.skipped}{_opened(step.whole)} (unit {step.unit})"))
    upcoming = timeline(row, days)
    tz = shop_tz()
    print(say(f"  これから{days}日の予定:", f"  The next {days} days:"))
    for item in upcoming:
        when = item.when.astimezone(tz)
        print(say(f"    {when:%m/%d %H時}頃 ステップ{item.step} {item.friends}人「{item.message}」",
                  f"    {when:%m/%d %H}:00 step {item.step}, {item.friends} friends: {item.message}"))
    if not upcoming:
        print(say("    予定はありません。", "    Nothing planned."))
    return 0


def _opened(whole: SharedUnit | None) -> str:
    """The step's open rate as LINE last counted it (its runs together), or nothing before it has sent."""
    if whole is None:
        return ""
    if whole.range_from is None or whole.range_to is None:
        return say(" / 開封 未取得", " / opened: not fetched")
    return say(f" / 開封率 {show_rate(whole.open_rate)}（{whole.range_from:%m/%d}〜{whole.range_to:%m/%d}、"
               f"{whole.campaigns}回の配信）",
               f" / open rate {show_rate(whole.open_rate)} ({whole.campaigns} sends, "
               f"{whole.range_from:%m/%d}–{whole.range_to:%m/%d})")
