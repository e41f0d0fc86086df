"""LINE's failures become our exception types, with sentences that never hold the token."""

from __future__ import annotations

import json

import pytest
from linebot.v3.messaging.exceptions import ApiException, ServiceException
from urllib3 import exceptions as u3

from shopline.core import messages
from shopline.line import errors

TOKEN = "secret-token-abc123"


def api_error(status: int, message: str, cls=ApiException, headers=None) -> ApiException:
    exc = cls(status=status, reason="x")
    exc.body = json.dumps({"message": message})
    exc.headers = headers or {}
    return exc


@pytest.mark.parametrize(
    ("status", "message", "kind", "retryable"),
    [
        (401, "Authentication failed", errors.LineAuthError, False),
        (403, "Access to this API is not available for your account", errors.LineForbidden, False),
        (404, "Not found", errors.LineNotFound, False),
        (429, "The API rate limit has been exceeded. Try again later.", errors.LineRateLimited, True),
        (429, "You have reached your monthly limit.", errors.LineMonthlyLimit, False),
        (400, "The request body has 1 error(s)", errors.LineError, False),
        (500, "An error occurred in the server", errors.LineServerError, True),
        (503, "Service unavailable", errors.LineServerError, True),
    ],
)
def test_status_maps_to_type(status, message, kind, retryable):
    cls = ServiceException if status >= 500 else ApiException
    mapped = errors.from_exception(api_error(status, message, cls), secret=TOKEN)
    assert type(mapped) is kind
    assert mapped.retryable is retryable
    assert mapped.status == status and mapped.line_message == message
    assert message in str(mapped)


def test_token_in_line_message_is_scrubbed():
    mapped = errors.from_exception(api_error(400, f"bad header Bearer {TOKEN}"), secret=TOKEN)
    for text in (mapped.text.ja, mapped.text.en, str(mapped), repr(mapped.args)):
        assert TOKEN not in text


def test_headers_kept_for_support_and_retry():
    headers = {"X-Line-Request-Id": "req-1", "Retry-After": "3", "x-line-accepted-request-id": "acc-9"}
    mapped = errors.from_exception(api_error(409, "The retry key is already accepted", headers=headers))
    assert (mapped.request_id, mapped.retry_after, mapped.accepted_request_id) == ("req-1", 3.0, "acc-9")


@pytest.mark.parametrize(
    ("raised", "kind"),
    [
        (u3.ReadTimeoutError(None, "/v2/bot/info", "read timed out"), errors.LineTimeout),
        (u3.ConnectTimeoutError("connect timed out"), errors.LineTimeout),
        (u3.NewConnectionError(None, "refused"), errors.LineConnectionError),
        (u3.ProtocolError("Connection aborted.", ConnectionResetError()), errors.LineConnectionError),
        (u3.MaxRetryError(None, "/x", u3.ReadTimeoutError(None, "/x", "t")), errors.LineTimeout),
        (ApiException(status=0, reason="SSLError"), errors.LineConnectionError),
    ],
)
def test_transport_failures(raised, kind):
    mapped = errors.from_exception(raised)
    assert type(mapped) is kind and mapped.retryable


def test_programming_errors_are_not_swallowed():
    assert errors.from_exception(ValueError("bug")) is None


def test_both_languages():
    mapped = errors.from_exception(api_error(401, "Authentication failed"))
    messages.set_language("en")
    try:
        assert "channel access token is not valid" in str(mapped)
    finally:
        messages.set_language("ja")
    assert "チャネルアクセストークンが無効です" in str(mapped)
