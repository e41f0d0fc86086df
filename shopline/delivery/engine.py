"""Sending a frozen campaign: pending batches, same retry key on every attempt, one database writer.

Worker threads only talk to LINE; this thread alone writes the journal. A batch's
first attempt time is written before its request leaves, so after a crash resume
knows which keys LINE may have seen (and for how much longer it remembers them).

Every attempt goes through line.retry's one retry function, taking turns from the
channel's multicast limiter (shared with any other send in the process), waiting on
the engine's stop event, and never leaving once its key could be older than LINE's
24-hour memory (the batch is then left pending for the shop to decide, as on resume).
"""

from __future__ import annotations

import datetime as dt
import json
import threading
import time
from collections.abc import Callable
from concurrent.futures import Future
from dataclasses import dataclass
from typing import Any

from shopline.core.messages import Text
from shopline.delivery.answer import Answer, Outcome, answer_for, outcome_for
from shopline.delivery.claims import Claim
from shopline.delivery.journal import Journal, as_utc, utc_now
from shopline.delivery.results import Progress, RunResult
from shopline.delivery.resume import KEY_MEMORY
from shopline.line.config import DEFAULT_TIMEOUT
from shopline.line.errors import LineError
from shopline.line.fanout import fan_out
from shopline.line.pacing import MULTICAST_RATE, Limiter, RateLimiter
from shopline.line.retry import SEND_RETRY, KeyExpiring, RetryPolicy, Stopped, Tries, call_with_retries
from shopline.store.campaign_models import Batch, Campaign

Sender = Callable[[list[str], list[dict[str, Any]], str, str], Answer]
"""(user IDs, LINE message objects, retry key, aggregation unit) -> LINE's answer; a LineError when refused."""

# Past first attempt + 24 h - (request timeout + this), no attempt leaves: it could arrive after LINE forgot the key.
KEY_SAFETY = dt.timedelta(seconds=60)

PAUSE_TEXTS = {
    Outcome.PAUSE_QUOTA: Text(
        "今月の送信できるメッセージ数の上限に達したため、配信を一時停止しました。"
        "送っていない友だちはそのまま残っています。プランを変更するか来月になってから再開してください。",
        "Paused: the month's message limit is reached. Friends not yet sent to are kept; "
        "upgrade the plan or resume next month."),
    Outcome.PAUSE_TOKEN: Text(
        "チャネルアクセストークンを確認してください。LINEがトークンを受け付けなかったため配信を一時停止しました。"
        "トークンを直してから再開すると、続きから送ります。",
        "Check the channel access token: LINE refused it, so the campaign is paused. "
        "Fix the token and resume to send the rest."),
    Outcome.RETRY: Text(
        "LINEに接続できなかったため配信を一時停止しました。送っていない分は残っています。"
        "インターネット接続を確認して、再開してください(同じ友だちに二重に届くことはありません)。",
        "Paused: LINE could not be reached. Nothing unsent is lost; check the connection and resume "
        "(no friend will receive it twice)."),
    Outcome.UNCERTAIN: Text(
        "最初の送信から24時間近くたった分があるため、二重に届かないよう配信を一時停止しました。"
        "再開するときに、その分を送るか送らないかを選んでください。",
        "Paused: some friends were first tried almost 24 hours ago, after which LINE forgets the retry key. "
        "When resuming, choose whether to send to them (they might receive it twice) or leave them out."),
}
CANCELLED_TEXT = Text("配信を一時停止しました。再開すると続きから送ります。",
                      "Paused. Resume to send the rest.")
STATUS_FOR = {Outcome.PAUSE_QUOTA: "paused_quota", Outcome.PAUSE_TOKEN: "paused_token", Outcome.RETRY: "paused"}


def conclude(journal: Any, reason: Outcome | None, detail: str, uncertain: bool) -> RunResult:
    """How a run ends, for multicast and personal sends alike: the first pause reason, then batches left
    waiting for the shop's choice on the 24-hour rule, then anything still pending, else done."""
    if reason is not None:
        return journal.finish(STATUS_FOR[reason], PAUSE_TEXTS[reason], detail)
    if uncertain:
        return journal.finish("paused", PAUSE_TEXTS[Outcome.UNCERTAIN])
    if journal.has_pending():
        return journal.finish("paused", CANCELLED_TEXT)
    return journal.finish("done", None)


@dataclass
class _Attempt:
    outcome: Outcome | None  # None: never sent (stopped before the first attempt)
    answer: Answer | None
    attempts: int
    interrupted: bool = False  # stopped between retries by a pause or cancel, not by its own answers


def attempt_ended(ended: KeyExpiring | Stopped | LineError, tries: Tries) -> _Attempt:
    """What each way of ending without LINE's acceptance means, for a multicast and a personal push alike."""
    if isinstance(ended, KeyExpiring):
        last = ended.last
        return _Attempt(Outcome.UNCERTAIN, answer_for(last) if last else None, tries.count)
    if isinstance(ended, Stopped):
        # Another request paused the campaign, or the shop did: keep this one pending, same key.
        last = ended.last
        return _Attempt(outcome_for(last) if last else None, answer_for(last) if last else None,
                        tries.count, interrupted=True)
    return _Attempt(outcome_for(ended), answer_for(ended), tries.count)


class Engine:
    def __init__(self, sender: Sender, *, pacer: Limiter | None = None, concurrency: int = 8,
                 max_attempts: int = SEND_RETRY.attempts, backoff: float = SEND_RETRY.base_delay,
                 max_backoff: float = SEND_RETRY.max_delay, sleep: Callable[[float], object] | None = None,
                 clock: Callable[[], dt.datetime] = utc_now, progress_interval: float = 0.25) -> None:
        # The channel's shared limiter when the sender knows its channel; a private one for a scripted sender.
        self.sender = sender
        self.pacer = pacer or getattr(sender, "limiter", None) or RateLimiter(MULTICAST_RATE)
        self.concurrency = concurrency
        self.policy = RetryPolicy(attempts=max_attempts, base_delay=backoff, max_delay=max_backoff)
        self._stop = threading.Event()
        self.sleep = sleep  # None: wait on the stop flag, so a cancel is not held up by a backoff
        self.clock = clock
        timeout = getattr(sender, "request_timeout", sum(DEFAULT_TIMEOUT))
        self.key_deadline = KEY_MEMORY - dt.timedelta(seconds=timeout) - KEY_SAFETY
        self.progress_interval = progress_interval

    def run(self, campaign: Campaign, progress: Callable[[Progress], None] | None = None,
            cancelled: Callable[[], bool] = lambda: False) -> RunResult:
        """Send the campaign's pending batches, holding its claim (CampaignBusy while another holder sends)."""
        claim = Claim(campaign)
        try:
            return self._run(campaign, claim, progress, cancelled)
        finally:
            claim.release()

    def _run(self, campaign: Campaign, claim: Claim, progress: Callable[[Progress], None] | None,
             cancelled: Callable[[], bool]) -> RunResult:
        journal = Journal(campaign, clock=self.clock)
        journal.started()
        messages = json.loads(campaign.messages)
        reason: Outcome | None = None
        uncertain = False
        detail = ""
        last_report = 0.0
        self._stop.clear()
        if cancelled():
            self._stop.set()

        def send(batch: Batch) -> _Attempt:
            assert batch.first_attempt_at is not None  # written by journal.before_first_attempt
            not_after = as_utc(batch.first_attempt_at) + self.key_deadline
            return self._send(batch.retry_key, journal.user_ids(batch), messages, campaign.unit, not_after)

        def done(batch: Batch, future: Future[_Attempt]) -> None:
            nonlocal reason, detail, uncertain
            result = future.result()
            journal.record(batch, result.outcome, result.answer, result.attempts)
            if result.outcome is Outcome.UNCERTAIN:
                uncertain = True  # this batch waits for the shop's choice; the others go on
            elif result.outcome in STATUS_FOR and reason is None and not result.interrupted:
                reason = result.outcome
                detail = result.answer.message if result.answer else ""
                self._stop.set()

        def tick() -> bool:
            nonlocal last_report
            claim.renew_if_due()
            if cancelled():
                self._stop.set()
            if progress and time.monotonic() - last_report >= self.progress_interval:
                last_report = time.monotonic()
                progress(journal.progress())
            return self._stop.is_set()

        fan_out(list(journal.pending()), send, done, workers=self.concurrency, interval=self.progress_interval,
                tick=tick, before=journal.before_first_attempt, name="send")
        if progress:
            progress(journal.progress())
        return conclude(journal, reason, detail, uncertain)

    def _send(self, key: str, user_ids: list[str], messages: list[dict[str, Any]], unit: str,
              not_after: dt.datetime) -> _Attempt:
        tries = Tries()
        try:
            answer = call_with_retries(lambda: self.sender(user_ids, messages, key, unit), self.policy,
                                       limiter=self.pacer, stop=self._stop, not_after=not_after, clock=self.clock,
                                       sleep=self.sleep, tries=tries)
        except (KeyExpiring, Stopped, LineError) as ended:
            return attempt_ended(ended, tries)
        return _Attempt(Outcome.ACCEPTED, answer, tries.count)
