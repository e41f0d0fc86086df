"""Tracked links end to end against the real relay on 127.0.0.1: send, click (an HTTP GET), pull, and the click
counted for its campaign and friend. Skipped without Node, unless SHOPLINE_REQUIRE_RELAY=1."""

from __future__ import annotations

import re
import socket

from delivery_helpers import TOKEN, VIP, shop

from shopline.delivery import service
from shopline.inbox.pull import pull_inbox
from shopline.links.register import LinksNotRegistered
from shopline.store.campaign_models import Batch, Campaign
from shopline.store.link_models import Click, TrackedLink
from shopline.store.models import Friend

pytest_plugins = ("relay_fixtures",)

SALE = "https://example.com/sale?item=1&x=%E6%98%A5"
TEXT = f"{{表示名}}様、春のセールはこちら {SALE} 。地図: https://example.com/map"


def _codes(text: str, relay_url: str) -> list[str]:
    return re.findall(re.escape(relay_url) + r"/r/([A-Za-z0-9_-]+)", text)


def test_send_click_pull_counts_the_friend(store, fake_line, relay_env):
    relay = relay_env
    ids = shop(4)
    prepared = service.prepare_send("春のセール", VIP, [{"type": "text", "text": TEXT}], token=TOKEN)
    assert TrackedLink.select().count() == 8 and TrackedLink.select().where(TrackedLink.registered).count() == 0
    result = service.send(prepared.campaign, TOKEN)
    assert result.status == "done" and result.delivered == 4
    assert TrackedLink.select().where(TrackedLink.registered).count() == 8

    texts = {p["to"]: p["messages"][0]["text"] for p in fake_line.pushes}
    assert set(texts) == set(ids)
    for i, user in enumerate(ids):
        text = texts[user]
        assert text.startswith(f"友だち{i}様、春のセールはこちら {relay.url}/r/") and "example.com" not in text
        assert text.endswith(" 。地図: " + relay.url + "/r/" + _codes(text, relay.url)[1])
    all_codes = [c for t in texts.values() for c in _codes(t, relay.url)]
    assert len(set(all_codes)) == 8  # per friend and per URL

    clicker = Friend.get(Friend.user_id == ids[2])
    code = _codes(texts[ids[2]], relay.url)[0]
    status, _, headers = relay.request("GET", f"/r/{code}")
    assert status == 302 and headers["location"] == SALE
    assert relay.request("GET", f"/r/{code}")[0] == 302  # a second click is a second Click

    pulled = pull_inbox()
    assert pulled.clicks == 2 and pulled.changes.campaigns
    clicks = list(Click.select())
    assert {(c.friend_id, c.campaign_id, c.url) for c in clicks} == {(clicker.id, prepared.campaign.id, SALE)}
    assert pull_inbox().clicks == 0  # applied once


def test_links_are_registered_before_the_first_message_or_nothing_is_sent(store, fake_line, relay_env,
                                                                          monkeypatch):
    relay = relay_env
    shop(3)
    prepared = service.prepare_send("地図", VIP, [{"type": "text", "text": "地図 https://example.com/map"}],
                                    token=TOKEN)
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        dead = f"http://127.0.0.1:{s.getsockname()[1]}"
    monkeypatch.setenv("SHOPLINE_RELAY_URL", dead)  # the relay is unreachable when sending starts
    try:
        service.send(prepared.campaign, TOKEN)
        raise AssertionError("sent without registering the links")
    except LinksNotRegistered as refused:
        assert "再開" in str(refused)
    assert not fake_line.requests_to("/v2/bot/message/push")
    assert Batch.select().where(Batch.first_attempt_at.is_null(False)).count() == 0
    monkeypatch.setenv("SHOPLINE_RELAY_URL", relay.url)
    assert service.resume("地図", TOKEN).delivered == 3
    codes = [c for p in fake_line.pushes for c in _codes(p["messages"][0]["text"], relay.url)]
    assert len(codes) == 3 and all(relay.request("GET", f"/r/{c}")[0] == 302 for c in codes)
    assert Campaign.get().status == "done"


def test_without_a_relay_links_are_sent_as_written_by_multicast(store, fake_line, monkeypatch):
    monkeypatch.delenv("SHOPLINE_RELAY_URL", raising=False)
    shop(3)
    prepared = service.prepare_send("そのまま", VIP, [{"type": "text", "text": f"こちら {SALE}"}], token=TOKEN)
    assert service.send(prepared.campaign, TOKEN).delivered == 3
    assert [m["messages"][0]["text"] for m in fake_line.multicasts] == [f"こちら {SALE}"]
    assert TrackedLink.select().count() == 0 and not fake_line.requests_to("/v2/bot/message/push")
