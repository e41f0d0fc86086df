"""The index's pieces: loaded only when a condition needs them, and stepping aside for the SQL compiler when
the stored values would not compare in Python as SQLite compares them."""

from __future__ import annotations

import datetime as dt
from array import array

import pytest
from bitmap_helpers import OPS, make_shop
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from shopline.core.segments import parse
from shopline.store import db, segment_sql
from shopline.store.bitmaps import engine, index
from shopline.store.models import Field, FieldValue, Friend

TODAY = dt.date(2025, 12, 10)


def _friend(n: int, **values) -> dict:
    return {"tags": {"t0"} if n % 2 else {"t1"}, "status": "following", "gender": "female", "region": "東京都",
            "source": "csv", "birthday": dt.date(1990 + n, 4, 1 + n), "followed_at": dt.date(2025, 1, 1 + n),
            "points": float(n), "rank": "gold", "visited": None, "reacted": None, **values}


def _pieces() -> set[str]:
    assert engine._source is not None and engine._source.index is not None
    return set(engine._source.index.load_ms)


def test_a_tag_count_loads_no_column(store):
    make_shop([_friend(n) for n in range(6)])
    assert segment_sql.count(parse("t0 AND NOT t1"), TODAY) == 3
    assert _pieces() == {"following", "names", "tags"}
    assert segment_sql.count(parse("gender = female AND birth_month = 4"), TODAY) == 6
    assert _pieces() == {"following", "names", "tags", "column gender", "column birth_month", "column birthday"}


def _same_as_reference(texts: list[str]) -> None:
    for text in texts:
        tree = parse(text)
        assert segment_sql.count(tree, TODAY) == segment_sql.reference_count(tree, TODAY), text
        assert segment_sql.friend_ids(tree, TODAY) == segment_sql.reference_friend_ids(tree, TODAY), text


def test_a_number_stored_in_a_date_column_goes_to_the_sql(store):
    rows = make_shop([_friend(n) for n in range(6)])
    # NUMERIC affinity keeps 19900101 a number, which SQLite orders before every text birthday.
    db.execute_sql("UPDATE friend SET birthday = 19900101 WHERE id = ?", [rows[0]])
    db.execute_sql("UPDATE friend SET followed_at = 20250101 WHERE id = ?", [rows[1]])
    _same_as_reference(["age >= 30", "age < 33", "birth_month = 4", "birth_month != 4", "friend_days > 300",
                        "NOT (age = 31)"])


def test_a_value_holding_the_separator_goes_to_the_sql(store):
    rows = make_shop([_friend(n) for n in range(4)])
    Friend.update(region="東京\x1f都").where(Friend.id == rows[2]).execute()
    FieldValue.update(text_value="go\x1fld").where(
        (FieldValue.friend == rows[3]) & (FieldValue.field == Field.get(Field.name == "rank"))).execute()
    _same_as_reference(["region = 東京都", "region != 東京都", "rank = gold", "rank != gold"])


@pytest.mark.parametrize("odd", ["1990-4-01", "1990-１２-01"])
def test_birth_months_of_odd_birthdays_are_sqlites(store, odd):
    rows = make_shop([_friend(n) for n in range(4)])
    # Not YYYY-MM-DD: the month is whatever SQLite's CAST(substr(...)) makes of it (0 for full-width digits).
    db.execute_sql("UPDATE friend SET birthday = ? WHERE id = ?", [odd, rows[0]])
    _same_as_reference(["birth_month = 4", "birth_month = 12", "birth_month < 5", "birth_month > 11"])



@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(values=st.lists(st.integers(0, 30), max_size=120), op=st.sampled_from(["=", "!=", "<", "<=", ">", ">="]),
       value=st.integers(-1, 31), blocks=st.sampled_from([(4, 1), (8, 2), (9, 3), (32, 8), (1 << 16, 1 << 11)]))
def test_a_columns_spans_over_blocks_are_its_ids(monkeypatch, values, op, value, blocks):
    monkeypatch.setattr(index, "_BLOCK", blocks[0])  # every example sets its own
    monkeypatch.setattr(index, "_SMALL_BLOCK", blocks[1])
    groups: dict[int, list[array[int]]] = {}
    for friend, key in enumerate(values):
        groups.setdefault(key, []).append(array("I", [friend]))
    column = index.Column.from_groups(groups)
    test = OPS[op]
    for _ in range(2):  # the second time from the blocks the first one made
        assert list(column.compare(op, value)) == [f for f, key in enumerate(values) if test(key, value)]
    assert list(column.between(value, value + 7)) == [f for f, key in enumerate(values) if value < key <= value + 7]
