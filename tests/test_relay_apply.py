"""Applying relay events without a relay: order by LINE's time, tags from postbacks and keywords, exactly once."""

from __future__ import annotations

import pytest

from shopline.core.messages import ShopLineError
from shopline.inbox import relay_config
from shopline.inbox.apply import CURSOR_KEY, apply_page, stored_cursor
from shopline.inbox.client import Page
from shopline.inbox.events import Incoming, parse_item, postback_tags
from shopline.inbox.pull import pull_inbox
from shopline.inbox.rules import add_rule, list_rules, matcher, remove_rule
from shopline.store.inbox_models import InboxEvent, Reaction
from shopline.store.models import Friend, Setting
from shopline.store.tags import tags_of

URL = "https://relay.example"
USER = "U" + "1" * 32


def ev(event_id: str, kind: str, at: int, **kw: object) -> Incoming:
    return Incoming(event_id, kind, USER, at, **kw)  # type: ignore[arg-type]


def friend() -> Friend:
    return Friend.get(Friend.user_id == USER)


def tag_names() -> list[str]:
    return sorted(t.name for t in tags_of(friend().id))


def test_a_later_event_wins_by_timestamp_within_one_page(store):
    apply_page([ev("b", "unfollow", 1_000), ev("a", "follow", 2_000)], 1, URL)
    assert friend().status == "following"
    apply_page([ev("c", "unfollow", 1_500)], 2, URL)  # older than the follow: nothing changes
    assert friend().status == "following"


def test_tags_follow_the_latest_postback_whatever_the_arrival(store):
    apply_page([ev("a", "follow", 1)], 1, URL)
    apply_page([ev("b", "postback", 3_000, detail="tag=VIP", tags_add=("VIP",))], 2, URL)
    apply_page([ev("c", "postback", 2_000, detail="untag=VIP", tags_remove=("VIP",))], 3, URL)
    assert tag_names() == ["VIP"]
    assert Reaction.get(Reaction.kind == "postback").detail == "tag=VIP"  # the newest reaction is kept
    apply_page([ev("d", "postback", 4_000, detail="untag=VIP", tags_remove=("VIP",))], 4, URL)
    assert tag_names() == []


def test_keyword_rules_fold_both_sides(store):
    add_rule("予約", "予約希望")
    add_rule("ＹＯＹＡＫＵ", "予約希望")
    assert [r.keyword for r in list_rules()] == ["YOYAKU", "予約"]
    tags = matcher()
    assert tags("明日yoyakuできますか") == ["予約希望"]
    apply_page([ev("a", "message", 5, detail="ﾖﾔｸ? 予約です", text="ﾖﾔｸ? 予約です")], 1, URL, tags)
    assert tag_names() == ["予約希望"] and friend().status == "following"
    assert remove_rule("予約") == 1 and remove_rule("nothing") == 0


def test_postback_data_and_odd_events():
    assert postback_tags("tag=VIP&untag=新規&tag=&menu=2") == (("VIP",), ("新規",))
    assert postback_tags("tag=<bad>") == ((), ())  # an impossible tag name is just a reaction
    group = parse_item({"id": "x", "kind": "webhook", "event": {"type": "message", "timestamp": 1,
                                                               "source": {"type": "group", "groupId": "C1"}}})
    assert group.kind == "other" and group.user_id is None
    sticker = parse_item({"id": "y", "kind": "webhook", "event": {"type": "message", "timestamp": 1,
                                                                 "source": {"userId": USER},
                                                                 "message": {"type": "sticker"}}})
    assert (sticker.kind, sticker.detail, sticker.text) == ("message", "[sticker]", "")


class StubRelay:
    """The relay's answers from a list; `ack` may be made to fail, as a crash before it would."""

    url = URL

    def __init__(self, items: list[dict]) -> None:
        self.items = items
        self.acked: list[int] = []
        self.fail_ack = False

    def pull(self, after: int, limit: int = 5000) -> Page:
        rest = [i for i in self.items if i["cursor"] > after][:limit]
        more = len([i for i in self.items if i["cursor"] > after]) > limit
        return Page(rest, rest[-1]["cursor"] if rest else after, more)

    def ack(self, cursor: int) -> int:
        if self.fail_ack:
            raise KeyboardInterrupt  # the process stops between commit and acknowledgement
        self.acked.append(cursor)
        return 1


def item(cursor: int, event_id: str, kind: str, user: str, at: int) -> dict:
    return {"cursor": cursor, "id": event_id, "kind": "webhook",
            "event": {"type": kind, "timestamp": at, "webhookEventId": event_id, "source": {"userId": user}}}


def test_a_stop_between_apply_and_acknowledge_reapplies_nothing(store, monkeypatch):
    from shopline.inbox import pull

    monkeypatch.setattr(pull, "APPLY_BATCH", 2)  # one transaction per page of 2
    users = [f"U{n:032x}" for n in range(5)]
    relay = StubRelay([item(n + 1, f"E{n}", "follow", u, 1_000 + n) for n, u in enumerate(users)])
    relay.fail_ack = True
    with pytest.raises(KeyboardInterrupt):
        pull_inbox(relay, page_size=2)  # type: ignore[arg-type]
    assert Friend.select().count() == 2 and stored_cursor(URL) == 2
    relay.fail_ack = False
    result = pull_inbox(relay, page_size=2)  # type: ignore[arg-type]
    assert (result.applied, result.duplicates) == (3, 0) and relay.acked == [4, 5]
    Setting.replace(key=CURSOR_KEY, value="0").execute()  # served again from the start
    again = pull_inbox(relay, page_size=2)  # type: ignore[arg-type]
    assert (again.applied, again.duplicates) == (0, 5)
    assert InboxEvent.select().count() == 5 and Friend.select().count() == 5


def test_a_cursor_belongs_to_its_relay(store):
    apply_page([ev("a", "follow", 1)], 7, URL)
    assert stored_cursor(URL) == 7 and stored_cursor("https://other.example") == 0


def test_relay_urls_must_be_https_except_on_this_machine():
    assert relay_config.normal_url(" https://r.example.workers.dev/webhook ") == "https://r.example.workers.dev"
    assert relay_config.normal_url("http://127.0.0.1:8787/") == "http://127.0.0.1:8787"
    for bad in ("http://r.example.workers.dev", "ftp://x", "r.example", ""):
        with pytest.raises(ShopLineError):
            relay_config.normal_url(bad)


def test_the_key_never_goes_to_a_file_keyring(store, monkeypatch):
    import keyring
    from keyring.backends import fail

    previous = keyring.get_keyring()
    keyring.set_keyring(fail.Keyring())
    try:
        monkeypatch.setattr(relay_config.RelayClient, "status", lambda self: {"ok": True, "pending": 0})
        with pytest.raises(ShopLineError, match="SHOPLINE_RELAY_KEY"):
            relay_config.connect("https://r.example", "k" * 32)
    finally:
        keyring.set_keyring(previous)
    assert Setting.get_or_none(Setting.key == relay_config.URL_SETTING) is None


def test_the_next_batch_is_fetched_while_this_one_is_applied(store, monkeypatch):
    """pull_inbox overlaps the relay's answers with SQLite's work; the cursor and acknowledgements still follow
    the commits in order."""
    import threading

    from shopline.inbox import pull

    monkeypatch.setattr(pull, "APPLY_BATCH", 2)
    users = [f"U{n:032x}" for n in range(4)]
    relay = StubRelay([item(n + 1, f"E{n}", "follow", u, 1_000 + n) for n, u in enumerate(users)])
    asked_ahead = threading.Event()
    real_pull, real_apply = relay.pull, pull.apply_page

    def pull_page(after: int, limit: int = 5000) -> Page:
        if after == 2:
            asked_ahead.set()
        return real_pull(after, limit)

    def apply_first_after_asking_ahead(events, cursor, *args):
        if cursor == 2:  # applying the first batch: the second must already be on its way
            assert asked_ahead.wait(10), "the second batch was not fetched while the first was applied"
        assert stored_cursor(URL) == cursor - 2  # the batches still commit one after the other
        return real_apply(events, cursor, *args)

    relay.pull = pull_page  # type: ignore[method-assign]
    monkeypatch.setattr(pull, "apply_page", apply_first_after_asking_ahead)
    result = pull_inbox(relay, page_size=2)  # type: ignore[arg-type]
    assert (result.applied, result.cursor) == (4, 4) and relay.acked == [2, 4]
    assert Friend.select().count() == 4 and stored_cursor(URL) == 4
