"""Sending a frozen campaign: pending batches, same retry key on every attempt, one database writer.

Worker threads only talk to LINE; this thread alone writes the journal. A batch's
first attempt time is written before its request leaves, so after a crash resume
knows which keys LINE may have seen (and for how much longer it remembers them).
"""

from __future__ import annotations

import json
import random
import threading
import time
from collections.abc import Callable
from concurrent.futures import FIRST_COMPLETED, Future, ThreadPoolExecutor, wait
from dataclasses import dataclass
from typing import Any

from shopline.core.messages import Text
from shopline.delivery.answer import Answer, Outcome, classify
from shopline.delivery.journal import Journal
from shopline.delivery.results import Progress, RunResult
from shopline.line.pacing import MULTICAST_RATE, RateLimiter
from shopline.store.campaign_models import Batch, Campaign

Sender = Callable[[list[str], list[dict[str, Any]], str, str], Answer]
"""(user IDs, LINE message objects, retry key, aggregation unit) -> what LINE answered."""

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
}
CANCELLED_TEXT = Text("配信を一時停止しました。再開すると続きから送ります。",
                      "Paused. Resume to send the rest.")
STATUS_FOR = {Outcome.PAUSE_QUOTA: "paused_quota", Outcome.PAUSE_TOKEN: "paused_token", Outcome.RETRY: "paused"}


@dataclass
class _Attempt:
    outcome: Outcome | None  # None: never sent (stopped before the first attempt)
    answer: Answer | None
    attempts: int
    interrupted: bool = False  # stopped between retries by a pause or cancel, not by its own answers


class Engine:
    def __init__(self, sender: Sender, *, pacer: RateLimiter | None = None, concurrency: int = 8,
                 max_attempts: int = 6, backoff: float = 0.5, max_backoff: float = 30.0,
                 sleep: Callable[[float], object] | None = None, progress_interval: float = 0.25) -> None:
        self.sender, self.pacer = sender, pacer or RateLimiter(MULTICAST_RATE)
        self.concurrency, self.max_attempts = concurrency, max_attempts
        self._stop = threading.Event()
        # Backing off waits on the stop flag, so a cancel is not held up by a 30-second backoff.
        self.backoff, self.max_backoff, self.sleep = backoff, max_backoff, sleep or self._stop.wait
        self.progress_interval = progress_interval

    def run(self, campaign: Campaign, progress: Callable[[Progress], None] | None = None,
            cancelled: Callable[[], bool] = lambda: False) -> RunResult:
        journal = Journal(campaign)
        journal.started()
        messages = json.loads(campaign.messages)
        queue = list(journal.pending())
        reason: Outcome | None = None
        detail = ""
        in_flight: dict[Future[_Attempt], Batch] = {}
        last_report = 0.0
        self._stop.clear()
        with ThreadPoolExecutor(self.concurrency, thread_name_prefix="send") as pool:
            while queue or in_flight:
                while queue and len(in_flight) < self.concurrency and not self._stop.is_set():
                    if cancelled():
                        self._stop.set()
                        break
                    batch = queue.pop(0)
                    journal.before_first_attempt(batch)
                    in_flight[pool.submit(self._send, batch.retry_key, journal.user_ids(batch),
                                          messages, campaign.unit)] = batch
                if not in_flight:
                    break
                done, _ = wait(in_flight, timeout=self.progress_interval, return_when=FIRST_COMPLETED)
                for fut in done:
                    batch, result = in_flight.pop(fut), fut.result()
                    journal.record(batch, result.outcome, result.answer, result.attempts)
                    if result.outcome in STATUS_FOR and reason is None and not result.interrupted:
                        reason = result.outcome
                        detail = result.answer.message if result.answer else ""
                        self._stop.set()
                if cancelled():
                    self._stop.set()
                if progress and (time.monotonic() - last_report >= self.progress_interval or not in_flight):
                    last_report = time.monotonic()
                    progress(journal.progress())
        if reason is not None:
            return journal.finish(STATUS_FOR[reason], PAUSE_TEXTS[reason], detail)
        if journal.has_pending():
            return journal.finish("paused", CANCELLED_TEXT)
        return journal.finish("done", None)

    def _send(self, key: str, user_ids: list[str], messages: list[dict[str, Any]], unit: str) -> _Attempt:
        attempts, answer, outcome, interrupted = 0, None, None, False
        while attempts < self.max_attempts:
            if self._stop.is_set():
                interrupted = True  # another batch paused the campaign, or the shop: keep it pending, same key
                break
            self.pacer.wait()
            answer = self.sender(user_ids, messages, key, unit)
            attempts += 1
            outcome = classify(answer)
            if outcome is Outcome.RATE_LIMITED:
                self.pacer.hold(answer.retry_after or self._delay(attempts))
                continue
            if outcome is not Outcome.RETRY:
                break
            if attempts < self.max_attempts:
                self.sleep(self._delay(attempts))
        if outcome is Outcome.RATE_LIMITED:
            outcome = Outcome.RETRY  # still limited after every attempt: pause, resumable
        return _Attempt(outcome, answer, attempts, interrupted)

    def _delay(self, attempt: int) -> float:
        # Exponential with jitter, so parallel batches do not retry in lockstep.
        return min(self.max_backoff, self.backoff * 2 ** (attempt - 1)) * random.uniform(0.5, 1.0)
