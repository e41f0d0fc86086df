"""A/B tests (issue 20): a test, its variants (each its own campaign) and who was assigned where.

An Assignment is unique per (test, friend): no friend is in two variants of a test. A friend with
no variant key is held back for the winner. The seed that made the split is kept with the test, so the
split can be shown and re-derived (core/absplit.py); the assignments themselves are the record.
"""

from __future__ import annotations

from peewee import BigIntegerField, CharField, DateTimeField, FloatField, ForeignKeyField, IntegerField, TextField

from shopline.store.campaign_models import Campaign
from shopline.store.models import BaseModel, Friend, now


class ABTest(BaseModel):
    METRICS = ("open", "click", "conversion")
    id: int
    name = CharField(max_length=60, unique=True)
    segment_tree = TextField()  # JSON, as split
    segment_text = TextField()
    metric = CharField(max_length=12)
    test_share = IntegerField()  # percent of the segment tested; 100: everyone split evenly, nobody held back
    seed = BigIntegerField()
    baseline_rate = FloatField(null=True)  # the usual rate the detectable difference was worked out from
    conversion_tag = CharField(max_length=80, null=True)
    conversion_days = IntegerField(default=7)
    purchase_days = IntegerField(null=True)
    winner_key = CharField(max_length=1, null=True)
    winner_campaign = ForeignKeyField(Campaign, null=True, column_name="winner_campaign_id", index=False)
    created_at = DateTimeField(default=now)


class Variant(BaseModel):
    id: int
    test = ForeignKeyField(ABTest, backref="variants", on_delete="CASCADE", index=False)
    key = CharField(max_length=1)  # A, B, C, D
    label = TextField(default="")  # where its message came from: a file, a template, the composer
    messages = TextField()  # JSON: the LINE message objects as checked, before freezing, for the winner's send
    campaign = ForeignKeyField(Campaign, unique=True)

    class Meta:
        indexes = ((("test", "key"), True),)


class Assignment(BaseModel):
    test = ForeignKeyField(ABTest, on_delete="CASCADE", index=False)
    friend = ForeignKeyField(Friend, on_delete="CASCADE", index=False)
    # The variant's key rather than a link to it: the assignment is written first, and each variant's
    # campaign is frozen from it (a subquery, so a segment of 100,000 needs no list of ids in the SQL).
    key = CharField(max_length=1, null=True)  # None: held back for the winner

    class Meta:
        primary_key = False
        indexes = ((("test", "friend"), True), (("test", "key"), False))


ABTEST_MODELS: list[type[BaseModel]] = [ABTest, Variant, Assignment]


def install() -> None:
    """The A/B test tables (schema version 10)."""
    from shopline.store.base import db

    db.create_tables(ABTEST_MODELS)
