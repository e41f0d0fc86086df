"""What the fake LINE answers, per operation; later issues add quota and multicast here.

A handler gets the FakeLine and the request and returns (status, JSON body, extra headers).
"""

from __future__ import annotations

import base64
import re
from collections.abc import Callable
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from fake_line.server import FakeLine, Recorded

Answer = tuple[int, dict, dict[str, str]]
Handler = Callable[["FakeLine", "Recorded", re.Match], Answer]

ROUTES: list[tuple[str, re.Pattern, Handler]] = []


def route(method: str, pattern: str) -> Callable[[Handler], Handler]:
    def add(handler: Handler) -> Handler:
        ROUTES.append((method, re.compile(pattern + r"\Z"), handler))
        return handler

    return add


def _next_token(offset: int) -> str:
    return base64.urlsafe_b64encode(f"offset:{offset}".encode()).decode()


def _offset(token: str | None) -> int | None:
    if not token:
        return 0
    try:
        kind, _, number = base64.urlsafe_b64decode(token.encode()).decode().partition(":")
        return int(number) if kind == "offset" else None
    except ValueError:
        return None


@route("GET", "/v2/bot/info")
def bot_info(fake: FakeLine, request: Recorded, match: re.Match) -> Answer:
    return 200, dict(fake.bot), {}


@route("GET", "/v2/bot/followers/ids")
def followers(fake: FakeLine, request: Recorded, match: re.Match) -> Answer:
    if fake.followers_forbidden:
        return 403, {"message": "Access to this API is not available for your account"}, {}
    limit = int(request.query.get("limit", ["300"])[0])
    start = _offset(request.query.get("start", [None])[0])
    if start is None:
        return 400, {"message": "The continuation token is invalid"}, {}
    ids = fake.followers[start : start + limit]
    body: dict = {"userIds": ids}
    if start + limit < len(fake.followers):
        body["next"] = _next_token(start + limit)
    return 200, body, {}


@route("GET", r"/v2/bot/profile/(?P<user_id>[^/]+)")
def profile(fake: FakeLine, request: Recorded, match: re.Match) -> Answer:
    user_id = match["user_id"]
    if user_id in fake.blocked or user_id not in fake.profiles:
        return 404, {"message": "Not found"}, {}
    return 200, dict(fake.profiles[user_id]), {}
