"""Peewee models of the shop's data (DESIGN.md, "Data model")."""

from __future__ import annotations

from peewee import (
    SQL,
    AutoField,
    CharField,
    CompositeKey,
    DateField,
    DateTimeField,
    FloatField,
    ForeignKeyField,
    IntegerField,
    TextField,
)

# BaseModel, db and now live in base.py; re-exported because every model module imports them from here.
from shopline.store.base import BaseModel, db, now

__all__ = ["ALL_MODELS", "BaseModel", "Field", "FieldValue", "Friend", "FriendTag", "SchemaVersion", "Segment",
           "Setting", "Tag", "db", "now"]


class SchemaVersion(BaseModel):
    version = IntegerField()
    changed_at = DateTimeField(default=now)


class Friend(BaseModel):
    id = AutoField()  # what peewee adds by itself, spelled out so type checkers see it
    user_id = CharField(max_length=33, unique=True)
    display_name = TextField(default="")
    picture_url = TextField(null=True)
    language = CharField(max_length=16, null=True)
    gender = CharField(max_length=8, default="unknown")  # female / male / other / unknown
    birthday = DateField(null=True)
    region = CharField(max_length=8, null=True)  # a prefecture, 東京都
    followed_at = DateField(null=True)
    status = CharField(max_length=12, default="following", index=True)  # following / blocked / unfollowed
    memo = TextField(default="")
    source = CharField(max_length=8, default="manual")  # csv / sync / manual / demo
    created_at = DateTimeField(default=now)
    updated_at = DateTimeField(default=now)


class Tag(BaseModel):
    id = AutoField()
    name = CharField(max_length=40, unique=True)  # folded (core.tags.validate_tag_name)
    folder = CharField(max_length=40, default="")
    colour = CharField(max_length=7, default="#4caf50")
    description = TextField(default="")
    created_at = DateTimeField(default=now)


class FriendTag(BaseModel):
    # index=False: the primary key (friend, tag) and the (tag, friend) index already lead with each column.
    friend = ForeignKeyField(Friend, on_delete="CASCADE", column_name="friend_id", index=False)
    tag = ForeignKeyField(Tag, on_delete="CASCADE", column_name="tag_id", index=False)
    # When the tag was added (UTC, naive: SQLite's CURRENT_TIMESTAMP), by anyone: the database fills it, so bulk
    # inserts naming only friend and tag keep working. NULL for links older than the column.
    added_at = DateTimeField(null=True, constraints=[SQL("DEFAULT CURRENT_TIMESTAMP")])

    class Meta:
        primary_key = CompositeKey("friend", "tag")
        without_rowid = True
        indexes = ((("tag", "friend"), True),)


class Field(BaseModel):
    """A custom 友だち情報 field; a CSV column the app does not know becomes one."""

    KINDS = ("text", "number", "date", "choice")
    id = AutoField()
    name = CharField(max_length=60, unique=True)
    kind = CharField(max_length=8, default="text")
    choices = TextField(default="")  # JSON list, for kind == choice
    position = IntegerField(default=0)  # column order in exports
    created_at = DateTimeField(default=now)


class FieldValue(BaseModel):
    # index=False: the primary key (friend, field) and the (field, ...) indexes already lead with each column.
    friend = ForeignKeyField(Friend, on_delete="CASCADE", column_name="friend_id", index=False)
    field = ForeignKeyField(Field, on_delete="CASCADE", column_name="field_id", index=False)
    text_value = TextField(default="")  # as the shop wrote it (dates as YYYY-MM-DD)
    num_value = FloatField(null=True)  # for number fields, so comparisons are numeric

    class Meta:
        primary_key = CompositeKey("friend", "field")
        without_rowid = True
        indexes = (
            (("field", "text_value"), False),
            (("field", "num_value"), False),
        )


class Segment(BaseModel):
    id = AutoField()
    name = CharField(max_length=80, unique=True)
    tree = TextField()  # JSON form of core.segments
    created_at = DateTimeField(default=now)
    updated_at = DateTimeField(default=now)


class Setting(BaseModel):
    """Non-secret settings (plan, channel basic ID and name, last sync). Never the token."""

    key = CharField(max_length=64, primary_key=True)
    value = TextField(default="")


ALL_MODELS: list[type[BaseModel]] = [SchemaVersion, Friend, Tag, FriendTag, Field, FieldValue, Segment, Setting]
