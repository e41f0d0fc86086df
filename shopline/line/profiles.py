"""One friend's profile: `GET /v2/bot/profile/{userId}`."""

from __future__ import annotations

import threading
from dataclasses import dataclass
from functools import partial

from shopline.line.config import LineClient
from shopline.line.errors import LineNotFound
from shopline.line.limits import PROFILE
from shopline.line.retry import DEFAULT_RETRY, RetryPolicy, call_with_retries


@dataclass(frozen=True)
class Profile:
    user_id: str
    display_name: str
    picture_url: str | None = None
    language: str | None = None


def get_profile(client: LineClient, user_id: str, policy: RetryPolicy = DEFAULT_RETRY, *,
                stop: threading.Event | None = None) -> Profile | None:
    """The profile, or None when LINE answers 404: the user blocked the account or is no friend."""
    try:
        answer = call_with_retries(partial(client.call, client.messaging.get_profile, user_id), policy,
                                   limiter=client.limiter(PROFILE), stop=stop)
    except LineNotFound:
        return None
    return Profile(
        user_id=answer.user_id,
        display_name=answer.display_name,
        picture_url=answer.picture_url,
        language=answer.language,
    )
