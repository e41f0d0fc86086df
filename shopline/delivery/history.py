"""配信履歴: campaigns with their counts, and per campaign who got it, who did not and why.

Read-only queries over the journal, shared by `shopline campaigns` and the history page.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from peewee import fn

from shopline.core.messages import Text
from shopline.store.campaign_models import Batch, Campaign, Recipient
from shopline.store.models import Friend

STATUS_TEXT = {
    "ready": Text("未送信", "not started"),
    "sending": Text("送信中（中断）", "sending (interrupted)"),
    "paused": Text("一時停止", "paused"),
    "paused_quota": Text("一時停止（上限）", "paused (monthly limit)"),
    "paused_token": Text("一時停止（トークン）", "paused (token)"),
    "done": Text("完了", "done"),
    "failed": Text("失敗", "failed"),
}
BATCH_TEXT = {"accepted": Text("送信済み", "sent"), "pending": Text("未送信", "not sent yet"),
              "failed": Text("送れず", "not sent")}


@dataclass(frozen=True)
class CampaignRow:
    name: str
    status: str
    recipients: int
    delivered: int
    failed: int
    pending: int
    created_at: dt.datetime
    last_error: str


@dataclass(frozen=True)
class RecipientRow:
    user_id: str
    display_name: str
    status: str  # the batch's: accepted / pending / failed
    why: str  # LINE's message or what went wrong, for those not sent


def campaigns() -> list[CampaignRow]:
    """Newest first; counts straight from the journal, so an interrupted run shows what really went."""
    sizes: dict[tuple[int, str], int] = {
        (cid, status): int(n or 0) for cid, status, n in
        Batch.select(Batch.campaign, Batch.status, fn.SUM(Batch.size)).group_by(Batch.campaign, Batch.status).tuples()}
    return [CampaignRow(c.name, c.status, c.recipients, sizes.get((c.id, "accepted"), 0),
                        sizes.get((c.id, "failed"), 0), sizes.get((c.id, "pending"), 0), c.created_at, c.last_error)
            for c in Campaign.select().order_by(Campaign.created_at.desc(), Campaign.id.desc())]


def recipients(campaign: Campaign, status: str | None = None, *, offset: int = 0,
               limit: int = 1000) -> list[RecipientRow]:
    query = (Recipient.select(Recipient.user_id, Friend.display_name, Batch.status, Batch.last_status,
                              Batch.last_message)
             .join(Batch, on=Recipient.batch == Batch.id).switch(Recipient).join(Friend)
             .where(Recipient.campaign == campaign))
    if status:
        query = query.where(Batch.status == status)
    rows = []
    for user_id, name, batch_status, last_status, message in query.order_by(Recipient.id).offset(offset) \
            .limit(limit).tuples():
        why = "" if batch_status == "accepted" else (
            f"HTTP {last_status}: {message}" if last_status else message)
        rows.append(RecipientRow(user_id, name, batch_status, why))
    return rows
