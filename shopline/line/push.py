"""Test sends: `POST /v2/bot/message/push` to the shop's own LINE user IDs, one request each.

Each recipient gets its own retry key, made before the first attempt, so a retry
after a timeout or a 500 can never make the shop's phone buzz twice.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from functools import partial
from typing import Any

from shopline.line.config import LineClient
from shopline.line.errors import LineError, RetryKeyAccepted
from shopline.line.limits import PUSH
from shopline.line.retry import DEFAULT_RETRY, RetryPolicy, call_with_retries

TEST_UNIT = "shopline_test"  # kept apart from campaign units so test sends do not skew their insight


@dataclass(frozen=True)
class PushResult:
    user_id: str
    ok: bool
    message: str = ""  # why not, for the shop owner


def push(client: LineClient, user_id: str, messages: Sequence[dict[str, Any]], *, retry_key: str,
         unit: str = TEST_UNIT, policy: RetryPolicy = DEFAULT_RETRY) -> None:
    from linebot.v3.messaging import PushMessageRequest

    request = PushMessageRequest.from_dict(
        {"to": user_id, "messages": list(messages), "customAggregationUnits": [unit]})
    try:
        call_with_retries(partial(client.call, client.messaging.push_message_with_http_info, request,
                                  x_line_retry_key=retry_key), policy, limiter=client.limiter(PUSH))
    except RetryKeyAccepted:  # an earlier attempt with this key was accepted
        pass


def push_test(client: LineClient, user_ids: Sequence[str], messages: Sequence[dict[str, Any]],
              policy: RetryPolicy = DEFAULT_RETRY) -> list[PushResult]:
    results = []
    for user_id in user_ids:
        try:
            push(client, user_id, messages, retry_key=str(uuid.uuid4()), policy=policy)
            results.append(PushResult(user_id, True))
        except LineError as error:
            results.append(PushResult(user_id, False, str(error)))
    return results
