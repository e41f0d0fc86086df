"""Tracked links and their clicks (issue 19): who clicked which link of which campaign.

A TrackedLink is one friend's short link (relay /r/CODE) for one URL of one campaign, made when the
campaign is frozen and registered on the relay before the first message leaves (`registered`). A
Click comes back through the inbox as the relay's click event; its event ID keeps it once.
"""

from __future__ import annotations

from peewee import BooleanField, CharField, DateTimeField, ForeignKeyField, TextField

from shopline.store.campaign_models import Campaign
from shopline.store.models import BaseModel, Friend


class TrackedLink(BaseModel):
    code = CharField(max_length=24, primary_key=True)
    campaign = ForeignKeyField(Campaign, on_delete="CASCADE", column_name="campaign_id", index=False)
    friend = ForeignKeyField(Friend, on_delete="CASCADE", column_name="friend_id", index=False)
    url = TextField()  # where /r/CODE redirects: the URL as the shop wrote it
    registered = BooleanField(default=False)  # the relay has it: a friend may be sent it

    class Meta:
        without_rowid = True
        indexes = ((("campaign", "friend", "url"), True), (("campaign", "registered"), False))


class Click(BaseModel):
    event_id = CharField(max_length=140, primary_key=True)  # the relay's "click:UUID"
    campaign = ForeignKeyField(Campaign, on_delete="CASCADE", column_name="campaign_id", index=False)
    friend = ForeignKeyField(Friend, on_delete="CASCADE", column_name="friend_id", index=False)
    code = CharField(max_length=24)
    url = TextField()
    at = DateTimeField()  # the click's time, local, like Reaction.at

    class Meta:
        without_rowid = True
        indexes = ((("campaign", "friend"), False), (("friend", "at"), False))


LINK_MODELS: list[type[BaseModel]] = [TrackedLink, Click]


def install() -> None:
    """The tables of personal sends and tracked links (schema version 9)."""
    from shopline.store.base import db
    from shopline.store.personal_models import PERSONAL_MODELS

    db.create_tables(PERSONAL_MODELS + LINK_MODELS)
