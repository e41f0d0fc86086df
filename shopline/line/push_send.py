"""`POST /v2/bot/message/push` for a personal campaign: one friend, its own retry key, no retrying here.

As multicast.py: whether and when to send the identical request again is the delivery engine's call,
made with the same key. Failures arrive as line.errors types (409 RetryKeyAccepted included).

The body goes to the SDK's ApiClient as the plain dict LINE is sent, not through PushMessageRequest and
push_message_with_http_info's pydantic validation: a personal campaign makes 100,000 such requests and the
models cost a third of each one's client-side CPU (bench/bench_personal.py), while our own draft validation
has already checked every message. Host, token, timeout and error mapping are the SDK client's, as for
every other call.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from shopline.line.config import LineClient
from shopline.line.errors import NotLineAnswer
from shopline.line.multicast import Accepted

PATH = "/v2/bot/message/push"
_JSON = "application/json"


def push_message(client: LineClient, user_id: str, messages: Sequence[dict[str, Any]], *, retry_key: str,
                 unit: str) -> Accepted:
    api = client.messaging
    body = {"to": user_id, "messages": list(messages), "customAggregationUnits": [unit]}
    headers = {"X-Line-Retry-Key": retry_key, "Accept": _JSON, "Content-Type": _JSON}
    answer = client.call(api.api_client.call_api, PATH, "POST", {}, [], headers, body=body, post_params=[],
                         files={}, response_types_map={}, auth_settings=["Bearer"], _return_http_data_only=False,
                         _preload_content=True, _host=api.line_base_path, collection_formats={})
    found = {k.lower(): v for k, v in (answer.headers or {}).items()}
    if not found.get("x-line-request-id"):  # not LINE's answer (a captive portal): never taken as sent
        raise NotLineAnswer()
    return Accepted(answer.status_code, found["x-line-request-id"])
