"""What a run reports: progress while sending, the result when it stops."""

from __future__ import annotations

from dataclasses import dataclass

from shopline.core.messages import Text


@dataclass(frozen=True)
class Progress:
    batches_done: int
    batches_total: int
    friends_done: int
    friends_total: int


@dataclass(frozen=True)
class RunResult:
    status: str  # the campaign's status now: done, paused, paused_quota, paused_token
    delivered: int
    failed: int
    pending: int
    message: Text | None = None  # why it stopped, for the shop owner
