"""効果測定's arithmetic without a database: nulls stay nulls, zero denominators give no rate, finality, cost."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from shopline.core import messages
from shopline.core.crosstab import CrossTable, Dimension, parse_dimension
from shopline.core.messages import ShopLineError
from shopline.core.plans import plan_by_key
from shopline.core.results import (
    JST,
    CampaignFigures,
    Goal,
    aggregation_range,
    follower_dates_missing,
    is_final,
    rate,
    send_cost,
    show_count,
    show_rate,
)

SENT = dt.datetime(2025, 3, 1, 10, 0, tzinfo=JST)


@pytest.mark.parametrize(("num", "den", "expected"), [
    (10, 40, 0.25), (0, 40, 0.0), (None, 40, None), (10, None, None), (None, None, None), (10, 0, None), (0, 0, None),
])
def test_rate_never_invents_a_figure(num, den, expected):
    assert rate(num, den) == expected


def test_a_null_reads_fewer_than_20_never_0():
    messages.set_language("ja")
    assert show_count(None) == "20人未満"
    messages.set_language("en")
    assert show_count(None) == "fewer than 20"
    assert show_count(0) == "0"
    messages.set_language("ja")
    assert show_rate(None) == "—"


def test_every_rate_of_a_campaign_with_nulls_and_zeros():
    nulls = CampaignFigures("a", sent=100, sent_at=SENT, impressions=None, clicks=None)
    assert (nulls.open_rate, nulls.click_rate, nulls.click_through) == (None, None, None)
    partly = CampaignFigures("b", sent=100, sent_at=SENT, impressions=40, clicks=None)
    assert partly.open_rate == 0.4 and partly.click_rate is None and partly.click_through is None
    full = CampaignFigures("c", sent=200, sent_at=SENT, impressions=80, clicks=20, blocks_after=4, conversions=10,
                           revenue=Decimal(3000), cost_yen=Decimal(600))
    assert (full.open_rate, full.click_rate, full.click_through) == (0.4, 0.1, 0.25)
    assert (full.block_rate, full.conversion_rate, full.roi) == (0.02, 0.05, 5.0)
    nobody = CampaignFigures("d", sent=0, sent_at=SENT, impressions=0, clicks=0, conversions=0)
    assert (nobody.open_rate, nobody.click_rate, nobody.block_rate, nobody.conversion_rate) == (None,) * 4
    assert nobody.click_through is None  # 0 ÷ 0
    free = CampaignFigures("e", sent=10, sent_at=SENT, revenue=Decimal(100), cost_yen=Decimal(0))
    assert free.roi is None and CampaignFigures("f", 10, SENT, cost_yen=Decimal(5)).roi is None
    assert CampaignFigures("g", 10, SENT).conversion_rate is None  # no conversion chosen


def test_goals_against_actuals():
    figures = CampaignFigures("a", sent=100, sent_at=SENT, impressions=50, clicks=None, conversions=3,
                              goal=Goal(open_rate=0.4, click_rate=0.1, conversion_rate=0.05))
    versus = figures.versus()
    assert versus["open_rate"].achieved is True and versus["open_rate"].ratio == pytest.approx(1.25)
    assert versus["click_rate"].achieved is None  # a null is not a miss
    assert versus["conversion_rate"].achieved is False
    assert not Goal() and Goal(click_rate=0.1)


def test_final_14_days_after_the_send():
    assert not is_final(SENT, SENT + dt.timedelta(days=13, hours=23))
    assert is_final(SENT, SENT + dt.timedelta(days=14))
    naive_local = SENT.astimezone().replace(tzinfo=None)  # the store keeps naive local times
    assert is_final(naive_local, naive_local + dt.timedelta(days=15))


def test_aggregation_range_in_utc9_and_never_past_today():
    late_evening_utc = dt.datetime(2025, 3, 1, 16, 0, tzinfo=dt.UTC)  # already 2 March in Japan
    start, end = aggregation_range(late_evening_utc, late_evening_utc + dt.timedelta(days=3))
    assert (start, end) == (dt.date(2025, 3, 2), dt.date(2025, 3, 5))
    start, end = aggregation_range(SENT, SENT + dt.timedelta(days=60))
    assert (start, end) == (dt.date(2025, 3, 1), dt.date(2025, 3, 15)) and (end - start).days <= 30


def test_cost_of_a_send_from_the_plan_and_the_months_tier():
    standard, light, free = plan_by_key("jp_standard"), plan_by_key("jp_light"), plan_by_key("jp_communication")
    assert send_cost(free, 0, 150) == 0
    assert send_cost(light, 0, 1000) == 1000  # ¥5,000 for 5,000 messages: ¥1 each
    # 29,000 already sent: 1,000 inside (¥500) and 1,000 extra at ¥3
    assert send_cost(standard, 29_000, 2_000) == 500 + 3000
    assert send_cost(None, 0, 10) is None


def test_follower_days_to_fetch_newest_first_without_today():
    today = dt.date(2025, 3, 31)
    missing = follower_dates_missing(today, {dt.date(2025, 3, 30)}, days=3)
    assert missing == [dt.date(2025, 3, 29), dt.date(2025, 3, 28)]


def test_crosstab_percentages_and_dimensions():
    messages.set_language("ja")
    table = CrossTable(Dimension("gender"), Dimension("age_band"), ["female", "male"], [2, 3],
                       {("female", 2): 3, ("female", 3): 1, ("male", 2): 1})
    assert table.row_percent("female", 2) == 0.75 and table.col_percent("female", 2) == 0.75
    assert table.row_percent("male", 3) == 0.0 and table.col_total(3) == 1 and table.total == 5
    grid = table.grid("row")
    assert grid[1][:3] == ["女性", "75.0%", "25.0%"] and grid[0][1] == "20代"
    assert parse_dimension("folder:会員") == Dimension("folder", "会員")
    assert parse_dimension("年代") == Dimension("age_band")
    assert parse_dimension("好きな色", ["好きな色"]) == Dimension("field", "好きな色")
    with pytest.raises(ShopLineError):
        parse_dimension("shoe_size")
