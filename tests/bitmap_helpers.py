"""Random shops and trees for the bitmap engine's tests, and a plain-Python evaluation of a tree."""

from __future__ import annotations

import datetime as dt
import operator

from hypothesis import strategies as st

from shopline.core.segments import And, Compare, HasTag, Not, Or
from shopline.core.segments.fields import builtin, month_number
from shopline.store.inbox_models import Reaction
from shopline.store.models import Field, FieldValue, Friend, FriendTag, Tag

OPS = {"=": operator.eq, "!=": operator.ne, "<": operator.lt, "<=": operator.le, ">": operator.gt,
       ">=": operator.ge}
TAGS = ["t0", "t1", "t2", "t3"]
RANKS = ["gold", "silver", "ブロンズ"]


def _age(birthday: dt.date, today: dt.date) -> int:
    return today.year - birthday.year - ((today.month, today.day) < (birthday.month, birthday.day))


def evaluate(node, friend: dict, today: dt.date) -> bool:
    """What a tree means for one friend, written from DESIGN.md rather than from either engine."""
    if isinstance(node, And):
        return all(evaluate(i, friend, today) for i in node.items)
    if isinstance(node, Or):
        return any(evaluate(i, friend, today) for i in node.items)
    if isinstance(node, Not):
        return not evaluate(node.item, friend, today)
    if isinstance(node, HasTag):
        return node.name in friend["tags"]
    compare = OPS[node.op]
    if builtin(node.name) is None:
        value = friend[node.name]
        if node.name == "points":
            return value is not None and compare(value, float(node.value))
        if node.name == "visited":
            return value is not None and compare(value.isoformat(), dt.date.fromisoformat(node.value).isoformat())
        return value is not None and compare(value, node.value)
    if node.name in ("gender", "source"):
        return compare(friend[node.name], node.value)
    if node.name == "region":
        return friend["region"] is not None and compare(friend["region"], node.value)
    if node.name == "last_reaction_days":
        at = friend["reacted"]
        return at is not None and compare((today - at).days, node.value)
    birthday, followed = friend["birthday"], friend["followed_at"]
    if node.name == "age":
        return birthday is not None and compare(_age(birthday, today), node.value)
    if node.name == "birth_month":
        return birthday is not None and compare(birthday.month, month_number(node.value, today))
    return followed is not None and compare((today - followed).days, node.value)


dates = st.one_of(st.none(), st.dates(dt.date(1990, 1, 1), dt.date(2026, 3, 1)))
friends = st.fixed_dictionaries({
    "tags": st.sets(st.sampled_from(TAGS)),
    "status": st.sampled_from(["following", "following", "blocked", "unfollowed"]),
    "gender": st.sampled_from(["female", "male", "unknown"]),
    "region": st.sampled_from([None, "東京都", "大阪府"]),
    "source": st.sampled_from(["csv", "sync", "manual", "webhook"]),
    "birthday": dates, "followed_at": dates,
    "points": st.one_of(st.none(), st.integers(0, 5).map(float)),
    "rank": st.one_of(st.none(), st.sampled_from(RANKS)),
    "visited": st.one_of(st.none(), st.dates(dt.date(2025, 1, 1), dt.date(2025, 1, 10))),
    "reacted": st.one_of(st.none(), st.dates(dt.date(2025, 11, 1), dt.date(2025, 12, 31))),
})
ops = st.sampled_from(list(OPS))
equality = st.sampled_from(["=", "!="])
leaves = st.one_of(
    st.sampled_from(TAGS).map(HasTag),
    st.builds(Compare, st.just("points"), ops, st.integers(0, 5).map(str)),
    st.builds(Compare, st.just("rank"), equality, st.sampled_from(RANKS)),
    st.builds(Compare, st.just("visited"), ops, st.dates(dt.date(2025, 1, 1), dt.date(2025, 1, 10)).map(str)),
    st.builds(Compare, st.just("age"), ops, st.integers(0, 40)),
    st.builds(Compare, st.just("birth_month"), ops, st.sampled_from([1, 2, 6, 12, "this", "next"])),
    st.builds(Compare, st.just("friend_days"), ops, st.integers(0, 400)),
    st.builds(Compare, st.just("gender"), equality, st.sampled_from(["female", "male"])),
    st.builds(Compare, st.just("region"), equality, st.sampled_from(["東京都", "大阪府"])),
    st.builds(Compare, st.just("source"), equality, st.sampled_from(["csv", "webhook"])),
    # Not in the index: answered by the SQL compiler inside the bitmap algebra.
    st.builds(Compare, st.just("last_reaction_days"), ops, st.integers(0, 40)),
)
trees = st.recursive(leaves, lambda kids: st.one_of(
    kids.map(Not),
    st.lists(kids, min_size=2, max_size=3).map(lambda xs: And(tuple(xs))),
    st.lists(kids, min_size=2, max_size=3).map(lambda xs: Or(tuple(xs))),
), max_leaves=8)


def make_shop(data: list[dict]) -> list[int]:
    """A fresh shop holding `data`; the friends' row ids in order."""
    for model in (Reaction, FieldValue, FriendTag, Friend, Field, Tag):
        model.delete().execute()
    fields = {name: Field.create(name=name, kind=kind)
              for name, kind in (("points", "number"), ("rank", "text"), ("visited", "date"))}
    tag_ids = {name: Tag.create(name=name).id for name in TAGS}
    rows = []
    for n, friend in enumerate(data):
        row = Friend.create(user_id=f"U{n:032x}", status=friend["status"], gender=friend["gender"],
                            region=friend["region"], source=friend["source"], birthday=friend["birthday"],
                            followed_at=friend["followed_at"]).id
        FriendTag.insert_many([(row, tag_ids[t]) for t in friend["tags"]],
                              fields=[FriendTag.friend, FriendTag.tag]).execute()
        if friend["points"] is not None:
            FieldValue.create(friend=row, field=fields["points"], text_value=str(friend["points"]),
                              num_value=friend["points"])
        if friend["rank"] is not None:
            FieldValue.create(friend=row, field=fields["rank"], text_value=friend["rank"])
        if friend["visited"] is not None:
            FieldValue.create(friend=row, field=fields["visited"], text_value=friend["visited"].isoformat())
        if friend["reacted"] is not None:
            Reaction.create(friend=row, kind="message", at=dt.datetime.combine(friend["reacted"], dt.time(9)))
        rows.append(row)
    return rows


def expected(tree, data: list[dict], rows: list[int], today: dt.date) -> list[int]:
    return [row for row, friend in zip(rows, data, strict=True)
            if friend["status"] == "following" and evaluate(tree, friend, today)]


# One write the store might make; each is its own commit, as the store's services make them.
writes = st.one_of(
    st.tuples(st.just("tag"), st.integers(0, 13), st.sampled_from(TAGS)),
    st.tuples(st.just("untag"), st.integers(0, 13), st.sampled_from(TAGS)),
    st.tuples(st.just("status"), st.integers(0, 13), st.sampled_from(["following", "blocked"])),
    st.tuples(st.just("birthday"), st.integers(0, 13),
              st.one_of(st.none(), st.dates(dt.date(1990, 1, 1), dt.date(2025, 12, 1)).map(str))),
    st.tuples(st.just("gender"), st.integers(0, 13), st.sampled_from(["female", "male"])),
    st.tuples(st.just("points"), st.integers(0, 13), st.one_of(st.none(), st.integers(0, 5).map(float))),
    st.tuples(st.just("delete"), st.integers(0, 13), st.none()),
    st.tuples(st.sampled_from(["tag named", "untag named", "mixed"]), st.integers(0, 13), st.sampled_from(TAGS)),
    st.tuples(st.just("status named"), st.integers(0, 13), st.sampled_from(["following", "blocked"])),
    st.tuples(st.just("gender named"), st.integers(0, 13), st.sampled_from(["female", "male"])),
    st.tuples(st.just("points named"), st.integers(0, 13), st.one_of(st.none(), st.integers(0, 5).map(float))),
)


def write_row(kind: str, row: int, value) -> None:
    """One write to friend `row`, committed (also what the second process of the tests runs). The plain kinds
    write through peewee without naming what they touch (the index reloads what those tables feed); the
    `named` ones go through the store's own functions, which name it (the index patches itself in place);
    `mixed` names one write and not the other in one transaction."""
    from shopline.store import db, friend_edit, tags, write_log

    if kind == "tag named":
        tags.tag_friends([row], Tag.get(Tag.name == value).id)
    elif kind == "untag named":
        friend_edit.remove_tag([row], Tag.get(Tag.name == value).id)
    elif kind == "status named":
        with write_log.touching(friends=[row]):
            Friend.update(status=value).where(Friend.id == row).execute()
    elif kind == "gender named":
        friend_edit.edit_friend(row, friend_edit.Edit({"gender": value}, {}))
    elif kind == "points named":
        friend_edit.edit_friend(row, friend_edit.Edit({}, {Field.get(Field.name == "points").id:
                                                           "" if value is None else str(value)}))
    elif kind == "mixed":
        with db.atomic():
            friend_edit.add_tag([row], Tag.get(Tag.name == value).id)
            Friend.update(gender="male").where(Friend.id == row).execute()
    elif kind in ("tag", "untag"):
        tag = Tag.get(Tag.name == value)
        if kind == "tag":
            FriendTag.insert(friend=row, tag=tag).on_conflict_ignore().execute()
        else:
            FriendTag.delete().where((FriendTag.friend == row) & (FriendTag.tag == tag)).execute()
    elif kind in ("status", "birthday", "gender"):
        Friend.update({kind: value}).where(Friend.id == row).execute()
    elif kind == "points":
        field = Field.get(Field.name == "points")
        FieldValue.delete().where((FieldValue.friend == row) & (FieldValue.field == field)).execute()
        if value is not None:
            FieldValue.create(friend=row, field=field, text_value=str(value), num_value=value)
    else:
        Friend.delete().where(Friend.id == row).execute()


def mirror_write(kind: str, n: int, value, data: list[dict], rows: list) -> None:
    """The same write on the plain-Python copy of the shop."""
    friend = data[n]
    kind = {"tag named": "tag", "untag named": "untag", "status named": "status", "points named": "points",
             "gender named": "gender"}.get(
        kind, kind)
    if kind == "mixed":
        friend["tags"], friend["gender"] = friend["tags"] | {value}, "male"
    elif kind == "tag":
        friend["tags"] = friend["tags"] | {value}
    elif kind == "untag":
        friend["tags"] = friend["tags"] - {value}
    elif kind == "birthday":
        friend[kind] = None if value is None else dt.date.fromisoformat(value)
    elif kind in ("status", "gender", "points"):
        friend[kind] = value
    else:
        friend["status"] = "gone"  # never following again
        rows[n] = None


def writer_main(folder: str) -> None:
    """A second process: one committed write per line of JSON on stdin, `ok` after each."""
    import json
    import sys

    from shopline.store import open_store

    open_store(folder)
    for line in sys.stdin:
        kind, row, value = json.loads(line)
        write_row(kind, row, value)
        print("ok", flush=True)


if __name__ == "__main__":
    import sys

    writer_main(sys.argv[1])
