"""What LINE answered to one multicast attempt, and what the engine does about it.

LINE's advice (LINE.md): retry only 5xx and timeouts, with the same key; 409
means an earlier attempt with this key was accepted; 429 is either a rate limit
(wait, retry) or the month's limit (stop: retrying cannot help). The error types
line.errors made from the HTTP answer decide the outcome; nothing here reads text.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass

from shopline.line import errors


class Outcome(enum.Enum):
    ACCEPTED = "accepted"  # 200, or 409 for a key accepted earlier
    RETRY = "retry"  # 5xx, timeout, dropped connection, not LINE's answer: same key, pause when retries run out
    PAUSE_QUOTA = "pause_quota"  # 429 monthly limit: pause the campaign
    PAUSE_TOKEN = "pause_token"  # 401/403: the token is wrong or revoked
    UNCERTAIN = "uncertain"  # the key would be too old for LINE to recognise: left for the shop to decide
    FAILED = "failed"  # other 4xx: this batch will never be accepted as it is


@dataclass(frozen=True)
class Answer:
    status: int  # HTTP status; 0 when no answer came (timeout, connection dropped, someone else's page)
    request_id: str = ""  # x-line-request-id, or x-line-accepted-request-id on 409
    message: str = ""  # LINE's own message, or what went wrong on the way
    retry_after: float | None = None  # seconds, from a Retry-After header


def outcome_for(error: errors.LineError) -> Outcome:
    """What a failed attempt (after any retries) means for its batch."""
    if isinstance(error, errors.RetryKeyAccepted):
        return Outcome.ACCEPTED
    if isinstance(error, errors.LineMonthlyLimit):
        return Outcome.PAUSE_QUOTA
    if isinstance(error, (errors.LineAuthError, errors.LineForbidden)):
        return Outcome.PAUSE_TOKEN
    if error.retryable or isinstance(error, errors.NotLineAnswer):
        return Outcome.RETRY
    return Outcome.FAILED


def answer_for(error: errors.LineError) -> Answer:
    """The journal's record of a failed attempt; no status (timeout, dropped connection) is 0."""
    return Answer(status=error.status or 0,
                  request_id=error.accepted_request_id or error.request_id or "",
                  message=error.line_message or str(error.text.en),
                  retry_after=error.retry_after)
