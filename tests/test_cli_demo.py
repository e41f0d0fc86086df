"""The demo shop never mixes with a real shop's data, and comes out exactly as it went in."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from shopline.cli import main
from shopline.demo import DemoRefused, demo_data, is_demo_shop, load_demo, remove_demo
from shopline.store import close_store, open_store
from shopline.store.models import Field, FieldValue, Friend, FriendTag, Tag
from shopline.store.tags import get_or_create_tags

ROOT = Path(__file__).resolve().parent.parent
REAL = "U" + "a" * 32


def _real_shop() -> None:
    friend = Friend.create(user_id=REAL, display_name="本物 さん", source="csv")
    [vip] = get_or_create_tags({"VIP"}).values()
    Tag.update(folder="自分の分類").where(Tag.id == vip).execute()
    FriendTag.create(friend=friend, tag=vip)


def test_demo_refuses_a_shop_with_friends_and_touches_nothing(store, capsys):
    _real_shop()
    with pytest.raises(DemoRefused):
        load_demo(50)
    assert main(["demo", "--friends", "50"]) == 2
    err = capsys.readouterr().err
    assert "--data-dir" in err and "Traceback" not in err
    assert Friend.select().count() == 1 and not is_demo_shop()
    assert Tag.get(Tag.name == "VIP").folder == "自分の分類"


def test_demo_leaves_a_shops_own_tags_alone(store):
    [vip] = get_or_create_tags({"VIP"}).values()  # made by the shop before it had friends
    Tag.update(folder="自分の分類").where(Tag.id == vip).execute()
    load_demo(300, seed=2)
    assert is_demo_shop() and Friend.select().count() == 300
    assert Tag.get(Tag.name == "VIP").folder == "自分の分類"
    assert not FriendTag.select().where(FriendTag.tag == vip).exists()  # no made-up friend joined it
    assert Tag.get(Tag.name == "常連").folder == "顧客"


def test_remove_demo_takes_out_exactly_the_demo(store):
    [own] = get_or_create_tags({"自分のタグ"}).values()
    load_demo(300, seed=2)
    demo_tags = Tag.select().count() - 1
    assert demo_tags > 50 and Field.select().count() == 3
    # The shop then adds a real friend, tagged with one of the demo's tags and with a demo field.
    real = Friend.create(user_id=REAL, display_name="本物", source="csv")
    jouren = Tag.get(Tag.name == "常連")
    FriendTag.create(friend=real, tag=jouren)
    FriendTag.create(friend=real, tag=own)
    rank = Field.get(Field.name == "会員ランク")
    FieldValue.create(friend=real, field=rank, text_value="ゴールド")
    planned = demo_data()
    gone = remove_demo()
    assert gone.friends == planned.friends == 300 and gone.tags == planned.tags
    assert gone.kept_tags == ["常連"] and len(gone.tags) == demo_tags - 1
    assert sorted(gone.fields) == ["最終来店日", "来店回数"]
    assert [f.user_id for f in Friend.select()] == [REAL]
    assert {t.name for t in Tag.select()} == {"自分のタグ", "常連"}
    assert {f.name for f in Field.select()} == {"会員ランク"}
    assert FriendTag.select().count() == 2 and FieldValue.select().count() == 1
    assert not is_demo_shop() and demo_data().empty


def test_cli_demo_remove_asks_first(store, capsys, monkeypatch):
    load_demo(100, seed=3)
    assert main(["demo", "--remove"]) == 1  # no terminal: the answer is no
    assert "--yes" in capsys.readouterr().err and Friend.select().count() == 100
    monkeypatch.setattr("sys.stdin.isatty", lambda: True)
    monkeypatch.setattr("builtins.input", lambda q: "y")
    assert main(["demo", "--remove"]) == 0
    assert "友だち100人" in capsys.readouterr().out and Friend.select().count() == 0
    assert main(["demo", "--remove", "--yes"]) == 0 and "ありません" in capsys.readouterr().out


def _shopline(home: Path, *argv: str, stdin: str = "") -> subprocess.CompletedProcess:
    env = {**os.environ, "SHOPLINE_HOME": str(home), "SHOPLINE_LANG": "ja"}
    env.pop("SHOPLINE_CHANNEL_TOKEN", None)
    return subprocess.run([sys.executable, "-m", "shopline", *argv], cwd=ROOT, env=env, input=stdin,
                          capture_output=True, text=True, timeout=120)


def test_import_and_connect_into_a_demo_shop_ask_first(data_dir, tmp_path):
    assert _shopline(data_dir, "demo", "--friends", "50").returncode == 0
    csv_path = tmp_path / "real.csv"
    csv_path.write_text(f"ユーザーID,表示名\n{REAL},本物\n", encoding="utf-8")
    refused = _shopline(data_dir, "import", str(csv_path))
    assert refused.returncode == 2 and "デモショップ" in refused.stderr and "--yes" in refused.stderr
    connect = _shopline(data_dir, "connect", stdin="token\n")
    assert connect.returncode == 2 and "デモショップ" in connect.stderr
    assert not _stored(data_dir, REAL)
    done = _shopline(data_dir, "import", "--yes", str(csv_path))
    assert done.returncode == 0, done.stderr
    assert _stored(data_dir, REAL)


def _stored(folder: Path, user_id: str) -> bool:
    open_store(folder)
    try:
        return Friend.select().where(Friend.user_id == user_id).exists()
    finally:
        close_store()
