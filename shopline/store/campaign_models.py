"""Campaigns and their delivery journal (DESIGN.md, "Delivery: exactly once per friend").

Recipient's (campaign, friend) uniqueness is what makes "once per friend" hold;
a Batch's retry key is made before its first attempt and never changes while
LINE can still remember it.
"""

from __future__ import annotations

from peewee import CharField, DateTimeField, ForeignKeyField, IntegerField, TextField

from shopline.store.models import BaseModel, Friend, now


class Campaign(BaseModel):
    STATUSES = ("ready", "sending", "paused_quota", "paused_token", "paused", "done", "failed")
    name = CharField(max_length=80, unique=True)
    segment_tree = TextField()  # JSON, as frozen
    segment_text = TextField()  # the text form the shop saw
    messages = TextField()  # JSON list of LINE message objects
    unit = CharField(max_length=30)  # customAggregationUnits name
    status = CharField(max_length=16, default="ready")
    recipients = IntegerField(default=0)
    delivered = IntegerField(default=0)
    failed = IntegerField(default=0)
    estimate = TextField(default="")  # JSON of the estimate shown before sending
    last_error = TextField(default="")
    created_at = DateTimeField(default=now)
    started_at = DateTimeField(null=True)
    finished_at = DateTimeField(null=True)


class Batch(BaseModel):
    STATUSES = ("pending", "accepted", "failed")
    campaign = ForeignKeyField(Campaign, backref="batches", on_delete="CASCADE", index=False)
    seq = IntegerField()
    retry_key = CharField(max_length=36)
    status = CharField(max_length=10, default="pending")
    size = IntegerField()
    attempts = IntegerField(default=0)
    first_attempt_at = DateTimeField(null=True)  # LINE remembers the key for 24 hours from here
    last_status = IntegerField(null=True)  # HTTP status of the last answer; 0 = no answer
    last_message = TextField(default="")
    accepted_request_id = CharField(max_length=64, default="")
    done_at = DateTimeField(null=True)

    class Meta:
        indexes = ((("campaign", "seq"), True), (("campaign", "status"), False))


class Recipient(BaseModel):
    # index=False where the (campaign, friend) and (batch) indexes below already cover the column.
    campaign = ForeignKeyField(Campaign, on_delete="CASCADE", index=False)
    friend = ForeignKeyField(Friend, on_delete="CASCADE")
    batch = ForeignKeyField(Batch, on_delete="CASCADE", index=False)
    user_id = CharField(max_length=33)  # frozen: the ID the request carried

    class Meta:
        indexes = ((("campaign", "friend"), True), (("batch",), False))


CAMPAIGN_MODELS: list[type[BaseModel]] = [Campaign, Batch, Recipient]
