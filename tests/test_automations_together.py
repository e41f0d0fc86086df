"""A run's groups: frozen in one transaction, sent as one stream of multicasts, a friend's steps in order; and
steps whose text has placeholders, pushed to each friend with their own text instead of multicast literally."""

from __future__ import annotations

import pytest
from automation_helpers import Log, add_friend, t, text, tokyo_shop
from fake_line.server import TOKEN, user_id

from shopline.automations import freeze_groups, runner, scenarios
from shopline.core.automations import ScenarioError
from shopline.store.automation_models import Enrolment, StepSend
from shopline.store.automation_models import Scenario as ScenarioRow
from shopline.store.campaign_models import Batch, Campaign
from shopline.store.models import Field, FieldValue

HELLO = {"name": "ご挨拶", "trigger": {"type": "friend_added"},
         "steps": [{"after": "0m", "message": text("ようこそ")}, {"after": "2h", "message": text("お店の紹介")}]}
OTHER = {"name": "もうひとつ", "trigger": {"type": "friend_added"},
         "steps": [{"after": "0m", "message": text("はじめまして")}]}


@pytest.fixture
def shop(store, fake_line, monkeypatch):
    monkeypatch.setenv("SHOPLINE_CHANNEL_TOKEN", TOKEN)
    tokyo_shop()
    return Log(fake_line)


def test_a_crash_while_freezing_leaves_none_of_the_runs_groups(shop, monkeypatch):
    scenarios.save(HELLO, now=t("2027-03-01 00:00"))
    scenarios.save(OTHER, now=t("2027-03-01 00:00"))
    add_friend(1, t("2027-03-01 10:00"))
    shop.run(t("2027-03-01 10:01"), dry_run=True)  # nothing written: the enrolments come with the real run
    named = freeze_groups.campaign_name
    calls = []

    def second_fails(*args):
        calls.append(args)
        if len(calls) == 2:
            raise RuntimeError("the disk went away")
        return named(*args)
    monkeypatch.setattr(runner, "campaign_name", second_fails)
    with pytest.raises(RuntimeError):
        shop.run(t("2027-03-01 10:05"))
    # The first group's campaign and StepSend rows went with the second's: the run froze nothing at all.
    assert Campaign.select().count() == 0 and StepSend.select().count() == 0
    assert {e.next_step for e in Enrolment.select()} == {0}

    monkeypatch.setattr(runner, "campaign_name", named)
    shop.run(t("2027-03-01 10:10"))
    assert sorted(text for _, text in shop.got[user_id(1)]) == ["はじめまして", "ようこそ"]


def test_a_runs_campaigns_go_out_together_and_a_friends_steps_in_order(shop):
    scenarios.save(HELLO, now=t("2027-03-01 00:00"))
    scenarios.save(OTHER, now=t("2027-03-01 00:00"))
    for n in range(3):
        add_friend(n, t("2027-03-01 10:00"))
    report = shop.run(t("2027-03-01 12:30"))  # the first run since they came: both of HELLO's steps are due
    assert {g.label.en for g in report.groups} == {"Step 1", "Step 2"}
    assert len(report.groups) == 3 and report.sent == 9
    for n in range(3):
        got = [text for _, text in shop.got[user_id(n)]]
        assert sorted(got) == ["お店の紹介", "はじめまして", "ようこそ"]
        assert got.index("ようこそ") < got.index("お店の紹介")
    # Every batch marked as tried before its request and answered; nothing left pending.
    assert not Batch.select().where((Batch.status != "accepted") | Batch.first_attempt_at.is_null()).exists()
    assert {c.status for c in Campaign.select()} == {"done"}
    shop.run(t("2027-03-01 13:00"))
    assert sum(len(v) for v in shop.got.values()) == 9  # nobody twice


def test_a_step_with_placeholders_is_pushed_to_each_friend_with_their_own_text(shop):
    rank = Field.create(name="会員ランク", kind="text")
    scenarios.save({"name": "ランク別", "trigger": {"type": "friend_added"},
                    "steps": [{"after": "0m", "message": text("{表示名}さん、{会員ランク|一般}会員へようこそ")}]},
                   now=t("2027-03-01 00:00"))
    gold = add_friend(1, t("2027-03-01 10:00"))
    add_friend(2, t("2027-03-01 10:00"))
    FieldValue.create(friend=gold.id, field=rank.id, text_value="ゴールド")
    report = shop.run(t("2027-03-01 10:05"))
    assert report.sent == 2
    assert not shop.fake.multicasts  # never the literal {表示名} to everyone
    pushed = {p["to"]: p["messages"][0]["text"] for p in shop.fake.pushes}
    assert pushed == {user_id(1): "友だち1さん、ゴールド会員へようこそ", user_id(2): "友だち2さん、一般会員へようこそ"}
    assert {s.status for s in StepSend.select()} == {"queued"}
    shop.run(t("2027-03-01 10:30"))
    assert len(shop.fake.pushes) == 2


def test_a_friend_without_a_value_and_no_fallback_is_skipped_not_sent_a_broken_text(shop):
    Field.create(name="会員ランク", kind="text")
    scenarios.save({"name": "ランク", "trigger": {"type": "friend_added"},
                    "steps": [{"after": "0m", "message": text("{会員ランク}会員さまへ")}]}, now=t("2027-03-01 00:00"))
    add_friend(1, t("2027-03-01 10:00"))
    report = shop.run(t("2027-03-01 10:05"))
    assert report.sent == 0 and not shop.fake.pushes and not shop.fake.multicasts
    assert [(s.status, s.campaign_id) for s in StepSend.select()] == [("skipped", None)]


def test_doubled_braces_are_multicast_as_single_ones(shop):
    scenarios.save({"name": "括弧", "trigger": {"type": "friend_added"},
                    "steps": [{"after": "0m", "message": text("{{セール}}のお知らせ")}]}, now=t("2027-03-01 00:00"))
    add_friend(1, t("2027-03-01 10:00"))
    shop.run(t("2027-03-01 10:05"))
    assert shop.got[user_id(1)] == [("03-01 10:05", "{セール}のお知らせ")]


def test_a_placeholder_no_field_answers_to_is_refused_when_the_scenario_is_saved(shop):
    Field.create(name="会員ランク", kind="text")
    with pytest.raises(ScenarioError) as refused:
        scenarios.save({"name": "ランク", "trigger": {"type": "friend_added"},
                        "steps": [{"after": "0m", "message": text("ようこそ")},
                                  {"after": "1d", "message": text("{会員ランク}会員の{会員らんく}さまへ")}]},
                       now=t("2027-03-01 00:00"))
    assert "ステップ2" in refused.value.text.ja and "{会員らんく}" in refused.value.text.ja
    assert ScenarioRow.select().count() == 0


def test_a_runs_scenarios_are_asked_of_the_month_together_not_each_alone(shop):
    shop.fake.quota, shop.fake.total_usage = {"type": "limited", "value": 200}, 190  # 10 messages left
    scenarios.save(dict(OTHER, steps=OTHER["steps"][:1]), now=t("2027-03-01 00:00"))
    scenarios.save(dict(HELLO, steps=HELLO["steps"][:1]), now=t("2027-03-01 00:00"))
    for n in range(6):
        add_friend(n, t("2027-03-01 10:00"))
    report = shop.run(t("2027-03-01 10:05"))  # 6 + 6 would cross the limit: the second scenario waits
    assert report.sent == 6 and Campaign.select().count() == 1 and StepSend.select().count() == 6
    assert [name for name, _ in report.paused] == ["ご挨拶"]
    assert ScenarioRow.get(ScenarioRow.name == "ご挨拶").status == "paused_quota"


def test_a_refused_token_stops_the_stream_and_unsent_batches_are_not_marked_as_tried(shop, monkeypatch):
    monkeypatch.setattr(runner, "TOGETHER_CONCURRENCY", 1)  # one request at a time, one more waiting in the queue
    names = ["一", "二", "三"]
    for name in names:
        scenarios.save(dict(OTHER, name=name), now=t("2027-03-01 00:00"))
    add_friend(1, t("2027-03-01 10:00"))
    refused = shop.fake.fault("POST /v2/bot/message/multicast", status=401,
                              body={"message": "Authentication failed"}, times=None)
    report = shop.run(t("2027-03-01 10:05"))
    assert report.sent == 0 and {c.status for c in Campaign.select()} == {"paused_token"}
    # A batch stays marked as tried exactly when LINE saw its key: the refused one, and the one waiting in the
    # queue only if the worker sent it before the refusal reached the stream (a race the pace usually wins, but
    # not on a busy machine). The one never handed out is not, so the next run's 24-hour rule does not count it.
    tried = Batch.select().where(Batch.first_attempt_at.is_null(False)).count()
    assert tried == len(shop.fake.requests_to("/v2/bot/message/multicast")) and 1 <= tried < Batch.select().count()
    assert {ScenarioRow.get(ScenarioRow.name == n).status for n in names} == {"paused_token"}

    shop.fake.faults.remove(refused)
    for name in names:
        scenarios.resume(name)
    shop.run(t("2027-03-01 10:10"))
    assert sorted(text for _, text in shop.got[user_id(1)]) == ["はじめまして"] * 3  # each scenario's step once
    assert {c.status for c in Campaign.select()} == {"done"}


def test_the_fake_line_checks_a_runs_multicasts_of_every_unit_and_size_once(monkeypatch):
    """The pace a run's stream is judged at (bench_run_due.py) is measured at the fake LINE: a run's dozens of
    campaigns, each its own aggregation unit and part-filled batches, must not each cost the fake a fresh
    validation (it slowed every answer by up to 50 ms under 12 in flight), while a unit off the spec's pattern
    is still refused."""
    import json

    from fake_line.spec import RequestChecker, load_spec

    checker = RequestChecker(load_spec())
    validated = []
    validate = checker.spec.validate_request
    monkeypatch.setattr(checker.spec, "validate_request", lambda request: validated.append(1) or validate(request))
    headers = {"content-type": "application/json", "authorization": f"Bearer {TOKEN}",
               "x-line-retry-key": "123e4567-e89b-12d3-a456-426614174000"}

    def check(unit: str, size: int) -> str | None:
        body = {"to": [user_id(i) for i in range(size)], "messages": text("ようこそ"), "customAggregationUnits": [unit]}
        return checker.check("POST", "/v2/bot/message/multicast", {}, headers, json.dumps(body).encode())

    assert [check(f"sl_{n}_step_1", size) for n, size in ((1, 500), (2, 333), (3, 1))] == [None] * 3
    assert len(validated) == 1
    assert check("shop-line-unit", 10) is not None  # '-' is not in the spec's pattern
    assert check("sl_4", 501) is not None  # over the spec's 500
