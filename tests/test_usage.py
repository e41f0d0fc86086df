"""The month's usage for estimates: live from LINE, remembered offline with its time, plan choice."""

from __future__ import annotations

import datetime as dt

import pytest
from delivery_helpers import TOKEN, VIP, shop

from shopline.core.estimate import Status
from shopline.core.segments import to_json
from shopline.delivery import usage
from shopline.store.models import Setting


def _quota_calls(fake):
    return len(fake.requests_to("/v2/bot/message/quota"))  # consumption shares the prefix


def test_none_quota_live_means_standard_with_cost(store, fake_line):
    shop(100)
    fake_line.quota, fake_line.total_usage = {"type": "none"}, 29_950
    est = usage.estimate_for(VIP, TOKEN)
    assert est.plan.key == "jp_standard" and est.used == 29_950 and est.offline_asof is None
    assert est.extra_messages == 50 and str(est.extra_cost_yen) == "150.0"
    assert est.status is Status.WARN_80  # past 80% of the free 30,000


def test_limited_quota_at_and_over_the_limit(store, fake_line):
    shop(200)
    fake_line.quota, fake_line.total_usage = {"type": "limited", "value": 200}, 0
    at = usage.estimate_for(VIP, TOKEN)
    assert at.plan.key == "jp_communication" and at.remaining_after == 0 and at.status is Status.WARN_80
    fake_line.total_usage = 1
    over = usage.estimate_for(to_json(VIP), TOKEN, usage=usage.current_usage(TOKEN, fresh=True))
    assert over.status is Status.BLOCKED and over.over_by == 1 and over.ways_out


def test_live_figures_reused_for_a_minute(store, fake_line):
    fake_line.quota = {"type": "limited", "value": 5000}
    usage.current_usage(TOKEN)
    calls = _quota_calls(fake_line)
    assert usage.current_usage(TOKEN).live and _quota_calls(fake_line) == calls
    usage.current_usage(TOKEN, fresh=True)
    assert _quota_calls(fake_line) == calls + 2


def test_offline_gives_the_last_figures_with_their_time(store, fake_line):
    shop(10)
    fake_line.quota, fake_line.total_usage = {"type": "limited", "value": 5000}, 4000
    usage.current_usage(TOKEN)
    offline = usage.remembered(at=dt.datetime.now(dt.UTC) + dt.timedelta(minutes=5))
    assert not offline.live and offline.used == 4000 and offline.quota.value == 5000
    est = usage.verdict_for(10, offline)
    assert est.status is Status.NEEDS_CHECK and est.offline_asof is not None
    assert "オフライン" in est.reasons[-1].ja
    no_token = usage.estimate_for(VIP)  # not connected: remembered figures, no request
    assert no_token.used == 4000


def test_a_new_month_forgets_usage_but_keeps_the_quota(store, fake_line):
    fake_line.quota, fake_line.total_usage = {"type": "limited", "value": 5000}, 4999
    usage.current_usage(TOKEN)
    next_month = dt.datetime.now(dt.UTC) + dt.timedelta(days=32)
    later = usage.remembered(at=next_month)
    assert later.used is None and later.quota.value == 5000


def test_month_boundary_is_japan_time(store):
    fetched = dt.datetime(2026, 3, 31, 14, 59, tzinfo=dt.UTC)  # 23:59 on the 31st in Tokyo
    Setting.replace(key=usage.USAGE_KEY, value=f'{{"type": "none", "value": null, "used": 7, '
                    f'"fetched_at": "{fetched.isoformat()}"}}').execute()
    assert usage.remembered(at=dt.datetime(2026, 3, 31, 14, 59, 30, tzinfo=dt.UTC)).used == 7
    assert usage.remembered(at=dt.datetime(2026, 3, 31, 15, 1, tzinfo=dt.UTC)).used is None  # April 1st JST


def test_line_unreachable_falls_back_and_says_why(store, fake_line):
    fake_line.quota = {"type": "none"}
    usage.current_usage(TOKEN)
    fake_line.token = "revoked"
    fallen = usage.current_usage(TOKEN, fresh=True)
    assert not fallen.live and fallen.quota.type == "none" and "トークン" in fallen.problem


def test_plan_choice_is_remembered(store):
    assert usage.chosen_plan() is None
    usage.choose_plan("jp_light")
    assert usage.current_usage().plan.key == "jp_light"
    est = usage.verdict_for(4500, usage.current_usage())
    assert est.limit == 5000 and est.status is Status.NEEDS_CHECK  # usage never fetched
    usage.choose_plan(None)
    assert usage.chosen_plan() is None
    with pytest.raises(ValueError):
        usage.choose_plan("gold")


def test_our_sends_count_in_the_month_even_before_line_does(store, fake_line, monkeypatch, capsys):
    from shopline.cli import main

    shop(13)
    fake_line.quota, fake_line.total_usage = {"type": "limited", "value": 5000}, 100
    monkeypatch.setenv("SHOPLINE_CHANNEL_TOKEN", TOKEN)
    assert main(["send", "--segment", "VIP", "--text", "セール", "--name", "春", "--yes"]) == 0
    capsys.readouterr()
    fake_line.total_usage = 100  # LINE's count lags behind a send that has just gone out
    assert usage.remembered().used == 113  # the figure from before the send, plus the send
    assert usage.current_usage(TOKEN, fresh=True).used == 113  # a lagging answer does not lower the month
    assert usage.remembered().used == 113  # and the send is not counted twice afterwards
    fake_line.total_usage = 150  # LINE has counted it, and more sent from elsewhere
    assert usage.current_usage(TOKEN, fresh=True).used == 150
    assert main(["quota", "--offline"]) == 0
    assert "今月の送信数: 150" in capsys.readouterr().out


def test_sent_this_month_counts_accepted_batches_of_the_month(store):
    from shopline.store.campaign_models import Batch, Campaign

    now = dt.datetime(2026, 5, 20, 3, 0, tzinfo=dt.UTC)
    campaign = Campaign.create(name="c", segment_tree="{}", segment_text="", messages="[]", unit="u")
    for seq, (status, size, at) in enumerate([
            ("accepted", 500, dt.datetime(2026, 4, 30, 14, 59, tzinfo=dt.UTC)),  # 23:59 on April 30th in Tokyo
            ("accepted", 40, dt.datetime(2026, 4, 30, 15, 1, tzinfo=dt.UTC)),  # 00:01 on May 1st in Tokyo
            ("failed", 70, now - dt.timedelta(minutes=20)),  # never delivered
            ("pending", 90, None),
            ("accepted", 3, (now - dt.timedelta(minutes=10)).astimezone().replace(tzinfo=None))]):  # an old local row
        Batch.create(campaign=campaign, seq=seq, retry_key=str(seq), status=status, size=size, done_at=at)
    assert usage.sent_this_month(now) == 43
    assert usage.sent_this_month(dt.datetime(2026, 4, 30, 14, 0, tzinfo=dt.UTC)) == 500  # still April in Tokyo
    assert usage.sent_this_month(now + dt.timedelta(days=15)) == 0  # June
