"""A register that repeats the order's total (合計) on every item line: `spent` counts it once per order."""

from __future__ import annotations

import csv
import datetime as dt

from shopline.core.purchase_values import guess_mapping
from shopline.core.segments import parse
from shopline.purchases.importer import import_purchases
from shopline.purchases.preview import preview_purchases
from shopline.store.models import Friend
from shopline.store.purchase_models import Purchase, PurchaseRfm
from shopline.store.segment_sql import reference_count

UID = "U" + "c" * 32
TODAY = dt.date(2024, 4, 1)


def write(path, rows):
    with open(path, "w", encoding="utf-8-sig", newline="") as f:
        csv.writer(f).writerows(rows)
    return path


def test_an_order_total_repeated_on_each_line_is_counted_once(store, tmp_path):
    friend = Friend.create(user_id=UID)
    import_purchases(write(tmp_path / "pos.csv", [
        ["注文日", "注文番号", "ユーザーID", "商品名", "合計"],
        ["2024/3/1 10:00", "A1", UID, "あんぱん", "1,600"],
        ["2024/3/1 10:00", "A1", UID, "食パン", "1,600"],
        ["2024/3/1 10:00", "A1", UID, "牛乳", "1,600"],
        ["2024/3/2 10:00", "A2", UID, "あんぱん", "500"],
        ["2024/3/3 10:00", "A3", UID, "あんぱん", "300"],  # lines that differ are each line's own amount
        ["2024/3/3 10:00", "A3", UID, "ジャム", "450"],
    ]))
    assert [p.amount for p in Purchase.select().order_by(Purchase.id)] == [1600, None, None, 500, 300, 450]
    assert PurchaseRfm.get(PurchaseRfm.friend == friend.id).spent == 2850
    assert reference_count(parse("spent >= 2850"), TODAY) == 1 and reference_count(parse("spent >= 2851"), TODAY) == 0
    assert reference_count(parse('purchases(item="食パン") >= 1'), TODAY) == 1


def test_equal_lines_that_are_price_times_quantity_stay_line_totals(store, tmp_path):
    Friend.create(user_id=UID)
    import_purchases(write(tmp_path / "pos.csv", [
        ["注文日", "注文番号", "ユーザーID", "商品名", "単価", "数量", "合計"],
        ["2024/3/1 10:00", "A1", UID, "あんぱん", "150", "2", "300"],
        ["2024/3/1 10:00", "A1", UID, "食パン", "300", "1", "300"],
    ]))
    assert [p.amount for p in Purchase.select().order_by(Purchase.id)] == [300, 300]


def test_a_line_amount_column_wins_over_a_total_column():
    assert guess_mapping(["注文番号", "合計", "小計"])["amount"] == 2
    assert guess_mapping(["注文番号", "金額", "合計"])["amount"] == 1
    assert guess_mapping(["合計"])["amount"] == 0


def test_a_line_amount_column_repeating_itself_is_not_touched(store, tmp_path):
    Friend.create(user_id=UID)
    import_purchases(write(tmp_path / "pos.csv", [
        ["注文日", "注文番号", "ユーザーID", "商品名", "小計"],
        ["2024/3/1 10:00", "A1", UID, "あんぱん", "200"],
        ["2024/3/1 10:00", "A1", UID, "あんぱん", "200"],
    ]))
    assert [p.amount for p in Purchase.select()] == [200, 200]


def test_the_preview_shows_an_order_total_on_its_first_line_only(store, tmp_path):
    path = write(tmp_path / "pos.csv", [
        ["注文日", "注文番号", "ユーザーID", "商品名", "合計"],
        ["2024/3/1 10:00", "A1", UID, "あんぱん", "1,600"],
        ["2024/3/1 10:00", "A1", UID, "食パン", "1,600"],
        ["2024/3/2 10:00", "", UID, "牛乳", "x"],
        ["2024/3/2 10:00", "", UID, "牛乳", "200"],
        ["2024/3/3 10:00", "A2", UID, "あんぱん", "500"],
    ])
    preview = preview_purchases(path)
    assert [(r.number, r.values.get("amount"), len(r.problems)) for r in preview.rows] == [
        (2, 1600, 0), (3, None, 0), (4, None, 1), (5, 200, 0), (6, 500, 0)]
