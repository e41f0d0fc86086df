"""`POST /v2/bot/message/validate/multicast`: LINE's own check of the message objects, before freezing.

Our core validation covers the rules we know; this catches the ones we do not
(LINE's schema grows), at no cost to the month's quota.
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import partial
from typing import Any

from shopline.core.messages import Text
from shopline.line.config import LineClient
from shopline.line.errors import LineError
from shopline.line.limits import VALIDATE
from shopline.line.retry import DEFAULT_RETRY, RetryPolicy, call_with_retries


class MessageRejected(LineError):
    text_template = Text("LINEがこのメッセージを受け付けませんでした。内容を直してください{detail}",
                         "LINE does not accept this message; correct it{detail}")


def validate_multicast(client: LineClient, messages: Sequence[dict[str, Any]],
                       policy: RetryPolicy = DEFAULT_RETRY) -> None:
    """None when LINE accepts the messages; MessageRejected (with LINE's reasons) when it does not."""
    from linebot.v3.messaging import ValidateMessageRequest

    request = ValidateMessageRequest.from_dict({"messages": list(messages)})
    try:
        call_with_retries(partial(client.call, client.messaging.validate_multicast, request), policy,
                          limiter=client.limiter(VALIDATE))
    except LineError as error:
        if error.status != 400:
            raise
        raise MessageRejected(400, error.line_message) from None
