"""`POST /v2/bot/message/push` for a personal campaign: one friend, its own retry key, no retrying here.

As multicast.py: whether and when to send the identical request again is the delivery engine's call,
made with the same key. Failures arrive as line.errors types (409 RetryKeyAccepted included).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from shopline.line.config import LineClient
from shopline.line.errors import NotLineAnswer
from shopline.line.multicast import Accepted


def push_message(client: LineClient, user_id: str, messages: Sequence[dict[str, Any]], *, retry_key: str,
                 unit: str) -> Accepted:
    from linebot.v3.messaging import PushMessageRequest

    request = PushMessageRequest.from_dict(
        {"to": user_id, "messages": list(messages), "customAggregationUnits": [unit]})
    answer = client.call(client.messaging.push_message_with_http_info, request, x_line_retry_key=retry_key)
    headers = {k.lower(): v for k, v in (answer.headers or {}).items()}
    if not headers.get("x-line-request-id"):  # not LINE's answer (a captive portal): never taken as sent
        raise NotLineAnswer()
    return Accepted(answer.status_code, headers["x-line-request-id"])
