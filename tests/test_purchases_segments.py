"""Purchase, relative-date and RFM conditions: the SQL against a plain-Python evaluation, and the edges by hand."""

from __future__ import annotations

import datetime as dt
import operator
from collections import defaultdict
from zoneinfo import ZoneInfo

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from test_segments_sql import TAGS, add_friend
from test_segments_sql import evaluate as evaluate_plain

from shopline.core import rfm
from shopline.core.segments import And, Compare, HasTag, Not, Or, parse, to_json, to_text
from shopline.core.segments.tree import from_json
from shopline.purchases import rfm as rfm_store
from shopline.store import segment_sql
from shopline.store.models import Field, FieldValue, Friend, FriendTag, Tag
from shopline.store.purchase_models import Purchase, PurchaseRfm
from shopline.store.segment_sql import reference_count, reference_friend_ids
from shopline.store.shop_clock import set_shop_zone, shop_today

_OPS = {"=": operator.eq, "!=": operator.ne, "<": operator.lt, "<=": operator.le, ">": operator.gt,
        ">=": operator.ge}
ITEMS = ["あんぱん", "食パン", ""]
VISIT = "最終来店日"


def buy(friend_id: int | None, at: str, *, item: str = "", amount: int | None = None, order_id: str = "",
        customer: str = "x", n: int = 0) -> None:
    Purchase.create(friend=friend_id, customer=customer, at=at, item=item, amount=amount, order_id=order_id,
                    dedupe=f"{friend_id}-{at}-{item}-{order_id}-{n}".encode())


def evaluate(node, friend: dict, today: dt.date, scores: dict) -> bool:
    """test_segments_sql's evaluation, extended with the purchase conditions."""
    if isinstance(node, And):
        return all(evaluate(i, friend, today, scores) for i in node.items)
    if isinstance(node, Or):
        return any(evaluate(i, friend, today, scores) for i in node.items)
    if isinstance(node, Not):
        return not evaluate(node.item, friend, today, scores)
    if isinstance(node, HasTag) or node.name not in segment_sql.PURCHASE_NAMES:
        return evaluate_plain(node, friend, today)
    compare, args = _OPS[node.op], dict(node.args)
    rows = friend["purchases"]
    if node.name == "days_since":
        day = friend["followed_at"] if args["field"] == "followed_at" else friend["visit"]
        return day is not None and compare((today - day).days, node.value)
    if node.name == "days_since_purchase":
        return bool(rows) and compare((today - max(r["at"] for r in rows).date()).days, node.value)
    if node.name.startswith("rfm_"):
        score = scores.get(friend["key"])
        if score is None:
            return False
        mine = {"rfm_r": score.r, "rfm_f": score.f, "rfm_m": score.m, "rfm_group": score.group}[node.name]
        return compare(mine, node.value)
    window = [r for r in rows if ("days" not in args or (today - r["at"].date()).days <= args["days"])
              and ("item" not in args or r["item"] == args["item"])]
    if node.name == "spent":
        return compare(sum(r["amount"] or 0 for r in window), node.value)
    orders = {r["order_id"] or f"t{r['at']}" for r in window}
    return compare(len(orders), node.value)


ops = st.sampled_from(list(_OPS))
purchase_leaves = st.one_of(
    st.sampled_from(TAGS).map(HasTag),
    st.builds(lambda op, n, days, item: Compare("purchases", op, n, args=tuple(
        (k, v) for k, v in (("item", item), ("days", days)) if v is not None)),
        ops, st.integers(0, 3), st.one_of(st.none(), st.integers(0, 12)), st.sampled_from([None, *ITEMS[:2]])),
    st.builds(lambda op, n, days: Compare("spent", op, n, args=(("days", days),) if days is not None else ()),
              ops, st.sampled_from([0, 500, 1000, 2500]), st.one_of(st.none(), st.integers(0, 12))),
    st.builds(Compare, st.just("days_since_purchase"), ops, st.integers(0, 12)),
    st.builds(lambda op, n, field: Compare("days_since", op, n, args=(("field", field),)),
              ops, st.integers(0, 400), st.sampled_from(["followed_at", VISIT])),
    st.builds(Compare, st.sampled_from(["rfm_r", "rfm_f", "rfm_m"]), ops, st.integers(1, 5)),
    st.builds(Compare, st.just("rfm_group"), st.sampled_from(["=", "!="]), st.sampled_from(list(rfm.GROUPS))),
    st.builds(Compare, st.just("friend_days"), ops, st.integers(0, 400)),
)
trees = st.recursive(purchase_leaves, lambda kids: st.one_of(
    kids.map(Not),
    st.lists(kids, min_size=2, max_size=3).map(lambda xs: And(tuple(xs))),
    st.lists(kids, min_size=2, max_size=3).map(lambda xs: Or(tuple(xs))),
), max_leaves=6)
days_ago = st.integers(0, 12)  # near the thresholds, so a purchase on the boundary day is common
purchases_of = st.lists(st.fixed_dictionaries({
    "ago": days_ago, "hour": st.integers(0, 23), "item": st.sampled_from(ITEMS),
    "amount": st.one_of(st.none(), st.sampled_from([100, 300, 1200])),
    "order_id": st.sampled_from(["", "", "A", "B"]),
}), max_size=5)
dates = st.one_of(st.none(), st.dates(dt.date(2024, 1, 1), dt.date(2026, 1, 31)))
friends = st.fixed_dictionaries({
    "tags": st.sets(st.sampled_from(TAGS)),
    "status": st.sampled_from(["following", "following", "blocked"]),
    "followed_at": dates, "visit": dates, "purchases": purchases_of, "birthday": st.none(),
})


def make_shop(data: list[dict], today: dt.date) -> dict:
    """The friends, their visits and purchases in the store, and the RFM scores plain Python gives them."""
    for model in (Purchase, PurchaseRfm, FieldValue, FriendTag, Friend, Field, Tag):
        model.delete().execute()
    visit = Field.create(name=VISIT, kind="date")
    Field.create(name="points", kind="number")  # evaluate_plain's custom field, never set here
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


@pytest.mark.parametrize("plan", ["merge", "probe"])
@settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.lists(friends, max_size=10), tree=trees, today=st.dates(dt.date(2025, 1, 1), dt.date(2025, 12, 31)))
def test_sql_matches_python(store, monkeypatch, plan, data, tree, today):
    for constant in ("_MERGE_FRIEND", "_MERGE_TAG"):
        monkeypatch.setattr(segment_sql, constant, 0.0 if plan == "merge" else 1e9)
    scores = make_shop(data, today)
    expected = [f["key"] for f in data if f["status"] == "following" and evaluate(tree, f, today, scores)]
    assert reference_count(tree, today=today) == len(expected)
    assert reference_friend_ids(tree, today=today) == expected
    assert parse(to_text(tree)) == tree and from_json(to_json(tree)) == tree


def test_never_bought_matches_no_comparison_but_its_not(store):
    buyer, never = add_friend(1), add_friend(2)
    buy(buyer, "2025-01-01 10:00:00", amount=500)
    today = dt.date(2025, 6, 1)
    assert reference_friend_ids(parse("days_since_purchase >= 1"), today) == [buyer]
    assert reference_friend_ids(parse("days_since_purchase < 100000"), today) == [buyer]
    assert reference_friend_ids(parse("NOT purchases >= 1"), today) == [never]
    assert reference_friend_ids(parse("spent < 100"), today) == [never]


@pytest.mark.parametrize(("text", "matches"), [
    ("days_since_purchase >= 1", True), ("days_since_purchase = 1", True), ("days_since_purchase >= 2", False),
    ("days_since_purchase < 1", False), ("days_since_purchase <= 1", True), ("days_since_purchase > 0", True),
    ("days_since_purchase != 1", False), ("purchases(days=1) >= 1", True), ("purchases(days=0) >= 1", False),
])
def test_a_purchase_late_yesterday_is_one_day_ago(store, text, matches):
    buy(add_friend(1), "2025-05-31 23:59:59")
    assert reference_count(parse(text), dt.date(2025, 6, 1)) == int(matches)


def test_item_is_folded_and_exact(store):
    friend = add_friend(1)
    buy(friend, "2025-05-30 10:00:00", item="アンパン")
    today = dt.date(2025, 6, 1)
    assert reference_count(parse('purchases(item="ｱﾝﾊﾟﾝ", days=90) >= 1'), today) == 1
    assert reference_count(parse('purchases(item="アンパン小", days=90) >= 1'), today) == 0
    assert reference_count(parse('purchases(item="アンパン", days=1) >= 1'), today) == 0


def test_orders_count_an_order_once_and_rows_without_id_by_time(store):
    friend = add_friend(1)
    buy(friend, "2025-05-01 10:00:00", item="a", order_id="X1")
    buy(friend, "2025-05-01 10:00:00", item="b", order_id="X1")
    buy(friend, "2025-05-02 09:00:00", item="a")
    buy(friend, "2025-05-02 09:00:00", item="b")
    buy(friend, "2025-05-03 09:00:00")  # a visit
    assert reference_count(parse("purchases = 3"), dt.date(2025, 6, 1)) == 1


@pytest.mark.parametrize(("value", "today", "days"), [
    ("2024-12-31", dt.date(2025, 1, 1), 1),  # across the year end
    ("2025-01-31", dt.date(2025, 3, 1), 29),  # across a month end (February has 28 days in 2025)
    ("2024-02-29", dt.date(2024, 3, 1), 1),  # a leap day
])
def test_days_since_a_custom_date_across_month_and_year_ends(store, value, today, days):
    Field.create(name=VISIT, kind="date")
    add_friend(1, fields={VISIT: (value, None)})
    assert reference_count(parse(f"days_since({VISIT}) = {days}"), today) == 1
    assert reference_count(parse(f"days_since({VISIT}) >= {days + 1}"), today) == 0
    assert reference_count(parse(f"days_since({VISIT}) >= {days}"), today) == 1


def test_days_since_counts_from_the_shops_date_not_the_machines(store, monkeypatch):
    """At 00:30 on New Year's Day in Tokyo it is still 31 December in UTC: the shop's date is the new year."""
    Field.create(name=VISIT, kind="date")
    add_friend(1, fields={VISIT: ("2024-12-31", None)})
    moment = dt.datetime(2024, 12, 31, 15, 30, tzinfo=dt.UTC)
    set_shop_zone("Asia/Tokyo")
    assert shop_today(moment) == dt.date(2025, 1, 1)
    monkeypatch.setattr(segment_sql, "shop_today", lambda: shop_today(moment))
    assert reference_count(parse(f"days_since({VISIT}) >= 1")) == 1
    set_shop_zone("UTC")
    assert reference_count(parse(f"days_since({VISIT}) >= 1")) == 0
    assert moment.astimezone(ZoneInfo("Asia/Tokyo")).date().year == 2025


def test_days_since_refuses_a_field_that_is_not_a_date(store):
    from shopline.core.segments import SegmentError, UnknownNameError

    Field.create(name="会員番号", kind="text")
    with pytest.raises(SegmentError, match="日付の項目ではない"):
        reference_count(parse("days_since(会員番号) >= 1"))
    with pytest.raises(UnknownNameError):
        reference_count(parse("days_since(最終来店) >= 1"))


def test_rfm_group_by_its_japanese_name(store):
    ids = [add_friend(n) for n in range(10)]
    for n, friend in enumerate(ids):
        for k in range(n + 1):
            buy(friend, f"2025-0{1 + n % 9}-1{k % 10} 10:00:00", amount=100 * (n + 1), n=k)
    rfm_store.recompute()
    groups: dict[str, list[int]] = defaultdict(list)
    for friend_id, grp in PurchaseRfm.select(PurchaseRfm.friend, PurchaseRfm.grp).tuples():
        groups[grp].append(friend_id)
    for code, label in rfm.GROUPS.items():
        assert reference_friend_ids(parse(f"rfm_group = {label.ja}")) == sorted(groups[code])
    assert parse("rfm_group = 優良") == parse("rfm_group = best")
    assert to_text(parse("rfm_group = 優良")) == "rfm_group = 優良"
