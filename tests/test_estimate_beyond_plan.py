"""A send larger than the chosen plan's whole month is refused even when this month's usage is unknown."""

from __future__ import annotations

import pytest
from delivery_helpers import TOKEN, shop

from shopline.cli import main
from shopline.core.estimate import Status, verdict
from shopline.core.plans import Quota, plan_by_key
from shopline.delivery import usage
from shopline.store.campaign_models import Campaign

COMM = plan_by_key("jp_communication")  # 200 a month, no extra messages
STANDARD = plan_by_key("jp_standard")


def both(texts):
    return " ".join(t.ja + " " + t.en for t in texts)


def test_more_than_the_plan_allows_is_blocked_whatever_the_usage():
    est = verdict(COMM, None, None, 529)
    assert est.status is Status.BLOCKED and est.over_by == 329
    assert "最大200通" in both(est.reasons) and "529人" in both(est.reasons)
    ways = both(est.ways_out)
    assert "ライトプラン" in ways and "200人以下" in ways and "来月" in ways
    assert est.cost_known and est.extra_cost_yen == 0  # the plan has no extra messages: nothing to pay, nothing sent


def test_within_the_plan_with_unknown_usage_still_needs_a_check():
    assert verdict(COMM, None, None, 200).status is Status.NEEDS_CHECK
    assert verdict(COMM, None, None, 201).status is Status.BLOCKED


def test_a_capped_standard_plan_is_blocked_beyond_its_cap_with_unknown_usage():
    est = verdict(STANDARD, Quota("limited", 40_000), None, 40_001)
    assert est.status is Status.BLOCKED and "追加メッセージの上限を引き上げる" in both(est.ways_out)
    assert verdict(STANDARD, Quota("none"), None, 10**6).status is Status.NEEDS_CHECK  # no limit at all


def test_never_asked_line_still_blocks(store):
    usage.choose_plan("jp_communication")
    est = usage.verdict_for(529, usage.current_usage())  # never asked LINE: usage unknown
    assert est.status is Status.BLOCKED


@pytest.fixture
def comm_shop(store, monkeypatch):
    shop(529)
    usage.choose_plan("jp_communication")
    monkeypatch.setenv("SHOPLINE_CHANNEL_TOKEN", TOKEN)


def test_cli_estimate_exits_non_zero(comm_shop, capsys):
    assert main(["estimate", "--segment", "VIP", "--offline"]) == 3
    out = capsys.readouterr().out
    assert "判定: 送信できません" in out and "ライトプラン" in out and "要確認" not in out


def test_cli_send_yes_refuses_when_line_cannot_tell_the_usage(comm_shop, fake_line, capsys):
    fake_line.fault(r"GET /v2/bot/message/quota", status=403, body={"message": "Access to this API is not available"},
                    times=None)
    assert main(["send", "--segment", "VIP", "--text", "セール", "--name", "春", "--yes"]) == 3
    assert not fake_line.requests_to("/v2/bot/message/multicast") and Campaign.select().count() == 0
    assert "ライトプラン" in capsys.readouterr().err
