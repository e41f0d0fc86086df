"""The delivery journal: what the engine writes about batches, from its one writing thread.

Its times are aware UTC (stored with their +00:00): the 24-hour retry-key rule compares
them across processes, and a naive local time means another instant after the machine's
zone or DST changes. Rows written before this hold naive local times; as_utc() reads
them as the machine's local time, the zone they were written in.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator

from peewee import fn

from shopline.core.messages import Text
from shopline.delivery.answer import Answer, Outcome
from shopline.delivery.results import Progress, RunResult
from shopline.store.campaign_models import Batch, Campaign, Recipient
from shopline.store.connection import db


def utc_now() -> dt.datetime:
    return dt.datetime.now(dt.UTC).replace(microsecond=0)


def as_utc(value: dt.datetime) -> dt.datetime:
    """An aware UTC time; a naive one is a local time (rows written before times were UTC)."""
    return value.astimezone(dt.UTC)


class Journal:
    def __init__(self, campaign: Campaign, clock: Callable[[], dt.datetime] = utc_now) -> None:
        self.campaign = campaign
        self.clock = clock
        self._marked_now: set[int] = set()  # batches whose first-attempt time this run wrote

    def started(self) -> None:
        Campaign.update(status="sending", started_at=fn.COALESCE(Campaign.started_at, self.clock()), last_error="") \
            .where(Campaign.id == self.campaign.id).execute()

    def pending(self) -> Iterator[Batch]:
        return iter(self.campaign.batches.where(Batch.status == "pending").order_by(Batch.seq))

    def user_ids(self, batch: Batch) -> list[str]:
        return [u for (u,) in Recipient.select(Recipient.user_id).where(Recipient.batch == batch)
                .order_by(Recipient.id).tuples()]

    def before_first_attempt(self, batch: Batch) -> None:
        """Written before the request leaves: after a crash, resume must know LINE may have seen the key."""
        if batch.first_attempt_at is None:
            batch.first_attempt_at = self.clock()
            Batch.update(first_attempt_at=batch.first_attempt_at).where(Batch.id == batch.id).execute()
            self._marked_now.add(batch.id)

    def record(self, batch: Batch, outcome: Outcome | None, answer: Answer | None, attempts: int) -> None:
        if outcome is None or answer is None:  # never sent in this run
            if outcome is None and batch.id in self._marked_now:  # LINE has not seen this key
                Batch.update(first_attempt_at=None).where(Batch.id == batch.id).execute()
            return
        fields: dict = {Batch.attempts: Batch.attempts + attempts, Batch.last_status: answer.status,
                        Batch.last_message: answer.message[:500]}
        if outcome is Outcome.ACCEPTED:
            fields.update({Batch.status: "accepted", Batch.accepted_request_id: answer.request_id,
                           Batch.done_at: self.clock()})
        elif outcome is Outcome.FAILED:
            fields.update({Batch.status: "failed", Batch.done_at: self.clock()})
        Batch.update(fields).where(Batch.id == batch.id).execute()

    def counts(self) -> dict[str, tuple[int, int]]:
        """status -> (batches, friends)."""
        rows = (Batch.select(Batch.status, fn.COUNT(Batch.id), fn.SUM(Batch.size))
                .where(Batch.campaign == self.campaign).group_by(Batch.status).tuples())
        return {status: (n, int(size or 0)) for status, n, size in rows}

    def has_pending(self) -> bool:
        return self.counts().get("pending", (0, 0))[0] > 0

    def progress(self) -> Progress:
        c = self.counts()
        done = [c.get(s, (0, 0)) for s in ("accepted", "failed")]
        total = sum(n for n, _ in c.values()), sum(f for _, f in c.values())
        return Progress(sum(n for n, _ in done), total[0], sum(f for _, f in done), total[1])

    def finish(self, status: str, message: Text | None, detail: str = "") -> RunResult:
        """detail: LINE's own words for why it stopped, kept for the 配信履歴 view."""
        c = self.counts()
        delivered, failed = c.get("accepted", (0, 0))[1], c.get("failed", (0, 0))[1]
        with db.atomic():
            Campaign.update(status=status, delivered=delivered, failed=failed,
                            last_error=detail[:500],
                            finished_at=self.clock() if status == "done" else None) \
                .where(Campaign.id == self.campaign.id).execute()
        return RunResult(status, delivered, failed, c.get("pending", (0, 0))[1], message)
