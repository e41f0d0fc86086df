"""`shopline count`, `shopline tag` and `shopline segments`, through the real entry point."""

from __future__ import annotations

import pytest

from shopline import cli
from shopline.store.models import Friend, FriendTag, Tag


@pytest.fixture
def shop(store, monkeypatch):
    # Only the commands under test: the others' modules may be mid-edit in a shared tree.
    monkeypatch.setattr(cli, "COMMAND_MODULES", ["shopline.cli.cmd_count", "shopline.cli.cmd_tag",
                                                 "shopline.cli.cmd_segments"])
    vip, regular = Tag.create(name="VIP"), Tag.create(name="常連")
    for n, tags in enumerate([[vip, regular], [vip], [regular], []]):
        friend = Friend.create(user_id=f"U{n:032x}", gender="female" if n % 2 else "male")
        for tag in tags:
            FriendTag.create(friend=friend, tag=tag)
    return store


def run(shop, capsys, *argv):
    code = cli.main(["--data-dir", str(shop), *argv])
    out, err = capsys.readouterr()
    return code, out, err


def test_count_prints_one_line_per_expression(shop, capsys):
    assert run(shop, capsys, "count", "VIP", "VIP AND 常連", "NOT VIP", "gender = 女性") == (0, "2\n1\n2\n2\n", "")


def test_count_errors_exit_non_zero(shop, capsys):
    code, out, err = run(shop, capsys, "count", "VIP", "(VIP OR 常連) AND b)")
    assert (code, out) == (2, "")
    assert err == "')' が多すぎます (18文字目)\n"
    code, out, err = run(shop, capsys, "--lang", "en", "count", "VIPP")
    assert (code, out, err) == (2, "", "There is no tag \"VIPP\". Did you mean \"VIP\"?\n")


def test_tag_add_and_remove(shop, capsys):
    added = run(shop, capsys, "tag", "VIP OR 常連", "--add", "お得意様")
    assert added == (0, "3人にタグ「お得意様」を付けました。\n", "")
    assert run(shop, capsys, "tag", "常連", "--add", "お得意様")[1] == "0人にタグ「お得意様」を付けました。\n"
    assert run(shop, capsys, "count", "お得意様")[1] == "3\n"
    assert run(shop, capsys, "tag", "NOT VIP", "--remove", "お得意様")[1] == "1人からタグ「お得意様」を外しました。\n"
    assert run(shop, capsys, "count", "お得意様")[1] == "2\n"
    code, out, err = run(shop, capsys, "tag", "VIP", "--remove", "ない")
    assert (code, out, err) == (2, "", "タグ「ない」はありません。\n")
    assert run(shop, capsys, "tag", "VIP", "--add", "bad!")[0] == 2


def test_segments_save_list_show_delete(shop, capsys):
    assert run(shop, capsys, "segments", "list") == (0, "保存したセグメントはまだありません。\n", "")
    code, out, _ = run(shop, capsys, "segments", "save", "常連さん", "常連 and not ＶＩＰ")
    assert (code, out) == (0, "セグメント「常連さん」を保存しました: 常連 AND NOT VIP\n")
    replaced = run(shop, capsys, "segments", "save", "常連さん", "常連")[1]
    assert replaced == "セグメント「常連さん」を上書きしました: 常連\n"
    assert run(shop, capsys, "segments", "save", "女性VIP", "VIP AND gender = 女性")[0] == 0
    assert run(shop, capsys, "segments", "list")[1] == "女性VIP\tVIP AND gender = female\n常連さん\t常連\n"
    assert run(shop, capsys, "segments", "show", "女性VIP")[1] == "VIP AND gender = female\n1人\n"
    code, out, err = run(shop, capsys, "segments", "show", "女性vip")
    assert (code, err) == (2, "セグメント「女性vip」はありません。「女性VIP」ですか?\n")
    assert run(shop, capsys, "segments", "save", "x", "VIPP")[0] == 2
    assert run(shop, capsys, "segments", "delete", "常連さん")[1] == "セグメント「常連さん」を削除しました。\n"
    assert run(shop, capsys, "segments", "list")[1] == "女性VIP\tVIP AND gender = female\n"


def test_export_only_the_segment(shop, capsys, monkeypatch):
    monkeypatch.setattr(cli, "COMMAND_MODULES", ["shopline.cli.cmd_export"])
    target = shop / "vip.csv"
    code, out, _ = run(shop, capsys, "export", str(target), "--segment", "VIP AND NOT 常連")
    assert code == 0
    lines = target.read_text(encoding="utf-8-sig").splitlines()
    assert len(lines) == 2 and lines[1].startswith(f"U{1:032x}")
    code, _, err = run(shop, capsys, "export", str(shop / "typo.csv"), "--segment", "VIPP")
    assert code == 2 and "「VIP」ですか" in err and not (shop / "typo.csv").exists()


def test_a_prefecture_typed_as_a_tag_suggests_the_region_condition(shop, capsys):
    code, out, err = run(shop, capsys, "count", "(東京都 OR 大阪) AND NOT VIP")
    assert code == 2 and err == "タグ「東京都」はありません。「region = 東京都」ですか?\n"
