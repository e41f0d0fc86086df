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
from pyroaring import BitMap

from shopline.core.messages import ShopLineError, Text
from shopline.core.segments import Node
from shopline.store import segment_sql
from shopline.store.campaign_models import Batch, Campaign
from shopline.store.connection import db
from shopline.store.models import Friend
from shopline.store.sqlite import insert_rows, write_transaction

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
           friend_ids: Query | list[int] | None = None, unit: str | None = None,
           estimate: dict[str, Any] | None = None, batch_size: int = BATCH_SIZE,
           segment: Node | None = None) -> Campaign:
    """Freeze the following friends among `friend_ids`, or those in `segment` (read by the bitmap engine
    inside the transaction, so nobody can change them between the read and the insert)."""
    unit = unit or default_unit(name)
    if not UNIT_RE.match(unit):
        raise ShopLineError(Text(
            f"集計単位名「{unit}」は使えません。半角英数字と「_」で30文字以内にしてください。",
            f"The aggregation unit \"{unit}\" is not allowed: use up to 30 letters, digits and \"_\"."))
    check_name_free(name)
    # IMMEDIATE: the write lock first, then the name check and the read of the recipients, so two sends
    # started together cannot both pass the check (a deferred transaction failed at its first write).
    # Outermost, the transaction below is ours and has written nothing when the recipients are read, so the
    # committed state the bitmap engine reads is what it sees; nested in a caller's, the engine defers to SQL.
    ours = db.transaction_depth() == 0
    with write_transaction(db):
        check_name_free(name)
        if segment is not None:
            people = _user_ids(segment_sql.members(segment, trust_transaction=ours))
        else:
            people = list(Friend.select(Friend.id, Friend.user_id)
                          .where((Friend.status == "following") & Friend.id.in_(friend_ids))
                          .order_by(Friend.id).tuples())
        campaign = Campaign.create(
            name=name, segment_tree=json.dumps(tree, ensure_ascii=False), segment_text=text,
            messages=json.dumps(messages, ensure_ascii=False), unit=unit, recipients=len(people),
            estimate=json.dumps(estimate or {}, ensure_ascii=False))
        starts = range(0, len(people), batch_size)
        if people:
            Batch.insert_many([{"campaign": campaign.id, "seq": seq, "retry_key": str(uuid.uuid4()),
                                "size": len(people[start:start + batch_size])}
                               for seq, start in enumerate(starts, start=1)]).execute()
        batch_ids = dict(Batch.select(Batch.seq, Batch.id).where(Batch.campaign == campaign.id).tuples())
        # One raw bulk insert: peewee's insert_many built every 500-row statement in Python (100,000: ~2 s).
        insert_rows(db, "recipient", ("campaign_id", "friend_id", "batch_id", "user_id"),
                    ((campaign.id, fid, batch_ids[i // batch_size + 1], uid) for i, (fid, uid) in enumerate(people)))
    return campaign


def _user_ids(members: BitMap) -> list[tuple[int, str]]:
    """(friend id, user ID) of the following friends in `members`, by id."""
    if len(members) > 5_000:  # most of the shop: one pass over the following friends beats many IN lists
        rows = db.execute_sql("SELECT id, user_id FROM friend WHERE status = 'following' ORDER BY id")
        return [(fid, uid) for fid, uid in rows if fid in members]
    ids, people = list(members), []
    for start in range(0, len(ids), 500):
        part = ids[start:start + 500]
        people.extend(Friend.select(Friend.id, Friend.user_id).where(
            (Friend.status == "following") & Friend.id.in_(part)).tuples())
    return sorted(people)
