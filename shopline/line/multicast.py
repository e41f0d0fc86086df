"""`POST /v2/bot/message/multicast`: one batch of up to 500 friends, with its retry key and aggregation unit.

No retrying here: whether and when to send the identical request again is the
delivery engine's decision, and it must keep the same key (LINE.md, "Sending").
Failures arrive as line.errors types carrying status, LINE's message, request IDs
and Retry-After.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from shopline.line.config import LineClient
from shopline.line.errors import NotLineAnswer

MAX_RECIPIENTS = 500


@dataclass(frozen=True)
class Accepted:
    status: int
    request_id: str


def multicast(client: LineClient, user_ids: Sequence[str], messages: Sequence[dict[str, Any]], *,
              retry_key: str, unit: str) -> Accepted:
    from linebot.v3.messaging import MulticastRequest

    if not 0 < len(user_ids) <= MAX_RECIPIENTS:
        raise ValueError(f"multicast takes 1 to {MAX_RECIPIENTS} user IDs, not {len(user_ids)}")
    request = MulticastRequest.from_dict(
        {"to": list(user_ids), "messages": list(messages), "customAggregationUnits": [unit]})
    answer = client.call(client.messaging.multicast_with_http_info, request, x_line_retry_key=retry_key)
    headers = {k.lower(): v for k, v in (answer.headers or {}).items()}
    if not headers.get("x-line-request-id"):
        # LINE names every answer; a 200 without it came from something in between (a captive
        # portal), and taking it as accepted would mark friends sent who never were.
        raise NotLineAnswer()
    return Accepted(answer.status_code, headers["x-line-request-id"])
