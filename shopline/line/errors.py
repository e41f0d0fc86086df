"""LINE's failures as our own exceptions, each with a sentence in Japanese and English.

The token never appears in them: LINE's own message is scrubbed of it, and the
SDK's exception (which holds response headers and body) is not chained.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Mapping

from shopline.core.messages import ShopLineError, Text

MONTHLY_LIMIT_MESSAGE = "You have reached your monthly limit."


class LineError(ShopLineError):
    """A LINE call failed. `retryable` says whether the identical request may be sent again."""

    retryable = False
    text_template = Text(
        "LINEとの通信でエラーが起きました (HTTP {status}){detail}",
        "LINE answered with an error (HTTP {status}){detail}",
    )

    def __init__(
        self,
        status: int | None = None,
        line_message: str = "",
        headers: Mapping[str, str] | None = None,
    ) -> None:
        detail = f": {line_message}" if line_message else ""
        super().__init__(self.text_template.format(status=status, detail=detail))
        self.status = status
        self.line_message = line_message
        headers = headers or {}
        self.request_id = headers.get("x-line-request-id")
        self.accepted_request_id = headers.get("x-line-accepted-request-id")
        self.retry_after = _seconds(headers.get("retry-after"))


class LineAuthError(LineError):
    text_template = Text(
        "チャネルアクセストークンが無効です。LINE Developersコンソールで長期のチャネルアクセストークンを"
        "確認し、もう一度接続してください{detail}",
        "The channel access token is not valid. Check the long-lived channel access token in the "
        "LINE Developers console and connect again{detail}",
    )


class MalformedToken(LineAuthError):
    """Refused before any request: http.client would echo a bad header value in its error."""

    text_template = Text(
        "チャネルアクセストークンに使えない文字が含まれています。コピーした範囲を確かめて、"
        "トークンだけを貼り付けてください",
        "The channel access token contains characters a token cannot have. Check what was copied "
        "and paste only the token",
    )


class LineForbidden(LineError):
    text_template = Text(
        "このアカウントにはこの操作が許可されていません (HTTP 403){detail}",
        "This account is not allowed to do this (HTTP 403){detail}",
    )


class LineNotFound(LineError):
    text_template = Text("LINEに見つかりません (HTTP 404){detail}", "Not found at LINE (HTTP 404){detail}")


class RetryKeyAccepted(LineError):
    """409: a request with this X-Line-Retry-Key was accepted earlier; this one delivered nothing more."""

    text_template = Text(
        "この送信はすでにLINEに受け付けられています (HTTP 409){detail}",
        "LINE had already accepted this send (HTTP 409){detail}",
    )


class LineRateLimited(LineError):
    retryable = True
    text_template = Text(
        "LINEへのリクエストが多すぎます。少し待ってからやり直します (HTTP 429){detail}",
        "Too many requests to LINE; waiting before trying again (HTTP 429){detail}",
    )


class LineMonthlyLimit(LineError):
    text_template = Text(
        "今月のメッセージ送信数の上限に達しました。プランを見直すか来月までお待ちください{detail}",
        "This month's message limit has been reached. Review the plan or wait for next month{detail}",
    )


class LineServerError(LineError):
    retryable = True
    text_template = Text(
        "LINEのサーバーで一時的なエラーが起きました (HTTP {status}){detail}",
        "LINE's server had a temporary error (HTTP {status}){detail}",
    )


class LineTimeout(LineError):
    retryable = True
    text_template = Text(
        "LINEからの応答が時間内にありませんでした。通信環境を確認してください",
        "LINE did not answer in time. Check the network connection",
    )


class LineConnectionError(LineError):
    retryable = True
    text_template = Text(
        "LINEに接続できませんでした。インターネット接続を確認してください",
        "Could not connect to LINE. Check the internet connection",
    )


class NotLineAnswer(LineError):
    """A 200 whose body is not LINE's: a Wi-Fi login page, a proxy's or a filter's page got in between.

    Not retried: the same page would come back until someone logs in to the network.
    """

    text_template = Text(
        "LINEではない応答が返りました。Wi-Fiのログイン画面やネットワークの制限がないか確認し、"
        "ブラウザでインターネットにつながることを確かめてからやり直してください",
        "The answer did not come from LINE. Check for a Wi-Fi login page or a network filter, "
        "make sure a browser can reach the internet, then try again",
    )


def _seconds(value: str | None) -> float | None:
    try:
        return float(value) if value is not None else None
    except ValueError:
        return None


def _line_message(body: object, secret: str) -> str:
    """LINE's `message` (and details) from an error body, without the token, kept short."""
    if isinstance(body, bytes):
        body = body.decode("utf-8", "replace")
    try:
        data = json.loads(body) if isinstance(body, str) else {}
    except ValueError:
        data = {}
    if not isinstance(data, dict):
        return ""
    parts = [str(data.get("message", ""))]
    parts += [str(d.get("message", "")) for d in data.get("details") or [] if isinstance(d, dict)]
    text = " / ".join(p for p in parts if p)
    if secret:
        text = text.replace(secret, "***")
    return text[:300]


def _for_status(status: int, message: str) -> type[LineError]:
    if status == 401:
        return LineAuthError
    if status == 403:
        return LineForbidden
    if status == 404:
        return LineNotFound
    if status == 409:
        return RetryKeyAccepted
    if status == 429:
        return LineMonthlyLimit if message.startswith(MONTHLY_LIMIT_MESSAGE.rstrip(".")) else LineRateLimited
    if status >= 500:
        return LineServerError
    return LineError


def from_exception(exc: BaseException, *, secret: str = "") -> LineError | None:
    """Our exception for a failed SDK call, or None when it is not a LINE/network failure (a bug)."""
    from linebot.v3.messaging.exceptions import ApiException
    from urllib3 import exceptions as u3

    if isinstance(exc, ApiException):
        if not exc.status:  # the SDK reports TLS failures as status 0
            return LineConnectionError()
        headers = {k.lower(): v for k, v in (exc.headers or {}).items()}
        message = _line_message(exc.body, secret)
        return _for_status(exc.status, message)(exc.status, message, headers)
    if _is_validation_error(exc):  # the body was not what LINE answers (a captive portal's HTML, say)
        return NotLineAnswer()
    if isinstance(exc, u3.MaxRetryError) and exc.reason is not None:
        exc = exc.reason
    if isinstance(exc, u3.NewConnectionError):  # a subclass of ConnectTimeoutError, yet a refusal
        return LineConnectionError()
    if isinstance(exc, (u3.TimeoutError, TimeoutError)):  # aiohttp's timeouts are TimeoutErrors too
        return LineTimeout()
    if isinstance(exc, (u3.HTTPError, OSError)):
        return LineConnectionError()
    aiohttp = sys.modules.get("aiohttp")  # only the async client (line.async_client) raises its errors
    if aiohttp is not None and isinstance(exc, aiohttp.ClientError):  # a dropped connection, a cut-off answer
        return LineConnectionError()
    return None


def _is_validation_error(exc: BaseException) -> bool:
    """The SDK's models are pydantic v1 models today (pydantic.v1 under pydantic 2); either may raise."""
    import pydantic

    kinds: list[type] = [pydantic.ValidationError]
    try:
        from pydantic import v1
    except ImportError:  # pydantic 1: pydantic.ValidationError is the one
        pass
    else:
        kinds.append(v1.ValidationError)
    return isinstance(exc, tuple(kinds))
