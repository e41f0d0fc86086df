"""Friend search folds both sides: what the shop types and what is stored."""

from __future__ import annotations

from shopline.store import db, friends
from shopline.store.models import Friend
from shopline.store.sqlite import update_rows

UID = "U" + "a" * 32


def _names(search: str) -> set[str]:
    ids = friends.friend_ids(search, order="id")
    return {r.display_name for r in friends.rows(ids).values()}


def test_half_width_search_finds_full_width_name(store):
    Friend.create(user_id=UID, display_name="ＡＢ商店", memo="")
    Friend.create(user_id="U" + "b" * 32, display_name="ｶﾌｪ 山田", memo="")
    Friend.create(user_id="U" + "c" * 32, display_name="佐藤", memo="Ｖｉｐ のお客様")
    assert _names("AB") == {"ＡＢ商店"}
    assert _names("ab") == {"ＡＢ商店"}
    assert _names("カフェ") == {"ｶﾌｪ 山田"}
    assert _names("vip") == {"佐藤"}
    assert _names("ＶＩＰ") == {"佐藤"}


def test_edits_and_bulk_upserts_keep_the_search_right(store):
    friend = Friend.create(user_id=UID, display_name="山田")
    assert _names("ＡＢ") == set()
    friend.display_name = "ＡＢ"
    friend.save()
    assert _names("ab") == {"ＡＢ"}
    update_rows(db, "friend", ["display_name"], "user_id", [("ｼｮｯﾌﾟ", UID)])  # the CSV import's raw path
    assert _names("ショップ") == {"ｼｮｯﾌﾟ"}
    assert _names("ab") == set()


def test_a_word_never_spans_two_columns(store):
    Friend.create(user_id=UID, display_name="ab", memo="cd")
    assert _names("abcd") == set()
    assert _names("ab cd") == {"ab"}
    assert _names("100%") == set()


def test_an_import_folds_the_friends_it_adds_and_updates(store, tmp_path):
    from shopline.csvio.importer import import_csv

    Friend.create(user_id=UID, display_name="山田")
    triggers = "SELECT name FROM sqlite_master WHERE type = 'trigger' ORDER BY name"
    before = db.execute_sql(triggers).fetchall()
    path = tmp_path / "f.csv"
    path.write_text("ユーザーID,表示名\n" + f"{UID},ＣＤ山田\n"
                    + "".join(f"U{i:032x},ＡＢ{i}\n" for i in range(1, 6)), encoding="utf-8")
    import_csv(path)
    assert _names("ab3") == {"ＡＢ3"}
    assert _names("cd") == {"ＣＤ山田"}
    assert db.execute_sql(triggers).fetchall() == before  # the bulk import put back every trigger it set aside
