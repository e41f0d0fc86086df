"""The engine's Sender over LINE's multicast: an Answer when LINE accepts, a typed LineError when not.

One LineClient serves every worker thread; its connection pool is at least as
large as the engine's concurrency, or threads would queue for connections (and
urllib3 would open and drop extra ones).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from shopline.delivery.answer import Answer
from shopline.line.config import DEFAULT_TIMEOUT, LineClient
from shopline.line.limits import MULTICAST
from shopline.line.multicast import multicast
from shopline.line.pacing import Limiter


class LineSender:
    def __init__(self, token: str, *, concurrency: int = 8, timeout: tuple[float, float] | None = None) -> None:
        self.client = LineClient(token, pool_size=max(concurrency, 8), timeout=timeout or DEFAULT_TIMEOUT)
        self.request_timeout = sum(self.client.timeout) if isinstance(self.client.timeout, tuple) \
            else float(self.client.timeout)

    @property
    def limiter(self) -> Limiter:
        """The channel's multicast limiter, shared with every other send in this process."""
        return self.client.limiter(MULTICAST)

    def __call__(self, user_ids: Sequence[str], messages: Sequence[dict[str, Any]], key: str, unit: str) -> Answer:
        sent = multicast(self.client, user_ids, messages, retry_key=key, unit=unit)
        return Answer(sent.status, sent.request_id)

    def close(self) -> None:
        self.client.close()

    def __enter__(self) -> LineSender:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()
