"""The account's follower IDs: `GET /v2/bot/followers/ids`, page by page.

LINE answers it only for verified and premium accounts (others get 403), and
leaves out users who blocked the account.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from functools import partial

from shopline.line.config import LineClient
from shopline.line.limits import FOLLOWERS
from shopline.line.retry import DEFAULT_RETRY, RetryPolicy, call_with_retries

PAGE_LIMIT = 1000  # LINE's maximum; its default of 300 would need 3x the requests


def iter_follower_pages(client: LineClient, policy: RetryPolicy = DEFAULT_RETRY, *,
                        stop: threading.Event | None = None) -> Iterator[list[str]]:
    """Yield each page of user IDs; `next` from one answer is passed back as `start`."""
    start: str | None = None
    while True:
        page = call_with_retries(partial(client.call, client.messaging.get_followers, start=start, limit=PAGE_LIMIT),
                                 policy, limiter=client.limiter(FOLLOWERS), stop=stop)
        yield list(page.user_ids)
        if not page.next:
            return
        start = page.next
