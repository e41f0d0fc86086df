"""Plans as data, remaining messages, tiered extra cost and the verdict before a send."""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal

import pytest

from shopline.core import messages
from shopline.core.estimate import COUNTING_NOTE, Status, format_yen, verdict
from shopline.core.plans import (
    PlanDataError,
    Quota,
    bundled_plans,
    extra_charges,
    extra_cost,
    parse_plans,
    plan_by_key,
    plan_from_quota,
    plans_for,
    quota_of,
    remaining,
    upgrade_for,
)


def _plan(key):
    plan = plan_by_key(key)
    assert plan is not None
    return plan


COMM, LIGHT, STANDARD = _plan("jp_communication"), _plan("jp_light"), _plan("jp_standard")
NONE = Quota("none")


def limited(n):
    return Quota("limited", n)


def both(texts):
    """Each Text in both languages, so a test can look for words in either."""
    return " | ".join(f"{t.ja} / {t.en}" for t in texts)


# --- plans as data -----------------------------------------------------------------------------

def test_bundled_japanese_plans():
    assert [p.key for p in plans_for("JP")] == ["jp_communication", "jp_light", "jp_standard"]
    assert (COMM.monthly_fee, COMM.included, COMM.allows_extra) == (0, 200, False)
    assert (LIGHT.monthly_fee, LIGHT.included, LIGHT.allows_extra) == (5000, 5000, False)
    assert (STANDARD.monthly_fee, STANDARD.included, STANDARD.allows_extra) == (15000, 30000, True)
    assert STANDARD.name.ja == "スタンダードプラン" and STANDARD.name.en == "Standard plan"
    first, second = STANDARD.tiers[:2]
    assert (first.up_to, first.yen, first.confirmed) == (50000, Decimal("3.0"), True)
    assert (second.up_to, second.yen, second.confirmed) == (100000, Decimal("2.8"), True)
    assert STANDARD.tiers[-1].up_to is None
    assert [t.yen for t in STANDARD.tiers] == sorted((t.yen for t in STANDARD.tiers), reverse=True)


def test_plans_from_other_data_and_countries():
    data = {"plans": [{"key": "tw_x", "country": "TW", "name": {"ja": "X", "en": "X"}, "monthly_fee": 800,
                       "currency": "TWD", "included": 3000, "tiers": [{"up_to": None, "yen": 0.2}]}]}
    plans = parse_plans(data) + bundled_plans()
    assert [p.key for p in plans_for("TW", plans)] == ["tw_x"]
    assert plans_for("TW", plans)[0].tiers[0].confirmed  # confirmed unless said otherwise
    assert plan_by_key("nope") is None


@pytest.mark.parametrize("tiers", [
    [{"up_to": 10, "yen": "1"}],                               # the table must not end
    [{"up_to": None, "yen": "1"}, {"up_to": None, "yen": "1"}],  # open-ended before the end
    [{"up_to": 10, "yen": "1"}, {"up_to": 5, "yen": "1"}, {"up_to": None, "yen": "1"}],  # falling
    [{"up_to": 0, "yen": "1"}, {"up_to": None, "yen": "1"}],
    [{"up_to": None, "yen": "-1"}],
    [{"up_to": None, "yen": "abc"}],
    [{"up_to": "10", "yen": "1"}, {"up_to": None, "yen": "1"}],
    [{"up_to": None}],
])
def test_bad_tiers_are_refused(tiers):
    data = {"plans": [{"key": "x", "country": "JP", "name": {"ja": "x", "en": "x"}, "monthly_fee": 1,
                       "currency": "JPY", "included": 1, "tiers": tiers}]}
    with pytest.raises(PlanDataError) as info:
        parse_plans(data)
    assert "x" in info.value.text.ja and "x" in info.value.text.en


def test_bad_plans_are_refused():
    plan = {"key": "x", "country": "JP", "name": {"ja": "x", "en": "x"}, "monthly_fee": 1, "currency": "JPY",
            "included": 1, "tiers": []}
    with pytest.raises(PlanDataError):
        parse_plans({"plans": [plan, plan]})
    with pytest.raises(PlanDataError):
        parse_plans({"plans": [{**plan, "included": -1}]})
    with pytest.raises(PlanDataError):
        parse_plans({"plans": [{k: v for k, v in plan.items() if k != "name"}]})


def test_bundled_json_is_what_parse_reads():
    from importlib import resources
    text = resources.files("shopline.resources").joinpath("plans.json").read_text(encoding="utf-8")
    assert parse_plans(json.loads(text)) == bundled_plans()


# --- quota ---------------------------------------------------------------------------------------

@pytest.mark.parametrize("qtype, value, key", [
    ("limited", 200, "jp_communication"),
    ("limited", 5000, "jp_light"),
    ("none", None, "jp_standard"),              # only Standard may send without a limit
    ("limited", 30000, "jp_standard"),          # Standard with a cap of 0 extra messages
    ("limited", 45000, "jp_standard"),          # Standard with a cap of 15,000 extra messages
    ("limited", 1000, None),                    # the old free plan: not a plan we know
    ("limited", 29999, None),
    ("limited", None, None),
    ("unknown", 200, None),
])
def test_plan_from_quota(qtype, value, key):
    plan = plan_from_quota(qtype, value)
    assert (plan.key if plan else None) == key


def test_quota_and_remaining():
    assert remaining(limited(200), 150) == 50
    assert remaining(limited(200), 200) == 0
    assert remaining(limited(200), 250) == 0  # LINE's usage is approximate and can overshoot
    assert remaining(NONE, 10**9) is None
    assert quota_of(COMM) == limited(200) and quota_of(STANDARD) == NONE
    for bad in (("limited", None), ("limited", -1), ("other", None)):
        with pytest.raises(ValueError):
            Quota(*bad)


# --- extra cost ----------------------------------------------------------------------------------

def test_included_messages_cost_nothing():
    assert extra_charges(STANDARD, 0, 30000) == ()
    assert extra_cost(STANDARD, 29999, 1) == 0
    assert extra_cost(COMM, 0, 1000) == 0  # no tiers: nothing to price, the verdict blocks instead


def test_one_past_included_is_tier_one():
    (charge,) = extra_charges(STANDARD, 29999, 2)
    assert (charge.first, charge.last, charge.count, charge.yen_each) == (1, 1, 1, Decimal("3.0"))
    assert extra_cost(STANDARD, 30000, 1) == Decimal("3.0")


def test_crossing_30000_counts_only_the_extra_part():
    # 29,000 used, 3,000 to send: 1,000 included and 2,000 extra at ¥3.
    assert extra_cost(STANDARD, 29000, 3000) == Decimal("6000")


def test_crossing_a_tier_boundary():
    # 79,000 used = 49,000 extra so far; 2,000 more are extra 49,001..51,000: 1,000 at ¥3, 1,000 at ¥2.8.
    charges = extra_charges(STANDARD, 79000, 2000)
    assert [(c.first, c.last, c.yen_each) for c in charges] == [
        (49001, 50000, Decimal("3.0")), (50001, 51000, Decimal("2.8"))]
    assert extra_cost(STANDARD, 79000, 2000) == Decimal("5800")


def test_tier_edges_exactly():
    assert extra_cost(STANDARD, 30000, 50000) == Decimal("150000")  # the whole first tier, nothing more
    assert extra_cost(STANDARD, 80000, 1) == Decimal("2.8")  # extra message 50,001
    assert extra_cost(STANDARD, 130000, 1) == Decimal("2.6")  # extra message 100,001 (unconfirmed tier)


def test_the_open_ended_last_tier():
    (charge,) = extra_charges(STANDARD, 30000 + 60_000_000, 10)
    assert charge.yen_each == STANDARD.tiers[-1].yen and charge.count == 10 and not charge.confirmed


def test_negative_counts_are_refused():
    with pytest.raises(ValueError):
        extra_charges(STANDARD, -1, 1)
    with pytest.raises(ValueError):
        extra_charges(STANDARD, 0, -1)


def test_upgrade_for():
    assert upgrade_for(COMM, 201) == LIGHT
    assert upgrade_for(COMM, 5001) == STANDARD
    assert upgrade_for(LIGHT, 5001) == STANDARD
    assert upgrade_for(STANDARD, 10**9) is None
    assert upgrade_for(None, 100) == COMM


def test_format_yen():
    assert format_yen(Decimal("6000.0")) == "¥6,000"
    assert format_yen(Decimal("2802.8")) == "¥2,802.8"
    assert format_yen(Decimal(0)) == "¥0"


# --- verdict: limits -----------------------------------------------------------------------------

def test_exactly_at_the_limit_is_allowed():
    est = verdict(COMM, limited(200), 0, 200)
    assert est.status is Status.WARN_80  # allowed, and the month is past 80%
    assert (est.limit, est.remaining_before, est.remaining_after, est.over_by) == (200, 200, 0, 0)
    assert est.messages_counted == 200 and est.extra_messages == 0 and est.extra_cost_yen == 0
    assert est.ways_out == ()


def test_free_plan_one_over_is_blocked_with_the_ways_out():
    est = verdict(COMM, limited(200), 0, 201)
    assert est.status is Status.BLOCKED
    assert (est.over_by, est.remaining_after) == (1, 0)
    assert "あと200通" in est.reasons[0].ja and "201" in est.reasons[0].en
    ways = both(est.ways_out)
    assert "200人以下" in ways and "200 friends or fewer" in ways  # narrow the segment
    assert "ライトプラン" in ways and "Light plan" in ways  # upgrade
    assert "来月" in ways


def test_light_one_over_suggests_standard():
    assert verdict(LIGHT, limited(5000), 4999, 1).status is Status.WARN_80
    est = verdict(LIGHT, limited(5000), 4999, 2)
    assert est.status is Status.BLOCKED and est.over_by == 1
    assert "スタンダードプラン" in both(est.ways_out) and "1人以下" in both(est.ways_out)


def test_nothing_left_offers_no_narrowing():
    est = verdict(COMM, limited(200), 200, 1)
    assert est.status is Status.BLOCKED and est.remaining_before == 0
    assert "人以下" not in both(est.ways_out) and "ライトプラン" in both(est.ways_out)


def test_unknown_limit_is_not_no_limit():
    # Nothing asked of LINE and no plan chosen: the limit and the cost are unknown, not "none" and "¥0".
    est = verdict(None, None, None, 100)
    assert est.status is Status.NEEDS_CHECK
    assert (est.limit, est.limit_known, est.cost_known) == (None, False, False)
    # LINE's quota type none: known to have no limit.
    est = verdict(None, NONE, 0, 100)
    assert (est.limit, est.limit_known, est.cost_known) == (None, True, True)
    # A chosen plan gives the limit; with usage unknown, Standard's cost is not known but Light's is (none).
    assert (verdict(LIGHT, None, None, 1).limit_known, verdict(LIGHT, None, None, 1).cost_known) == (True, True)
    assert verdict(STANDARD, None, None, 1).cost_known is False


def test_plan_limit_stands_in_when_quota_never_fetched():
    assert verdict(COMM, None, 0, 201).status is Status.BLOCKED
    assert verdict(COMM, None, 0, 150).status is Status.OK


def test_standard_with_a_cap_is_blocked_at_the_cap():
    est = verdict(STANDARD, limited(40000), 39000, 1001)
    assert est.status is Status.BLOCKED and est.over_by == 1
    ways = both(est.ways_out)
    assert "追加メッセージの上限を引き上げる" in ways and "1,000人以下" in ways
    assert "アップグレード" not in ways
    assert verdict(STANDARD, limited(40000), 39000, 1000).status is Status.WARN_80


# --- verdict: the 80% warning --------------------------------------------------------------------

def test_80_percent_boundary():
    assert verdict(LIGHT, limited(5000), 0, 4000).status is Status.OK  # exactly 80%: not past it
    est = verdict(LIGHT, limited(5000), 0, 4001)
    assert est.status is Status.WARN_80 and "80%" in est.reasons[0].ja
    assert verdict(COMM, limited(200), 100, 60).status is Status.OK
    assert verdict(COMM, limited(200), 100, 61).status is Status.WARN_80


def test_standard_warns_on_its_free_messages():
    assert verdict(STANDARD, NONE, 0, 24000).status is Status.OK
    assert verdict(STANDARD, NONE, 0, 24001).status is Status.WARN_80


# --- verdict: Standard costs ---------------------------------------------------------------------

def test_standard_crossing_30000():
    est = verdict(STANDARD, NONE, 29000, 3000)
    assert est.status is Status.WARN_80
    assert (est.limit, est.remaining_after) == (None, None)  # quota type none: no limit
    assert est.extra_messages == 2000 and est.extra_cost_yen == Decimal("6000") and est.cost_confirmed
    assert "¥6,000" in both(est.reasons) and "2,000" in both(est.reasons)


def test_standard_crossing_a_tier_in_the_estimate():
    est = verdict(STANDARD, NONE, 79000, 2000)
    assert est.extra_cost_yen == Decimal("5800") and len(est.charges) == 2


def test_quota_none_is_unlimited_and_derives_standard():
    est = verdict(None, NONE, 0, 1_000_000)
    assert est.plan == STANDARD and est.status is Status.WARN_80 and est.over_by == 0
    assert est.extra_messages == 970_000
    assert not est.cost_confirmed and "未確認" in both(est.reasons)


def test_plan_derived_from_a_limited_quota():
    est = verdict(None, limited(200), 10, 5)
    assert est.plan == COMM and est.status is Status.OK and est.remaining_after == 185


# --- verdict: what cannot be settled -------------------------------------------------------------

def test_nothing_known_needs_a_check():
    est = verdict(None, None, None, 10)
    assert est.status is Status.NEEDS_CHECK and est.messages_counted == 10
    assert "プラン" in both(est.reasons) and "LINE" in both(est.reasons)


def test_unknown_usage_needs_a_check():
    est = verdict(LIGHT, limited(5000), None, 10)
    assert est.status is Status.NEEDS_CHECK and est.remaining_after is None


def test_unknown_plan_for_an_odd_quota_needs_a_check_but_still_blocks():
    assert verdict(None, limited(1000), 0, 10).status is Status.NEEDS_CHECK
    assert verdict(None, limited(1000), 0, 1001).status is Status.BLOCKED


def test_chosen_plan_disagreeing_with_line_needs_a_check():
    est = verdict(LIGHT, NONE, 0, 10)
    assert est.status is Status.NEEDS_CHECK and "一致しません" in both(est.reasons)


def test_offline_figures_carry_their_time():
    asof = dt.datetime(2026, 5, 20, 9, 30)
    est = verdict(LIGHT, limited(5000), 100, 10, offline_asof=asof)
    assert est.offline_asof == asof
    assert est.status is Status.NEEDS_CHECK  # fine on old figures is not fine yet
    assert "2026-05-20 09:30" in est.reasons[-1].ja and "2026-05-20 09:30" in est.reasons[-1].en
    assert est.remaining_after == 4890  # the figures are still worked out for the panel


def test_offline_blocked_stays_blocked():
    est = verdict(COMM, limited(200), 150, 51, offline_asof=dt.datetime(2026, 5, 20, 9, 30))
    assert est.status is Status.BLOCKED and est.offline_asof is not None and est.ways_out


def test_no_recipients_and_bad_input():
    est = verdict(COMM, limited(200), 200, 0)
    assert est.status is Status.WARN_80 and est.over_by == 0  # the month is full, but nothing is sent
    with pytest.raises(ValueError):
        verdict(COMM, None, 0, -1)
    with pytest.raises(ValueError):
        verdict(COMM, None, -1, 1)


def test_reasons_read_in_both_languages():
    est = verdict(COMM, limited(200), 0, 201)
    messages.set_language("en")
    try:
        assert str(est.reasons[0]).startswith("Only 200 more")
        assert str(COUNTING_NOTE).startswith("A message counts once per recipient")
    finally:
        messages.set_language("ja")
    assert str(est.reasons[0]).startswith("今月送れるのはあと200通")


# --- the month and the cost in sentences (the send dialog's lines) -------------------------------

@pytest.mark.parametrize(("plan", "quota", "used", "recipients", "ja"), [
    (None, None, None, 5, "今月の送信数: 不明（LINEに確認できません）。上限も不明です。"),
    (LIGHT, None, None, 5, "今月の送信数: 不明（LINEに確認できません）。上限は月5,000通です。"),
    (None, NONE, None, 5, "今月の送信数: 不明（LINEに確認できません）。上限はありません。"),
    (None, NONE, 100, 5, "今月 100通送信。上限はありません。"),
    (None, None, 100, 5, "今月 100通送信。上限は不明です（プランを選んでください）。"),
    (LIGHT, None, 1200, 15, "今月 1,200通送信 / 上限5,000通。この送信後の残りは3,785通です。"),
    (LIGHT, None, 1200, 0, "今月 1,200通送信 / 上限5,000通。残りは3,800通です。"),
    (COMM, None, 190, 15, "今月 190通送信 / 上限200通。残りは10通です。"),  # blocked: no "after this send"
])
def test_month_sentence_says_unknown_and_no_limit_in_words(plan, quota, used, recipients, ja):
    from shopline.core.estimate import month_sentence

    text = month_sentence(verdict(plan, quota, used, recipients))
    assert text.ja == ja
    assert "?" not in text.en and "None" not in text.en and "no limit通" not in text.en


def test_cost_sentence():
    from shopline.core.estimate import cost_sentence

    assert cost_sentence(verdict(None, None, None, 5)).ja == "不明（プランと今月の送信数が必要です）"
    assert cost_sentence(verdict(LIGHT, None, None, 5)).ja.startswith("なし")
    assert cost_sentence(verdict(STANDARD, NONE, 29_000, 3000)).en == "¥6,000 (tax excluded)"
    assert cost_sentence(verdict(STANDARD, NONE, 0, 3000)).ja == "¥0（税別）"
