"""What 効果測定 keeps: LINE's figures as last fetched, the account per day, the shared hourly limit, goals.

Every figure carries the time it was fetched, so the window shows the last figures offline and
says how old they are. A NULL figure is LINE's null (fewer than 20 users), never a zero.
"""

from __future__ import annotations

from peewee import (
    BooleanField,
    CharField,
    CompositeKey,
    DateField,
    DateTimeField,
    FloatField,
    ForeignKeyField,
    IntegerField,
    TextField,
)

from shopline.store.campaign_models import Campaign
from shopline.store.models import BaseModel


class InsightSnapshot(BaseModel):
    """A campaign unit's figures from `GET /v2/bot/insight/message/event/aggregation`, as last fetched."""

    campaign = ForeignKeyField(Campaign, on_delete="CASCADE", primary_key=True)
    unit = CharField(max_length=30)
    impressions = IntegerField(null=True)  # uniqueImpression
    clicks = IntegerField(null=True)  # uniqueClick
    media_played = IntegerField(null=True)
    urls = TextField(default="[]")  # JSON [{seq, url, clicks, unique_clicks, unique_clicks_of_request}]
    range_from = DateField()
    range_to = DateField()
    fetched_at = DateTimeField()  # aware UTC, stored as ISO text by peewee
    final = BooleanField(default=False)  # fetched 14 days or more after the send: never asked again


class FollowerDay(BaseModel):
    """The account on one UTC+9 day (`GET /v2/bot/insight/followers`); NULL figures until LINE is ready."""

    day = DateField(primary_key=True)
    status = CharField(max_length=16)  # ready / unready / out_of_service
    followers = IntegerField(null=True)
    targeted_reaches = IntegerField(null=True)
    blocks = IntegerField(null=True)
    fetched_at = DateTimeField()


class RateSlot(BaseModel):
    """One request an hourly limit counted (epoch seconds), shared by every process on this data folder."""

    channel = CharField(max_length=16)
    family = CharField(max_length=16)
    at = FloatField()

    class Meta:
        indexes = ((("channel", "family", "at"), False),)


class RateHold(BaseModel):
    """LINE answered 429: nobody on this channel and family asks before `until` (epoch seconds)."""

    channel = CharField(max_length=16)
    family = CharField(max_length=16)
    until = FloatField()

    class Meta:
        primary_key = CompositeKey("channel", "family")
        without_rowid = True


class CampaignGoal(BaseModel):
    """The shop's targets (目標) for a campaign and what counts as its conversion (コンバージョン)."""

    campaign = ForeignKeyField(Campaign, on_delete="CASCADE", primary_key=True)
    open_rate = FloatField(null=True)  # fractions: 0.4 is 40%
    click_rate = FloatField(null=True)
    conversion_rate = FloatField(null=True)
    conversion_tag = CharField(max_length=40, null=True)  # a folded tag name gained after the send
    conversion_days = IntegerField(default=7)  # within this many days of the send
    purchase_days = IntegerField(null=True)  # a purchase within N days counts, once purchases exist


INSIGHT_MODELS: list[type[BaseModel]] = [InsightSnapshot, FollowerDay, RateSlot, RateHold, CampaignGoal]
