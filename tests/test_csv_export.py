"""CSV export: Japanese headers, custom fields, CP932 refusal, and export -> import reproducing the shop."""

from __future__ import annotations

import csv

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from shopline import cli
from shopline.csvio.errors import ExportEncodingError
from shopline.csvio.exporter import export_csv
from shopline.csvio.importer import import_csv
from shopline.store import close_store, db, open_store
from shopline.store.models import Field, FieldValue, Friend, FriendTag, Tag


def uid(n: int) -> str:
    return f"U{n:032x}"


def write(path, rows, encoding="utf-8-sig"):
    with open(path, "w", encoding=encoding, newline="") as f:
        csv.writer(f).writerows(rows)
    return path


def snapshot():
    """The shop as a user sees it, keyed by user ID (database ids may differ between folders)."""
    friends = {f.user_id: (f.display_name, f.picture_url, f.language, f.gender, f.birthday, f.region,
                           f.followed_at, f.status, f.memo) for f in Friend.select()}
    tags = sorted((f, t) for f, t in FriendTag.select(Friend.user_id, Tag.name).join(Friend)
                  .switch(FriendTag).join(Tag).tuples())
    values = sorted(FieldValue.select(Friend.user_id, Field.name, FieldValue.text_value, FieldValue.num_value)
                    .join(Friend).switch(FieldValue).join(Field).tuples())
    return friends, tags, sorted(t.name for t in Tag.select()), values


SHOP = [
    ["ユーザーID", "表示名", "性別", "誕生日", "地域", "友だち追加日", "状態", "タグ", "メモ",
     "来店回数", "最終来店日", "好み"],
    [uid(1), "さくら🌸", "女性", "1990/3/15", "東京", "2024-01-05", "友だち", "VIP;常連", "行1\n行2, \"引用\"", "12",
     "2024/5/1", "甘め"],
    [uid(2), " Ken ", "男性", "", "", "", "ブロック", "", "", "1,200", "", ""],
    [uid(3), "", "", "", "北海道", "", "", "新規", "", "", "2024-06-30", "辛口"],
]


@pytest.fixture
def shop(store, tmp_path):
    assert import_csv(write(tmp_path / "shop.csv", SHOP)).exit_code == 0
    Friend.update(picture_url="https://example.com/p.png", language="ja", status="unfollowed").where(
        Friend.user_id == uid(3)).execute()
    Tag.create(name="未使用")  # a tag on nobody is not exported: export is of friends
    return store


def test_headers_bom_crlf_and_cells(shop, tmp_path):
    report = export_csv(tmp_path / "out.csv")
    raw = (tmp_path / "out.csv").read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf") and b"\r\n" in raw
    with open(tmp_path / "out.csv", encoding="utf-8-sig", newline="") as f:
        rows = list(csv.reader(f))
    assert rows[0] == ["ユーザーID", "表示名", "性別", "誕生日", "地域", "友だち追加日", "状態", "タグ", "メモ",
                       "プロフィール画像", "言語", "来店回数", "最終来店日", "好み"]
    assert rows[1] == [uid(1), "さくら🌸", "女性", "1990-03-15", "東京都", "2024-01-05", "友だち", "VIP;常連",
                       "行1\n行2, \"引用\"", "", "", "12", "2024-05-01", "甘め"]
    assert rows[3][6] == "友だち解除" and rows[3][9:11] == ["https://example.com/p.png", "ja"]
    assert (report.rows, report.fields) == (3, ["来店回数", "最終来店日", "好み"])


def test_export_then_import_into_an_empty_folder_reproduces_the_shop(shop, tmp_path):
    before = snapshot()
    export_csv(tmp_path / "out.csv")
    close_store()
    open_store(tmp_path / "other")
    report = import_csv(tmp_path / "out.csv")
    assert report.exit_code == 0 and report.created == 3
    friends, links, tag_names, values = snapshot()
    assert (friends, links, values) == (before[0], before[1], before[3])
    assert set(tag_names) == set(before[2]) - {"未使用"}
    assert {f.name: f.kind for f in Field.select()} == {"来店回数": "number", "最終来店日": "date", "好み": "text"}


def test_reimporting_an_export_into_the_same_shop_changes_nothing(shop, tmp_path):
    export_csv(tmp_path / "out.csv")
    before = {t: db.execute_sql(f'SELECT * FROM "{t}" ORDER BY 1, 2').fetchall()
              for t in ("friend", "friend_tag", "field_value")}
    report = import_csv(tmp_path / "out.csv")
    assert (report.created, report.updated) == (0, 0)
    assert before == {t: db.execute_sql(f'SELECT * FROM "{t}" ORDER BY 1, 2').fetchall()
                      for t in ("friend", "friend_tag", "field_value")}


def test_cp932_refuses_emoji_and_lists_where(shop, tmp_path):
    target = tmp_path / "out.csv"
    target.write_text("older export", encoding="utf-8")
    with pytest.raises(ExportEncodingError) as caught:
        export_csv(target, encoding="cp932")
    assert [(p.row, p.user_id, p.column, p.chars) for p in caught.value.problems] == [(2, uid(1), "表示名", "🌸")]
    assert "2行目" in caught.value.text.ja and "utf-8-sig" in caught.value.text.ja
    assert "UTF-8" in caught.value.text.en
    assert target.read_text(encoding="utf-8") == "older export"  # an earlier file is never half-overwritten
    assert [p.name for p in tmp_path.iterdir() if p.name.endswith(".part")] == []


def test_cp932_round_trip_without_emoji(shop, tmp_path):
    Friend.update(display_name="さくら").where(Friend.user_id == uid(1)).execute()
    before = snapshot()
    report = export_csv(tmp_path / "sjis.csv", encoding="cp932")
    assert report.encoding == "cp932"
    assert (tmp_path / "sjis.csv").read_bytes().decode("cp932").startswith("ユーザーID,")
    close_store()
    open_store(tmp_path / "other")
    assert import_csv(tmp_path / "sjis.csv").encoding == "cp932"
    assert snapshot()[0] == before[0]


def test_friend_ids_query_selects_a_segment(shop, tmp_path):
    report = export_csv(tmp_path / "vip.csv", friend_ids=Friend.select(Friend.id).join(FriendTag).join(Tag)
                        .where(Tag.name == "VIP"))
    assert report.rows == 1
    with open(tmp_path / "vip.csv", encoding="utf-8-sig", newline="") as f:
        assert [r[0] for r in csv.reader(f)] == ["ユーザーID", uid(1)]


def test_empty_shop_exports_a_header(store, tmp_path):
    assert export_csv(tmp_path / "e.csv").rows == 0
    assert (tmp_path / "e.csv").read_text(encoding="utf-8-sig").startswith("ユーザーID,表示名")


def test_cli_export_default_path_and_cp932_failure(shop, monkeypatch, capsys):
    monkeypatch.setattr(cli, "COMMAND_MODULES", ["shopline.cli.cmd_import", "shopline.cli.cmd_export"])
    assert cli.main(["--data-dir", str(shop), "export"]) == 0
    written = list((shop / "exports").glob("friends-*.csv"))
    assert len(written) == 1 and "3人" in capsys.readouterr().out
    assert cli.main(["--data-dir", str(shop), "export", str(shop / "x.csv"), "--encoding", "cp932"]) == 2
    assert "🌸" in capsys.readouterr().err and not (shop / "x.csv").exists()



# Any text a cell can hold (no NUL, which no CSV carries, and not only white space, which reads as blank).
CELL_TEXT = st.text(st.characters(blacklist_categories=("Cs",), blacklist_characters="\x00"), min_size=1).filter(
    lambda s: s.strip())


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(names=st.lists(CELL_TEXT, min_size=1, max_size=4), memos=st.lists(CELL_TEXT, min_size=4, max_size=4))
def test_any_text_survives_export_and_import(store, tmp_path, names, memos):
    Friend.delete().execute()
    for i, name in enumerate(names):
        Friend.create(user_id=uid(i), display_name=name, memo=memos[i])
    expected = sorted(Friend.select(Friend.user_id, Friend.display_name, Friend.memo).tuples())
    export_csv(tmp_path / "any.csv")
    Friend.delete().execute()
    assert import_csv(tmp_path / "any.csv").exit_code == 0
    assert sorted(Friend.select(Friend.user_id, Friend.display_name, Friend.memo).tuples()) == expected
