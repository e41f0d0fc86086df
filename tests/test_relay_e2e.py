"""The app against the real relay Worker running locally (wrangler/workerd on 127.0.0.1).

One relay for the whole file (a start is ~5-10 s); each test's store begins at the end of its queue.
"""
# ruff: noqa: F811 - the relay fixtures are imported into this one file, so the session shares one relay

from __future__ import annotations

import io
import json
import subprocess
import sys
import threading
import uuid
from pathlib import Path

import pytest
from relay_fixtures import relay, relay_env  # noqa: F401 - fixtures

from shopline.cli import main
from shopline.inbox.apply import CURSOR_KEY
from shopline.inbox.client import RelayClient, RelayError
from shopline.inbox.pull import pull_inbox
from shopline.inbox.rules import add_rule
from shopline.store.inbox_models import InboxEvent, Reaction
from shopline.store.models import Friend, Setting
from shopline.store.tags import tags_of

pytestmark = pytest.mark.slow


def uid() -> str:
    return "U" + uuid.uuid4().hex


def event(kind: str, user: str, at: int, **extra: object) -> dict:
    body = {"type": kind, "mode": "active", "timestamp": at, "webhookEventId": uuid.uuid4().hex.upper()[:26],
            "source": {"type": "user", "userId": user}, "deliveryContext": {"isRedelivery": False}}
    if kind in ("follow", "message", "postback"):
        body["replyToken"] = uuid.uuid4().hex
    if kind == "follow":
        body["follow"] = {"isUnblocked": False}
    return body | extra


def message(user: str, at: int, text: str) -> dict:
    return event("message", user, at, message={"type": "text", "id": "1", "quoteToken": "q", "text": text})


def postback(user: str, at: int, data: str) -> dict:
    return event("postback", user, at, postback={"data": data})


def friend(user: str) -> Friend:
    return Friend.get(Friend.user_id == user)


def test_forged_missing_or_altered_signature_is_refused_and_nothing_is_stored(relay_env):
    before = relay_env.last_cursor()
    body = json.dumps({"events": [event("follow", uid(), 1_700_000_000_000)]}).encode()
    assert relay_env.post_webhook([], raw=body, signature=None) == 401
    assert relay_env.post_webhook([], raw=body, signature="AAAA" + relay_env.secret) == 401
    forged = __import__("relay_fixtures").sign(body, "not-the-channel-secret")
    assert relay_env.post_webhook([], raw=body, signature=forged) == 401
    altered = body.replace(b'"follow"', b'"unfollow"')
    good_signature = __import__("relay_fixtures").sign(body, relay_env.secret)
    assert relay_env.post_webhook([], raw=altered, signature=good_signature) == 401
    assert relay_env.last_cursor() == before
    assert pull_inbox().applied == 0
    assert Friend.select().count() == 0


def test_connection_check_answers_200(relay_env):
    assert relay_env.post_webhook([]) == 200


def test_the_same_event_delivered_three_times_is_applied_once(relay_env):
    user = uid()
    follow = event("follow", user, 1_700_000_000_000)
    for _ in range(3):
        assert relay_env.post_webhook([follow]) == 200
    result = pull_inbox()
    assert (result.applied, result.new_friends) == (1, 1)
    assert friend(user).status == "following" and friend(user).source == "webhook"
    # Served again (a lost cursor): still nothing applied twice.
    Setting.replace(key=CURSOR_KEY, value=str(result.cursor - 1)).execute()
    again = pull_inbox()
    assert again.applied == 0 and again.duplicates >= 1
    assert InboxEvent.select().where(InboxEvent.event_id == follow["webhookEventId"]).count() == 1


def test_an_unfollow_that_arrives_before_its_follow_ends_blocked(relay_env):
    user = uid()
    assert relay_env.post_webhook([event("unfollow", user, 1_700_000_002_000)]) == 200
    pull_inbox()
    assert friend(user).status == "blocked"
    assert relay_env.post_webhook([event("follow", user, 1_700_000_001_000)]) == 200  # older, delivered later
    pull_inbox()
    assert friend(user).status == "blocked"
    assert friend(user).followed_at is not None  # the follow still says since when
    assert relay_env.post_webhook([event("follow", user, 1_700_000_003_000)]) == 200  # newer: back again
    pull_inbox()
    assert friend(user).status == "following"


def test_messages_postbacks_and_keyword_rules_reach_the_friend(relay_env):
    add_rule("予約", "予約希望")
    user = uid()
    events = [event("follow", user, 1_700_000_000_000), message(user, 1_700_000_010_000, "来週の予約をしたいです"),
              postback(user, 1_700_000_020_000, "tag=VIP&menu=1"), postback(user, 1_700_000_030_000, "untag=VIP")]
    assert relay_env.post_webhook(events) == 200
    result = pull_inbox()
    assert result.applied == 4
    assert sorted(t.name for t in tags_of(friend(user).id)) == ["予約希望"]
    kinds = {r.kind: r.detail for r in Reaction.select().where(Reaction.friend == friend(user))}
    assert kinds == {"message": "来週の予約をしたいです", "postback": "untag=VIP"}


def test_a_new_follower_gets_line_profile_when_a_channel_is_connected(relay_env, fake_line, monkeypatch):
    from fake_line.server import TOKEN

    monkeypatch.setenv("SHOPLINE_CHANNEL_TOKEN", TOKEN)
    user = uid()
    fake_line.profiles[user] = {"userId": user, "displayName": "山田花子", "pictureUrl": "https://example.com/p.png"}
    assert relay_env.post_webhook([event("follow", user, 1_700_000_000_000)]) == 200
    pull_inbox()
    assert (friend(user).display_name, friend(user).picture_url) == ("山田花子", "https://example.com/p.png")


def test_a_wrong_pull_key_gets_401_and_no_data(relay_env, capsys, monkeypatch):
    user = uid()
    assert relay_env.post_webhook([event("follow", user, 1_700_000_000_000)]) == 200
    status, answer = relay_env.api("GET", "/api/events?after=0", key="wrong-" + relay_env.key)
    assert status == 401 and user not in json.dumps(answer)
    monkeypatch.setenv("SHOPLINE_RELAY_KEY", "wrong-key-" + relay_env.key[:20])
    assert main(["inbox", "pull"]) == 2
    err = capsys.readouterr().err
    assert "キー" in err and relay_env.key[:20] not in err
    assert Friend.select().count() == 0


def test_tracked_links_redirect_only_to_registered_urls_and_clicks_come_back(relay_env):
    user = uid()
    assert relay_env.post_webhook([event("follow", user, 1_700_000_000_000)]) == 200
    code = uuid.uuid4().hex[:12]
    with RelayClient(relay_env.url, relay_env.key) as client:
        assert client.register_links([{"code": code, "url": "https://shop.example/sale", "campaign": "spring",
                                       "friend": user}]) == 1
        with pytest.raises(RelayError):
            client.register_links([{"code": "x" + code, "url": "javascript:alert(1)"}])
    status, _, headers = relay_env.request("GET", f"/r/{code}?url=https://evil.example/")
    assert status == 302 and headers["location"] == "https://shop.example/sale"
    for path in ("/r/unknown" + code, f"/r/x{code}", "/r/%2F%2Fevil.example", "/r/https:%2F%2Fevil.example"):
        status, _, headers = relay_env.request("GET", path)
        assert status == 404 and "location" not in headers, path
    pull_inbox()
    click = Reaction.get((Reaction.friend == friend(user)) & (Reaction.kind == "click"))
    assert click.detail == "https://shop.example/sale"


def test_sigkill_while_events_are_posted_loses_no_answered_event(relay_env):
    answered: list[str] = []
    lock = threading.Lock()
    stop = threading.Event()

    def post_forever(worker: int) -> None:
        n = 0
        while not stop.is_set():
            user = uid()
            ev = event("follow", user, 1_700_000_000_000 + n)
            n += 1
            try:
                status = relay_env.post_webhook([ev])
            except OSError:
                continue  # the runtime is gone: this one was never answered
            if status == 200:
                with lock:
                    answered.append(ev["webhookEventId"])

    threads = [threading.Thread(target=post_forever, args=(i,)) for i in range(4)]
    for t in threads:
        t.start()
    while len(answered) < 60:
        threading.Event().wait(0.02)
    relay_env.kill()  # SIGKILL mid-stream: some requests are in flight
    stop.set()
    for t in threads:
        t.join(timeout=60)
    relay_env.restart()
    pull_inbox()
    applied = {e for (e,) in InboxEvent.select(InboxEvent.event_id).tuples()}
    assert set(answered) <= applied


def test_the_app_killed_between_apply_and_acknowledge_reapplies_nothing(relay_env, data_dir):
    users = [uid() for _ in range(3)]
    start = Setting.get(Setting.key == CURSOR_KEY).value
    assert relay_env.post_webhook([event("follow", u, 1_700_000_000_000) for u in users]
                                  + [message(users[0], 1_700_000_001_000, "hello")]) == 200
    code = ("import os, signal\n"
            "from shopline.inbox import client\n"
            "client.RelayClient.ack = lambda self, cursor: os.kill(os.getpid(), signal.SIGKILL)\n"
            "from shopline.cli import main\n"
            "main(['inbox', 'pull'])\n")
    run = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert run.returncode == -9, run.stderr
    _, status = relay_env.api("GET", "/api/status")
    assert status["pending"] >= 4  # never acknowledged
    from shopline.store import open_store
    open_store(data_dir)  # what the killed process committed
    assert {f.user_id for f in Friend.select()} == set(users)
    stamp = Reaction.get(Reaction.kind == "message").at
    second = pull_inbox()
    assert second.applied == 0
    Setting.replace(key=CURSOR_KEY, value=start).execute()  # even served again from where it began
    third = pull_inbox()
    assert (third.applied, third.duplicates) == (0, 4)
    assert Friend.select().count() == 3 and Reaction.get(Reaction.kind == "message").at == stamp
    _, status = relay_env.api("GET", "/api/status")
    assert status["pending"] == 0  # acknowledged now


def test_relay_connect_keeps_the_key_in_the_keyring_and_sets_line_webhook(relay, store, memory_keyring,
                                                                          fake_line, monkeypatch, capsys):
    from fake_line.server import TOKEN

    monkeypatch.setattr(sys, "stdin", io.StringIO(relay.key + "\n"))
    assert main(["relay", "connect", relay.url]) == 0
    assert memory_keyring.entries[("ShopLine", "relay-key")] == relay.key
    assert main(["relay", "status"]) == 0
    assert relay.url in capsys.readouterr().out
    monkeypatch.setenv("SHOPLINE_CHANNEL_TOKEN", TOKEN)
    fake_line.channel_secret = relay.secret
    assert main(["relay", "webhook"]) == 0
    assert fake_line.webhook_endpoint == relay.url + "/webhook"
    fake_line.channel_secret = "another-channel-secret"  # LINE's test is refused by the relay
    assert main(["relay", "webhook", "--test-only"]) == 1
    assert main(["relay", "disconnect"]) == 0
    assert ("ShopLine", "relay-key") not in memory_keyring.entries


def test_secrets_appear_in_no_log_no_d1_row_and_no_file_the_app_writes(relay_env, data_dir, memory_keyring,
                                                                        monkeypatch):
    # Last in the file: by now the relay has logged every kind of request above.
    monkeypatch.delenv("SHOPLINE_RELAY_KEY")
    monkeypatch.delenv("SHOPLINE_RELAY_URL")
    monkeypatch.setattr(sys, "stdin", io.StringIO(relay_env.key))
    assert main(["relay", "connect", relay_env.url]) == 0
    assert relay_env.post_webhook([event("follow", uid(), 1_700_000_000_000)]) == 200
    assert relay_env.post_webhook([event("follow", uid(), 1)], signature="forged") == 401
    assert main(["inbox", "pull"]) == 0
    relay_env.api("GET", "/api/events?after=0", key="wrong-key-wrong-key")
    from shopline.store import close_store
    close_store()  # the WAL folded in, every byte on disk
    secrets_ = [relay_env.secret.encode(), relay_env.key.encode()]
    log = relay_env.log().encode()
    assert "Ready on" in relay_env.log()
    d1 = relay_env.d1_bytes()
    assert d1
    written = b"".join(p.read_bytes() for p in Path(data_dir).rglob("*") if p.is_file())
    for secret in secrets_:
        assert secret not in log
        assert secret not in d1
        assert secret not in written


# --- the automations the events feed --------------------------------------------------------------------


def _shop_now(minutes: int = 0) -> str:
    """`run-due --now` in the shop's time (Tokyo): the inbox stamps friends with the real clock."""
    import datetime as dt
    from zoneinfo import ZoneInfo

    return (dt.datetime.now(ZoneInfo("Asia/Tokyo")) + dt.timedelta(minutes=minutes)).strftime("%Y-%m-%d %H:%M")


def _scenario(name: str, trigger: dict, body: str) -> None:
    import datetime as dt

    from shopline.automations import scenarios

    scenarios.save({"name": name, "trigger": trigger, "steps": [{"after": "0m", "message": [
        {"type": "text", "text": body}]}]}, now=dt.datetime.now(dt.UTC) - dt.timedelta(days=3))


def _texts_to(fake, user: str) -> list[str]:
    return [m.get("text", "") for body in fake.multicasts if user in body["to"] for m in body["messages"]]


def test_a_follow_pulled_late_enters_friend_added_and_run_due_sends_the_welcome(relay_env, fake_line, monkeypatch):
    """The relay kept a follow from two days ago (the computer was off) and run-due already ran today before
    the pull: the friend is still new, and the welcome goes out once."""
    import time

    from automation_helpers import tokyo_shop
    from fake_line.server import TOKEN

    monkeypatch.setenv("SHOPLINE_CHANNEL_TOKEN", TOKEN)
    tokyo_shop()
    _scenario("ご挨拶", {"type": "friend_added"}, "ようこそ")
    assert main(["run-due", "--now", _shop_now()]) == 0  # the window's minute, before the pull
    user, old_member = uid(), uid()
    two_days_ago = int(time.time() * 1000) - 2 * 86_400_000
    assert relay_env.post_webhook([event("follow", user, two_days_ago),
                                   message(old_member, two_days_ago, "こんにちは")]) == 200  # met, never followed here
    assert main(["inbox", "pull"]) == 0
    assert friend(user).source == "webhook"
    assert main(["run-due", "--now", _shop_now(2)]) == 0
    assert _texts_to(fake_line, user) == ["ようこそ"]
    assert _texts_to(fake_line, old_member) == []  # a friend from before the relay is not a new friend
    assert main(["run-due", "--now", _shop_now(4)]) == 0
    assert _texts_to(fake_line, user) == ["ようこそ"]


def test_a_postback_tag_enters_tag_added_with_the_time_it_was_applied(relay_env, fake_line, monkeypatch):
    import time

    from automation_helpers import tokyo_shop
    from fake_line.server import TOKEN

    from shopline.store.models import FriendTag, Tag

    monkeypatch.setenv("SHOPLINE_CHANNEL_TOKEN", TOKEN)
    tokyo_shop("VIP")
    _scenario("VIP特典", {"type": "tag_added", "tag": "VIP"}, "VIP特典のご案内")
    assert main(["run-due", "--now", _shop_now()]) == 0
    user = uid()
    now = int(time.time() * 1000)
    assert relay_env.post_webhook([event("follow", user, now - 60_000), postback(user, now, "tag=VIP")]) == 200
    assert main(["inbox", "pull"]) == 0
    link = FriendTag.get((FriendTag.friend == friend(user).id) & (FriendTag.tag == Tag.get(Tag.name == "VIP").id))
    assert link.added_at is not None
    assert main(["run-due", "--now", _shop_now(2)]) == 0
    assert _texts_to(fake_line, user) == ["VIP特典のご案内"]
