"""What LINE answered to one multicast attempt, and what the engine does about it.

LINE's advice (LINE.md): retry only 5xx and timeouts, with the same key; 409
means an earlier attempt with this key was accepted; 429 is either a rate limit
(wait, retry) or the month's limit (stop: retrying cannot help).
"""

from __future__ import annotations

import enum
from dataclasses import dataclass

MONTHLY_LIMIT_TEXT = "monthly limit"


class Outcome(enum.Enum):
    ACCEPTED = "accepted"  # 200, or 409 for a key accepted earlier
    RETRY = "retry"  # 5xx, timeout, dropped connection: same key, back off
    RATE_LIMITED = "rate_limited"  # 429 rate limit: wait, then the same key again
    PAUSE_QUOTA = "pause_quota"  # 429 monthly limit: pause the campaign
    PAUSE_TOKEN = "pause_token"  # 401/403: the token is wrong or revoked
    FAILED = "failed"  # other 4xx: this batch will never be accepted as it is


@dataclass(frozen=True)
class Answer:
    status: int  # HTTP status; 0 when no answer came (timeout, connection dropped)
    request_id: str = ""  # x-line-request-id, or x-line-accepted-request-id on 409
    message: str = ""  # LINE's own message, or what went wrong on the way
    retry_after: float | None = None  # seconds, from a Retry-After header


def classify(answer: Answer) -> Outcome:
    s = answer.status
    if 200 <= s < 300 or s == 409:
        return Outcome.ACCEPTED
    if s == 0 or s >= 500:
        return Outcome.RETRY
    if s == 429:
        return Outcome.PAUSE_QUOTA if MONTHLY_LIMIT_TEXT in answer.message.lower() else Outcome.RATE_LIMITED
    if s in (401, 403):
        return Outcome.PAUSE_TOKEN
    return Outcome.FAILED
