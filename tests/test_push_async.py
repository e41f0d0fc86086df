"""Pushes through line-bot-sdk's asyncio client (line.async_client) against the fake LINE on 127.0.0.1: every retry
is the identical request with the same X-Line-Retry-Key, a 409 on a retried key means LINE had it, and nothing
is sent twice whatever breaks between the two ends."""

from __future__ import annotations

import asyncio
import threading
import time
from collections import Counter

import pytest
from delivery_helpers import TOKEN, VIP, shop
from fake_line.server import user_id

from shopline.delivery import push_engine, service
from shopline.line.async_client import AsyncLineClient
from shopline.line.errors import LineConnectionError, LineError, MalformedToken, RetryKeyAccepted
from shopline.line.pacing import RateLimiter
from shopline.line.push_send import push_message_async
from shopline.line.retry import RetryPolicy, Stopped
from shopline.line.retry_async import call_with_retries_async
from shopline.store.campaign_models import Batch

PUSH = "/v2/bot/message/push"
KEY = "0b6c3b9e-2f55-4d57-9a53-2b0a1d1c7e01"
QUICK = RetryPolicy(attempts=4, base_delay=0.01, max_delay=0.05)
MESSAGES = [{"type": "text", "text": "友だち0様、いつもありがとうございます"}]


def _push(policy: RetryPolicy = QUICK, *, timeout: tuple[float, float] = (5.0, 20.0),
          stop: threading.Event | None = None, limiter: RateLimiter | None = None):
    """One push to friend 0 with KEY, retried per `policy`; LINE's answer or the error it ended with."""
    async def go():
        async with AsyncLineClient(TOKEN, timeout=timeout) as client:
            return await call_with_retries_async(
                lambda: push_message_async(client, user_id(0), MESSAGES, retry_key=KEY, unit="spring"), policy,
                limiter=limiter or RateLimiter(1000), stop=stop)
    try:
        return asyncio.run(go())
    except (LineError, Stopped) as error:
        return error


def _keys(fake) -> list[str]:
    return [r.headers["x-line-retry-key"] for r in fake.requests_to(PUSH)]


def test_a_push_is_the_request_line_documents_and_its_answer_is_lines(fake_line):
    accepted = _push()
    assert accepted.status == 200 and accepted.request_id.startswith("req-")
    (request,) = fake_line.requests_to(PUSH)  # the fake checked it against LINE's OpenAPI spec
    assert request.headers["authorization"] == f"Bearer {TOKEN}" and request.headers["x-line-retry-key"] == KEY
    assert fake_line.pushes[0]["customAggregationUnits"] == ["spring"]
    assert fake_line.delivered == Counter({user_id(0): 1})


def test_a_429_is_waited_out_on_the_shared_limiter_then_sent_again_with_the_same_key(fake_line):
    fake_line.fault(r"POST /v2/bot/message/push", status=429, headers={"Retry-After": "0.3"},
                    body={"message": "Too many requests"}, times=1)
    limiter = RateLimiter(1000)
    started = time.monotonic()
    assert _push(limiter=limiter).status == 200
    assert time.monotonic() - started >= 0.3  # LINE's Retry-After, held for every caller of the limiter
    assert _keys(fake_line) == [KEY, KEY] and fake_line.delivered == Counter({user_id(0): 1})


def test_server_errors_are_retried_with_the_same_key_until_line_takes_it(fake_line):
    fake_line.fault(r"POST /v2/bot/message/push", status=500, times=1)
    fake_line.fault(r"POST /v2/bot/message/push", status=503, times=1)
    assert _push().status == 200
    assert _keys(fake_line) == [KEY] * 3 and fake_line.delivered == Counter({user_id(0): 1})


def test_a_connection_dropped_mid_request_is_sent_again_with_the_same_key(fake_line):
    fake_line.fault(r"POST /v2/bot/message/push", drop=True, times=1)
    assert _push().status == 200
    assert _keys(fake_line) == [KEY, KEY] and fake_line.delivered == Counter({user_id(0): 1})


def test_when_line_took_it_before_the_connection_broke_the_retry_is_told_409_and_nothing_more_is_sent(fake_line):
    fake_line.fault(r"POST /v2/bot/message/push", drop=True, accept_first=True, times=1)
    answered = _push()
    assert isinstance(answered, RetryKeyAccepted) and answered.accepted_request_id.startswith("req-")
    assert _keys(fake_line) == [KEY, KEY] and fake_line.delivered == Counter({user_id(0): 1})


def test_an_answer_later_than_the_read_timeout_is_retried_with_the_same_key_and_delivered_once(fake_line):
    fake_line.fault(r"POST /v2/bot/message/push", delay=0.8, times=1)
    assert not isinstance(_push(timeout=(2.0, 0.3)), LineError)  # 200, or 409 had the slow one been first
    time.sleep(0.8)  # the slow first request reaches LINE too
    assert _keys(fake_line) == [KEY, KEY] and fake_line.delivered == Counter({user_id(0): 1})


def test_a_pause_is_not_held_up_by_a_long_retry_after_and_sends_nothing_more(fake_line):
    fake_line.fault(r"POST /v2/bot/message/push", status=429, headers={"Retry-After": "30"},
                    body={"message": "Too many requests"}, times=None)
    stop = threading.Event()
    threading.Timer(0.3, stop.set).start()
    started = time.monotonic()
    stopped = _push(RetryPolicy(attempts=6, max_retry_after=60), stop=stop)
    assert isinstance(stopped, Stopped) and stopped.last is not None and stopped.last.status == 429
    assert time.monotonic() - started < 5 and len(_keys(fake_line)) == 1


def test_proxy_variables_and_netrc_are_ignored_as_the_sync_client_ignores_them(fake_line, monkeypatch, tmp_path):
    # The SDK's aiohttp session would send through this proxy (nothing listens there) and read this netrc.
    monkeypatch.setenv("HTTP_PROXY", "http://127.0.0.1:9")
    monkeypatch.setenv("http_proxy", "http://127.0.0.1:9")
    monkeypatch.setenv("NETRC", str(tmp_path / "netrc"))
    (tmp_path / "netrc").write_text("machine 127.0.0.1 login shop password hunter2\n")
    assert _push().status == 200
    assert fake_line.requests_to(PUSH)[0].headers["authorization"] == f"Bearer {TOKEN}"


def test_no_line_answers_means_a_connection_error_that_never_shows_the_token(monkeypatch):
    monkeypatch.setenv("SHOPLINE_LINE_API", "http://127.0.0.1:9")  # nothing listens there
    error = _push(RetryPolicy(attempts=1))
    assert isinstance(error, LineConnectionError) and TOKEN not in str(error)
    with pytest.raises(MalformedToken):
        AsyncLineClient("token\r\nX-Injected: 1")


def test_the_token_is_scrubbed_from_lines_message(fake_line):
    fake_line.fault(r"POST /v2/bot/message/push", status=400, times=1,
                    body={"message": f"Bad header {TOKEN}"})
    error = _push()
    assert isinstance(error, LineError) and error.status == 400 and TOKEN not in str(error)
    assert "***" in error.line_message


def test_a_campaign_whose_answers_are_lost_to_dropped_connections_reaches_everyone_once(store, fake_line):
    ids = shop(40)
    fake_line.fault(r"POST /v2/bot/message/push", drop=True, accept_first=True, times=5)
    fake_line.fault(r"POST /v2/bot/message/push", drop=True, times=5)
    prepared = service.prepare_send("切断", VIP, [{"type": "text", "text": "{表示名}さん"}], token=TOKEN)
    result = service.send(prepared.campaign, TOKEN, engine=lambda s: push_engine.PersonalEngine(
        s, concurrency=8, backoff=0.01))
    assert result.status == "done" and result.delivered == 40
    assert fake_line.delivered == Counter({u: 1 for u in ids})
    statuses = Counter(s for (s,) in Batch.select(Batch.last_status).tuples())
    assert statuses[409] == 5 and statuses[200] == 35  # the five LINE took before the break count as sent
    pushes = Counter(r.headers["x-line-retry-key"] for r in fake_line.requests_to(PUSH))
    assert sum(pushes.values()) == 50 and set(pushes) == {k for (k,) in Batch.select(Batch.retry_key).tuples()}
