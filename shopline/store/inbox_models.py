"""What the relay's events left in the store: which events were applied, reactions, and keyword rules.

The cursor of the relay's queue lives in Setting (inbox.cursor), written in the same transaction
as the events' effects and their InboxEvent rows: that is what makes applying exactly-once.
"""

from __future__ import annotations

from peewee import CharField, CompositeKey, DateTimeField, ForeignKeyField, IntegerField

from shopline.store.models import BaseModel, Friend, now


class InboxEvent(BaseModel):
    """One relay event already applied (LINE's webhookEventId, or the relay's click ID)."""

    event_id = CharField(max_length=140, primary_key=True)
    kind = CharField(max_length=16)  # follow / unfollow / message / postback / click / other
    applied_at = DateTimeField(default=now)

    class Meta:
        without_rowid = True


class Reaction(BaseModel):
    """A friend's latest reaction of each kind (message, postback, click): the time, and what it said."""

    friend = ForeignKeyField(Friend, on_delete="CASCADE", column_name="friend_id", index=False)
    kind = CharField(max_length=12)
    at = DateTimeField()  # the event's time, local, like every other time in the store
    detail = CharField(max_length=300, default="")  # message text or postback data, cut short

    class Meta:
        primary_key = CompositeKey("friend", "kind")
        without_rowid = True


class InboxClock(BaseModel):
    """Per friend and topic ("status", "tag:NAME"): the time of the latest event applied to it.

    LINE may deliver out of order; an event older than its topic's clock changes nothing.
    """

    friend = ForeignKeyField(Friend, on_delete="CASCADE", column_name="friend_id", index=False)
    topic = CharField(max_length=48)
    at = IntegerField()  # LINE's timestamp, milliseconds since the epoch

    class Meta:
        primary_key = CompositeKey("friend", "topic")
        without_rowid = True


class KeywordRule(BaseModel):
    """A message containing `keyword` (folded, case-insensitive) gives its sender `tag`."""

    keyword = CharField(max_length=100)
    tag = CharField(max_length=40)  # folded tag name; the tag is made when a message first matches
    created_at = DateTimeField(default=now)

    class Meta:
        indexes = ((("keyword", "tag"), True),)


INBOX_MODELS: list[type[BaseModel]] = [InboxEvent, Reaction, InboxClock, KeywordRule]
