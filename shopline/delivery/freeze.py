"""Freezing a campaign: in one transaction, before any request, who gets it and in which batch.

After this the recipients never change: a friend who joins the segment later is
not added, and one who leaves is still sent to (LINE does not count blocked users).
"""

from __future__ import annotations

import datetime as dt
import json
import os
import re
import uuid
from typing import Any

from peewee import Query
from pyroaring import BitMap

from shopline.core.messages import ShopLineError, Text
from shopline.core.segments import Node
from shopline.store import segment_sql
from shopline.store.campaign_models import Campaign
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
            ids = segment_sql.members(segment, trust_transaction=ours)
        else:
            ids = BitMap(fid for (fid,) in Friend.select(Friend.id).where(
                (Friend.status == "following") & Friend.id.in_(friend_ids)).tuples())
        campaign = Campaign.create(
            name=name, segment_tree=json.dumps(tree, ensure_ascii=False), segment_text=text,
            messages=json.dumps(messages, ensure_ascii=False), unit=unit, recipients=len(ids),
            estimate=json.dumps(estimate or {}, ensure_ascii=False))
        frozen = freeze_recipients(campaign.id, ids, batch_size)
        if frozen != len(ids):
            Campaign.update(recipients=frozen).where(Campaign.id == campaign.id).execute()
            campaign.recipients = frozen
    return campaign


def retry_keys(count: int) -> list[str]:
    """`count` random (version 4) UUIDs from one os.urandom call: 100,000 uuid.uuid4() objects took ~0.5 s."""
    raw = os.urandom(16 * count).hex()
    return [f"{h[:8]}-{h[8:12]}-4{h[13:16]}-{'89ab'[int(h[16], 16) & 3]}{h[17:20]}-{h[20:32]}"
            for h in (raw[at:at + 32] for at in range(0, 32 * count, 32))]


def batch_of_position(campaign_id: int, batch_size: int) -> tuple[str, tuple[object, ...]]:
    """SQL (and its parameters) for the id of the batch holding the friend at position j.key of a json_each over
    the campaign's sorted recipients, its batches just inserted by one statement. The rowids one INSERT makes in a
    transaction holding the write lock are consecutive, so it is arithmetic; checked, with a lookup if not."""
    first, last, count = db.execute_sql("SELECT min(id), max(id), count(*) FROM batch WHERE campaign_id = ?",
                                        (campaign_id,)).fetchone()
    if last - first == count - 1:
        return "? + j.key / ?", (first, batch_size)
    return "(SELECT b.id FROM batch b WHERE b.campaign_id = ? AND b.seq = j.key / ? + 1)", (campaign_id, batch_size)


def freeze_recipients(campaign_id: int, ids: BitMap, batch_size: int = BATCH_SIZE) -> int:
    """The batches and Recipient rows of the following friends among `ids`, in a few statements whatever their
    number; returns how many. Called inside the freeze's write transaction.

    The ids reach SQLite as one JSON array and the rows are made there (INSERT ... SELECT over json_each, the
    friend's user ID joined by primary key), instead of 100,000 tuples bound one at a time from Python: at
    100,000 friends that halved the insert and left out reading every user ID into Python. A friend's batch is
    its position in the sorted array divided by the batch size (batch_of_position)."""
    if not ids:
        return 0
    count = len(ids)
    sizes = [min(batch_size, count - start) for start in range(0, count, batch_size)]
    insert_rows(db, "batch", ("campaign_id", "seq", "retry_key", "status", "size", "attempts", "last_message",
                              "accepted_request_id"),
                [(campaign_id, seq, str(uuid.uuid4()), "pending", size, 0, "", "")
                 for seq, size in enumerate(sizes, start=1)])
    batch, params = batch_of_position(campaign_id, batch_size)
    # CROSS JOIN keeps json_each outermost: the planner otherwise scans every friend and probes the array.
    inserted = db.execute_sql(
        "INSERT INTO recipient (campaign_id, friend_id, batch_id, user_id) "
        f"SELECT ?, f.id, {batch}, f.user_id FROM json_each(?) j CROSS JOIN friend f ON f.id = j.value "
        "WHERE f.status = 'following'", (campaign_id, *params, json.dumps(ids.to_array().tolist()))).rowcount
    if inserted == count:
        return count
    # Someone among the ids no longer follows (a caller's list read before the lock): their places would leave
    # batches short, so the rows go again for the friends who do.
    db.execute_sql("DELETE FROM recipient WHERE campaign_id = ?", (campaign_id,))
    db.execute_sql("DELETE FROM batch WHERE campaign_id = ?", (campaign_id,))
    following = BitMap(fid for (fid,) in db.execute_sql(
        "SELECT f.id FROM json_each(?) j CROSS JOIN friend f ON f.id = j.value WHERE f.status = 'following'",
        (json.dumps(ids.to_array().tolist()),)))
    return freeze_recipients(campaign_id, following, batch_size)
