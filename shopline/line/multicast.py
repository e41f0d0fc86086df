"""`POST /v2/bot/message/multicast`: one batch of up to 500 friends, with its retry key and aggregation unit.

No retrying here: whether and when to send the identical request again is the
delivery engine's decision, and it must keep the same key (LINE.md, "Sending").
Failures arrive as line.errors types carrying status, LINE's message, request IDs
and Retry-After.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from shopline.line.config import LineClient
from shopline.line.send_post import Accepted, post_send

__all__ = ["MAX_RECIPIENTS", "Accepted", "multicast"]

MAX_RECIPIENTS = 500
PATH = "/v2/bot/message/multicast"


def multicast(client: LineClient, user_ids: Sequence[str], messages: Sequence[dict[str, Any]], *,
              retry_key: str, unit: str) -> Accepted:
    """The body goes as plain JSON, not through the SDK's models (line.send_post says why)."""
    if not 0 < len(user_ids) <= MAX_RECIPIENTS:
        raise ValueError(f"multicast takes 1 to {MAX_RECIPIENTS} user IDs, not {len(user_ids)}")
    return post_send(client, PATH, {"to": list(user_ids), "messages": list(messages),
                                    "customAggregationUnits": [unit]}, retry_key=retry_key)
