"""Resuming a paused or interrupted campaign, and the one case where exactly-once cannot be promised.

LINE remembers a retry key for 24 hours. A pending batch whose first attempt is
older than that may already have been delivered, and LINE would take the same
key as a new request: the shop must choose to send (maybe twice) or skip them.
"""

from __future__ import annotations

import datetime as dt
import uuid

from shopline.core.messages import ShopLineError, Text
from shopline.store.campaign_models import Batch, Campaign
from shopline.store.connection import db
from shopline.store.models import now

KEY_MEMORY = dt.timedelta(hours=24)
SKIPPED_MESSAGE = "24時間以上前に送信を試みた分のため、二重送信を避けて送りませんでした"


class CampaignNotFound(ShopLineError):
    pass


class DuplicateRisk(ShopLineError):
    def __init__(self, friends: int, batches: int) -> None:
        super().__init__(Text(
            f"{friends}人分は24時間以上前に送信を試みています。LINEはそれより古い再送キーを覚えていないため、"
            f"この{friends}人には二重に届くおそれがあります。送る場合は二重送信を承知のうえで続けてください"
            "(コマンドでは --accept-duplicates、送らない場合は --skip-uncertain)。",
            f"{friends} friends were in batches first tried more than 24 hours ago. LINE no longer remembers "
            f"those retry keys, so these {friends} friends could receive the message twice. Continue only if "
            "that is acceptable (--accept-duplicates), or leave them out (--skip-uncertain)."))
        self.friends, self.batches = friends, batches


def find_campaign(name: str) -> Campaign:
    campaign = Campaign.get_or_none(Campaign.name == name)
    if campaign is None:
        raise CampaignNotFound(Text(f"「{name}」という配信はありません。`shopline campaigns` で一覧を見られます。",
                                    f"There is no campaign \"{name}\". `shopline campaigns` lists them."))
    return campaign


def uncertain_batches(campaign: Campaign, at: dt.datetime | None = None) -> list[Batch]:
    cutoff = (at or now()) - KEY_MEMORY
    return list(campaign.batches.where((Batch.status == "pending") & Batch.first_attempt_at.is_null(False)
                                       & (Batch.first_attempt_at < cutoff)))


def prepare_resume(campaign: Campaign, *, accept_duplicates: bool = False, skip_uncertain: bool = False,
                   at: dt.datetime | None = None) -> int:
    """Raise DuplicateRisk unless the shop chose; returns how many friends were left out."""
    stale = uncertain_batches(campaign, at)
    if not stale:
        return 0
    friends = sum(b.size for b in stale)
    ids = [b.id for b in stale]
    if skip_uncertain:
        Batch.update(status="failed", last_message=SKIPPED_MESSAGE, done_at=now()).where(Batch.id.in_(ids)).execute()
        return friends
    if not accept_duplicates:
        raise DuplicateRisk(friends, len(stale))
    with db.atomic():
        # The old keys mean nothing to LINE any more; fresh ones restart the 24-hour window honestly.
        for batch_id in ids:
            Batch.update(retry_key=str(uuid.uuid4()), first_attempt_at=None).where(Batch.id == batch_id).execute()
    return 0
