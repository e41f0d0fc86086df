"""The engine's Sender over LINE's multicast: an answer for every attempt, never an exception for LINE's.

One LineClient serves every worker thread; its connection pool is at least as
large as the engine's concurrency, or threads would queue for connections (and
urllib3 would open and drop extra ones).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from shopline.delivery.answer import Answer
from shopline.line.config import LineClient
from shopline.line.errors import LineError
from shopline.line.multicast import multicast


class LineSender:
    def __init__(self, token: str, *, concurrency: int = 8, timeout: tuple[float, float] | None = None) -> None:
        kwargs = {"timeout": timeout} if timeout else {}
        self.client = LineClient(token, pool_size=max(concurrency, 8), **kwargs)

    def __call__(self, user_ids: Sequence[str], messages: Sequence[dict[str, Any]], key: str, unit: str) -> Answer:
        try:
            sent = multicast(self.client, user_ids, messages, retry_key=key, unit=unit)
        except LineError as error:
            return answer_for(error)
        return Answer(sent.status, sent.request_id)

    def close(self) -> None:
        self.client.close()

    def __enter__(self) -> LineSender:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()


def answer_for(error: LineError) -> Answer:
    """No status (timeout, dropped connection) is 0: the engine retries it with the same key."""
    return Answer(status=error.status or 0,
                  request_id=error.accepted_request_id or error.request_id or "",
                  message=error.line_message or str(error.text.en),
                  retry_after=error.retry_after)
