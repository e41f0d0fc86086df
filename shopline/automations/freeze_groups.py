"""Freezing the groups of one run (one campaign per scenario, step and branch) in the caller's write transaction,
with a statement per table instead of delivery.freeze's statements per campaign.

A multicast group is frozen as delivery/freeze.py freezes a campaign (the following friends among the group's,
by id, in batches of 500, each with its retry key, the recipients written before any request), all groups'
friends read in one query and all batches and recipients written in one statement each. A group whose text has
placeholders ({表示名}, {会員ランク|お客様}) is frozen as a personal campaign (delivery/personal.py): one push per
friend with the values their text is rendered from; a friend missing a value without a fallback is left out
(their step counted as not sent), never sent a broken text.
"""

from __future__ import annotations

import datetime as dt
import json
import uuid
from dataclasses import dataclass
from typing import Any

from shopline.delivery import personal
from shopline.delivery.freeze import BATCH_SIZE
from shopline.store.campaign_models import Campaign
from shopline.store.connection import db
from shopline.store.sqlite import insert_rows


@dataclass
class Group:
    name: str  # free: the runner chose it
    text: str  # what the campaign list shows for its segment
    messages: list[dict[str, Any]]
    unit: str
    friend_ids: list[int]

    @property
    def personal(self) -> bool:
        return personal.has_placeholders(self.messages)


def freeze_groups(groups: list[Group]) -> list[Campaign | None]:
    """The campaign of each group (None when none of its friends can be sent to). Must run inside the
    caller's write transaction: a crash leaves all of the groups or none."""
    assert db.transaction_depth() > 0, "freeze_groups writes inside the caller's transaction"
    frozen: dict[int, Campaign | None] = {}
    plain = [(i, g) for i, g in enumerate(groups) if not g.personal]
    for i, group in enumerate(groups):
        if group.personal:
            campaign = personal.freeze_personal(group.name, tree={}, text=group.text, messages=group.messages,
                                                friend_ids=group.friend_ids, unit=group.unit, skip_unsendable=True)
            frozen[i] = campaign if campaign.recipients else _dropped(campaign)
    wanted = sorted({fid for _, g in plain for fid in g.friend_ids})
    users = dict(db.execute_sql("SELECT id, user_id FROM friend WHERE status = 'following' AND id IN "
                                "(SELECT value FROM json_each(?))", (json.dumps(wanted),))) if wanted else {}
    batches: list[tuple[object, ...]] = []
    people_of: dict[int, list[tuple[int, str]]] = {}
    for i, group in plain:
        people = [(fid, users[fid]) for fid in sorted(set(group.friend_ids)) if fid in users]
        if not people:
            frozen[i] = None
            continue
        campaign = Campaign.create(
            name=group.name, segment_tree="{}", segment_text=group.text,
            messages=json.dumps(personal.as_literal(group.messages), ensure_ascii=False), unit=group.unit,
            recipients=len(people), estimate="{}")
        frozen[i] = campaign
        people_of[campaign.id] = people
        batches += [(campaign.id, seq, str(uuid.uuid4()), "pending", len(people[start:start + BATCH_SIZE]), 0, "", "")
                    for seq, start in enumerate(range(0, len(people), BATCH_SIZE), start=1)]
    if people_of:
        insert_rows(db, "batch", ("campaign_id", "seq", "retry_key", "status", "size", "attempts", "last_message",
                                  "accepted_request_id"), batches)
        batch_of = {(cid, seq): bid for cid, seq, bid in db.execute_sql(
            "SELECT campaign_id, seq, id FROM batch WHERE campaign_id IN (SELECT value FROM json_each(?))",
            (json.dumps(list(people_of)),))}
        insert_rows(db, "recipient", ("campaign_id", "friend_id", "batch_id", "user_id"),
                    ((cid, fid, batch_of[cid, n // BATCH_SIZE + 1], uid)
                     for cid, people in people_of.items() for n, (fid, uid) in enumerate(people)))
    return [frozen[i] for i in range(len(groups))]


def _dropped(campaign: Campaign) -> None:
    campaign.delete_instance(recursive=True)
    return None


def campaign_name(scenario: str, label: str, now: dt.datetime, tz: dt.tzinfo) -> str:
    base = f"シナリオ「{scenario}」{label} {now.astimezone(tz):%Y-%m-%d %H:%M}"
    name, n = base, 1
    while Campaign.select().where(Campaign.name == name).exists():
        n += 1
        name = f"{base} ({n})"
    return name
