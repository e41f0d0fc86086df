"""Where LINE is, how long to wait for it, and the one client every call goes through."""

from __future__ import annotations

import os
import re
from collections.abc import Callable
from typing import Any, TypeVar

from shopline.line import errors, limits
from shopline.line.pacing import Limiter

API_ENV = "SHOPLINE_LINE_API"
DEFAULT_HOST = "https://api.line.me"
# (connect, read) seconds: the SDK's sync client would otherwise wait forever.
DEFAULT_TIMEOUT: tuple[float, float] = (5.0, 20.0)

T = TypeVar("T")

# What LINE issues (base64 and JWT alphabets); anything else would only fail later, less clearly.
_TOKEN_SHAPE = re.compile(r"[A-Za-z0-9+/=._~-]+")


def check_token_shape(token: str) -> None:
    """MalformedToken unless `token` has a token's characters: http.client and aiohttp echo a bad header value."""
    if not _TOKEN_SHAPE.fullmatch(token):
        raise errors.MalformedToken()


def api_host() -> str:
    """The Messaging API's base URL; SHOPLINE_LINE_API points tests at a local fake server.

    Only api.line.me is moved: blob and upload calls live on api-data.line.me and
    need their own host when they arrive, since the SDK's host overrides both.
    """
    return (os.environ.get(API_ENV) or DEFAULT_HOST).rstrip("/")


class LineClient:
    """A Messaging API client bound to one channel token; safe to share between threads.

    urllib3 is told never to retry on its own (its default retries idempotent GETs
    up to three times on dropped connections and read errors): each call is exactly
    one request, and retrying is decided in one visible place, line.retry.
    """

    def __init__(
        self,
        token: str,
        *,
        timeout: tuple[float, float] | float = DEFAULT_TIMEOUT,
        pool_size: int = 8,
    ) -> None:
        check_token_shape(token)
        from linebot.v3.messaging import ApiClient, Configuration, MessagingApi
        from urllib3.util.retry import Retry

        configuration = Configuration(host=api_host(), access_token=token)
        configuration.retries = Retry(total=0, redirect=0, raise_on_redirect=True, raise_on_status=False)
        configuration.connection_pool_maxsize = pool_size
        self._token = token
        self.channel = limits.channel_of(token)  # whose limiters this client's calls take turns from
        self.timeout = timeout
        self._api_client = ApiClient(configuration)
        self.messaging = MessagingApi(self._api_client)

    def call(self, operation: Callable[..., T], *args: Any, **kwargs: Any) -> T:
        """Run one SDK method with our timeout; failures become line.errors types."""
        try:
            return operation(*args, _request_timeout=self.timeout, **kwargs)
        except Exception as exc:
            mapped = errors.from_exception(exc, secret=self._token)
            if mapped is None:
                raise
        # Outside the except block, so neither the SDK's exception nor its context rides along.
        raise mapped

    def limiter(self, family: limits.Family) -> Limiter:
        """The process-wide limiter for this channel and endpoint family."""
        return limits.limiter(self.channel, family)

    def close(self) -> None:
        self._api_client.close()

    def __enter__(self) -> LineClient:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()
