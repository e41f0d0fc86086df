"""Sending a frozen personal campaign (delivery/personal.py): one push per friend through the engine's rules.

The pushes go through line-bot-sdk's asyncio client (line.async_client), all in flight on one event loop
(line.fanout_async), with line.retry_async's retry function: the same retry key on every attempt, the channel's push
limiter, the engine's stop event and 24-hour key rule. This thread alone reads and writes the journal.

The journal marks first attempts a group at a time before any request of the group leaves, and writes answers
a group at a time: a crash in between leaves batches pending with their keys, which resume sends again and LINE
answers 409 (accepted earlier). Pause, resume, the quota guard, the claim and PAUSE_TEXTS are the engine's.
"""

from __future__ import annotations

import datetime as dt
import json
import time
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import Future
from dataclasses import dataclass
from typing import Any

from shopline.delivery.answer import Answer, Outcome
from shopline.delivery.claims import Claim
from shopline.delivery.engine import STATUS_FOR, Engine, _Attempt, attempt_ended, conclude
from shopline.delivery.journal import Journal, as_utc
from shopline.delivery.line_sender import LineSender
from shopline.delivery.personal import personal_messages
from shopline.delivery.results import Progress, RunResult
from shopline.line.async_client import AsyncLineClient
from shopline.line.config import DEFAULT_TIMEOUT
from shopline.line.errors import LineError
from shopline.line.fanout_async import fan_out_async
from shopline.line.limits import PUSH
from shopline.line.pacing import Limiter
from shopline.line.push_send import push_message, push_message_async
from shopline.line.retry import KeyExpiring, Stopped, Tries
from shopline.line.retry_async import call_with_retries_async
from shopline.store.campaign_models import Batch, Campaign
from shopline.store.connection import db

PUSH_CONCURRENCY = 64  # in flight: 1,800/s at 20 ms of latency needs 36, more when a busy machine answers later
GROUP = 500  # batches marked before sending, and answers written, per statement
# Pushes waiting with the event loop beyond those in flight: ~100 ms of work at 1,800/s, so the loop keeps sending while
# this thread waits on the database (a group's marks or answers took 10-30 ms, at times 100-200 ms on a busy machine,
# longer than 64 waiting pushes last). One stopped by a pause goes back unsent and unmarked, as before.
AHEAD = 192


class PushSender(LineSender):
    """The engine's Sender over LINE's push: one friend per call, the channel's push limiter.

    Calls are awaited on an event loop: open() makes the loop's client, push() sends one friend's push with it.
    """

    def __init__(self, token: str, *, concurrency: int = 8, timeout: tuple[float, float] | None = None) -> None:
        super().__init__(token, concurrency=concurrency, timeout=timeout)
        self._token = token
        self._pool = max(concurrency, 8)

    @property
    def limiter(self) -> Limiter:
        return self.client.limiter(PUSH)

    def __call__(self, user_ids: Sequence[str], messages: Sequence[dict[str, Any]], key: str, unit: str) -> Answer:
        (user_id,) = user_ids
        sent = push_message(self.client, user_id, messages, retry_key=key, unit=unit)
        return Answer(sent.status, sent.request_id)

    def open(self) -> AsyncLineClient:
        """The client push() takes, made on the running event loop (`async with sender.open() as client`)."""
        timeout = self.client.timeout if isinstance(self.client.timeout, tuple) else DEFAULT_TIMEOUT
        return AsyncLineClient(self._token, timeout=timeout, pool_size=self._pool)

    async def push(self, client: AsyncLineClient, user_id: str, messages: Sequence[dict[str, Any]], key: str,
                   unit: str) -> Answer:
        sent = await push_message_async(client, user_id, messages, retry_key=key, unit=unit)
        return Answer(sent.status, sent.request_id)


@dataclass(slots=True)
class Push:
    batch_id: int
    seq: int
    retry_key: str
    first_attempt_at: dt.datetime | None
    user_id: str
    values: str  # JSON, rendered in the worker thread


class PersonalJournal(Journal):
    """The Journal's rules, written a group of batches per statement instead of one."""

    def __init__(self, campaign: Campaign, clock: Callable[[], dt.datetime]) -> None:
        super().__init__(campaign, clock)
        self._answers: list[tuple[Push, Outcome | None, Answer | None, int]] = []
        self._submitted: set[int] = set()
        self._counts = {status: friends for status, (_, friends) in self.counts().items()}

    def pushes(self) -> Iterator[Push]:
        """Pending batches in order, GROUP at a time; a group's untried first attempts are marked before it is
        handed out, so no request leaves before the journal says LINE may have seen its key."""
        after = 0
        while True:
            rows = list(db.execute_sql(
                "SELECT b.id, b.seq, b.retry_key, b.first_attempt_at, r.user_id, p.frozen FROM batch b "
                "JOIN recipient r ON r.batch_id = b.id JOIN personal_values p ON p.batch_id = b.id "
                "WHERE b.campaign_id = ? AND b.status = 'pending' AND b.seq > ? ORDER BY b.seq LIMIT ?",
                (self.campaign.id, after, GROUP)))
            if not rows:
                return
            after = rows[-1][1]
            group = [Push(bid, seq, key, Batch.first_attempt_at.python_value(first), uid, values)
                     for bid, seq, key, first, uid, values in rows]
            fresh = [p for p in group if p.first_attempt_at is None]
            if fresh:
                stamp = self.clock()
                with db.atomic():
                    db.execute_sql("UPDATE batch SET first_attempt_at = ? WHERE id IN (SELECT value FROM json_each(?))",
                                   (Batch.first_attempt_at.db_value(stamp), json.dumps([p.batch_id for p in fresh])))
                for p in fresh:
                    p.first_attempt_at = stamp
                    self._marked_now.add(p.batch_id)
            yield from group

    def submitted(self, push: Push) -> None:
        self._submitted.add(push.batch_id)

    def answered(self, push: Push, outcome: Outcome | None, answer: Answer | None, attempts: int) -> None:
        self._answers.append((push, outcome, answer, attempts))
        if outcome is Outcome.ACCEPTED or outcome is Outcome.FAILED:
            status = "accepted" if outcome is Outcome.ACCEPTED else "failed"
            self._counts["pending"] = self._counts.get("pending", 0) - 1
            self._counts[status] = self._counts.get(status, 0) + 1

    def flush(self) -> None:
        if not self._answers:
            return
        answers, self._answers = self._answers, []
        now = Batch.done_at.db_value(self.clock())
        done, tried, unmark = [], [], []
        for push, outcome, answer, attempts in answers:
            if outcome is None or answer is None:  # never sent in this run
                if outcome is None and push.batch_id in self._marked_now:
                    unmark.append((push.batch_id,))
                continue
            if outcome is Outcome.ACCEPTED or outcome is Outcome.FAILED:
                status = "accepted" if outcome is Outcome.ACCEPTED else "failed"
                request_id = answer.request_id if outcome is Outcome.ACCEPTED else ""
                done.append((status, attempts, answer.status, answer.message[:500], request_id, now, push.batch_id))
            else:
                tried.append((attempts, answer.status, answer.message[:500], push.batch_id))
        with db.atomic():
            cursor = db.cursor()
            cursor.executemany(
                "UPDATE batch SET status = ?, attempts = attempts + ?, last_status = ?, last_message = ?, "
                "accepted_request_id = ?, done_at = ? WHERE id = ?", done)
            cursor.executemany(
                "UPDATE batch SET attempts = attempts + ?, last_status = ?, last_message = ? WHERE id = ?", tried)
            cursor.executemany("UPDATE batch SET first_attempt_at = NULL WHERE id = ?", unmark)

    def unmark_unsent(self) -> None:
        """Batches this run marked but never handed out: LINE has not seen their keys."""
        never = [i for i in self._marked_now if i not in self._submitted]
        if never:
            db.execute_sql("UPDATE batch SET first_attempt_at = NULL WHERE status = 'pending' AND id IN "
                           "(SELECT value FROM json_each(?))", (json.dumps(never),))

    def progress(self) -> Progress:
        total = sum(self._counts.values())
        finished = self._counts.get("accepted", 0) + self._counts.get("failed", 0)
        return Progress(finished, total, finished, total)


class PersonalEngine(Engine):
    """Engine.run's promises for a personal campaign (its claim included): per-friend pushes, journal in groups."""

    def _run(self, campaign: Campaign, claim: Claim, progress: Callable[[Progress], None] | None,
             cancelled: Callable[[], bool]) -> RunResult:
        sender = self.sender
        assert isinstance(sender, PushSender)  # its pushes are awaited on the loop fan_out_async runs
        journal = PersonalJournal(campaign, clock=self.clock)
        journal.started()
        template = json.loads(campaign.messages)
        reason: Outcome | None = None
        uncertain = False
        detail = ""
        last_report = last_flush = 0.0
        self._stop.clear()
        if cancelled():
            self._stop.set()

        async def send(client: AsyncLineClient, push: Push) -> _Attempt:
            assert push.first_attempt_at is not None  # marked by journal.pushes()
            not_after = as_utc(push.first_attempt_at) + self.key_deadline
            messages = personal_messages(template, json.loads(push.values))
            return await self._push(client, push.retry_key, push.user_id, messages, campaign.unit, not_after)

        def done(push: Push, future: Future[_Attempt]) -> None:
            nonlocal reason, detail, uncertain
            result = future.result()
            journal.answered(push, result.outcome, result.answer, result.attempts)
            if result.outcome is Outcome.UNCERTAIN:
                uncertain = True
            elif result.outcome in STATUS_FOR and reason is None and not result.interrupted:
                reason = result.outcome
                detail = result.answer.message if result.answer else ""
                self._stop.set()

        def tick() -> bool:
            nonlocal last_report, last_flush
            claim.renew_if_due()
            if cancelled():
                self._stop.set()
            now = time.monotonic()
            if len(journal._answers) >= GROUP or now - last_flush >= self.progress_interval:
                last_flush = now
                journal.flush()
            if progress and now - last_report >= self.progress_interval:
                last_report = now
                progress(journal.progress())
            return self._stop.is_set()

        try:
            fan_out_async(journal.pushes(), send, done, session=sender.open, workers=self.concurrency,
                          ahead=max(AHEAD, self.concurrency), interval=self.progress_interval, tick=tick,
                          before=journal.submitted, name="push")
        finally:
            journal.flush()  # whatever LINE answered is written, even when stopping on an error
            journal.unmark_unsent()
        if progress:
            progress(journal.progress())
        return conclude(journal, reason, detail, uncertain)

    async def _push(self, client: AsyncLineClient, key: str, user_id: str, messages: list[dict[str, Any]],
                    unit: str, not_after: dt.datetime) -> _Attempt:
        """Engine._send for one push awaited on the loop: what each way of ending means is the same."""
        sender = self.sender
        assert isinstance(sender, PushSender)
        tries = Tries()
        try:
            answer = await call_with_retries_async(lambda: sender.push(client, user_id, messages, key, unit),
                                                   self.policy, limiter=self.pacer, stop=self._stop,
                                                   not_after=not_after, clock=self.clock, sleep=self.sleep,
                                                   tries=tries)
        except (KeyExpiring, Stopped, LineError) as ended:
            return attempt_ended(ended, tries)
        return _Attempt(Outcome.ACCEPTED, answer, tries.count)


def send_personal(campaign: Campaign, token: str, *, progress: Callable[[Progress], None] | None = None,
                  cancelled: Callable[[], bool] = lambda: False, concurrency: int = PUSH_CONCURRENCY,
                  engine: Callable[[LineSender], Engine] | None = None,
                  timeout: tuple[float, float] | None = None) -> RunResult:
    """Register the campaign's tracked links (all of them, or nothing is sent), then push to each pending friend."""
    from shopline.links.register import register_links

    register_links(campaign)
    with PushSender(token, concurrency=concurrency, timeout=timeout) as sender:
        runner = engine(sender) if engine else PersonalEngine(sender, concurrency=concurrency)
        return runner.run(campaign, progress=progress, cancelled=cancelled)


