"""One send request (multicast or push) given to the SDK's ApiClient or AsyncApiClient as the plain JSON LINE is sent.

Not through MulticastRequest / PushMessageRequest and the *_with_http_info methods: those validate the
body with pydantic two to three times per call (from_dict, validate_arguments, serialisation), which for a
multicast of 500 user IDs was ~2.7 ms of client CPU a request, nearly all of it, and made the send CPU-bound
on a loaded machine (bench/bench_send.py --profile); a push through the public push_message_with_http_info
costs ~685-950 us of client CPU against ~510-530 us this way (bench/bench_personal.py prints both), and at
1,500 pushes a second the client's CPU is what limits the pace. The
bodies are ours and already checked (our draft rules, LINE's validate endpoint before freezing, user IDs
from the store). Host, token, timeout and error mapping stay the SDK client's, as for every other call.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from shopline.line.config import LineClient
from shopline.line.errors import NotLineAnswer

if TYPE_CHECKING:
    from shopline.line.async_client import AsyncLineClient

_JSON = "application/json"


@dataclass(frozen=True)
class Accepted:
    status: int
    request_id: str


def post_send(client: LineClient, path: str, body: dict[str, Any], *, retry_key: str) -> Accepted:
    """POST `body` to `path` with its retry key; LINE's answer, or a line.errors type (409 RetryKeyAccepted too)."""
    api = client.messaging
    answer = client.call(api.api_client.call_api, path, "POST", {}, [], _headers(retry_key), body=body,
                         post_params=[], files={}, response_types_map={}, auth_settings=["Bearer"],
                         _return_http_data_only=False, _preload_content=True, _host=api.line_base_path,
                         collection_formats={})
    return _accepted(answer)


async def post_send_async(client: AsyncLineClient, path: str, body: dict[str, Any], *, retry_key: str) -> Accepted:
    """post_send() through the SDK's AsyncApiClient (line.async_client): the same request, the same answers."""
    api = client.messaging
    answer = await client.call(api.api_client.call_api, path, "POST", {}, [], _headers(retry_key), body=body,
                               post_params=[], files={}, response_types_map={}, auth_settings=["Bearer"],
                               _return_http_data_only=False, _preload_content=True, _host=api.line_base_path,
                               collection_formats={})
    return _accepted(answer)


def _headers(retry_key: str) -> dict[str, str]:
    return {"X-Line-Retry-Key": retry_key, "Accept": _JSON, "Content-Type": _JSON}


def _accepted(answer: Any) -> Accepted:
    found = {k.lower(): v for k, v in (answer.headers or {}).items()}
    if not found.get("x-line-request-id"):
        # LINE names every answer; a 200 without it came from something in between (a captive portal), and
        # taking it as accepted would mark friends sent who never were.
        raise NotLineAnswer()
    return Accepted(answer.status_code, found["x-line-request-id"])
