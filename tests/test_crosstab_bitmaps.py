"""The cross table's bitmap path against its reference GROUP BY, over random shops: the same keys, the same counts."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from shopline.core.crosstab import Dimension
from shopline.core.segments import Compare, HasTag, Not
from shopline.results import crosstab_bitmaps
from shopline.results.crosstab import crosstab, reference_crosstab
from shopline.store import db
from shopline.store.bitmaps import engine
from shopline.store.models import Field, FieldValue, Friend, FriendTag, Tag

FOLDERS = {"会員": ["ゴールド", "シルバー", "ブロンズ"], "購入商品": ["靴", "鞄", "帽子", "傘"]}
OTHERS = [Dimension("gender"), Dimension("age_band"), Dimension("birth_month"), Dimension("region"),
          Dimension("friend_days_band"), Dimension("field", "好きな色"), Dimension("folder", "購入商品")]
# Leap days on both sides: a birthday on 29 February and a today on 28 February or 1 March.
dates = st.one_of(st.dates(dt.date(1930, 1, 1), dt.date(2024, 12, 31)), st.sampled_from(
    [dt.date(2000, 2, 29), dt.date(2004, 2, 29), dt.date(2005, 2, 28), dt.date(2005, 3, 1)]))
friends = st.fixed_dictionaries({
    "gender": st.sampled_from(["female", "male", "other", "unknown"]),
    "region": st.sampled_from(["東京都", "大阪府", "沖縄県", None]),
    "birthday": st.one_of(st.none(), dates),
    "followed_at": st.one_of(st.none(), st.datetimes(dt.datetime(2022, 1, 1), dt.datetime(2025, 3, 1))),
    "status": st.sampled_from(["following", "following", "following", "blocked"]),
    "tags": st.sets(st.sampled_from([t for tags in FOLDERS.values() for t in tags] + ["VIP"])),
    "colour": st.sampled_from(["赤", "青", "", None]),
})
todays = st.sampled_from([dt.date(2025, 2, 28), dt.date(2025, 3, 1), dt.date(2024, 2, 29), dt.date(2025, 12, 10)])
segments = st.sampled_from([None, HasTag("VIP"), Not(HasTag("VIP")), Compare("gender", "=", "female")])


def make_shop(data: list[dict]) -> None:
    for folder, names in FOLDERS.items():
        for name in names:
            Tag.get_or_create(name=name, folder=folder)
    Tag.get_or_create(name="VIP")
    colour, _ = Field.get_or_create(name="好きな色", kind="text")
    tags = dict(Tag.select(Tag.name, Tag.id).tuples())
    for n, f in enumerate(data):
        friend = Friend.create(user_id=f"U{n:032x}", display_name=f"f{n}", gender=f["gender"], region=f["region"],
                               birthday=f["birthday"], followed_at=f["followed_at"], status=f["status"])
        for name in f["tags"]:
            FriendTag.insert(friend=friend, tag=tags[name]).execute()
        if f["colour"] is not None:
            FieldValue.insert(friend=friend, field=colour, text_value=f["colour"]).execute()


def same(found, want) -> None:
    assert found.counts == want.counts
    assert (found.row_keys, found.col_keys) == (want.row_keys, want.col_keys)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.lists(friends, max_size=25), today=todays, segment=segments)
def test_a_folder_against_every_dimension_counts_as_the_reference(store, data, today, segment):
    Friend.delete().execute()
    make_shop(data)
    assert engine.usable()  # the engine answers, not its fallback
    folder = Dimension("folder", "会員")
    for other in OTHERS:
        same(crosstab(folder, other, segment, today), reference_crosstab(folder, other, segment, today))
        same(crosstab(other, folder, segment, today), reference_crosstab(other, folder, segment, today))


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.lists(friends, max_size=25), today=todays, segment=segments)
def test_inside_a_transaction_the_sql_loads_give_the_same_table(store, data, today, segment):
    Friend.delete().execute()
    make_shop(data)
    folder = Dimension("folder", "購入商品")
    with db.atomic():
        assert not engine.usable()
        for other in OTHERS[:3]:
            same(crosstab(folder, other, segment, today), reference_crosstab(folder, other, segment, today))


def test_a_value_the_engine_does_not_list_is_keyed_by_the_reference(store):
    """A region written outside the app's normalisers still lands under its own key, as the reference puts it."""
    make_shop([{"gender": "female", "region": "東京都", "birthday": None, "followed_at": None,
                "status": "following", "tags": {"靴"}, "colour": None}] * 3)
    db.execute_sql("UPDATE friend SET region = 'Tokyo' WHERE id = (SELECT min(id) FROM friend)")
    table = crosstab(Dimension("region"), Dimension("folder", "購入商品"))
    assert table.counts == {("東京都", "靴"): 2, ("Tokyo", "靴"): 1}


def test_a_missing_folder_is_named(store):
    with pytest.raises(Exception, match="ない"):
        crosstab_bitmaps.crosstab(Dimension("folder", "ない"), Dimension("gender"), None, None)
