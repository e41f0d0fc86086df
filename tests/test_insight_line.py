"""line/insight against the fake LINE, whose answers are checked against insight.yml: nulls, unready, 429."""

from __future__ import annotations

import datetime as dt
import threading

import pytest
from fake_line.server import TOKEN

from shopline.line import insight, limits
from shopline.line.errors import LineRateLimited
from shopline.line.retry import RetryPolicy, Stopped


@pytest.fixture
def client(fake_line):
    limits.use_factory(None)  # a fresh in-process limiter per test
    with insight.InsightClient(TOKEN) as c:
        yield c


def test_unit_statistics_keep_lines_nulls(fake_line, client):
    fake_line.insight.set_unit("sl_spring", impressions=120, clicks=None,
                               urls=[("https://shop.example/a", 40, 25), ("https://shop.example/b", None, None)])
    stats = insight.unit_statistics(client, "sl_spring", dt.date(2025, 3, 1), dt.date(2025, 3, 15))
    assert stats.unique_impressions == 120 and stats.unique_clicks is None
    assert [(u.url, u.clicks, u.unique_clicks) for u in stats.urls] == [
        ("https://shop.example/a", 40, 25), ("https://shop.example/b", None, None)]
    assert fake_line.insight.asked == [("sl_spring", "20250301", "20250315")]


def test_an_unknown_unit_is_all_nulls(fake_line, client):
    stats = insight.unit_statistics(client, "sl_never", dt.date(2025, 3, 1), dt.date(2025, 3, 1))
    assert (stats.unique_impressions, stats.unique_clicks, stats.urls) == (None, None, ())


def test_more_than_30_days_is_refused_before_asking(fake_line, client):
    with pytest.raises(ValueError):
        insight.unit_statistics(client, "sl_x", dt.date(2025, 3, 1), dt.date(2025, 4, 1))
    assert not fake_line.requests_to("/v2/bot/insight")


def test_followers_unready_then_ready(fake_line, client):
    day = dt.date(2025, 3, 10)
    first = insight.followers_on(client, day)
    assert (first.status, first.followers, first.blocks) == ("unready", None, None) and not first.ready
    fake_line.insight.set_day(day, 500, 420, 31)
    second = insight.followers_on(client, day)
    assert (second.followers, second.targeted_reaches, second.blocks) == (500, 420, 31) and second.ready


def test_a_429_waits_as_long_as_line_says_then_tries_again(fake_line, client):
    fake_line.fault(r"GET /v2/bot/insight/followers", status=429, body={"message": "Too many requests"},
                    headers={"retry-after": "7"})
    waits: list[float] = []
    count = insight.followers_on(client, dt.date(2025, 3, 10), sleep=waits.append)
    assert waits == [7.0] and count.status == "unready"
    assert len(fake_line.requests_to("/v2/bot/insight/followers")) == 2


def test_a_429_that_does_not_end_is_a_sentence(fake_line, client):
    fake_line.fault(r"GET /v2/bot/insight/", status=429, body={"message": "Too many requests"}, times=None)
    with pytest.raises(LineRateLimited) as caught:
        insight.unit_statistics(client, "sl_x", dt.date(2025, 3, 1), dt.date(2025, 3, 2),
                                policy=RetryPolicy(attempts=2), sleep=lambda s: None)
    assert "429" in str(caught.value) and TOKEN not in str(caught.value)


def test_stop_sends_nothing_more(fake_line, client):
    stop = threading.Event()
    stop.set()
    with pytest.raises(Stopped):
        insight.followers_on(client, dt.date(2025, 3, 10), stop=stop)
    assert not fake_line.requests_to("/v2/bot/insight")
