"""Importing purchase and visit exports: header aliases, matching, the member number arriving later, idempotence,
refused rows and the errors CSV, exit codes, and the export the shop takes with it."""

from __future__ import annotations

import csv
import datetime as dt

import pytest

from shopline.cli import main
from shopline.core.purchase_values import HEADER_ALIASES, guess_role, parse_when, parse_yen
from shopline.core.segments import parse
from shopline.purchases import link
from shopline.purchases.importer import import_purchases
from shopline.purchases.listing import purchases
from shopline.purchases.preview import preview_purchases
from shopline.store.friend_edit import Edit, edit_friend
from shopline.store.models import Field, FieldValue, Friend
from shopline.store.purchase_models import Purchase, PurchaseRfm
from shopline.store.segment_sql import reference_count

UID = "U" + "a" * 32


def write(path, rows, encoding="utf-8-sig"):
    with open(path, "w", encoding=encoding, newline="") as f:
        csv.writer(f).writerows(rows)
    return path


@pytest.mark.parametrize(("role", "alias"), [(r, a) for r, aliases in HEADER_ALIASES.items() for a in aliases])
def test_every_header_alias_names_its_role(role, alias):
    assert guess_role(alias) == role
    assert guess_role(f" {alias.upper()} ") == role


@pytest.mark.parametrize(("raw", "expected"), [
    ("2024/03/15 14:05", "2024-03-15 14:05:00"), ("2024-03-15T14:05:09", "2024-03-15 14:05:09"),
    ("2024年3月15日 14時05分", "2024-03-15 14:05:00"), ("２０２４/３/１５", "2024-03-15 00:00:00"),
    ("20240315", "2024-03-15 00:00:00"), ("2024-03-15 14:05:09+09:00", "2024-03-15 14:05:09"),
])
def test_dates_registers_write(raw, expected):
    assert parse_when(raw) == expected


@pytest.mark.parametrize(("raw", "yen"), [("¥1,200", 1200), ("￥1,200", 1200), ("1,200円", 1200), ("-300", -300),
                                          ("¥-300", -300), ("1200.4", 1200), ("", None)])
def test_amounts_with_yen_signs_and_commas(raw, yen):
    assert parse_yen(raw) == yen


@pytest.mark.parametrize("encoding", ["utf-8-sig", "utf-8", "cp932"])
def test_register_export_in_japanese_headers_and_any_encoding(store, tmp_path, encoding):
    friend = Friend.create(user_id=UID)
    path = write(tmp_path / "pos.csv", [
        ["注文日", "注文番号", "ユーザーID", "商品名", "数量", "小計", "店舗"],
        ["2024/03/15 14:05", "A1", UID, "ｱﾝﾊﾟﾝ", "2", "￥1,200", "本店"],
        ["2024/03/15 14:05", "A1", UID, "食パン", "1", "400円", "本店"],
    ], encoding)
    assert preview_purchases(path).mapping == {"at": "注文日", "order_id": "注文番号", "customer": "ユーザーID",
                                               "item": "商品名", "quantity": "数量", "amount": "小計", "store": "店舗"}
    report = import_purchases(path)
    assert (report.added, report.exit_code, report.changes.purchases, report.changes.friends) == (2, 0, True, True)
    rows = list(purchases(friend=friend.id))
    assert [(r.item, r.quantity, r.amount, r.store) for r in rows] == [("アンパン", 2, 1200, "本店"),
                                                                      ("食パン", 1, 400, "本店")]
    assert rows[0].at == dt.datetime(2024, 3, 15, 14, 5)


def test_importing_the_same_file_twice_adds_nothing(store, tmp_path):
    Friend.create(user_id=UID)
    path = write(tmp_path / "ec.csv", [
        ["order_date", "order_id", "user_id", "item", "qty", "total"],
        ["2024-03-15", "A1", UID, "あんぱん", "1", "200"],
        ["2024-03-15", "A1", UID, "あんぱん", "1", "200"],  # the same item twice in one order: two lines
        ["2024-03-16", "", UID, "", "", ""],  # a visit, deduplicated as a whole row
    ])
    first = import_purchases(path)
    second = import_purchases(path)
    assert (first.added, first.already) == (3, 0)
    assert (second.added, second.already, second.changes.purchases) == (0, 3, False)
    assert Purchase.select().count() == 3


def test_member_number_that_arrives_after_the_purchases_attaches_them(store, tmp_path):
    member = Field.create(name="会員番号", kind="text")
    friend = Friend.create(user_id=UID)
    link.set_member_field("会員番号")
    path = write(tmp_path / "pos.csv", [["日時", "会員番号", "金額"], ["2024/3/1 10:00", "M-001", "500"],
                                        ["2024/3/2 10:00", "M-001", "700"], ["2024/3/2 11:00", "M-002", "100"]])
    report = import_purchases(path)
    assert (report.added, report.unmatched_rows, report.unmatched_customers, report.unmatched) == (3, 3, 2,
                                                                                                 ["M-001", "M-002"])
    assert "未連携" in report.summary().ja and report.changes.friends is False
    assert reference_count(parse("purchases >= 1"), dt.date(2024, 4, 1)) == 0
    edit_friend(friend.id, Edit({}, {member.id: "M-001"}))  # the window's edit; a friends import alike
    assert [p.amount for p in purchases(friend=UID)] == [500, 700]
    assert [p.customer for p in purchases(unmatched=True)] == ["M-002"]
    assert reference_count(parse("spent >= 1200"), dt.date(2024, 4, 1)) == 1
    # Scored in the edit's own transaction, not at the next import or visit to the RFM page.
    score = PurchaseRfm.get(PurchaseRfm.friend == friend.id)
    assert (score.spent, score.orders, score.r, score.f, score.m, score.grp) == (1200, 2, 1, 1, 1, "dormant")
    assert reference_count(parse("rfm_group = 休眠"), dt.date(2024, 4, 1)) == 1


def test_a_friend_who_follows_later_gets_the_purchases_of_their_user_id(store, tmp_path):
    import_purchases(write(tmp_path / "ec.csv", [["購入日", "LINEユーザーID", "合計"], ["2024-03-15", UID, "980"]]))
    friend = Friend.create(user_id=UID)
    assert [p.amount for p in purchases(friend=friend.id)] == [980]


def test_linking_the_field_later_attaches_numbers_friends_already_hold(store, tmp_path):
    field = Field.create(name="会員番号", kind="text")
    friend = Friend.create(user_id=UID)
    FieldValue.create(friend=friend, field=field, text_value="77")
    import_purchases(write(tmp_path / "pos.csv", [["売上日", "顧客番号", "金額"], ["2024-03-15", "77", "300"]]))
    assert Purchase.get().friend_id is None
    assert main(["purchases", "link", "会員番号"]) == 0
    assert Purchase.get().friend_id == friend.id and PurchaseRfm.select().count() == 1


def test_bad_rows_are_refused_with_the_errors_file_and_exit_1(store, tmp_path, capsys):
    path = write(tmp_path / "pos.csv", [
        ["注文日", "会員番号", "商品名", "数量", "金額"],
        ["2024/3/1", "M1", "あんぱん", "1", "200"],
        ["2024/3/40", "M1", "あんぱん", "1", "200"],
        ["2024/3/2", "M1", "あんぱん", "x", "=1+1"],
        ["2024/3/2", "", "あんぱん", "1", "200"],
    ], "cp932")
    assert main(["purchases", "import", str(path)]) == 1
    out = capsys.readouterr().out
    assert "3行目 注文日" in out and "4行目 数量" in out and "5行目 会員番号" in out
    errors = tmp_path / "pos_errors.csv"
    with open(errors, encoding="cp932", newline="") as f:
        rows = list(csv.reader(f))
    assert rows[0] == ["行番号", "注文日", "会員番号", "商品名", "数量", "金額", "エラー理由"]
    assert [r[0] for r in rows[1:]] == ["3", "4", "5"]
    assert rows[2][5] == "'=1+1"  # neutralised, as every CSV the app writes
    assert Purchase.select().count() == 1


def test_a_file_without_a_customer_or_date_column_is_refused_whole(store, tmp_path, capsys):
    path = write(tmp_path / "x.csv", [["日時", "商品名"], ["2024-03-01", "あんぱん"]])
    assert main(["purchases", "import", str(path)]) == 2
    assert "--key" in capsys.readouterr().err
    assert main(["purchases", "import", str(path), "--key", "商品名"]) == 0  # the shop says which column it is
    path = write(tmp_path / "y.csv", [["会員番号", "商品名"], ["1", "あんぱん"]])
    assert main(["purchases", "import", str(path)]) == 2


def test_dry_run_changes_nothing(store, tmp_path):
    path = write(tmp_path / "pos.csv", [["日時", "会員番号", "金額"], ["2024/3/1 10:00", "M1", "500"]])
    report = import_purchases(path, dry_run=True)
    assert report.added == 1 and Purchase.select().count() == 0 and not report.changes


def test_export_purchases_round_trips(store, tmp_path, capsys):
    friend = Friend.create(user_id=UID)
    path = write(tmp_path / "pos.csv", [["日時", "注文番号", "ユーザーID", "商品名", "金額"],
                                        ["2024/3/1 10:00", "A1", UID, "@SUM(A1)", "500"],
                                        ["2024/3/1 11:00", "", "M9", "", ""]])
    import_purchases(path)
    target = tmp_path / "friends.csv"
    out = tmp_path / "purchases.csv"
    assert main(["export", str(target), "--purchases", str(out)]) == 0
    with open(out, encoding="utf-8-sig", newline="") as f:
        rows = list(csv.reader(f))
    assert rows[1][:5] == [UID, UID, "2024-03-01 10:00:00", "A1", "'@SUM(A1)"]
    assert rows[2][:2] == ["M9", ""]
    again = import_purchases(out)
    assert (again.added, again.already) == (0, 2) and friend.id == Purchase.get(Purchase.order_id == "A1").friend_id
