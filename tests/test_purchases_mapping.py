"""The import's preview and column mapping, as the window's dialog and `--map` use them: the aliases' guess, the
shop's choices laid over it, parsed first rows with their problems, and matched customers."""

from __future__ import annotations

import csv

import pytest

from shopline.cli import main
from shopline.core.purchase_values import ROLE_LABELS, ROLES, role_named
from shopline.csvio.errors import CsvUnusableError
from shopline.purchases.importer import import_purchases
from shopline.purchases.preview import preview_purchases
from shopline.store.models import Friend
from shopline.store.purchase_models import Purchase

UID = "U" + "b" * 32


def write(path, rows, encoding="utf-8-sig"):
    with open(path, "w", encoding=encoding, newline="") as f:
        csv.writer(f).writerows(rows)
    return path


def odd_export(tmp_path):
    # A register whose headers no alias knows: 伝票日 for the date, 税込 for the amount, 客 for the customer.
    return write(tmp_path / "odd.csv", [
        ["伝票日", "客", "商品名", "税込", "小計"],
        ["2024/3/1 10:00", UID, "あんぱん", "￥1,200", "999"],
        ["2024/3/2 11:00", "M7", "食パン", "400円", "999"],
        ["2024/3/40", UID, "あんぱん", "abc", "1"],
    ], "cp932")


def test_every_field_is_named_by_its_code_or_either_label():
    for role in ROLES:
        assert role_named(role) == role
        assert role_named(ROLE_LABELS[role].ja) == role
        assert role_named(ROLE_LABELS[role].en.upper()) == role
    assert role_named("会計") is None


def test_preview_of_unknown_headers_says_what_is_missing_and_reads_nothing(store, tmp_path):
    preview = preview_purchases(odd_export(tmp_path))
    assert preview.encoding == "cp932"
    assert preview.guessed == {"item": "商品名", "amount": "小計"}
    assert preview.missing == ["customer", "at"]
    assert preview.unusable is not None and "--key" in preview.unusable.ja
    assert [r.number for r in preview.rows] == [2, 3, 4] and not any(r.values for r in preview.rows)


def test_preview_with_the_shops_mapping_parses_rows_and_counts_friends(store, tmp_path):
    Friend.create(user_id=UID)
    preview = preview_purchases(odd_export(tmp_path), mapping={"日時": "伝票日", "amount": "税込"}, key="客")
    assert preview.unusable is None and preview.missing == []
    assert preview.mapping == {"at": "伝票日", "customer": "客", "item": "商品名", "amount": "税込"}
    assert preview.columns == {"伝票日": "at", "客": "customer", "商品名": "item", "税込": "amount", "小計": None}
    first, second, bad = preview.rows
    assert first.values == {"customer": UID, "at": "2024-03-01 10:00:00", "order_id": "", "item": "あんぱん",
                            "quantity": None, "amount": 1200, "store": ""}
    assert (first.matched, second.matched, bad.matched) == (True, False, None)
    assert [(p.row, p.column) for p in bad.problems] == [(4, "伝票日"), (4, "税込")]
    assert preview.problems == bad.problems
    assert (preview.matched, preview.unmatched) == (1, 1)
    assert Purchase.select().count() == 0


def test_a_field_mapped_to_nothing_is_not_read(store, tmp_path):
    path = write(tmp_path / "pos.csv", [["日時", "会員番号", "商品名", "金額"], ["2024/3/1", "M1", "あんぱん", "x"]])
    preview = preview_purchases(path, mapping={"amount": ""})
    assert "amount" not in preview.mapping and preview.rows[0].values["amount"] is None
    assert import_purchases(path, mapping={"amount": ""}).added == 1


def test_import_with_a_mapping_refuses_an_unknown_field_or_header(store, tmp_path):
    path = odd_export(tmp_path)
    with pytest.raises(CsvUnusableError, match="会計"):
        import_purchases(path, mapping={"会計": "税込"})
    with pytest.raises(CsvUnusableError, match="売上"):
        import_purchases(path, mapping={"at": "売上"})


def test_cli_map_reads_the_columns_the_shop_names(store, tmp_path, capsys):
    path = odd_export(tmp_path)
    assert main(["purchases", "import", str(path)]) == 2
    capsys.readouterr()
    assert main(["purchases", "import", str(path), "--map", "日時=伝票日", "--map", "customer=客",
                 "--map", "amount=税込"]) == 1  # the third row's date does not read
    assert sorted(Purchase.select(Purchase.amount).tuples()) == [(400,), (1200,)]
    capsys.readouterr()
    assert main(["purchases", "import", str(path), "--map", "伝票日"]) == 2
    assert "項目=見出し" in capsys.readouterr().err


def test_a_file_whose_headers_no_alias_knows_still_previews(store, tmp_path):
    path = write(tmp_path / "x.csv", [["a", "b"], ["2024/3/1", "M1"]])
    preview = preview_purchases(path)
    assert preview.mapping == {} and preview.missing == ["customer", "at"] and preview.unusable is not None
    assert preview_purchases(path, mapping={"at": "a", "customer": "b"}).rows[0].values["at"] == "2024-03-01 00:00:00"
