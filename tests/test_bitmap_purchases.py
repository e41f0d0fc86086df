"""The bitmap engine's purchase conditions (store/bitmaps/purchases.py) against plain Python and the SQL
compiler, over random purchase histories, and their leaves answered by the index rather than by SQL."""

from __future__ import annotations

import datetime as dt

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from test_purchases_segments import VISIT, buy, evaluate, friends, trees
from test_segments_sql import TAGS, add_friend

from shopline.core import rfm
from shopline.core.segments import parse
from shopline.purchases import rfm as rfm_store
from shopline.store import segment_sql
from shopline.store.bitmaps import engine
from shopline.store.models import Field, FieldValue, Friend, FriendTag, Tag
from shopline.store.purchase_models import Purchase, PurchaseRfm
from shopline.store.segment_sql import compile_tree


def make_shop(data: list[dict], today: dt.date) -> dict:
    """test_purchases_segments' shop: the friends, their visits and purchases, and the RFM scores."""
    for model in (Purchase, PurchaseRfm, FieldValue, FriendTag, Friend, Field, Tag):
        model.delete().execute()
    visit = Field.create(name=VISIT, kind="date")
    Field.create(name="points", kind="number")
    tag_ids = {name: Tag.create(name=name).id for name in TAGS}
    base = dt.datetime.combine(today, dt.time())
    for n, friend in enumerate(data):
        row = friend["key"] = add_friend(n, status=friend["status"], followed_at=friend["followed_at"])
        FriendTag.insert_many([(row, tag_ids[t]) for t in friend["tags"]],
                              fields=[FriendTag.friend, FriendTag.tag]).execute()
        if friend["visit"] is not None:
            FieldValue.create(friend=row, field=visit, text_value=friend["visit"].isoformat())
        friend["purchases"] = [dict(p, at=base - dt.timedelta(days=p["ago"]) + dt.timedelta(hours=p["hour"]))
                               for p in friend["purchases"]]
        for i, p in enumerate(friend["purchases"]):
            buy(row, str(p["at"]), item=p["item"], amount=p["amount"], order_id=p["order_id"], n=i)
    rfm_store.recompute()
    bought = [f for f in data if f["purchases"]]
    return dict(zip([f["key"] for f in bought], rfm.score(
        [str(max(p["at"] for p in f["purchases"])) for f in bought],
        [len({p["order_id"] or f"t{p['at']}" for p in f["purchases"]}) for f in bought],
        [sum(p["amount"] or 0 for p in f["purchases"]) for f in bought]), strict=True))


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
