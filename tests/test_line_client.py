"""The line/ adapter against the fake LINE server: host, timeouts, paging, errors, one request per call."""

from __future__ import annotations

import time

import pytest

from shopline.line import errors
from shopline.line.bot_info import get_bot_info
from shopline.line.config import API_ENV, DEFAULT_HOST, LineClient, api_host
from shopline.line.followers import iter_follower_pages
from shopline.line.profiles import get_profile
from shopline.line.retry import RetryPolicy, with_retries

FAST = RetryPolicy(attempts=3, base_delay=0.01)


def test_host_from_environment(monkeypatch):
    monkeypatch.delenv(API_ENV, raising=False)
    assert api_host() == DEFAULT_HOST
    monkeypatch.setenv(API_ENV, "http://127.0.0.1:9/")
    assert api_host() == "http://127.0.0.1:9"


def test_bot_info_and_bearer_token(fake_line):
    with LineClient(fake_line.token) as client:
        info = get_bot_info(client)
    assert (info.basic_id, info.display_name) == ("@123abcde", "テスト商店")
    assert fake_line.requests[0].headers["authorization"] == f"Bearer {fake_line.token}"


def test_followers_paging_passes_next_as_start(fake_line):
    fake_line.add_followers(2345)
    with LineClient(fake_line.token) as client:
        pages = list(iter_follower_pages(client))
    assert [len(p) for p in pages] == [1000, 1000, 345]
    assert sum(pages, []) == fake_line.followers
    calls = fake_line.requests_to("/v2/bot/followers/ids")
    assert [c.query["limit"] for c in calls] == [["1000"]] * 3
    assert "start" not in calls[0].query
    assert calls[1].query["start"] != calls[2].query["start"]


def test_profile_and_404(fake_line):
    ids = fake_line.add_followers(2)
    fake_line.blocked.add(ids[1])
    with LineClient(fake_line.token) as client:
        profile = get_profile(client, ids[0])
        assert get_profile(client, ids[1]) is None
    assert (profile.display_name, profile.language) == ("友だち0", "ja")
    assert profile.picture_url.startswith("https://")


def test_wrong_token_is_auth_error_without_the_token(fake_line):
    wrong = "wrong-token-XYZ987"
    with LineClient(wrong) as client, pytest.raises(errors.LineAuthError) as caught:
        get_bot_info(client)
    assert wrong not in str(caught.value) and wrong not in caught.value.text.en
    assert caught.value.__cause__ is None and caught.value.__context__ is None


def test_malformed_token_refused_before_any_request(fake_line):
    with pytest.raises(errors.MalformedToken) as caught:
        LineClient("abc\ndef ghi")
    assert "abc" not in str(caught.value)
    assert fake_line.requests == []


def test_slow_answer_times_out(fake_line):
    fake_line.fault(r"GET /v2/bot/info", delay=2.0)
    started = time.monotonic()
    with LineClient(fake_line.token, timeout=(1.0, 0.3)) as client, pytest.raises(errors.LineTimeout):
        get_bot_info(client)
    assert time.monotonic() - started < 1.5


@pytest.mark.parametrize("fault", [{"drop": True}, {"status": 500}, {"status": 503}])
def test_each_call_is_one_request(fake_line, fault):
    """urllib3's own retries are off: a dropped connection or 5xx is one request, and ours to retry."""
    fake_line.fault(r"GET /v2/bot/info", times=None, **fault)
    with LineClient(fake_line.token) as client, pytest.raises(errors.LineError) as caught:
        get_bot_info(client)
    assert caught.value.retryable
    assert len(fake_line.requests) == 1


def test_retry_then_success(fake_line):
    ids = fake_line.add_followers(1)
    fake_line.fault(r"/v2/bot/profile/", status=500, times=1)
    fake_line.fault(r"/v2/bot/profile/", drop=True, times=1)
    with LineClient(fake_line.token) as client:
        assert get_profile(client, ids[0], FAST).display_name == "友だち0"
    assert len(fake_line.requests) == 3


def test_retries_are_bounded_and_skip_4xx(fake_line):
    fake_line.fault(r"GET /v2/bot/info", status=500, times=None)
    sleeps = []
    with LineClient(fake_line.token) as client, pytest.raises(errors.LineServerError):
        with_retries(lambda: get_bot_info(client), FAST, sleep=sleeps.append)
    assert len(fake_line.requests) == 3 and len(sleeps) == 2
    fake_line.faults.clear()
    with LineClient("not-the-token") as client, pytest.raises(errors.LineAuthError):
        with_retries(lambda: get_bot_info(client), FAST)
    assert len(fake_line.requests) == 4


def test_rate_limited_waits_retry_after(fake_line):
    fake_line.fault(
        r"GET /v2/bot/info",
        status=429,
        body={"message": "The API rate limit has been exceeded. Try again later."},
        headers={"Retry-After": "1"},
    )
    sleeps = []
    with LineClient(fake_line.token) as client:
        with_retries(lambda: get_bot_info(client), FAST, sleep=sleeps.append)
    assert sleeps == [1.0]


def test_connection_refused(monkeypatch):
    monkeypatch.setenv(API_ENV, "http://127.0.0.1:9")
    with LineClient("t0ken") as client, pytest.raises(errors.LineConnectionError):
        get_bot_info(client)
