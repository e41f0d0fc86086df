"""A large export parsed by worker processes stores, numbers, reports and dedupes exactly what one process does,
whatever span edges fall inside orders or quoted cells; a file the spans cannot be sure of is read in one process."""

from __future__ import annotations

import csv
import io
import os
import random

import pytest

from shopline.csvio.errors import CsvUnusableError, ImportCancelled
from shopline.purchases import importer, parallel
from shopline.purchases.importer import import_purchases
from shopline.store.models import Friend, db
from shopline.store.purchase_models import Purchase, PurchaseRfm

HEADERS = ["注文日時", "注文番号", "会員番号", "商品名", "数量", "小計", "店舗", "メモ"]


def uid(n):
    return f"U{n:032x}"


def register_rows(seed, n=400, memos=True):
    """Orders of several lines (an item repeated within one), visits without an order ID, unmatched customers,
    refused rows, blank lines, a repeated row, a cell an export made inert against formulas ('=...) and memos
    whose quoted cells hold line breaks (or, without memos, no quote at all: the workers' fast path)."""
    rng = random.Random(seed)
    rows = [HEADERS]
    order = 0
    while len(rows) < n:
        order += 1
        customer = uid(rng.randrange(12)) if rng.random() < 0.8 else f"M{rng.randrange(5)}"
        stamp = f"2024/{rng.randint(1, 12)}/{rng.randint(1, 28)} {rng.randint(9, 20)}:{rng.randrange(60):02d}"
        order_id = f"R{order}" if rng.random() < 0.8 else ""
        for _ in range(rng.randint(1, 6)):
            memo = rng.choice(["", "", "ギフト包装", "'=1+1", "のし\n名入れ: 山田", "a,b\r\nc", "引用\"\"符"][
                :7 if memos else 4])
            amount = rng.choice(["￥1,200", "400円", "150", "x" if rng.random() < 0.03 else "80"])
            rows.append([stamp if rng.random() > 0.02 else "2024/13/45", order_id, customer,
                         rng.choice(["あんぱん", "ｱﾝﾊﾟﾝ", "食パン", "牛乳", "'=SUM(1)"]), str(rng.randint(1, 3)), amount,
                         rng.choice(["本店", "駅前店"]), memo])
            if rng.random() < 0.02:
                rows.append(rng.choice([[], [""] * len(HEADERS)]))
            if rng.random() < 0.02:
                rows.append(list(rows[-1]))
    return rows


def write(path, rows, encoding="utf-8-sig", newline="\r\n"):
    with open(path, "w", encoding=encoding, newline="") as f:
        csv.writer(f, lineterminator=newline).writerows(rows)
    return path


def outcome(path):
    report = import_purchases(path)
    stored = list(db.execute_sql("SELECT id, friend_id, customer, at, order_id, item, quantity, amount, store, "
                                 "dedupe FROM purchase ORDER BY id"))
    errors = report.errors_path.read_bytes() if report.errors_path else b""
    return ((report.total_rows, report.imported, report.added, report.already, report.unmatched_rows,
             report.unmatched_customers, report.unmatched, report.refused_rows, report.refused_count,
             [(e.row, e.column, str(e.reason)) for e in report.refused], report.exit_code),
            stored, errors, list(PurchaseRfm.select().tuples()))


def wipe():
    Purchase.delete().execute()
    PurchaseRfm.delete().execute()


@pytest.fixture
def runs(monkeypatch):
    """Every import large enough for workers; records whether they read it (a span may be unsure)."""
    monkeypatch.setattr(importer, "_PARALLEL_ROWS", 1)
    monkeypatch.setattr(parallel, "workers", lambda: 2)
    results = []
    real = parallel.run

    def spy(*args, **kwargs):
        results.append(real(*args, **kwargs))
        return results[-1]

    monkeypatch.setattr(parallel, "run", spy)
    return results


def serial(path, monkeypatch):
    with monkeypatch.context() as m:
        m.setattr(importer, "_PARALLEL_ROWS", 10 ** 9)
        return outcome(path)


@pytest.mark.parametrize(("seed", "span", "memos", "newline"), [
    (1, 64, True, "\r\n"), (2, 200, True, "\n"), (3, 997, True, "\r\n"), (4, 4096, True, "\r\n"),
    (5, 150, False, "\r\n"), (6, 700, False, "\n"), (7, 300, False, "mixed")])
@pytest.mark.parametrize("bulk", [False, True])
def test_workers_store_number_and_report_what_one_process_does(store, tmp_path, monkeypatch, runs, seed, span,
                                                                 memos, newline, bulk):
    for n in range(0, 12, 2):
        Friend.create(user_id=uid(n))
    rows = register_rows(seed, memos=memos)
    rows = [[cell.replace('""', "") for cell in row] for row in rows]  # no quote inside a cell: workers read it
    path = write(tmp_path / "pos.csv", rows, newline=newline.replace("mixed", "\r\n"))
    if newline == "mixed":  # a few lines end in CR alone, which the csv module reads as a line end too
        data = path.read_bytes().split(b"\r\n")
        path.write_bytes(b"\r\n".join(line + (b"\r" if i % 50 == 7 else b"") for i, line in enumerate(data)))
    one = serial(path, monkeypatch)
    wipe()
    monkeypatch.setattr(parallel, "SPAN_BYTES", span)
    if bulk:  # indexes suspended; the file repeats a row, so the empty table's unique index has it read again
        monkeypatch.setattr(importer, "_BULK_ROWS", 1)
    many = outcome(path)
    assert runs and runs[-1] is not None  # the workers read the whole file
    assert len(runs) == 1 + bulk
    assert many == one
    assert one[0][7] > 0 and one[0][4] > 0 and one[0][3] > 0  # refused, unmatched and repeated rows were in it
    wipe()
    again = outcome(path)
    assert again[1] == one[1] and again[0][2] == one[0][2]  # into an empty table again: the same rows
    assert outcome(path)[0][2] == 0  # re-importing adds nothing


def test_a_span_edge_inside_a_quoted_line_break_is_never_cut(tmp_path):
    rows = [HEADERS] + [["2024/1/1", f"R{i}", uid(1), "あんぱん", "1", "100", "本店", "1行目\n2行目\n3行目"]
                        for i in range(50)]
    path = write(tmp_path / "pos.csv", rows, "utf-8")
    data = path.read_bytes()
    start = data.index(b"\n") + 1
    got = list(parallel.spans(path, start, 7))
    assert len(got) > 10 and got[0][0] == start and got[-1][1] == len(data)
    assert all(a[1] == b[0] for a, b in zip(got, got[1:], strict=False))
    read = []
    for begin, end in got:
        assert data[end - 1:end] == b"\n"
        read += csv.reader(io.StringIO(data[begin:end].decode(), newline=""), strict=True)
    assert read == rows[1:]


@pytest.mark.parametrize("cell", ['ab"c', '引用""符'])
def test_a_quote_inside_a_cell_has_the_file_read_in_one_process(store, tmp_path, monkeypatch, runs, cell):
    """A bare quote throws the spans' quote count off, and a doubled one cannot be told from it in a parsed cell."""
    Friend.create(user_id=uid(0))
    rows = register_rows(5)
    rows[150][7] = cell
    path = write(tmp_path / "pos.csv", rows)
    one = serial(path, monkeypatch)
    wipe()
    monkeypatch.setattr(parallel, "SPAN_BYTES", 256)
    assert outcome(path) == one
    assert runs == [None]


def test_a_broken_quote_is_refused_as_one_process_refuses_it(store, tmp_path, monkeypatch, runs):
    rows = register_rows(6)
    path = write(tmp_path / "pos.csv", rows)
    text = path.read_text(encoding="utf-8-sig").splitlines(keepends=True)
    text[200] = text[200].replace(",本店,", ',"本店,', 1) if ",本店," in text[200] else '"' + text[200]
    path.write_text("".join(text), encoding="utf-8-sig")
    with monkeypatch.context() as m:
        m.setattr(importer, "_PARALLEL_ROWS", 10 ** 9)
        with pytest.raises(CsvUnusableError) as one:
            import_purchases(path)
    monkeypatch.setattr(parallel, "SPAN_BYTES", 300)
    with pytest.raises(CsvUnusableError) as many:
        import_purchases(path)
    assert str(many.value) == str(one.value) and runs == [None]
    assert Purchase.select().count() == 0


def test_spawned_workers_read_as_forked_ones_do(store, tmp_path, monkeypatch, runs):
    """macOS and Windows start workers by spawning: everything they are given must travel by pickle."""
    Friend.create(user_id=uid(2))
    path = write(tmp_path / "pos.csv", [[c.replace('""', "") for c in r] for r in register_rows(7, 150)], "cp932")
    one = serial(path, monkeypatch)
    wipe()
    monkeypatch.setattr(parallel, "START_METHOD", "spawn")
    monkeypatch.setattr(parallel, "SPAN_BYTES", 1000)
    assert outcome(path) == one and runs[-1] is not None


def test_a_cancelled_parallel_import_leaves_the_table_as_it_was(store, tmp_path, monkeypatch, runs):
    path = write(tmp_path / "pos.csv", [[c.replace('""', "") for c in r] for r in register_rows(8)])
    monkeypatch.setattr(parallel, "SPAN_BYTES", 500)
    calls = []
    with pytest.raises(ImportCancelled):
        import_purchases(path, cancelled=lambda: calls.append(1) or len(calls) > 2)
    assert Purchase.select().count() == 0


def dies_on_the_third_span(span):
    if span[0] > 3 * parallel.SPAN_BYTES:
        os._exit(9)  # as the out-of-memory killer ends a process: no exception, no result
    return REAL_PARSE(span)


REAL_PARSE = parallel.parse


def test_a_worker_killed_midway_has_the_file_read_in_one_process(store, tmp_path, monkeypatch, runs):
    Friend.create(user_id=uid(4))
    path = write(tmp_path / "pos.csv", [[c.replace('""', "") for c in r] for r in register_rows(9)])
    one = serial(path, monkeypatch)
    wipe()
    monkeypatch.setattr(parallel, "SPAN_BYTES", 600)
    monkeypatch.setattr(parallel, "parse", dies_on_the_third_span)
    assert outcome(path) == one and runs == [None]
