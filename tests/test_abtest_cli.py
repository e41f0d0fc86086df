"""`shopline abtest create|send|status|send-winner|list` against the fake LINE."""

from __future__ import annotations

import json
from collections import Counter

import pytest
from delivery_helpers import TOKEN, shop

from shopline.cli import main
from shopline.core.drafts import from_line
from shopline.line import limits
from shopline.store.abtest_models import ABTest, Assignment
from shopline.store.campaign_models import Campaign
from shopline.store.templates import save_template


@pytest.fixture
def connected(store, fake_line, monkeypatch):
    monkeypatch.setenv("SHOPLINE_CHANNEL_TOKEN", TOKEN)
    limits.use_factory(None)
    yield fake_line
    limits.use_factory(None)


@pytest.fixture
def files(tmp_path):
    a = tmp_path / "a.json"
    a.write_text(json.dumps([{"type": "text", "text": "A案: 春のセール"}], ensure_ascii=False), encoding="utf-8")
    save_template("B案", from_line([{"type": "text", "text": "B案: 今だけ20%オフ"}]))
    return str(a), "template:B案"


def test_create_shows_the_groups_and_what_they_can_detect_and_sends_nothing(connected, files, capsys):
    shop(1000)
    assert main(["abtest", "create", "春", "--segment", "VIP", "--variant", files[0], "--variant", files[1],
                 "--test-share", "20", "--seed", "2024", "--usual-rate", "3"]) == 0
    out = capsys.readouterr().out
    assert "グループ: A 100人、B 100人、残り 800人は勝ちパターン用に取っておきます(乱数シード 2024)" in out
    assert "クリック率が 3% と" in out and "見分けられます" in out
    assert "shopline abtest send 春" in out
    assert connected.delivered == Counter() and Campaign.select().count() == 2
    assert main(["abtest", "list"]) == 0 and "春" in capsys.readouterr().out


def test_send_then_status_then_send_winner_reaches_everyone_once(connected, files, capsys):
    everyone = shop(600)
    assert main(["abtest", "create", "夏", "--segment", "VIP", "--variant", files[0], "--variant", files[1],
                 "--test-share", "50", "--seed", "9", "--metric", "open"]) == 0
    assert main(["abtest", "send", "夏"]) == 1  # no terminal, no --yes: asks, and the answer is no
    assert connected.delivered == Counter()
    capsys.readouterr()
    assert main(["abtest", "send", "夏", "--yes"]) == 0
    assert "送信済み 300人" in capsys.readouterr().out
    assert sum(connected.delivered.values()) == 300
    assert main(["abtest", "status", "夏"]) == 0
    out = capsys.readouterr().out
    assert "開封率で比較(テスト 50%、シード 9)" in out and "未取得" in out
    assert "残り300人" in out
    assert main(["abtest", "status", "夏", "--json"]) == 0
    row = json.loads(capsys.readouterr().out)
    assert [v["sent"] for v in row["variants"]] == [150, 150] and row["verdict"]["state"] == "unmeasurable"
    assert row["variants"][0]["successes"] is None and row["held_back"] == 300
    # No clear winner: the shop must choose, and nothing is frozen until it does.
    assert main(["abtest", "send-winner", "夏", "--yes"]) == 1
    assert "まだ勝ちパターンが決まっていません" in capsys.readouterr().err
    assert ABTest.get().winner_campaign is None
    assert main(["abtest", "send-winner", "夏", "--variant", "B", "--yes"]) == 0
    assert "送信済み 300人" in capsys.readouterr().out
    assert connected.delivered == Counter({u: 1 for u in everyone})
    assert main(["abtest", "status", "夏"]) == 0
    assert "Bを送っています(「夏 残り(B)」、done)" in capsys.readouterr().out
    assert main(["abtest", "send-winner", "夏", "--yes"]) == 1  # sent in full: nothing again
    assert connected.delivered == Counter({u: 1 for u in everyone})
    held = {a.friend_id for a in Assignment.select().where(Assignment.key.is_null())}
    assert len(held) == 300


def test_mistakes_are_sentences(connected, files, capsys):
    shop(10)
    assert main(["abtest", "create", "x", "--segment", "VIP", "--variant", files[0]]) == 1
    assert "2〜4個" in capsys.readouterr().err
    assert main(["abtest", "status", "ない"]) == 1
    assert "A/Bテストはありません" in capsys.readouterr().err
    assert main(["abtest", "create", "y", "--segment", "VIP", "--variant", files[0], "--variant", "nope.json"]) == 2
    assert "nope.json を読めません" in capsys.readouterr().err
