"""Segments far larger than a person draws, as a shop that pastes a list of hundreds of tags makes them.

SQLite refuses a compound select of more than 500 terms and an expression more than
1,000 deep; each shape below once hit one of those. Every count is checked against
the plain-Python evaluation the property test uses, under each plan the compiler has.
"""

from __future__ import annotations

import datetime as dt
import random

import pytest
from test_segments_sql import TODAY, evaluate

from shopline.core.segments import And, Compare, HasTag, Node, Not, Or, parse, to_text
from shopline.store import segment_sql
from shopline.store.models import Field, FieldValue, Friend, FriendTag, Tag
from shopline.store.segment_sql import count, friend_ids

TAG_COUNT = 2_000


@pytest.fixture(scope="module")
def shop(tmp_path_factory):
    """2,000 tags; a friend holding all of them, one holding none, and 40 holding a random few."""
    from shopline.store import close_store, open_store

    open_store(tmp_path_factory.mktemp("large"))
    rng = random.Random(5)
    tag_ids = {f"t{i}": Tag.insert(name=f"t{i}", colour="#000000").execute() for i in range(TAG_COUNT)}
    points = Field.create(name="points", kind="number")
    people = []
    for n in range(42):
        tags = set(tag_ids) if n == 0 else set() if n == 1 else {t for t in tag_ids if rng.random() < 0.05}
        person = {
            "tags": tags, "status": "blocked" if n % 7 == 3 else "following",
            "gender": rng.choice(["female", "male", "unknown"]), "region": None,
            "birthday": rng.choice([None, dt.date(1980, 5, 1), dt.date(2001, 1, 1)]), "followed_at": None,
            "points": rng.choice([None, 0.0, 1.0, 2.0]),
        }
        person["id"] = Friend.create(user_id=f"U{n:032x}", status=person["status"], gender=person["gender"],
                                     birthday=person["birthday"]).id
        FriendTag.insert_many([(person["id"], tag_ids[t]) for t in tags],
                              fields=[FriendTag.friend, FriendTag.tag]).execute()
        if person["points"] is not None:
            FieldValue.create(friend=person["id"], field=points, text_value=str(person["points"]),
                              num_value=person["points"])
        people.append(person)
    yield people
    close_store()


def _tags(n: int) -> list[HasTag]:
    return [HasTag(f"t{i}") for i in range(n)]


def _mixed(i: int) -> Node:
    kind = i % 4
    if kind == 0:
        return HasTag(f"t{i}") if i % 8 else Not(HasTag(f"t{i}"))
    if kind == 1:
        return Compare("points", ">=", str(i % 2))
    if kind == 2:
        return Compare("age", "<", 60 + i % 40)
    return Or((HasTag(f"t{i}"), Compare("gender", "=", "female")))


SHAPES = {
    "OR of tags": lambda n: Or(tuple(_tags(n))),
    "AND of NOT tags": lambda n: And(tuple(Not(t) for t in _tags(n))),
    "AND of tags": lambda n: And(tuple(_tags(n))),
    "OR of NOT tags": lambda n: Or(tuple(Not(t) for t in _tags(n))),
    "AND of mixed conditions": lambda n: And(tuple(_mixed(i) for i in range(n))),
    "OR of mixed conditions": lambda n: Or(tuple(And((_mixed(i), _mixed(i + 1))) for i in range(n // 2))),
    "tags AND NOT tags": lambda n: And((Or(tuple(_tags(n // 2))),
                                        *(Not(HasTag(f"t{i}")) for i in range(n // 2, n)))),
}


@pytest.mark.parametrize("plan", ["chosen", "merge", "probe"])
@pytest.mark.parametrize("size", [800, 2_000])
@pytest.mark.parametrize("shape", list(SHAPES))
def test_large_trees_count_like_python(shop, monkeypatch, plan, size, shape):
    if plan != "chosen":  # force the planner's hand, as test_sql_matches_python does
        for constant in ("_MERGE_FRIEND", "_MERGE_TAG"):
            monkeypatch.setattr(segment_sql, constant, 0.0 if plan == "merge" else 1e9)
    tree = SHAPES[shape](size)
    expected = [p["id"] for p in shop if p["status"] == "following" and evaluate(tree, p, TODAY)]
    assert count(tree, today=TODAY) == len(expected)
    assert friend_ids(tree, today=TODAY) == expected


def test_pasted_list_of_800_tags_gets_a_count(shop):
    text = " OR ".join(f"t{i}" for i in range(800))
    assert to_text(parse(text)) == text
    assert count(parse(text)) == sum(1 for p in shop if p["status"] == "following" and p["tags"] & {
        f"t{i}" for i in range(800)})
    assert count(parse(" AND ".join(f"NOT t{i}" for i in range(800)))) == sum(
        1 for p in shop if p["status"] == "following" and not p["tags"] & {f"t{i}" for i in range(800)})
