"""sync_friends(): followers and profiles from the fake LINE into the store."""

from __future__ import annotations

import threading

import pytest

from shopline import cli, sync
from shopline.line.retry import RetryPolicy
from shopline.store import db
from shopline.store.models import Friend, FriendTag, Setting, Tag

FAST = RetryPolicy(attempts=3, base_delay=0.01)


def run_sync(fake, **kwargs):
    return sync.sync_friends(fake.token, retry=FAST, **kwargs)


def statuses() -> dict[str, str]:
    return dict(Friend.select(Friend.user_id, Friend.status).tuples())


def test_first_sync_adds_followers(store, fake_line):
    ids = fake_line.add_followers(1234)
    report = run_sync(fake_line)
    assert (report.followers, report.added, report.updated, report.failed) == (1234, 1234, 0, 0)
    friend = Friend.get(Friend.user_id == ids[0])
    assert (friend.display_name, friend.language, friend.status, friend.source) == (
        "友だち0",
        "ja",
        "following",
        "sync",
    )
    assert friend.picture_url == "https://profile.line-scdn.net/p0"
    odd = Friend.get(Friend.user_id == ids[1])
    assert (odd.picture_url, odd.language) == (None, None)
    assert Setting.get_by_id(sync.LAST_SYNC_KEY).value
    assert len(fake_line.requests_to("/v2/bot/profile/")) == 1234


def test_resync_updates_and_never_deletes(store, fake_line):
    ids = fake_line.add_followers(5)
    run_sync(fake_line)
    vip = Tag.create(name="VIP")
    FriendTag.create(friend=Friend.get(Friend.user_id == ids[4]), tag=vip)
    Friend.create(user_id="U" + "d" * 32, display_name="デモ", source="demo")
    Friend.create(user_id="U" + "c" * 32, display_name="CSVの人", source="csv")
    fake_line.profiles[ids[0]] |= {"displayName": "新しい名前", "language": "en"}
    fake_line.followers.remove(ids[4])  # unfollowed (or blocked: LINE leaves both out)
    fake_line.blocked.add(ids[3])  # still listed, but the profile answers 404
    report = run_sync(fake_line)
    assert (report.added, report.updated, report.blocked, report.unfollowed) == (0, 2, 1, 2)
    assert Friend.get(Friend.user_id == ids[0]).display_name == "新しい名前"
    now = statuses()
    assert now[ids[3]] == "blocked" and now[ids[4]] == "unfollowed"
    assert now["U" + "c" * 32] == "unfollowed" and now["U" + "d" * 32] == "following"
    assert FriendTag.select().count() == 1  # the unfollowed friend keeps its tag
    fake_line.followers.append(ids[4])
    fake_line.blocked.clear()
    run_sync(fake_line)
    assert statuses()[ids[4]] == statuses()[ids[3]] == "following"


def test_followers_403_explains_lines_rule(store, fake_line):
    Friend.create(user_id="U" + "a" * 32, source="csv")
    fake_line.followers_forbidden = True
    with pytest.raises(sync.FollowersUnavailable) as caught:
        run_sync(fake_line)
    text = caught.value.text
    assert "認証済アカウントとプレミアムアカウント" in text.ja and "CSV" in text.ja and "Webhook" in text.ja
    assert "verified and premium" in text.en
    assert statuses() == {"U" + "a" * 32: "following"}  # nothing marked unfollowed


def test_transient_errors_retried_persistent_ones_counted(store, fake_line):
    ids = fake_line.add_followers(20)
    fake_line.fault(r"GET /v2/bot/followers/ids", status=500, times=1)
    fake_line.fault(r"/v2/bot/profile/", status=503, times=3)
    fake_line.fault(r"/v2/bot/profile/", drop=True, times=2)
    fake_line.fault(rf"/v2/bot/profile/{ids[7]}", status=500, times=None)
    report = run_sync(fake_line)
    assert (report.added, report.failed) == (20, 1)
    broken = Friend.get(Friend.user_id == ids[7])
    assert (broken.status, broken.display_name) == ("following", "")  # kept, named next time
    assert len(fake_line.requests_to(f"/v2/bot/profile/{ids[7]}")) == FAST.attempts


def test_auth_failure_stops_the_sync(store, fake_line):
    fake_line.add_followers(3)
    with pytest.raises(sync.LineError) as caught:
        sync.sync_friends("another-token", retry=FAST)
    assert caught.value.status == 401
    assert Friend.select().count() == 0


def test_progress_throttled_and_cancel(store, fake_line, monkeypatch):
    fake_line.add_followers(300)
    fake_line.fault(r"/v2/bot/profile/", delay=0.01, times=None)
    calls = []
    stop = threading.Event()

    def progress(done, total):
        calls.append((done, total))
        if done >= 50:
            stop.set()

    monkeypatch.setattr(sync, "PROGRESS_INTERVAL", 0.05)
    report = run_sync(fake_line, progress=progress, cancelled=stop.is_set, workers=4)
    assert report.cancelled
    assert calls[0] == (0, 0)
    assert len(calls) < 40
    written = Friend.select().count()
    assert 50 <= written < 300  # what was fetched is kept
    assert len(fake_line.requests_to("/v2/bot/profile/")) < 300
    assert sync.LAST_SYNC_KEY not in {s.key for s in Setting.select()}


def test_progress_reaches_total(store, fake_line):
    fake_line.add_followers(40)
    calls = []
    run_sync(fake_line, progress=lambda d, t: calls.append((d, t)))
    assert calls[-1] == (40, 40)
    assert all(t in (0, 40) for _, t in calls)


def test_only_the_calling_thread_writes(store, fake_line, monkeypatch):
    fake_line.add_followers(600)
    writers = set()
    real_execute = db.obj.execute_sql

    def spy(sql, *args, **kwargs):
        if not sql.lstrip().upper().startswith("SELECT"):
            writers.add(threading.get_ident())
        return real_execute(sql, *args, **kwargs)

    monkeypatch.setattr(db.obj, "execute_sql", spy)
    run_sync(fake_line)
    assert writers == {threading.get_ident()}


def test_cli_sync(store, fake_line, monkeypatch, capsys, memory_keyring):
    monkeypatch.setattr(cli, "COMMAND_MODULES", ["shopline.cli.cmd_connect", "shopline.cli.cmd_sync"])
    fake_line.add_followers(3)
    assert cli.main(["sync"]) == 2
    assert "接続されていません" in capsys.readouterr().err
    monkeypatch.setenv("SHOPLINE_CHANNEL_TOKEN", fake_line.token)
    assert cli.main(["sync"]) == 0
    assert "友だち 3人: 追加 3" in capsys.readouterr().out
    assert Friend.select().count() == 3
