"""The purchases import writes through the store dialect, not SQLite's own syntax."""

from __future__ import annotations

from pathlib import Path

from shopline.store import dialect
from shopline.store.models import db

ROOT = Path(__file__).resolve().parent.parent


def test_insert_ignore_rows_counts_what_it_inserted(store):
    db.execute_sql("CREATE TABLE t (k INTEGER UNIQUE, v TEXT)")
    assert dialect.insert_ignore_rows(db, "t", ("k", "v"), [(1, "a"), (2, "b")]) == 2
    assert dialect.insert_ignore_rows(db, "t", ("k", "v"), [(2, "x"), (3, "c"), (3, "d")]) == 1
    assert db.execute_sql("SELECT k, v FROM t ORDER BY k").fetchall() == [(1, "a"), (2, "b"), (3, "c")]


def test_the_purchases_package_spells_no_engine_syntax():
    for path in (ROOT / "shopline" / "purchases").glob("*.py"):
        text = path.read_text(encoding="utf-8").upper()
        assert "OR IGNORE" not in text and "OR REPLACE" not in text and "PRAGMA" not in text, path.name
