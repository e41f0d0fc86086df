"""Refreshing and reading results against the fake LINE: nulls kept, finality, the hourly limit, blocks, conversions."""

from __future__ import annotations

import datetime as dt
import json

from fake_line.server import TOKEN
from results_helpers import fresh_limiters, friends, sent_campaign  # noqa: F401 - autouse

from shopline.cli import main
from shopline.results import conversions, figures, refresh, trend
from shopline.store.connection import db
from shopline.store.insight_models import FollowerDay, InsightSnapshot, RateSlot
from shopline.store.models import Friend, FriendTag, Tag

NOW = dt.datetime(2025, 3, 10, 3, 0, tzinfo=dt.UTC)  # 12:00 in Japan


def test_refresh_keeps_nulls_and_the_cli_prints_them_as_null(store, fake_line, capsys, monkeypatch):
    monkeypatch.setenv("SHOPLINE_CHANNEL_TOKEN", TOKEN)
    ids = friends(200)
    sent_campaign("春のセール", ids, NOW - dt.timedelta(days=2), unit="sl_spring")
    fake_line.insight.set_unit("sl_spring", impressions=80, clicks=None,
                               urls=[("https://shop.example/sale", 30, 19), ("https://shop.example/map", None, None)])
    result = refresh.refresh(TOKEN, followers=False, clock=lambda: NOW)
    assert result.campaigns == 1 and result.final == 0 and result.changes.insights
    assert fake_line.insight.asked == [("sl_spring", "20250308", "20250310")]
    assert main(["results", "--json"]) == 0
    row = json.loads(capsys.readouterr().out.strip())
    assert row["sent"] == 200 and row["impressions"] == 80 and row["open_rate"] == 0.4
    assert row["clicks"] is None and row["click_rate"] is None and row["click_through_rate"] is None
    assert row["urls"] == [{"url": "https://shop.example/sale", "clicks": 30, "unique_clicks": 19},
                           {"url": "https://shop.example/map", "clicks": None, "unique_clicks": None}]
    assert row["final"] is False and row["fetched_at"].startswith("2025-03-10T03:00")
    assert row["cost_yen"] == 200 and row["blocks_after"] == 0 and row["conversions"] is None
    assert main(["results"]) == 0
    assert "20人未満" in capsys.readouterr().out  # a null reads "fewer than 20", never 0


def test_figures_become_final_14_days_after_the_send_and_are_never_asked_again(store, fake_line):
    sent_campaign("冬", friends(50), NOW - dt.timedelta(days=20), unit="sl_winter")
    sent_campaign("春", friends(50, first=50), NOW - dt.timedelta(days=3), unit="sl_spring2")
    fake_line.insight.set_unit("sl_winter", impressions=30, clicks=21)
    first = refresh.refresh(TOKEN, followers=False, clock=lambda: NOW)
    assert (first.campaigns, first.final) == (2, 1)
    winter = InsightSnapshot.get(InsightSnapshot.unit == "sl_winter")
    assert winter.final and str(winter.range_to) == "2025-03-04"  # the send's day + 14, not today
    refresh.refresh(TOKEN, followers=False, clock=lambda: NOW + dt.timedelta(hours=2))
    assert [unit for unit, _, _ in fake_line.insight.asked].count("sl_winter") == 1
    assert [unit for unit, _, _ in fake_line.insight.asked].count("sl_spring2") == 2


def test_never_more_than_60_insight_requests_an_hour_and_says_when_the_rest_can_go(store, fake_line):
    ids = friends(5)
    for n in range(70):
        sent_campaign(f"配信{n}", ids, NOW - dt.timedelta(days=1), unit=f"sl_c{n}")
    result = refresh.refresh(TOKEN, followers=False, clock=lambda: NOW, patience=0)
    assert result.campaigns == 60 and result.left == 10
    assert len(fake_line.requests_to("/v2/bot/insight/")) == 60
    assert result.resume_at is not None and result.resume_at > NOW
    assert "60" in str(result.message()) and "10" in str(result.message())
    assert RateSlot.select().count() == 60


def test_blocks_within_7_days_of_the_send_count_against_it(store):
    ids = friends(4)
    sent = dt.datetime.now(dt.UTC).replace(microsecond=0) - dt.timedelta(days=10)
    sent_campaign("ブロック", ids, sent)
    local = sent.astimezone().replace(tzinfo=None)
    Friend.update(status="blocked", updated_at=local + dt.timedelta(days=2)).where(Friend.id == ids[0]).execute()
    Friend.update(status="unfollowed", updated_at=local + dt.timedelta(days=6)).where(Friend.id == ids[1]).execute()
    Friend.update(status="blocked", updated_at=local + dt.timedelta(days=8)).where(Friend.id == ids[2]).execute()
    # The relay's event time wins over the sync time: this one blocked 1 hour after the send.
    Friend.update(status="blocked", updated_at=local + dt.timedelta(days=9)).where(Friend.id == ids[3]).execute()
    db.execute_sql("INSERT INTO inbox_clock (friend_id, topic, at) VALUES (?, 'status', ?)",
                   (ids[3], int((sent + dt.timedelta(hours=1)).timestamp() * 1000)))
    found = figures.figures_for("ブロック")
    assert found.blocks_after == 3 and found.block_rate == 0.75


def test_a_tag_gained_within_n_days_is_a_conversion(store):
    ids = friends(10)
    sent = dt.datetime(2025, 3, 1, 1, 0, tzinfo=dt.UTC)
    campaign = sent_campaign("来店キャンペーン", ids, sent)
    tag = Tag.create(name="来店")
    utc = sent.replace(tzinfo=None)
    rows = [(ids[0], utc + dt.timedelta(days=1)), (ids[1], utc + dt.timedelta(days=3)),
            (ids[2], utc + dt.timedelta(days=5)), (ids[3], utc - dt.timedelta(days=1)), (ids[4], None)]
    for fid, at in rows:
        FriendTag.insert(friend=fid, tag=tag, added_at=at).execute()
    assert figures.figures_for("来店キャンペーン").conversions is None  # nothing chosen yet
    conversions.set_goal(campaign, tag="来店", days=3, conversion_rate=0.1)
    found = figures.figures_for("来店キャンペーン")
    assert found.conversions == 2 and found.conversion_rate == 0.2
    assert found.versus()["conversion_rate"].achieved is True
    assert found.roi is None and found.revenue is None  # no purchases yet: unknown, not 0


def test_purchases_plug_in_through_the_hook(store):
    from decimal import Decimal

    campaign = sent_campaign("購入", friends(10), NOW, plan="jp_light", used=0)
    conversions.set_goal(campaign, purchase_days=7)
    seen = []

    def source(cid, start, end):
        seen.append((cid, end - start))
        return conversions.PurchaseFigures(buyers=2, revenue=Decimal(5000))

    conversions.register_purchase_source(source)
    try:
        found = figures.figures_for("購入")
    finally:
        conversions.register_purchase_source(None)
    assert seen == [(campaign.id, dt.timedelta(days=7))]
    assert (found.conversions, found.revenue, found.cost_yen, found.roi) == (2, 5000, 10, 500.0)


def test_trend_backfills_politely_and_asks_again_for_unready_days(store, fake_line, capsys):
    today = dt.date(2025, 3, 10)
    for n in range(1, 31):
        day = today - dt.timedelta(days=n)
        if n > 1:  # yesterday is not ready yet
            fake_line.insight.set_day(day, 1000 + n, 800, 40 - n // 3)
    first = refresh.refresh(TOKEN, clock=lambda: NOW, budget=20)
    assert first.days == 19 and len(fake_line.requests_to("/v2/bot/insight/followers")) == 20
    assert FollowerDay.get(FollowerDay.day == today - dt.timedelta(days=1)).status == "unready"
    second = refresh.refresh(TOKEN, clock=lambda: NOW, budget=20)
    assert second.days == 10 and len(fake_line.requests_to("/v2/bot/insight/followers")) == 31
    sent_campaign("先週", friends(3), NOW - dt.timedelta(days=7))
    found = trend.trend(30, today=today)
    assert len(found.days) == 30 and found.days[0].day == today - dt.timedelta(days=30)
    assert found.days[-1].followers is None and found.days[-2].followers == 1002
    assert [(s.day, s.name) for s in found.sends] == [(dt.date(2025, 3, 3), "先週")]


def test_cli_results_for_one_campaign_and_goals(store, capsys):
    sent_campaign("目標つき", friends(40), NOW)
    assert main(["results", "目標つき", "--goal-open", "40", "--conversion-tag", "購入済み"]) == 0
    out = capsys.readouterr().out
    assert "開封率（開封÷送信）\t—" in out and "40.0%" in out
    assert main(["results", "ない配信"]) == 2
    assert "ない配信" in capsys.readouterr().err


def _bought(friend_id: int, at: dt.datetime, amount: int | None, order: str) -> None:
    from shopline.store.purchase_models import Purchase

    local = at.astimezone(dt.timezone(dt.timedelta(hours=9))).replace(tzinfo=None)  # the shop's wall time
    Purchase.insert(friend=friend_id, customer=f"c{friend_id}", at=local.isoformat(sep=" "), order_id=order,
                    amount=amount, dedupe=order.encode()).execute()


def test_purchases_within_n_days_are_conversions_revenue_and_roi(store, capsys):
    from shopline.store.shop_clock import set_shop_zone

    set_shop_zone("Asia/Tokyo")
    ids = friends(12)
    sent = dt.datetime(2025, 3, 1, 1, 0, tzinfo=dt.UTC)
    campaign = sent_campaign("春の来店", ids[:10], sent, plan="jp_light", used=0)
    tag = Tag.create(name="来店")
    assert main(["results", "春の来店", "--purchase-days", "7"]) == 0
    assert "売上\t—" in capsys.readouterr().out  # no purchase data at all: unknown, not ¥0
    assert figures.figures_for("春の来店").revenue is None
    _bought(ids[0], sent + dt.timedelta(days=1), 3000, "o1")
    _bought(ids[0], sent + dt.timedelta(days=2), 2000, "o2")  # one buyer, two purchases
    _bought(ids[1], sent + dt.timedelta(days=8), 9000, "o3")  # too late
    _bought(ids[2], sent - dt.timedelta(minutes=1), 9000, "o4")  # before the send
    _bought(ids[3], sent + dt.timedelta(days=6, hours=23), None, "o5")  # a visit: a conversion worth nothing
    _bought(ids[11], sent + dt.timedelta(days=1), 9000, "o6")  # not a recipient
    found = figures.figures_for("春の来店")
    assert found.conversions == 2 and found.revenue == 5000
    assert found.cost_yen == 10 and found.roi == 500.0  # ¥5,000 ÷ ¥10 (ten messages of the light plan)
    assert main(["results", "春の来店"]) == 0
    out = capsys.readouterr().out
    assert "¥5,000" in out and "500.00" in out
    # The tag as well: a friend who gained it and bought counts once.
    conversions.set_goal(campaign, tag="来店", days=7)
    FriendTag.insert(friend=ids[0], tag=tag, added_at=sent.replace(tzinfo=None) + dt.timedelta(days=1)).execute()
    FriendTag.insert(friend=ids[4], tag=tag, added_at=sent.replace(tzinfo=None) + dt.timedelta(days=1)).execute()
    found = figures.figures_for("春の来店")
    assert found.conversions == 3 and found.conversion_rate == 0.3 and found.revenue == 5000
    conversions.set_goal(campaign, purchase_days=None)
    found = figures.figures_for("春の来店")
    assert (found.conversions, found.revenue) == (2, None)  # the tag alone again
