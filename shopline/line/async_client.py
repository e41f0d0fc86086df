"""LineClient's twin on an event loop: line-bot-sdk's AsyncApiClient (aiohttp), for hundreds of requests a second.

Why a second client: at 1,500 pushes a second the client's CPU sets the pace. Through the sync ApiClient a push
cost ~450-740 us of client CPU (urllib3 and http.client on 48 threads contending for the GIL); through the SDK's
AsyncApiClient, with every request in flight on one event loop and aiohttp's C parser, ~290 us
(bench/bench_personal.py prints both, and a bare loop of each). Same SDK, host, token, timeouts and error mapping.

Two of the SDK's aiohttp settings are changed to what the sync client does:
- trust_env off. The SDK turns it on, and then aiohttp reads ~/.netrc and the proxy variables on a worker thread
  for every request (two thread hops, which more than doubled a push's CPU); the sync client takes a proxy only
  from Configuration, and so does this one.
- our (connect, read) timeout as aiohttp's ClientTimeout: the SDK hands `_request_timeout` to aiohttp as it is,
  which would take a pair as an error and a number as the total. `total` is their sum, so no request outlives
  what the engine's 24-hour key rule counts on (Engine.key_deadline).
Made, used and closed inside one running event loop (aiohttp's session belongs to the loop it was made on).
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any, TypeVar

from shopline.line import errors, limits
from shopline.line.config import DEFAULT_TIMEOUT, api_host, check_token_shape
from shopline.line.pacing import Limiter

T = TypeVar("T")


class AsyncLineClient:
    """A Messaging API client bound to one channel token, for one event loop: `async with AsyncLineClient(...)`."""

    def __init__(self, token: str, *, timeout: tuple[float, float] = DEFAULT_TIMEOUT, pool_size: int = 8) -> None:
        check_token_shape(token)
        import aiohttp
        from linebot.v3.messaging import AsyncApiClient, AsyncMessagingApi, Configuration

        configuration = Configuration(host=api_host(), access_token=token)
        configuration.connection_pool_maxsize = pool_size  # the connector's limit: requests in flight at once
        self._token = token
        self.channel = limits.channel_of(token)
        connect, read = timeout
        self.timeout = aiohttp.ClientTimeout(total=connect + read, sock_connect=connect, sock_read=read)
        self._api_client = AsyncApiClient(configuration)
        rest = self._api_client.rest_client
        connector = rest.pool_manager.connector  # the SDK's own (pool size, TLS context), kept
        rest.pool_manager.detach()  # the SDK's session gives up its connector unclosed, to a session without env
        rest.pool_manager = aiohttp.ClientSession(connector=connector, trust_env=False)
        self.messaging = AsyncMessagingApi(self._api_client)

    async def call(self, operation: Callable[..., Awaitable[T]], *args: Any, **kwargs: Any) -> T:
        """Await one SDK method with our timeout; failures become line.errors types."""
        try:
            return await operation(*args, _request_timeout=self.timeout, **kwargs)
        except Exception as exc:
            mapped = errors.from_exception(exc, secret=self._token)
            if mapped is None:
                raise
        # Outside the except block, so neither the SDK's exception nor its context rides along.
        raise mapped

    def limiter(self, family: limits.Family) -> Limiter:
        """The process-wide limiter for this channel and endpoint family (shared with LineClient's calls)."""
        return limits.limiter(self.channel, family)

    async def close(self) -> None:
        await self._api_client.close()

    async def __aenter__(self) -> AsyncLineClient:
        return self

    async def __aexit__(self, *exc_info: object) -> None:
        await self.close()
