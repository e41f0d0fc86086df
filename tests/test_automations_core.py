"""The pure automation core, on a simulated clock: delays, clock times, quiet hours, lateness, dates."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest

from shopline.core.automations import (
    Fate,
    ScenarioError,
    fate,
    occurrences_between,
    parse_delay,
    recurrence_from_args,
    scenario_from_json,
    scenario_to_json,
    step_due,
)
from shopline.core.automations.clock import date_entries, month_days_for, next_open

TOKYO = ZoneInfo("Asia/Tokyo")
EXAMPLE = {
    "name": "新しい友だちへのご挨拶",
    "trigger": {"type": "friend_added"},
    "entry": "NOT スタッフ",
    "stop": "購入済み",
    "window": ["09:00", "21:00"],
    "steps": [
        {"after": "0m", "message": [{"type": "text", "text": "友だち追加ありがとうございます"}]},
        {"after": "1d", "at": "10:00", "message": [{"type": "text", "text": "お店の紹介です"}]},
        {"after": "3d", "at": "10:00", "if": "VIP", "message": [{"type": "text", "text": "VIP限定クーポン"}],
         "else": [{"type": "text", "text": "初回クーポン"}]},
    ],
}


def t(text: str) -> dt.datetime:
    return dt.datetime.strptime(text, "%Y-%m-%d %H:%M").replace(tzinfo=TOKYO)


def test_the_readme_example_round_trips():
    scenario = scenario_from_json(EXAMPLE)
    assert scenario.window == (dt.time(9), dt.time(21))
    assert scenario.steps[2].if_expr == "VIP" and scenario.steps[2].else_message[0]["text"] == "初回クーポン"
    assert scenario_to_json(scenario) == EXAMPLE
    assert scenario_from_json(scenario_to_json(scenario)) == scenario


@pytest.mark.parametrize(("change", "words"), [
    ({"steps": []}, "ステップを1つ以上"),
    ({"trigger": {"type": "when_it_rains"}}, "trigger の type"),
    ({"trigger": {"type": "tag_added"}}, "タグ名"),
    ({"window": ["9時", "21:00"]}, "時刻「9時」"),
    ({"steps": [{"after": "tomorrow", "message": [{"type": "text", "text": "x"}]}]}, "待ち時間「tomorrow」"),
    ({"steps": [{"after": "1d", "message": [{"type": "text", "text": " "}]}]}, "テキストが空"),
    ({"steps": [{"after": "1d", "message": [{"type": "text", "text": "x"}], "else": [{"type": "text", "text": "y"}]}]},
     "else は if と一緒に"),
    ({"entry": "VIP AND"}, "entry「VIP AND」"),
])
def test_a_broken_scenario_is_refused_with_what_to_fix(change, words):
    with pytest.raises(ScenarioError) as caught:
        scenario_from_json(EXAMPLE | change)
    assert words in caught.value.text.ja


def test_delays():
    assert parse_delay("30m") == dt.timedelta(minutes=30)
    assert parse_delay("2h") == dt.timedelta(hours=2)
    assert parse_delay("1d") == dt.timedelta(days=1)


def test_clock_time_moves_to_the_next_day_when_it_has_passed():
    steps = scenario_from_json(EXAMPLE).steps
    assert step_due(t("2026-03-01 08:00"), steps[1], None, TOKYO) == t("2026-03-02 10:00")
    assert step_due(t("2026-03-01 15:00"), steps[1], None, TOKYO) == t("2026-03-02 10:00")  # calendar days
    today = scenario_from_json(EXAMPLE | {"steps": [{"after": "0d", "at": "10:00", "message": [
        {"type": "text", "text": "x"}]}]}).steps[0]
    assert step_due(t("2026-03-01 09:00"), today, None, TOKYO) == t("2026-03-01 10:00")
    assert step_due(t("2026-03-01 11:00"), today, None, TOKYO) == t("2026-03-02 10:00")
    late = scenario_from_json(EXAMPLE | {"steps": [{"after": "20h", "at": "10:00", "message": [
        {"type": "text", "text": "x"}]}]}).steps[0]
    assert step_due(t("2026-03-01 15:00"), late, None, TOKYO) == t("2026-03-03 10:00")  # 11:00 the next day passed


def test_a_step_due_at_night_waits_for_the_window():
    scenario = scenario_from_json(EXAMPLE)
    assert step_due(t("2026-03-01 23:30"), scenario.steps[0], scenario.window, TOKYO) == t("2026-03-02 09:00")
    assert step_due(t("2026-03-01 03:00"), scenario.steps[0], scenario.window, TOKYO) == t("2026-03-01 09:00")
    assert step_due(t("2026-03-01 12:00"), scenario.steps[0], scenario.window, TOKYO) == t("2026-03-01 12:00")
    overnight = (dt.time(22), dt.time(2))
    assert next_open(t("2026-03-01 23:00"), overnight, TOKYO) == t("2026-03-01 23:00")
    assert next_open(t("2026-03-01 12:00"), overnight, TOKYO) == t("2026-03-01 22:00")


def test_fate_waits_sends_or_counts_as_missed():
    window = (dt.time(9), dt.time(21))
    due = t("2026-03-01 20:50")
    assert fate(due, t("2026-03-01 20:49"), window, TOKYO) is Fate.WAIT
    assert fate(due, t("2026-03-01 20:55"), window, TOKYO) is Fate.SEND
    assert fate(due, t("2026-03-01 23:00"), window, TOKYO) is Fate.WAIT  # late, and the night: morning
    assert fate(due, t("2026-03-02 09:00"), window, TOKYO) is Fate.SEND  # 12 hours late: still sent
    assert fate(due, t("2026-03-02 20:51"), window, TOKYO) is Fate.MISSED  # more than 24 hours late


def test_a_29_february_birthday_falls_on_the_28th_in_a_common_year():
    leapling = dt.date(2004, 2, 29)
    assert date_entries(leapling, 0, True, dt.date(2027, 2, 1), dt.date(2027, 3, 31)) == [(2027, dt.date(2027, 2, 28))]
    assert date_entries(leapling, 0, True, dt.date(2028, 2, 1), dt.date(2028, 3, 31)) == [(2028, dt.date(2028, 2, 29))]
    assert "02-29" in month_days_for(0, dt.date(2027, 2, 28), dt.date(2027, 2, 28))


def test_a_week_before_a_january_birthday_is_in_december_of_the_year_before():
    born = dt.date(1990, 1, 3)
    assert date_entries(born, -7, True, dt.date(2026, 12, 20), dt.date(2026, 12, 31)) == [(2027, dt.date(2026, 12, 27))]
    assert "01-03" in month_days_for(-7, dt.date(2026, 12, 27), dt.date(2026, 12, 27))
    assert date_entries(born, -7, False, dt.date(2026, 12, 20), dt.date(2026, 12, 31)) == []


def test_monthly_occurrences_and_the_last_day_of_short_months():
    rec = recurrence_from_args("month", "10:00", 31)
    found = occurrences_between(rec, t("2027-01-01 00:00"), t("2027-04-30 23:59"), TOKYO)
    assert found == [t("2027-01-31 10:00"), t("2027-02-28 10:00"), t("2027-03-31 10:00"), t("2027-04-30 10:00")]
    first = recurrence_from_args("month", "10:00", 1)
    assert occurrences_between(first, t("2026-12-01 10:00"), t("2027-01-01 10:00"), TOKYO) == [t("2027-01-01 10:00")]
