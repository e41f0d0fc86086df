"""`shopline send`, `campaigns`, `resume`, `quota` and `estimate` against the fake LINE."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from delivery_helpers import TOKEN, exactly_once, shop

from shopline.cli import main
from shopline.store.campaign_models import Batch, Campaign


@pytest.fixture
def connected(store, fake_line, monkeypatch):
    monkeypatch.setenv("SHOPLINE_CHANNEL_TOKEN", TOKEN)
    return fake_line


def test_send_yes_sends_with_progress_and_lists(connected, capsys):
    expected = shop(1200)
    assert main(["send", "--segment", "VIP", "--text", "セールです", "--name", "春", "--yes"]) == 0
    out = capsys.readouterr().out
    assert "送信する人数: 1,200人" in out and "送信中 3/3 回, 1,200/1,200 人" in out
    assert "送信済み 1,200人" in out
    exactly_once(connected, expected)
    assert main(["campaigns"]) == 0
    listing = capsys.readouterr().out
    assert "完了\t1200\t1200\t0\t0\t春" in listing
    assert main(["campaigns", "春"]) == 0 and "全員に送信済み" in capsys.readouterr().out
    assert main(["resume", "春"]) == 1 and "すべて送信済み" in capsys.readouterr().err
    # The same name again: refused at once, before any estimate is printed or LINE is asked.
    asked = len(connected.requests)
    assert main(["send", "--segment", "VIP", "--text", "again", "--name", "春", "--yes"]) == 2
    captured = capsys.readouterr()
    assert "すでにあります" in captured.err and "送信する人数" not in captured.out
    assert len(connected.requests) == asked


def test_without_yes_asks_and_no_saves_nothing(connected, capsys, monkeypatch):
    shop(10)
    assert main(["send", "--segment", "VIP", "--text", "x", "--name", "春"]) == 1  # no terminal: no
    assert "--yes" in capsys.readouterr().err and Campaign.select().count() == 0
    monkeypatch.setattr("sys.stdin.isatty", lambda: True)
    monkeypatch.setattr("builtins.input", lambda q: "y")
    assert main(["send", "--segment", "VIP", "--text", "x", "--name", "春"]) == 0
    assert len(connected.delivered) == 10


def test_yes_still_refuses_past_the_plan(connected, capsys):
    shop(250)
    connected.quota = {"type": "limited", "value": 200}  # コミュニケーションプラン
    assert main(["send", "--segment", "VIP", "--text", "x", "--name", "春", "--yes"]) == 3
    captured = capsys.readouterr()
    assert "判定: 送信できません" in captured.out and "ライトプラン" in captured.err
    assert Campaign.select().count() == 0 and not connected.delivered


def test_message_file_draft_and_invalid(connected, capsys, tmp_path):
    shop(5)
    good = tmp_path / "draft.json"
    good.write_text(json.dumps({"version": 1, "bubbles": [{"type": "text", "text": "こんにちは"},
                                                          {"type": "sticker", "packageId": "446",
                                                           "stickerId": "1988"}]}), encoding="utf-8")
    assert main(["send", "--segment", "VIP", "--message", str(good), "--name", "A", "--yes"]) == 0
    assert len(connected.multicasts[0]["messages"]) == 2
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps([{"type": "image", "originalContentUrl": "http://x.jp/a.jpg",
                                "previewImageUrl": "https://x.jp/b.jpg"}]), encoding="utf-8")
    assert main(["send", "--segment", "VIP", "--message", str(bad), "--name", "B", "--yes"]) == 2
    assert "https://" in capsys.readouterr().err and Campaign.select().count() == 1


def test_resume_after_token_pause_and_stale_keys(connected, capsys):
    expected = shop(600)
    connected.fault(r"POST /v2/bot/message/multicast", status=401, body={"message": "Authentication failed"},
                    times=None)
    assert main(["send", "--segment", "VIP", "--text", "x", "--name", "春", "--yes"]) == 4
    err = capsys.readouterr().err
    assert "チャネルアクセストークンを確認してください" in err and "shopline resume 春" in err
    assert main(["campaigns"]) == 0 and "一時停止（トークン）" in capsys.readouterr().out
    connected.faults.clear()
    for b in Batch.select():  # tried more than a day ago: LINE has forgotten these keys
        b.first_attempt_at = dt.datetime(2020, 1, 1)
        b.save()
    assert main(["resume", "春"]) == 2
    assert "--accept-duplicates" in capsys.readouterr().err
    assert main(["resume", "春", "--accept-duplicates"]) == 0
    exactly_once(connected, expected)  # 401s delivered nothing, so fresh keys cost nothing here


def test_quota_and_estimate(connected, capsys):
    shop(4000)
    connected.quota, connected.total_usage = {"type": "limited", "value": 5000}, 1200
    assert main(["quota"]) == 0
    out = capsys.readouterr().out
    assert "プラン: ライトプラン" in out and "今月の送信数: 1,200" in out and "残り: 3,800" in out
    assert main(["--lang", "en", "estimate", "--segment", "VIP"]) == 3
    out = capsys.readouterr().out
    assert "Recipients: 4,000" in out and "Verdict: cannot be sent" in out and "Standard plan" in out
    connected.stop()  # offline: the last figures, with their time
    assert main(["--lang", "ja", "quota"]) == 0
    out = capsys.readouterr().out
    assert "今月の送信数: 1,200" in out and "オフライン" in out and "問い合わせできませんでした" in out
    assert main(["quota", "--plan", "jp_standard", "--offline"]) == 0
    assert "スタンダードプラン（選択）" in capsys.readouterr().out
    assert main(["quota", "--plan", "gold"]) == 2


def test_quota_never_checked_says_unknown_not_unlimited(store, capsys, monkeypatch):
    # No channel, no remembered figures, no plan: the shop must not read "no limit" and "¥0".
    monkeypatch.delenv("SHOPLINE_CHANNEL_TOKEN", raising=False)
    shop(10)
    assert main(["quota", "--offline"]) == 0
    out = capsys.readouterr().out
    assert "今月の上限: 不明" in out and "残り: 不明" in out and "上限なし" not in out
    assert main(["estimate", "--segment", "VIP", "--offline"]) == 0
    out = capsys.readouterr().out
    assert "送信後の残り: 不明" in out and "追加料金: 不明" in out and "¥0" not in out and "判定: 要確認" in out
