"""RFM scoring in SQL agrees with core.rfm's rules, and purchases a friend gains later are scored at once."""

from __future__ import annotations

import datetime as dt
import random
from bisect import bisect_left

import pytest

from shopline.core import rfm as core_rfm
from shopline.purchases import link, rfm
from shopline.store import settings
from shopline.store.friend_edit import Edit, edit_friend
from shopline.store.models import Field, FieldValue, Friend, db
from shopline.store.purchase_models import Purchase, PurchaseRfm, _group


def add(friend_id, customer, day, amount, order=""):
    n = Purchase.select().count()
    Purchase.create(friend=friend_id, customer=customer, at=dt.datetime(2024, 1, 1) + dt.timedelta(days=day),
                    order_id=order, amount=amount, dedupe=n.to_bytes(8, "big"))


def test_the_sql_group_rule_is_core_rfms(store):
    for r in range(1, 6):
        for f in range(1, 6):
            (got,) = db.execute_sql(f"SELECT {_group(str(r), str(f))}").fetchone()
            assert got == core_rfm.group(r, f), (r, f)


def test_recompute_in_one_sql_pass_scores_as_core_rfm_does(store):
    rng = random.Random(16)
    friends = [Friend.create(user_id=f"U{i:032x}").id for i in range(60)]
    for friend_id in friends[:50]:
        for k in range(rng.randint(1, 6)):
            add(friend_id, "x", rng.randint(0, 30), rng.choice([100, 300, 500, 500]), order=f"{friend_id}-{k % 3}")
    assert rfm.recompute() == 50
    rows = list(PurchaseRfm.select().order_by(PurchaseRfm.friend).tuples())
    expected = core_rfm.score([str(r[1]) for r in rows], [r[2] for r in rows], [r[3] for r in rows])
    assert [(r[4], r[5], r[6], r[7]) for r in rows] == [(s.r, s.f, s.m, s.group) for s in expected]
    totals = {r[0]: r[3] for r in rows}
    assert totals == {f: sum(p.amount for p in Purchase.select().where(Purchase.friend == f)) for f in friends[:50]}


def test_linking_the_member_field_rescores_in_the_same_transaction(store):
    field = Field.create(name="会員番号", kind="text")
    old, new = Friend.create(user_id="U" + "1" * 32), Friend.create(user_id="U" + "2" * 32)
    add(old.id, old.user_id, 0, 100)
    FieldValue.create(friend=new, field=field, text_value="M9")
    add(None, "M9", 40, 900)
    rfm.recompute()
    assert link.set_member_field("会員番号") == 1
    assert {s.friend_id: (s.r, s.m) for s in PurchaseRfm.select()} == {old.id: (1, 1), new.id: (3, 3)}
    assert not settings.PURCHASES_RFM_STALE.get()


def test_a_friend_the_trigger_attaches_is_scored_against_the_others_at_once(store):
    field = Field.create(name="会員番号", kind="text")
    link.set_member_field("会員番号")
    buyers = [Friend.create(user_id=f"U{i:032x}") for i in range(4)]
    for i, friend in enumerate(buyers):
        add(friend.id, friend.user_id, i, 100 * (i + 1))
    add(None, "M1", 99, 10_000)
    rfm.recompute()
    late = Friend.create(user_id="U" + "f" * 32)
    edit_friend(late.id, Edit({}, {field.id: "M1"}))
    score = PurchaseRfm.get(PurchaseRfm.friend == late.id)
    # Latest and largest of five: 1 + 5 * 4 // 5 = 5 on R and M; as the full pass says.
    assert (score.last_at, score.spent, score.r, score.f, score.m) == (dt.datetime(2024, 4, 9), 10_000, 5, 1, 5)
    assert settings.PURCHASES_RFM_STALE.get()  # the others' ranks are redone by the next full pass
    assert rfm.refresh_if_stale() and PurchaseRfm.get(PurchaseRfm.friend == late.id).r == 5


@pytest.mark.parametrize("seed", range(6))
def test_the_boundaries_score_an_attached_friend_as_ranking_against_the_others_would(store, seed):
    rng = random.Random(seed)
    field = Field.create(name="会員番号", kind="text")
    link.set_member_field("会員番号")
    for i in range(rng.randint(1, 40)):
        friend = Friend.create(user_id=f"U{i:032x}")
        for k in range(rng.randint(1, 4)):
            add(friend.id, friend.user_id, rng.randint(0, 20), rng.choice([100, 200, 300]), order=f"{i}-{k}")
    for k in range(rng.randint(1, 4)):
        add(None, "M1", rng.randint(0, 20), rng.choice([100, 200, 300, 400]), order=f"late-{k}")
    rfm.recompute()
    others = list(PurchaseRfm.select().tuples())
    late = Friend.create(user_id="U" + "f" * 32)
    edit_friend(late.id, Edit({}, {field.id: "M1"}))
    got = PurchaseRfm.get(PurchaseRfm.friend == late.id)

    def rank(values, v):  # as core.rfm ranks, against the others; above them all is still 5
        return min(5, 1 + 5 * bisect_left(sorted(values), v) // len(values))

    assert (got.r, got.f, got.m) == (rank([str(o[1]) for o in others], str(got.last_at)),
                                     rank([o[2] for o in others], got.orders), rank([o[3] for o in others], got.spent))
    assert got.grp == core_rfm.group(got.r, got.f)
