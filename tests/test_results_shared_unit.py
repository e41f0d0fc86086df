"""Campaigns sharing one aggregation unit (a step's daily runs): LINE counts the unit as a whole, so it is asked
once for all of them, and its figures are shown once, as theirs together, never repeated as each one's own."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from fake_line.server import TOKEN
from results_helpers import fresh_limiters, friends, sent_campaign  # noqa: F401 - autouse

from shopline.cli import main
from shopline.core.results import SharedUnit, shared_sentence, unit_range
from shopline.results import figures, refresh
from shopline.store.insight_models import InsightSnapshot

NOW = dt.datetime(2025, 3, 10, 3, 0, tzinfo=dt.UTC)  # 12:00 in Japan


def step_runs(days_ago: list[int], per_run: int = 40, unit: str = "sl_s1_2") -> None:
    """A step sent once a day to that day's friends, every run under the step's one unit."""
    for n, days in enumerate(days_ago):
        sent_campaign(f"ステップ2 {n + 1}回目", friends(per_run, first=n * per_run), NOW - dt.timedelta(days=days),
                      unit=unit)


def test_a_shared_unit_is_asked_once_over_its_sends_and_each_keeps_the_whole(store, fake_line):
    step_runs([3, 2, 1])
    sent_campaign("春のセール", friends(30, first=500), NOW - dt.timedelta(days=1), unit="sl_spring")
    fake_line.insight.set_unit("sl_s1_2", impressions=66, clicks=24)
    result = refresh.refresh(TOKEN, followers=False, clock=lambda: NOW)
    assert result.campaigns == 4 and not result.errors
    assert sorted(fake_line.insight.asked) == [("sl_s1_2", "20250307", "20250310"),  # first run's day to today
                                               ("sl_spring", "20250309", "20250310")]
    assert {(s.impressions, str(s.range_from)) for s in InsightSnapshot.select()
            .where(InsightSnapshot.unit == "sl_s1_2")} == {(66, "2025-03-07")}


def test_each_run_shows_combined_and_the_step_shows_its_whole_once(store, fake_line):
    step_runs([3, 2, 1])
    fake_line.insight.set_unit("sl_s1_2", impressions=66, clicks=24)
    refresh.refresh(TOKEN, followers=False, clock=lambda: NOW)
    rows = figures.all_figures()
    assert len(rows) == 3
    for f in rows:
        assert f.impressions is None and f.clicks is None and f.open_rate is None and f.sent == 40
        assert f.shared == SharedUnit("sl_s1_2", 3, 120, 66, 24, dt.date(2025, 3, 7), dt.date(2025, 3, 10),
                                      f.shared.fetched_at)
    assert rows[0].shared.open_rate == pytest.approx(0.55) and rows[0].shared.click_rate == pytest.approx(0.2)
    # before: every run showed 66 of its own 40 (165%), three times over
    assert sum(f.impressions or 0 for f in rows) == 0


def test_a_step_running_longer_than_lines_30_days_counts_the_sends_inside_the_dates(store, fake_line):
    step_runs([45, 20, 5], per_run=25)
    fake_line.insight.set_unit("sl_s1_2", impressions=30, clicks=None)
    refresh.refresh(TOKEN, followers=False, clock=lambda: NOW)  # the run 45 days ago is final, never asked
    assert fake_line.insight.asked == [("sl_s1_2", "20250208", "20250310")]
    whole = figures.all_figures()[0].shared
    assert (whole.campaigns, whole.sent, whole.impressions, whole.clicks) == (2, 50, 30, None)
    assert whole.open_rate == pytest.approx(0.6)


def test_unit_range_spans_at_most_30_days_and_stops_14_days_after_the_last_send():
    first, last = NOW - dt.timedelta(days=60), NOW - dt.timedelta(days=20)
    assert unit_range(first, last, NOW) == (dt.date(2025, 2, 2), dt.date(2025, 3, 4))
    assert unit_range(NOW, NOW, NOW) == (dt.date(2025, 3, 10), dt.date(2025, 3, 10))


def test_the_cli_and_its_json_say_combined_and_give_the_whole(store, fake_line, capsys):
    step_runs([2, 1])
    fake_line.insight.set_unit("sl_s1_2", impressions=None, clicks=None)
    refresh.refresh(TOKEN, followers=False, clock=lambda: NOW)
    assert main(["results"]) == 0
    out = capsys.readouterr().out
    assert out.count("合算") == 8 and "20人未満" not in out  # 4 figures per run, none of them "fewer than 20"
    assert main(["results", "ステップ2 1回目"]) == 0
    detail = capsys.readouterr().out
    assert "03/08〜03/10の2回の配信（送信80人）の合計：開封20人未満（—）" in detail
    assert main(["results", "--json"]) == 0
    row = json.loads(capsys.readouterr().out.splitlines()[0])
    assert row["shared_unit"] == {"unit": "sl_s1_2", "campaigns": 2, "sent": 80, "impressions": None,
                                  "clicks": None, "from": "2025-03-08", "to": "2025-03-10"}


def test_before_any_fetch_the_runs_say_so():
    whole = SharedUnit("sl_s1_2", 2, 80)
    assert "まだ取得していません" in shared_sentence(whole).ja and "not been fetched" in shared_sentence(whole).en


def test_a_unit_only_one_campaign_carries_is_that_campaigns_own(store, fake_line):
    sent_campaign("春のセール", friends(100), NOW - dt.timedelta(days=1), unit="sl_spring")
    fake_line.insight.set_unit("sl_spring", impressions=45, clicks=20)
    refresh.refresh(TOKEN, followers=False, clock=lambda: NOW)
    (f,) = figures.all_figures()
    assert f.shared is None and (f.impressions, f.clicks, f.open_rate) == (45, 20, 0.45)


def test_a_scenario_step_shows_its_whole_with_both_branches_and_the_cli_prints_its_open_rate(store, fake_line,
                                                                                              capsys):
    from automation_helpers import tokyo_shop

    from shopline.automations import scenarios
    from shopline.automations.stats import scenario_stats

    tokyo_shop()
    scenarios.save({"name": "ご挨拶", "trigger": {"type": "friend_added"},
                    "steps": [{"after": "0m", "message": [{"type": "text", "text": "ようこそ"}]},
                              {"after": "3d", "message": [{"type": "text", "text": "その後いかがですか"}]}]})
    row = scenarios.find("ご挨拶")
    main_unit = scenarios.unit_for(row.id, 1)
    step_runs([3, 2, 1], per_run=40, unit=main_unit)  # 120 sent by the step's message
    sent_campaign("ご挨拶 else", friends(30, first=900), NOW - dt.timedelta(days=2), unit=main_unit + "e")
    fake_line.insight.set_unit(main_unit, impressions=66, clicks=24)
    fake_line.insight.set_unit(main_unit + "e", impressions=21, clicks=None)
    refresh.refresh(TOKEN, followers=False, clock=lambda: NOW)
    assert len(fake_line.insight.asked) == 2  # one per unit, not one per run
    first, second = scenario_stats(row).steps
    whole = first.whole
    assert (whole.campaigns, whole.sent, whole.impressions, whole.clicks) == (4, 150, 87, None)
    assert whole.open_rate == pytest.approx(0.58) and second.whole is None
    assert main(["scenarios", "show", "ご挨拶"]) == 0
    out = capsys.readouterr().out
    assert "ステップ1: 待ち 0人 / 送信 0人 / 見送り 0人 / 対象外 0人 / 開封率 58.0%（03/07〜03/10、4回の配信）" in out
    assert "ステップ2: 待ち 0人 / 送信 0人 / 見送り 0人 / 対象外 0人 (集計単位" in out
