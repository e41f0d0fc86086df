"""What the fake LINE answers, per operation.

A handler gets the FakeLine and the request and returns (status, JSON body, extra headers).
"""

from __future__ import annotations

import base64
import json
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


# Sending ------------------------------------------------------------------------------------------
# LINE's retry-key rules (LINE.md, "Sending"): a key is remembered for 24 hours from its acceptance;
# the same key again answers 409 with the first request's ID and delivers nothing.

KEY_MEMORY = 24 * 3600.0
MONTHLY_LIMIT = {"message": "You have reached your monthly limit."}


def _remembered(fake: FakeLine, key: str | None) -> tuple[float, str] | None:
    seen = fake.retry_keys.get(key) if key else None
    if seen and fake.clock() - seen[0] < KEY_MEMORY:
        return seen
    return None


def _over_quota(fake: FakeLine, count: int) -> bool:
    return fake.quota.get("type") == "limited" and fake.total_usage + count > fake.quota["value"]


def _send(fake: FakeLine, request: Recorded, to: list[str], body: dict) -> Answer:
    """Deliver to `to` once per retry key; the caller holds no lock."""
    key = request.headers.get("x-line-retry-key")
    request_id = f"req-{len(fake.requests)}-{key or 'nokey'}"[:64]
    with fake._lock:
        seen = _remembered(fake, key)
        if seen:
            return 409, {"message": "The retry key is already accepted"}, {"x-line-accepted-request-id": seen[1]}
        if _over_quota(fake, len(to)):
            return 429, dict(MONTHLY_LIMIT), {}
        if key:
            fake.retry_keys[key] = (fake.clock(), request_id)
        fake.delivered.update(to)
        fake.total_usage += len(to)
        if fake.after_send is not None:
            fake.after_send(fake)
        (fake.pushes if "to" in body and isinstance(body["to"], str) else fake.multicasts).append(
            body | {"retryKey": key})
    return 200, {}, {"x-line-request-id": request_id}


@route("POST", "/v2/bot/message/multicast")
def multicast(fake: FakeLine, request: Recorded, match: re.Match) -> Answer:
    body = json.loads(request.body)
    if not body.get("customAggregationUnits"):  # ShopLine's rule, stricter than LINE's optional field
        return 400, {"message": "ShopLine sends customAggregationUnits on every request (fake LINE)"}, {}
    return _send(fake, request, body["to"], body)


@route("POST", "/v2/bot/message/push")
def push(fake: FakeLine, request: Recorded, match: re.Match) -> Answer:
    body = json.loads(request.body)
    expected = fake.expected_texts.get(body["to"]) if fake.expected_texts is not None else None
    if fake.expected_texts is not None:  # a personal send: each friend's own text, never another's
        texts = [m.get("text") for m in body["messages"] if m.get("type") == "text"]
        if expected is None or texts != expected:
            with fake._lock:
                fake.violations.append(f"push to {body['to']}: texts {texts!r}, expected {expected!r}")
    status, answer, headers = _send(fake, request, [body["to"]], body)
    if status == 200:
        answer = {"sentMessages": [{"id": f"{len(fake.pushes)}{i}"} for i, _ in enumerate(body["messages"])]}
    return status, answer, headers


@route("POST", "/v2/bot/message/validate/multicast")
def validate_multicast(fake: FakeLine, request: Recorded, match: re.Match) -> Answer:
    body = json.loads(request.body)
    for i, message in enumerate(body["messages"]):
        if message.get("text") in fake.rejected_texts:
            return 400, {"message": "The request body has 1 error(s)",
                         "details": [{"message": "May not contain this text (fake LINE)",
                                      "property": f"messages[{i}].text"}]}, {}
    return 200, {}, {}


@route("GET", "/v2/bot/message/quota")
def quota(fake: FakeLine, request: Recorded, match: re.Match) -> Answer:
    return 200, dict(fake.quota), {}


@route("GET", "/v2/bot/message/quota/consumption")
def consumption(fake: FakeLine, request: Recorded, match: re.Match) -> Answer:
    return 200, {"totalUsage": fake.total_usage}, {}


# Webhook settings (the relay) --------------------------------------------------------------------
# The test route does what LINE does: it POSTs its connection check, signed with the channel secret the
# test gave the fake (`fake.channel_secret`), to the endpoint, and reports the status that came back.


@route("PUT", "/v2/bot/channel/webhook/endpoint")
def set_webhook_endpoint(fake: FakeLine, request: Recorded, match: re.Match) -> Answer:
    fake.webhook_endpoint = json.loads(request.body)["endpoint"]
    return 200, {}, {}


@route("POST", "/v2/bot/channel/webhook/test")
def test_webhook_endpoint(fake: FakeLine, request: Recorded, match: re.Match) -> Answer:
    import hashlib
    import hmac
    import time
    import urllib.error
    import urllib.request

    given = json.loads(request.body or b"{}").get("endpoint")
    endpoint = given or getattr(fake, "webhook_endpoint", None)
    if not endpoint:
        return 400, {"message": "The webhook endpoint is not set"}, {}
    body = json.dumps({"destination": fake.bot["userId"], "events": []}).encode()
    secret = getattr(fake, "channel_secret", "").encode()
    signature = base64.b64encode(hmac.new(secret, body, hashlib.sha256).digest()).decode()
    check = urllib.request.Request(endpoint, data=body, method="POST", headers={
        "content-type": "application/json", "x-line-signature": signature})
    try:
        with urllib.request.urlopen(check, timeout=10) as answer:
            status = answer.status
    except urllib.error.HTTPError as exc:
        status = exc.code
    except OSError as exc:
        return 200, {"success": False, "timestamp": _now(time), "statusCode": 0, "reason": "could not connect",
                     "detail": type(exc).__name__}, {}
    ok = status == 200
    return 200, {"success": ok, "timestamp": _now(time), "statusCode": status, "reason": "OK" if ok else "ERROR",
                 "detail": str(status)}, {}


def _now(time_module) -> str:  # noqa: ANN001
    return time_module.strftime("%Y-%m-%dT%H:%M:%SZ", time_module.gmtime())
