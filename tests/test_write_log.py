"""The row each commit leaves in store_write (store/write_log.py): every way a write can reach the database
leaves one, in the same transaction, naming what the writer named and nothing it did not."""

from __future__ import annotations

import json

import pytest

from shopline.store import db, tags, write_log
from shopline.store.models import Field, FieldValue, Friend, FriendTag, Tag


def rows_after(n: int) -> list[tuple[str, dict | None]]:
    found = db.execute_sql(f"SELECT tables, places FROM {write_log.TABLE} WHERE n > ? ORDER BY n", (n,)).fetchall()
    return [(tables, json.loads(places) if places else None) for tables, places in found]


def last() -> int:
    return int(db.execute_sql(f"SELECT coalesce(max(n), 0) FROM {write_log.TABLE}").fetchone()[0])


@pytest.fixture
def shop(store):
    friends = [Friend.create(user_id=f"U{n:032x}").id for n in range(3)]
    tag = Tag.create(name="VIP")
    return friends, tag.id


def test_each_way_of_writing_leaves_one_row(shop):
    friends, tag = shop
    start = last()
    Tag.create(name="常連")  # peewee, outside a transaction: wrapped in one
    db.connection().execute("UPDATE tag SET colour = 'red'")  # the raw connection's own execute
    with db.atomic():
        db.cursor().executemany("INSERT INTO friend_tag (friend_id, tag_id) VALUES (?, ?)",
                                [(f, tag) for f in friends])  # a raw cursor, as the bulk writers use
        Tag.create(name="新規")
    assert [tables for tables, _ in rows_after(start)] == ["tag", "tag", "friend_tag,tag"]


def test_reads_and_rollbacks_leave_none(shop):
    friends, tag = shop
    start = last()
    with db.atomic():
        list(Friend.select())
    with db.atomic() as transaction:
        FriendTag.create(friend=friends[0], tag=tag)
        transaction.rollback()
    with pytest.raises(ZeroDivisionError), db.atomic():
        FriendTag.create(friend=friends[0], tag=tag)
        raise ZeroDivisionError
    assert rows_after(start) == [] and FriendTag.select().count() == 0


def test_what_the_writer_names_is_in_the_row(shop):
    friends, tag = shop
    start = last()
    tags.tag_friends(friends[:2], tag)
    tags.untag_friends(friends[:1], tag)
    assert rows_after(start) == [("friend_tag", {"t": {str(tag): friends[:2]}, "tf": []}),
                                 ("friend_tag", {"t": {str(tag): friends[:1]}, "tf": []})]


def test_a_write_nobody_named_makes_its_table_whole(shop):
    friends, tag = shop
    start = last()
    with db.atomic():
        tags.tag_friends(friends[:1], tag)  # named
        FriendTag.create(friend=friends[2], tag=tag)  # not
    with db.atomic(), write_log.touching(fields=[1]):
        FriendTag.create(friend=friends[1], tag=Tag.create(name="x"))  # named, but not as a tag change
    assert rows_after(start) == [("friend_tag", None), ("friend_tag,tag", None)]


def test_cascades_and_triggers_reach_the_tables_they_change(shop):
    friends, tag = shop
    tags.tag_friends(friends, tag)
    field = Field.create(name="会員番号", kind="text")
    FieldValue.create(friend=friends[0], field=field, text_value="A1")
    start = last()
    Tag.delete().where(Tag.id == tag).execute()  # ON DELETE CASCADE empties its links
    Friend.create(user_id="U" + "f" * 32)  # the purchase-attaching trigger may write purchases
    Field.delete().where(Field.id == field.id).execute()
    written = [set(tables.split(",")) for tables, _ in rows_after(start)]
    assert {"tag", "friend_tag"} <= written[0]
    assert {"friend", "purchase", "purchase_rfm"} <= written[1]
    assert {"field", "field_value"} <= written[2]


def test_a_schema_change_is_unknown(shop):
    start = last()
    with db.atomic():
        db.execute_sql("CREATE TABLE scratch (x)")
        db.execute_sql("CREATE INDEX scratch_x ON scratch (x)")
    with db.atomic():
        db.execute_sql("CREATE INDEX IF NOT EXISTS friend_display ON friend (display_name)")  # harmless alone
        FriendTag.delete().execute()
    assert [tables for tables, _ in rows_after(start)] == [write_log.UNKNOWN, "friend_tag"]


def test_old_rows_are_pruned(shop, monkeypatch):
    monkeypatch.setattr(write_log, "KEEP", 10)
    for n in range(300):
        Tag.update(colour=str(n)).execute()
    kept = db.execute_sql(f"SELECT min(n), max(n) FROM {write_log.TABLE}").fetchone()
    assert kept[1] - kept[0] < 300 and kept[1] - kept[0] >= 10


def test_a_big_change_names_nothing(shop, monkeypatch):
    friends, tag = shop
    monkeypatch.setattr(write_log, "_MAX_PLACES", 2)
    start = last()
    tags.tag_friends(friends, tag)
    assert rows_after(start) == [("friend_tag", None)]


def test_a_trigger_made_after_the_first_write_is_followed(shop):
    friends, tag = shop
    Tag.update(colour="red").execute()  # this connection has worked out what a tag write reaches
    db.execute_sql("CREATE TRIGGER tag_touch AFTER UPDATE ON tag BEGIN DELETE FROM friend_tag; END")
    start = last()
    Tag.update(colour="blue").execute()
    assert set(rows_after(start)[0][0].split(",")) == {"tag", "friend_tag"}
