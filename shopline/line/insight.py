"""LINE's insight endpoints through line-bot-sdk's insight client: per-unit statistics and followers per day.

Both share LINE's insight limit (60 requests an hour per channel): every call takes its turn from
the INSIGHT family's limiter, which the store replaces with one shared between processes
(limits.use_factory). Every call has our timeout; failures are line.errors types; a null from
LINE (fewer than 20 users, or not counted yet) stays None.
"""

from __future__ import annotations

import datetime as dt
import threading
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, TypeVar

from shopline.line import errors, limits
from shopline.line.config import _TOKEN_SHAPE, DEFAULT_TIMEOUT, api_host
from shopline.line.pacing import Limiter
from shopline.line.retry import DEFAULT_RETRY, RetryPolicy, call_with_retries

T = TypeVar("T")
MAX_SPAN_DAYS = 30  # LINE's from..to limit for per-unit statistics


@dataclass(frozen=True)
class UrlStats:
    seq: int  # the bubble
    url: str
    clicks: int | None
    unique_clicks: int | None
    unique_clicks_of_request: int | None


@dataclass(frozen=True)
class UnitStats:
    unique_impressions: int | None
    unique_clicks: int | None
    unique_media_played: int | None
    urls: tuple[UrlStats, ...]


@dataclass(frozen=True)
class FollowerCount:
    status: str  # ready / unready / out_of_service
    followers: int | None  # None until status is ready
    targeted_reaches: int | None
    blocks: int | None

    @property
    def ready(self) -> bool:
        return self.status == "ready"


class InsightClient:
    """The insight API bound to one channel token, with our timeout and no urllib3 retries of its own."""

    def __init__(self, token: str, *, timeout: tuple[float, float] | float = DEFAULT_TIMEOUT) -> None:
        if not _TOKEN_SHAPE.fullmatch(token):
            raise errors.MalformedToken()
        from linebot.v3.insight import ApiClient, Configuration, Insight
        from urllib3.util.retry import Retry

        configuration = Configuration(host=api_host(), access_token=token)
        configuration.retries = Retry(total=0, redirect=0, raise_on_redirect=True, raise_on_status=False)
        self._token = token
        self.channel = limits.channel_of(token)
        self.timeout = timeout
        self._api_client = ApiClient(configuration)
        self.api = Insight(self._api_client)

    def limiter(self) -> Limiter:
        return limits.limiter(self.channel, limits.INSIGHT)

    def call(self, operation: Callable[..., T], *args: Any, **kwargs: Any) -> T:
        try:
            return operation(*args, _request_timeout=self.timeout, **kwargs)
        except Exception as exc:
            mapped = errors.from_exception(_as_messaging(exc), secret=self._token)
            if mapped is None:
                raise
        raise mapped  # outside the except block: the SDK's exception (headers, body) does not ride along

    def close(self) -> None:
        self._api_client.close()

    def __enter__(self) -> InsightClient:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()


def _as_messaging(exc: BaseException) -> BaseException:
    """The insight package has its own ApiException class; errors.py maps the messaging one."""
    from linebot.v3.insight.exceptions import ApiException as InsightApiException
    from linebot.v3.messaging.exceptions import ApiException

    if not isinstance(exc, InsightApiException):
        return exc
    same = ApiException(status=exc.status, reason=exc.reason)
    same.body, same.headers = exc.body, exc.headers
    return same


def _ymd(day: dt.date) -> str:
    return day.strftime("%Y%m%d")


def _int(value: object) -> int | None:
    return None if value is None else int(value)  # type: ignore[call-overload]


def unit_statistics(client: InsightClient, unit: str, start: dt.date, end: dt.date, *,
                    stop: threading.Event | None = None, policy: RetryPolicy = DEFAULT_RETRY,
                    sleep: Callable[[float], object] | None = None) -> UnitStats:
    """`GET /v2/bot/insight/message/event/aggregation` for one aggregation unit, `start`..`end` in UTC+9."""
    if end < start or (end - start).days > MAX_SPAN_DAYS:
        raise ValueError(f"LINE takes at most {MAX_SPAN_DAYS} days: {start}..{end}")
    answer = call_with_retries(
        lambda: client.call(client.api.get_statistics_per_unit, unit, _ymd(start), _ymd(end)),
        policy, limiter=client.limiter(), stop=stop, sleep=sleep)
    overview = answer.overview
    urls = tuple(UrlStats(int(c.seq), str(c.url), _int(c.click), _int(c.unique_click),
                          _int(c.unique_click_of_request)) for c in answer.clicks or [])
    return UnitStats(_int(overview.unique_impression), _int(overview.unique_click),
                     _int(overview.unique_media_played), urls)


def followers_on(client: InsightClient, day: dt.date, *, stop: threading.Event | None = None,
                 policy: RetryPolicy = DEFAULT_RETRY, sleep: Callable[[float], object] | None = None) -> FollowerCount:
    """`GET /v2/bot/insight/followers?date=` for one UTC+9 day; the figures are None until LINE is ready."""
    answer = call_with_retries(lambda: client.call(client.api.get_number_of_followers, _ymd(day)), policy,
                               limiter=client.limiter(), stop=stop, sleep=sleep)
    status = str(getattr(answer.status, "value", answer.status) or "unready")
    ready = status == "ready"
    return FollowerCount(status, _int(answer.followers) if ready else None,
                         _int(answer.targeted_reaches) if ready else None, _int(answer.blocks) if ready else None)
