"""run_due on a simulated clock, through the fake LINE and the delivery engine."""

from __future__ import annotations

import datetime as dt

import pytest
from automation_helpers import Log, add_friend, t, tag_at, text, tokyo_shop
from fake_line.server import TOKEN, user_id

from shopline.automations import scenarios
from shopline.automations.runner import run_due
from shopline.store.automation_models import Enrolment, StepSend
from shopline.store.campaign_models import Campaign
from shopline.store.models import Friend

WELCOME = {
    "name": "ご挨拶",
    "trigger": {"type": "friend_added"},
    "entry": "NOT スタッフ",
    "stop": "購入済み",
    "window": ["09:00", "21:00"],
    "steps": [
        {"after": "0m", "message": text("友だち追加ありがとうございます")},
        {"after": "1d", "at": "10:00", "message": text("お店の紹介です")},
        {"after": "3d", "at": "10:00", "if": "VIP", "message": text("VIP限定クーポン"), "else": text("初回クーポン")},
    ],
}


@pytest.fixture
def shop(store, fake_line, monkeypatch):
    monkeypatch.setenv("SHOPLINE_CHANNEL_TOKEN", TOKEN)
    tokyo_shop("スタッフ", "購入済み", "VIP")
    return Log(fake_line)


def test_friends_added_over_several_days_get_each_step_once_at_the_right_local_time(shop):
    scenarios.save(WELCOME, now=t("2027-03-01 00:00"))
    add_friend(1, t("2027-03-01 07:40"))  # before the window opens
    add_friend(2, t("2027-03-02 15:10"), "VIP")
    add_friend(3, t("2027-03-02 22:30"))  # after it closes
    add_friend(4, t("2027-03-02 12:00"), "スタッフ")  # never enters
    shop.every(t("2027-03-01 00:00"), t("2027-03-08 00:00"), minutes=30)

    hello, story = "友だち追加ありがとうございます", "お店の紹介です"
    assert shop.got[user_id(1)] == [("03-01 09:00", hello), ("03-02 10:00", story), ("03-04 10:00", "初回クーポン")]
    assert shop.got[user_id(2)] == [("03-02 15:30", hello), ("03-03 10:00", story), ("03-05 10:00", "VIP限定クーポン")]
    assert shop.got[user_id(3)] == [("03-03 09:00", hello), ("03-03 10:00", story), ("03-05 10:00", "初回クーポン")]
    assert user_id(4) not in shop.got
    assert set(Enrolment.select(Enrolment.status).tuples()) == {("done",)}
    units = {body["customAggregationUnits"][0] for body in shop.fake.multicasts}
    sid = Enrolment.select().first().scenario_id
    assert units == {f"sc{sid}_s1", f"sc{sid}_s2", f"sc{sid}_s3", f"sc{sid}_s3e"}


def test_friends_due_together_go_in_one_multicast(shop):
    scenarios.save(WELCOME, now=t("2027-03-01 00:00"))
    for n in range(30):
        add_friend(n, t("2027-03-01 10:00") + dt.timedelta(minutes=n))
    shop.run(t("2027-03-01 10:45"))
    assert len(shop.fake.multicasts) == 1 and len(shop.fake.multicasts[0]["to"]) == 30


def test_stop_ends_the_scenario_for_a_friend(shop):
    scenarios.save(WELCOME, now=t("2027-03-01 00:00"))
    friend = add_friend(1, t("2027-03-01 10:00"))
    shop.run(t("2027-03-01 10:05"))
    tag_at(friend, "購入済み", t("2027-03-01 18:00"))
    shop.every(t("2027-03-01 18:30"), t("2027-03-06 00:00"), minutes=60)
    assert [m for _, m in shop.got[user_id(1)]] == ["友だち追加ありがとうございます"]
    assert Enrolment.get().status == "stopped"


def test_a_step_more_than_24_hours_late_is_skipped_and_counted(shop):
    scenarios.save(WELCOME, now=t("2027-03-01 00:00"))
    add_friend(1, t("2027-03-01 10:00"))
    shop.run(t("2027-03-01 10:05"))  # welcome sent; then the laptop stays closed
    report = shop.run(t("2027-03-03 11:00"))  # step 2 was due 03-02 10:00: 25 hours late
    assert [m for _, m in shop.got[user_id(1)]] == ["友だち追加ありがとうございます"]
    assert report.missed["ご挨拶"] == 1
    assert StepSend.get(StepSend.step == 2).status == "missed"
    shop.run(t("2027-03-04 10:00"))  # step 3 goes in time
    assert [m for _, m in shop.got[user_id(1)]][-1] == "初回クーポン"


def test_a_late_step_within_24_hours_is_still_sent_at_the_next_run(shop):
    scenarios.save(WELCOME, now=t("2027-03-01 00:00"))
    add_friend(1, t("2027-03-01 10:00"))
    shop.run(t("2027-03-01 10:05"))
    shop.run(t("2027-03-03 09:30"))  # 23.5 hours after 03-02 10:00
    assert shop.got[user_id(1)][-1] == ("03-03 09:30", "お店の紹介です")


def test_a_dry_run_lists_who_would_get_what_and_changes_nothing(shop):
    scenarios.save(WELCOME, now=t("2027-03-01 00:00"))
    add_friend(1, t("2027-03-01 10:00"))
    report = run_due(t("2027-03-01 10:05"), dry_run=True)
    assert [(g.scenario, g.label.ja, g.friends, g.names) for g in report.groups] == [
        ("ご挨拶", "ステップ1", 1, ("友だち1",))]
    assert not shop.fake.multicasts and Enrolment.select().count() == 0 and Campaign.select().count() == 0


def test_a_scenario_edited_while_friends_wait_goes_on_by_position(shop):
    scenarios.save(WELCOME, now=t("2027-03-01 00:00"))
    add_friend(1, t("2027-03-01 10:00"))
    shop.run(t("2027-03-01 10:05"))
    edited = WELCOME | {"steps": [WELCOME["steps"][0], {"after": "2d", "at": "12:00", "message": text("新しい紹介")}]}
    scenarios.save(edited)
    shop.every(t("2027-03-02 10:00"), t("2027-03-05 00:00"), minutes=60)
    assert [m for _, m in shop.got[user_id(1)]] == ["友だち追加ありがとうございます", "新しい紹介"]
    assert shop.got[user_id(1)][1][0] == "03-03 12:00"
    assert Enrolment.get().status == "done"


def test_tag_added_enters_at_the_moment_the_tag_was_added(shop):
    scenarios.save({"name": "VIPになったら", "trigger": {"type": "tag_added", "tag": "VIP"},
                    "steps": [{"after": "2h", "message": text("VIPへようこそ")}]}, now=t("2027-03-01 00:00"))
    old = add_friend(1, t("2027-02-01 10:00"))
    tag_at(old, "VIP", t("2027-02-20 10:00"))  # before the scenario: never enters
    friend = add_friend(2, t("2027-02-01 10:00"))
    tag_at(friend, "VIP", t("2027-03-01 13:00"))
    shop.every(t("2027-03-01 13:00"), t("2027-03-01 18:00"), minutes=30)
    assert shop.got == {user_id(2): [("03-01 15:00", "VIPへようこそ")]}


def test_birthdays_on_29_february_and_a_week_before_a_january_birthday(shop):
    scenarios.save({"name": "誕生日", "trigger": {"type": "date", "field": "birthday", "yearly": True},
                    "steps": [{"after": "0d", "at": "10:00", "message": text("お誕生日おめでとう")}]},
                   now=t("2026-12-01 00:00"))
    scenarios.save({"name": "誕生日の前", "trigger": {"type": "date", "field": "birthday", "offset_days": -7,
                                                  "yearly": True},
                    "steps": [{"after": "0d", "at": "10:00", "message": text("来週お誕生日ですね")}]},
                   now=t("2026-12-01 00:00"))
    add_friend(1, t("2026-01-01 00:00"), birthday=dt.date(2004, 2, 29))
    add_friend(2, t("2026-01-01 00:00"), birthday=dt.date(1990, 1, 3))
    for day in range(0, 120):
        shop.run(t("2026-12-20 10:00") + dt.timedelta(days=day))
    assert shop.got[user_id(2)] == [("12-27 10:00", "来週お誕生日ですね"), ("01-03 10:00", "お誕生日おめでとう")]
    assert shop.got[user_id(1)] == [("02-21 10:00", "来週お誕生日ですね"), ("02-28 10:00", "お誕生日おめでとう")]
    for day in range(0, 25):  # the next year, each once again
        shop.run(t("2027-12-20 10:00") + dt.timedelta(days=day))
        shop.run(t("2027-12-20 10:30") + dt.timedelta(days=day))
    assert shop.got[user_id(2)][2:] == [("12-27 10:00", "来週お誕生日ですね"), ("01-03 10:00", "お誕生日おめでとう")]
    assert StepSend.select().where(StepSend.friend == Friend.get(Friend.user_id == user_id(2)).id).count() == 4


def test_segment_trigger_enters_friends_when_they_start_matching(shop):
    scenarios.save({"name": "VIP応援", "trigger": {"type": "segment", "expr": "VIP"},
                    "steps": [{"after": "0m", "message": text("いつもありがとう")}]}, now=t("2027-03-01 00:00"))
    friend = add_friend(1, t("2027-02-01 10:00"))
    shop.run(t("2027-03-01 10:00"))
    tag_at(friend, "VIP", t("2027-03-01 11:00"))
    shop.run(t("2027-03-01 11:30"))
    shop.run(t("2027-03-01 12:00"))
    assert shop.got == {user_id(1): [("03-01 11:30", "いつもありがとう")]}
