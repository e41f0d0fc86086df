"""Resuming a paused or interrupted campaign, and the one case where exactly-once cannot be promised.

LINE remembers a retry key for 24 hours. A pending batch whose first attempt is
older than that may already have been delivered, and LINE would take the same
key as a new request: the shop must choose to send (maybe twice) or skip them.
The shop is asked from WARN_AFTER on, an hour early, so that a resume's retries
cannot cross the 24 hours unnoticed (the engine also stops retrying before them).
Times are compared as aware UTC instants (journal.as_utc), never as local clock readings.
"""

from __future__ import annotations

import datetime as dt
import uuid

from shopline.core.messages import ShopLineError, Text
from shopline.delivery.journal import as_utc, utc_now
from shopline.store.campaign_models import Batch, Campaign
from shopline.store.connection import db

KEY_MEMORY = dt.timedelta(hours=24)
WARN_AFTER = dt.timedelta(hours=23)
SKIPPED_MESSAGE = "23時間以上前に送信を試みた分のため、二重送信を避けて送りませんでした"


class CampaignNotFound(ShopLineError):
    pass


class DuplicateRisk(ShopLineError):
    def __init__(self, friends: int, batches: int) -> None:
        super().__init__(Text(
            f"{friends}人分は23時間以上前に送信を試みています。LINEは再送キーを24時間しか覚えていないため、"
            f"この{friends}人には二重に届くおそれがあります。送る場合は二重送信を承知のうえで続けてください"
            "(コマンドでは --accept-duplicates、送らない場合は --skip-uncertain)。",
            f"{friends} friends were in batches first tried more than 23 hours ago. LINE remembers retry keys "
            f"for only 24 hours, so these {friends} friends could receive the message twice. Continue only if "
            "that is acceptable (--accept-duplicates), or leave them out (--skip-uncertain)."))
        self.friends, self.batches = friends, batches


def find_campaign(name: str) -> Campaign:
    campaign = Campaign.get_or_none(Campaign.name == name)
    if campaign is None:
        raise CampaignNotFound(Text(f"「{name}」という配信はありません。`shopline campaigns` で一覧を見られます。",
                                    f"There is no campaign \"{name}\". `shopline campaigns` lists them."))
    return campaign


def uncertain_batches(campaign: Campaign, at: dt.datetime | None = None) -> list[Batch]:
    """Pending batches first tried WARN_AFTER or more before `at` (aware; a naive one is local time).

    Compared in Python, not SQL: old rows hold naive local text, new ones UTC with an offset,
    and only instants compare correctly. A campaign has a few hundred batches at most.
    """
    cutoff = as_utc(at or utc_now()) - WARN_AFTER
    tried = campaign.batches.where((Batch.status == "pending") & Batch.first_attempt_at.is_null(False))
    return [b for b in tried.order_by(Batch.seq) if as_utc(b.first_attempt_at) <= cutoff]


def prepare_resume(campaign: Campaign, *, accept_duplicates: bool = False, skip_uncertain: bool = False,
                   at: dt.datetime | None = None) -> int:
    """Raise DuplicateRisk unless the shop chose; returns how many friends were left out."""
    stale = uncertain_batches(campaign, at)
    if not stale:
        return 0
    friends = sum(b.size for b in stale)
    ids = [b.id for b in stale]
    if skip_uncertain:
        Batch.update(status="failed", last_message=SKIPPED_MESSAGE, done_at=utc_now()).where(Batch.id.in_(ids)) \
            .execute()
        return friends
    if not accept_duplicates:
        raise DuplicateRisk(friends, len(stale))
    with db.atomic():
        # The old keys mean nothing to LINE any more; fresh ones restart the 24-hour window honestly.
        for batch_id in ids:
            Batch.update(retry_key=str(uuid.uuid4()), first_attempt_at=None).where(Batch.id == batch_id).execute()
    return 0
