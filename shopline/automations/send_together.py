"""Sending the campaigns one run froze as one stream of multicasts, at the pace of one big campaign.

A day's due steps are dozens of small campaigns (one per scenario, step and branch, each its own aggregation
unit). Sent one after another, each paid its own start, claim, journal commits and the wait for its last
request before the next began. Here their pending batches go through one fan-out, requests of different
campaigns back to back, with the engine's own per-request rules (Engine._send: the channel's multicast
limiter, one retry function, the same key on every attempt, the 24-hour key rule), and the journal is written
from this thread a group at a time:

- every campaign is claimed (store/leases.py) and started in one transaction;
- before any request of the pass leaves, the first-attempt time of all its batches is written in one
  transaction (a crash after it leaves them "tried": the next run sends them again with the same keys, and
  LINE answers 409 for the ones it accepted);
- answers are written a group at a time; batches marked but never sent (a pause stopped the pass) are unmarked;
- each campaign then ends as Engine.run would end it (delivery.engine.conclude), in one transaction.
"""

from __future__ import annotations

import json
import time
from collections import defaultdict
from collections.abc import Callable, Sequence
from concurrent.futures import Future

from shopline.delivery.answer import Outcome
from shopline.delivery.claims import Claim
from shopline.delivery.engine import STATUS_FOR, Engine, _Attempt, conclude
from shopline.delivery.journal import Journal, as_utc
from shopline.delivery.results import RunResult
from shopline.line.fanout import fan_out
from shopline.store.campaign_models import Batch, Campaign
from shopline.store.connection import db
from shopline.store.sqlite import write_transaction

GROUP = 50  # answers written per transaction, at the latest every progress interval


class TogetherEngine(Engine):
    def run_many(self, campaigns: Sequence[Campaign], tick: Callable[[], None] = lambda: None
                 ) -> dict[int, RunResult]:
        """Send the pending batches of these multicast campaigns together; campaign id -> its result.
        `tick` runs a few times a second in this thread (the runner renews its own lease there)."""
        if not campaigns:
            return {}
        claims: list[Claim] = []
        try:
            with write_transaction(db):
                for campaign in campaigns:
                    claims.append(Claim(campaign))  # CampaignBusy: another holder sends it; nothing is sent
            return self._run_many(list(campaigns), claims, tick)
        finally:
            with write_transaction(db):
                for claim in claims:
                    claim.release()

    def _run_many(self, campaigns: list[Campaign], claims: list[Claim], extra_tick: Callable[[], None]
                  ) -> dict[int, RunResult]:
        journals = {c.id: Journal(c, clock=self.clock) for c in campaigns}
        by_id = {c.id: c for c in campaigns}
        messages = {c.id: json.loads(c.messages) for c in campaigns}
        ids = json.dumps(list(by_id))
        with write_transaction(db):
            for journal in journals.values():
                journal.started()
        batches = list(Batch.select().where(
            Batch.campaign.in_(list(by_id)) & (Batch.status == "pending")).order_by(Batch.campaign, Batch.seq))
        users: dict[int, list[str]] = defaultdict(list)
        for batch_id, user_id in db.execute_sql(
                "SELECT batch_id, user_id FROM recipient WHERE campaign_id IN (SELECT value FROM json_each(?)) "
                "ORDER BY id", (ids,)):
            users[batch_id].append(user_id)

        marked = self._mark([b for b in batches if b.first_attempt_at is None])
        started: set[int] = set()  # batches a worker took up (one queued then cancelled by a pause never was)
        answers: list[tuple[Batch, _Attempt]] = []
        uncertain: set[int] = set()
        reason: Outcome | None = None
        detail = ""
        last_flush = 0.0
        self._stop.clear()

        def send(batch: Batch) -> _Attempt:
            assert batch.first_attempt_at is not None  # marked above, before any request of the pass
            started.add(batch.id)
            campaign = by_id[batch.campaign_id]
            not_after = as_utc(batch.first_attempt_at) + self.key_deadline
            return self._send(batch.retry_key, users[batch.id], messages[campaign.id], campaign.unit, not_after)

        def done(batch: Batch, future: Future[_Attempt]) -> None:
            nonlocal reason, detail
            result = future.result()
            answers.append((batch, result))
            if result.outcome is Outcome.UNCERTAIN:
                uncertain.add(batch.campaign_id)
            elif result.outcome in STATUS_FOR and reason is None and not result.interrupted:
                # A month's limit, a refused token or LINE out of reach stops every campaign: they share all three.
                reason = result.outcome
                detail = result.answer.message if result.answer else ""
                self._stop.set()

        def flush() -> None:
            with write_transaction(db):
                for batch, result in answers:
                    if result.outcome is None and batch.id in marked:  # never sent: LINE has not seen this key
                        Batch.update(first_attempt_at=None).where(Batch.id == batch.id).execute()
                    else:
                        journals[batch.campaign_id].record(batch, result.outcome, result.answer, result.attempts)
            answers.clear()

        def tick() -> bool:
            nonlocal last_flush
            for claim in claims:
                claim.renew_if_due()
            extra_tick()
            if len(answers) >= GROUP or time.monotonic() - last_flush >= self.progress_interval:
                last_flush = time.monotonic()
                flush()
            return self._stop.is_set()

        try:
            # `ahead`: a few requests wait in the pool's queue, so no thread idles while this one writes answers
            # (their first attempts are already written; one a pause cancels in the queue is unmarked below).
            fan_out(batches, send, done, workers=self.concurrency, ahead=self.concurrency,
                    interval=self.progress_interval, tick=tick, name="send")
        finally:
            flush()  # whatever LINE answered is written, even when stopping on an error
            self._unmark(marked - started)
        with write_transaction(db):
            results = {}
            for cid, journal in journals.items():
                stopped = reason if journal.has_pending() else None  # one that went out in full is done
                results[cid] = conclude(journal, stopped, detail if stopped else "", cid in uncertain)
        return results

    def _mark(self, batches: list[Batch]) -> set[int]:
        """The first attempt of these batches, written in one transaction before any of them leaves."""
        if not batches:
            return set()
        moment = self.clock()
        with write_transaction(db):
            Batch.update(first_attempt_at=moment).where(
                Batch.id.in_([b.id for b in batches]) & Batch.first_attempt_at.is_null()).execute()
        for batch in batches:
            batch.first_attempt_at = moment
        return {b.id for b in batches}

    @staticmethod
    def _unmark(batch_ids: set[int]) -> None:
        if batch_ids:
            with write_transaction(db):
                db.execute_sql("UPDATE batch SET first_attempt_at = NULL WHERE id IN (SELECT value FROM json_each(?)) "
                               "AND status = 'pending'", (json.dumps(sorted(batch_ids)),))


__all__ = ["TogetherEngine"]
