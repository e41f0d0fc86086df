import pytest

from shopline.cli import main
from shopline.core.segments import parse
from shopline.core.tags import TagNameError
from shopline.store import close_store, open_store
from shopline.store import tags as T
from shopline.store.models import Friend, FriendTag, Tag
from shopline.store.segment_sql import count


def _friends(n):
    return [Friend.create(user_id=f"U{i:032x}").id for i in range(n)]


def test_create_folds_and_refuses_duplicates(store):
    tag = T.create_tag("ＶＩＰ", folder="顧客")
    assert (tag.name, tag.folder) == ("VIP", "顧客")
    with pytest.raises(T.TagExists):
        T.create_tag(" VIP")
    with pytest.raises(TagNameError):
        T.create_tag("VIP🎉")


def test_tagging_counts_only_changes(store):
    ids = _friends(4)
    vip = T.create_tag("VIP")
    assert T.tag_friends(ids[:2], vip.id) == 2
    assert T.tag_friends(ids, vip.id) == 2
    assert T.untag_friends(ids[:3], vip.id) == 3
    assert T.friend_count(vip) == 1


def test_rename_onto_existing_asks_then_merges_without_duplicates(store):
    ids = _friends(5)
    a, b = T.create_tag("常連"), T.create_tag("VIP")
    T.tag_friends(ids[:3], a.id)
    T.tag_friends(ids[2:], b.id)
    with pytest.raises(T.MergeNeeded) as need:
        T.rename_tag(a, "ＶＩＰ")
    assert need.value.affected == 3 and "まとめますか" in str(need.value)
    assert Tag.select().count() == 2  # nothing changed before the confirmation
    survivor = T.rename_tag(a, "VIP", merge=True)
    assert survivor.id == b.id
    assert T.friend_count(survivor) == 5
    assert [t.name for t in Tag.select()] == ["VIP"]


def test_delete_keeps_friends(store):
    ids = _friends(3)
    tag = T.create_tag("休眠")
    T.tag_friends(ids, tag.id)
    assert T.delete_tag(tag) == 3
    assert Friend.select().count() == 3 and FriendTag.select().count() == 0


def test_folders(store):
    a = T.create_tag("購入_パン", folder="商品")
    T.create_tag("VIP")
    assert T.folders() == ["商品"]
    assert T.rename_folder("商品", "メニュー") == 1
    T.set_folder(Tag.get_by_id(a.id), "")
    assert T.folders() == []


def test_get_or_create_tags(store):
    T.create_tag("VIP")
    ids = T.get_or_create_tags(["VIP", "新規", "新規"])
    assert set(ids) == {"VIP", "新規"} and Tag.select().count() == 2


def test_cli_tags_round(data_dir, capsys):
    assert main(["--data-dir", str(data_dir), "tags", "add", "ＶＩＰ", "--folder", "顧客"]) == 0
    assert main(["--data-dir", str(data_dir), "tags", "add", "常連"]) == 0
    assert main(["--data-dir", str(data_dir), "tags", "add", "bad🎉"]) == 2
    capsys.readouterr()
    assert main(["--data-dir", str(data_dir), "tags"]) == 0
    assert capsys.readouterr().out.splitlines() == ["tag\tfollowing\tall", "常連\t0\t0", "顧客/VIP\t0\t0"]
    # No terminal to confirm on: a merge is refused unless --yes.
    assert main(["--data-dir", str(data_dir), "tags", "rename", "常連", "VIP"]) == 1
    assert main(["--data-dir", str(data_dir), "tags", "rename", "常連", "VIP", "--yes"]) == 0
    assert main(["--data-dir", str(data_dir), "tags", "delete", "VIP", "--yes"]) == 0
    assert main(["--data-dir", str(data_dir), "tags", "delete", "VIP", "--yes"]) == 2
    assert "ありません" in capsys.readouterr().err


def _vip_shop() -> None:
    """VIP on 31 friends of whom 12 follow (the rest blocked or gone), 常連 on 2 following friends."""
    vip, regular = T.create_tag("VIP"), T.create_tag("常連")
    ids = [Friend.create(user_id=f"U{i:032x}", status="following" if i < 12 else ("blocked", "unfollowed")[i % 2]).id
           for i in range(31)]
    T.tag_friends(ids, vip.id)
    T.tag_friends(ids[:2], regular.id)
    T.create_tag("空")


def test_tag_counts_say_following_and_all_as_count_does(store):
    _vip_shop()
    got = {c.tag.name: (c.following, c.friends) for c in T.tag_counts()}
    assert got == {"VIP": (12, 31), "常連": (2, 2), "空": (0, 0)}
    for name, (following, _all) in got.items():
        assert count(parse(f'"{name}"')) == following


def test_cli_tags_columns_agree_with_count(data_dir, capsys):
    open_store(data_dir)
    _vip_shop()
    close_store()
    assert main(["--data-dir", str(data_dir), "tags"]) == 0
    assert capsys.readouterr().out.splitlines() == ["tag\tfollowing\tall", "VIP\t12\t31", "常連\t2\t2", "空\t0\t0"]
    assert main(["--data-dir", str(data_dir), "count", "VIP"]) == 0
    assert capsys.readouterr().out.split() == ["12"]
