"""Freezing a campaign: in one transaction, before any request, who gets it and in which batch.

After this the recipients never change: a friend who joins the segment later is
not added, and one who leaves is still sent to (LINE does not count blocked users).
"""

from __future__ import annotations

import datetime as dt
import json
import re
import uuid
from typing import Any

from peewee import Query

from shopline.core.messages import ShopLineError, Text
from shopline.store.campaign_models import Batch, Campaign, Recipient
from shopline.store.connection import db
from shopline.store.models import Friend
from shopline.store.sqlite import write_transaction

BATCH_SIZE = 500  # LINE's multicast maximum of user IDs per request
UNIT_RE = re.compile(r"^[a-zA-Z0-9_]{1,30}$")


class CampaignExists(ShopLineError):
    pass


def default_unit(name: str, today: dt.date | None = None) -> str:
    """An aggregation unit LINE accepts (ASCII, 30 characters) for a campaign named in Japanese."""
    stamp = (today or dt.date.today()).strftime("%Y%m%d")
    return f"sl_{stamp}_{uuid.uuid5(uuid.NAMESPACE_URL, name).hex[:8]}"


def check_name_free(name: str) -> None:
    """Refuse a name already taken, before anything is asked of the shop or of LINE."""
    if Campaign.get_or_none(Campaign.name == name):
        raise CampaignExists(Text(
            f"「{name}」という配信はすでにあります。別の名前にするか、`shopline resume` で続きを送ってください。",
            f"A campaign named \"{name}\" already exists. Choose another name, or continue it with `shopline resume`."))


def freeze(name: str, *, tree: dict[str, Any], text: str, messages: list[dict[str, Any]],
           friend_ids: Query | list[int], unit: str | None = None,
           estimate: dict[str, Any] | None = None, batch_size: int = BATCH_SIZE) -> Campaign:
    unit = unit or default_unit(name)
    if not UNIT_RE.match(unit):
        raise ShopLineError(Text(
            f"集計単位名「{unit}」は使えません。半角英数字と「_」で30文字以内にしてください。",
            f"The aggregation unit \"{unit}\" is not allowed: use up to 30 letters, digits and \"_\"."))
    check_name_free(name)
    # IMMEDIATE: the write lock first, then the name check and the read of the recipients, so two sends
    # started together cannot both pass the check (a deferred transaction failed at its first write).
    with write_transaction(db):
        check_name_free(name)
        people = list(Friend.select(Friend.id, Friend.user_id)
                      .where((Friend.status == "following") & Friend.id.in_(friend_ids))
                      .order_by(Friend.id).tuples())
        campaign = Campaign.create(
            name=name, segment_tree=json.dumps(tree, ensure_ascii=False), segment_text=text,
            messages=json.dumps(messages, ensure_ascii=False), unit=unit, recipients=len(people),
            estimate=json.dumps(estimate or {}, ensure_ascii=False))
        for seq, start in enumerate(range(0, len(people), batch_size), start=1):
            chunk = people[start:start + batch_size]
            batch = Batch.create(campaign=campaign, seq=seq, retry_key=str(uuid.uuid4()), size=len(chunk))
            Recipient.insert_many(
                [(campaign.id, fid, batch.id, uid) for fid, uid in chunk],
                fields=[Recipient.campaign, Recipient.friend, Recipient.batch, Recipient.user_id],
            ).execute()
    return campaign
