"""A large first import suspends the purchase table's indexes and dedupes in memory: it must store, count and
report exactly what the row-by-row path does, and leave the indexes as they were, also when cancelled."""

from __future__ import annotations

import csv
import random

import pytest

from shopline.csvio.errors import ImportCancelled
from shopline.purchases import importer, rfm
from shopline.purchases.importer import import_purchases
from shopline.store import settings
from shopline.store.models import Friend, db
from shopline.store.purchase_models import Purchase, PurchaseRfm

UID = "U" + "d" * 32
ROWS = [["注文日", "注文番号", "会員番号", "商品名", "小計"],
        ["2024/3/1 10:00", "A1", UID, "あんぱん", "200"],
        ["2024/3/1 10:00", "A1", UID, "あんぱん", "200"],  # a second あんぱん line of the same order: kept
        ["2024/3/2 10:00", "", "M1", "食パン", "400"],
        ["2024/3/2 10:00", "", "M1", "食パン", "400"],  # the same row again without an order ID: one
        ["2024/3/3 10:00", "A2", "M2", "", "x"],  # refused
        ["2024/3/4 10:00", "A3", UID, "牛乳", "150"]]


def write(path, rows):
    with open(path, "w", encoding="utf-8-sig", newline="") as f:
        csv.writer(f).writerows(rows)
    return path


def indexes():
    return sorted(db.execute_sql("SELECT name, sql FROM sqlite_master WHERE type = 'index' AND tbl_name = 'purchase'"))


def outcome(path):
    report = import_purchases(path)
    stored = sorted(Purchase.select(Purchase.friend, Purchase.customer, Purchase.order_id, Purchase.item,
                                    Purchase.amount, Purchase.dedupe).tuples(), key=repr)
    return ((report.added, report.already, report.refused_rows, report.unmatched_rows, report.unmatched_customers),
            stored, list(PurchaseRfm.select().tuples()))


@pytest.fixture
def bulk(monkeypatch):
    monkeypatch.setattr(importer, "_BULK_ROWS", 1)


def test_bulk_and_row_by_row_store_and_report_the_same(store, tmp_path, monkeypatch):
    Friend.create(user_id=UID)
    before = indexes()
    path = write(tmp_path / "pos.csv", ROWS)
    slow = outcome(path)
    Purchase.delete().execute()
    PurchaseRfm.delete().execute()
    monkeypatch.setattr(importer, "_BULK_ROWS", 1)
    assert importer._bulk(7)
    fast = outcome(path)
    assert fast == slow and fast[0] == (4, 1, 1, 1, 1)
    assert indexes() == before
    assert import_purchases(path).added == 0  # re-import: the table is no longer small beside the file


def test_bulk_import_against_a_few_stored_rows_skips_them(store, tmp_path, bulk):
    import_purchases(write(tmp_path / "first.csv", ROWS[:2]))
    assert importer._bulk(len(ROWS) + 3)
    report = import_purchases(write(tmp_path / "all.csv", ROWS + [["2024/3/5", "", UID, "a", "1"]] * 3))
    assert (report.added, report.already) == (4, 4) and Purchase.select().count() == 5


def test_a_cancelled_bulk_import_leaves_table_and_indexes_as_they_were(store, tmp_path, bulk):
    before = indexes()
    rows = ROWS[:1] + [["2024/3/1 10:00", f"A{i}", UID, "あんぱん", "200"] for i in range(3000)]
    with pytest.raises(ImportCancelled):
        import_purchases(write(tmp_path / "pos.csv", rows), cancelled=lambda: True)
    assert Purchase.select().count() == 0 and indexes() == before


@pytest.mark.parametrize("seed", range(3))
def test_an_import_into_an_empty_table_scores_rfm_from_its_rows_as_the_sql_pass_does(store, tmp_path, bulk, seed,
                                                                                       monkeypatch):
    """The bulk import sums each friend's totals as it stores the rows instead of reading them back: the scores,
    totals and boundaries must be the full SQL pass's, across orders of several lines, visits without an order ID
    at a shared time, an order's line stamped later than its first, blank amounts and rows of no friend."""
    rng = random.Random(seed)
    friends = [Friend.create(user_id=f"U{i:032x}").id for i in range(30)]
    rows = [ROWS[0]]
    for k in range(300):
        customer = f"U{rng.randrange(36):032x}"
        stamp = f"2024/{rng.randint(1, 12)}/{rng.randint(1, 28)} {9 + k // 60}:{k % 60:02d}"
        order = rng.choice(["", f"A{k}"])
        for line in range(rng.randint(1, 3)):
            late = line and rng.random() < 0.2  # stamped later than the order's first line: its last purchase
            rows.append([stamp.split(" ")[0] + " 23:59" if late else stamp, order, customer,
                         rng.choice(["あんぱん", "牛乳", ""]), ["100", "250", ""][line]])
    tallies = []
    real = rfm.recompute
    monkeypatch.setattr(rfm, "recompute", lambda tally=None: tallies.append(tally) or real(tally))
    import_purchases(write(tmp_path / "pos.csv", rows))
    assert tallies and tallies[0] is not None  # scored from the rows as they were stored
    tallied = sorted(PurchaseRfm.select().tuples())
    bounds = settings.PURCHASES_RFM_BOUNDS.get()
    assert len(tallied) > 20 and {row[0] for row in tallied} <= set(friends)
    real()
    assert sorted(PurchaseRfm.select().tuples()) == tallied and settings.PURCHASES_RFM_BOUNDS.get() == bounds


def test_a_file_repeating_a_row_into_an_empty_table_is_read_again_with_its_keys_in_memory(store, tmp_path,
                                                                                         monkeypatch):
    """Into an empty table the bulk import holds no keys and lets the unique index refuse a repeat: the file is
    then read again, deduping in memory, and stores, reports and scores what the row-by-row path does."""
    Friend.create(user_id=UID)
    path = write(tmp_path / "pos.csv", ROWS + [["2024/3/9 10:00", "", UID, "牛乳", "x"]])
    slow = outcome(path)
    assert slow[0] == (4, 1, 2, 1, 1)
    Purchase.delete().execute()
    PurchaseRfm.delete().execute()
    monkeypatch.setattr(importer, "_BULK_ROWS", 1)
    reads = []
    real = importer._Job.read
    monkeypatch.setattr(importer._Job, "read", lambda job, **kw: reads.append(kw) or real(job, **kw))
    fast = outcome(path)
    assert reads == [{"bulk": True, "keys": False}, {"bulk": True, "keys": True}]
    assert fast == slow
    errors = (tmp_path / "pos_errors.csv").read_text(encoding="utf-8-sig").splitlines()
    assert len(errors) == 3  # the header and the two refused rows, once each


def foreign_keys():
    return db.execute_sql("PRAGMA foreign_keys").fetchone()[0]


def test_the_import_checks_no_foreign_key_while_it_writes_and_enforces_them_again_after(store, tmp_path, monkeypatch):
    """Every friend a row names was read in the import's own transaction: checking a million references again cost
    1.5 s. Afterwards, and after a cancelled import, the connection enforces them as before."""
    Friend.create(user_id=UID)
    during = []
    real = importer.dialect.insert_ignore_rows
    monkeypatch.setattr(importer.dialect, "insert_ignore_rows", lambda *args: during.append(foreign_keys())
                        or real(*args))
    assert foreign_keys() == 1
    assert import_purchases(write(tmp_path / "pos.csv", ROWS)).added == 4
    assert during == [0] and foreign_keys() == 1
    with pytest.raises(ImportCancelled):
        import_purchases(write(tmp_path / "more.csv", ROWS[:1] + [["2024/3/5", "B", UID, "x", "1"]] * 2000),
                         cancelled=lambda: True)
    assert foreign_keys() == 1
    with db.atomic():  # inside a transaction SQLite ignores the switch: the import leaves it alone
        assert import_purchases(write(tmp_path / "last.csv", ROWS[:1] + [["2024/3/6", "C", UID, "y", "1"]])).added
        assert foreign_keys() == 1 and during[-1] == 1
