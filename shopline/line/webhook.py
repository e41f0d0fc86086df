"""The channel's webhook through LINE's API: set its URL, and ask LINE to test it."""

from __future__ import annotations

from dataclasses import dataclass

from shopline.line.config import LineClient


@dataclass(frozen=True)
class WebhookTest:
    success: bool
    status_code: int | None
    reason: str
    detail: str


def set_webhook_url(client: LineClient, url: str) -> None:
    """`PUT /v2/bot/channel/webhook/endpoint`. Turning webhooks on stays a switch in the LINE Developers console."""
    from linebot.v3.messaging import SetWebhookEndpointRequest

    client.call(client.messaging.set_webhook_endpoint, SetWebhookEndpointRequest(endpoint=url))


def test_webhook(client: LineClient, url: str | None = None) -> WebhookTest:
    """`POST /v2/bot/channel/webhook/test`: LINE sends its connection check to the URL and says what came back."""
    from linebot.v3.messaging import TestWebhookEndpointRequest

    request = TestWebhookEndpointRequest(endpoint=url) if url else TestWebhookEndpointRequest()
    answer = client.call(client.messaging.test_webhook_endpoint, request)
    return WebhookTest(bool(answer.success), answer.status_code, answer.reason or "", answer.detail or "")
