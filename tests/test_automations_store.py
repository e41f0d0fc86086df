"""The automation tables and FriendTag.added_at, through a real v5 -> v6 migration."""

from __future__ import annotations

import datetime as dt

import pytest
from peewee import IntegrityError

from shopline.store import close_store, open_store, schema
from shopline.store.automation_models import Enrolment, Scenario, StepSend
from shopline.store.connection import db
from shopline.store.models import Friend, FriendTag, Tag
from shopline.store.sqlite import insert_rows
from shopline.store.tags import tag_friends

V5_FRIEND_TAG = ('CREATE TABLE "friend_tag" ("friend_id" INTEGER NOT NULL, "tag_id" INTEGER NOT NULL, '
                 'PRIMARY KEY ("friend_id", "tag_id"), FOREIGN KEY ("friend_id") REFERENCES "friend" ("id") '
                 'ON DELETE CASCADE, FOREIGN KEY ("tag_id") REFERENCES "tag" ("id") ON DELETE CASCADE) WITHOUT ROWID')


def test_a_v5_database_gains_tag_times_and_automation_tables_after_a_backup(data_dir):
    open_store(data_dir)
    for table in ("lease", "schedule_run", "schedule", "step_send", "enrolment", "step", "scenario", "friend_tag"):
        db.execute_sql(f'DROP TABLE "{table}"')
    db.execute_sql(V5_FRIEND_TAG)
    db.execute_sql('CREATE UNIQUE INDEX "friend_tag_tag_id_friend_id" ON "friend_tag" ("tag_id", "friend_id")')
    db.execute_sql("UPDATE schema_version SET version = 5")
    friend = Friend.create(user_id="U" + "a" * 32)
    tag = Tag.create(name="VIP")
    db.execute_sql("INSERT INTO friend_tag (friend_id, tag_id) VALUES (?, ?)", (friend.id, tag.id))
    close_store()

    open_store(data_dir)
    assert schema.current_version() == schema.SCHEMA_VERSION  # v6 and every step after it
    assert list((data_dir / "backups").glob(f"*before-v{schema.SCHEMA_VERSION}.sqlite3"))
    old = FriendTag.get(FriendTag.friend == friend.id)
    assert old.added_at is None  # when it was added is not known
    assert "friend_tag_tag_id_friend_id" in {i.name for i in db.get_indexes("friend_tag")}
    assert {"scenario", "enrolment", "step_send", "lease"} <= set(db.get_tables())
    close_store()


def _recent(value) -> bool:
    when = value if isinstance(value, dt.datetime) else dt.datetime.fromisoformat(value)
    return abs(when - dt.datetime.now(dt.UTC).replace(tzinfo=None)) < dt.timedelta(minutes=5)


def test_every_way_of_adding_a_tag_records_when(store):
    friends = [Friend.create(user_id=f"U{i:032x}").id for i in range(3)]
    tag = Tag.create(name="VIP")
    tag_friends([friends[0]], tag.id)  # the window and the CLI
    insert_rows(db, "friend_tag", ["friend_id", "tag_id"], [(friends[1], tag.id)])  # CSV import's bulk path
    FriendTag.insert_many([(friends[2], tag.id)], fields=[FriendTag.friend, FriendTag.tag]).execute()
    times = [t for (t,) in FriendTag.select(FriendTag.added_at).tuples()]
    assert len(times) == 3 and all(t is not None and _recent(t) for t in times)


def test_a_step_goes_to_a_friend_once_per_entry(store):
    friend = Friend.create(user_id="U" + "b" * 32)
    now = dt.datetime.now(dt.UTC)
    scenario = Scenario.create(name="ご挨拶", body="{}", active_since=now)
    Enrolment.create(scenario=scenario, friend=friend, entered_at=now)
    StepSend.create(scenario=scenario, step=1, friend=friend, status="queued", due_at=now, at=now)
    with pytest.raises(IntegrityError):
        StepSend.create(scenario=scenario, step=1, friend=friend, status="queued", due_at=now, at=now)
    StepSend.create(scenario=scenario, step=1, friend=friend, cycle=2027, status="queued", due_at=now, at=now)
