"""The bitmap engine's purchase conditions (store/bitmaps/purchases.py) against plain Python and the SQL
compiler, over random purchase histories, and their leaves answered by the index rather than by SQL."""

from __future__ import annotations

import datetime as dt

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from test_purchases_segments import VISIT, evaluate, friends, make_shop, trees

from shopline.core import rfm
from shopline.core.segments import parse
from shopline.store import segment_sql
from shopline.store.bitmaps import engine
from shopline.store.models import Tag
from shopline.store.segment_sql import compile_tree


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.lists(friends, max_size=10), tree=trees, today=st.dates(dt.date(2025, 1, 1), dt.date(2025, 12, 31)))
def test_bitmaps_match_sql_and_python(store, data, tree, today):
    scores = make_shop(data, today)
    expected = [f["key"] for f in data if f["status"] == "following" and evaluate(tree, f, today, scores)]
    assert engine.usable()
    assert list(engine.members(tree, today, compile_tree)) == expected
    assert engine.count(tree, today, compile_tree) == len(expected)
    assert segment_sql.reference_friend_ids(tree, today) == expected


def test_the_issues_purchase_segment_is_answered_without_sql(store, monkeypatch):
    today = dt.date(2025, 12, 31)
    # Two lines of one receipt (no order ID, the same time): one order.
    data = [{"tags": {"t0"}, "status": "following", "followed_at": None, "visit": dt.date(2025, 12, 1),
             "birthday": None, "purchases": [{"ago": ago, "hour": 9, "item": item, "amount": 100, "order_id": ""}
                                             for item in ("メロンパン", "")]}
            for ago in (3, 120, 400)]
    data.append(dict(data[0], purchases=[]))
    make_shop(data, today)
    Tag.update(name="VIP").where(Tag.name == "t0").execute()
    asked: list[object] = []
    monkeypatch.setattr(engine._Evaluator, "sql", lambda self, node: asked.append(node))
    texts = ["VIP AND purchases(days=90) >= 1 AND NOT days_since_purchase >= 365", "purchases = 0",
             "purchases(days=200) < 1", "days_since_purchase = 120", f"days_since({VISIT}) >= 30",
             "days_since(followed_at) < 3", "rfm_r >= 3 OR rfm_group != " + next(iter(rfm.GROUPS)),
             "purchases >= 2", 'purchases(item="メロンパン", days=200) >= 1', "spent(days=200) >= 200",
             "spent < 100"]
    counts = [engine.count(parse(text), today, compile_tree) for text in texts]
    assert asked == []
    monkeypatch.undo()
    assert counts == [segment_sql.reference_count(parse(text), today) for text in texts]
    assert counts[:4] == [1, 1, 2, 1] and counts[-4:] == [0, 2, 2, 1]
