"""`POST /v2/bot/message/push` for a personal campaign: one friend, its own retry key, no retrying here.

As multicast.py: whether and when to send the identical request again is the delivery engine's call,
made with the same key. Failures arrive as line.errors types (409 RetryKeyAccepted included). The body
goes as plain JSON (line.send_post says why).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from shopline.line.config import LineClient
from shopline.line.send_post import Accepted, post_send, post_send_async

if TYPE_CHECKING:
    from shopline.line.async_client import AsyncLineClient

PATH = "/v2/bot/message/push"


def push_message(client: LineClient, user_id: str, messages: Sequence[dict[str, Any]], *, retry_key: str,
                 unit: str) -> Accepted:
    return post_send(client, PATH, {"to": user_id, "messages": list(messages), "customAggregationUnits": [unit]},
                     retry_key=retry_key)


async def push_message_async(client: AsyncLineClient, user_id: str, messages: Sequence[dict[str, Any]], *,
                             retry_key: str, unit: str) -> Accepted:
    """push_message() on an event loop (line.async_client): the identical request."""
    return await post_send_async(client, PATH, {"to": user_id, "messages": list(messages),
                                                "customAggregationUnits": [unit]}, retry_key=retry_key)
