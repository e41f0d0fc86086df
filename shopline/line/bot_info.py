"""The channel's own account: `GET /v2/bot/info`, also the cheap check that a token works."""

from __future__ import annotations

from dataclasses import dataclass

from shopline.line.config import LineClient
from shopline.line.limits import BOT_INFO
from shopline.line.retry import RetryPolicy, call_with_retries

ONCE = RetryPolicy(attempts=1)  # connecting answers at once; the shop can press again


@dataclass(frozen=True)
class BotInfo:
    user_id: str
    basic_id: str
    display_name: str
    picture_url: str | None = None


def get_bot_info(client: LineClient) -> BotInfo:
    info = call_with_retries(lambda: client.call(client.messaging.get_bot_info), ONCE,
                             limiter=client.limiter(BOT_INFO))
    return BotInfo(
        user_id=info.user_id,
        basic_id=info.basic_id,
        display_name=info.display_name,
        picture_url=info.picture_url,
    )
