"""The month's limit and usage: `GET /v2/bot/message/quota` and `/quota/consumption`.

Both are reads, so a failed one is simply asked again (line.retry). Consumption is
LINE's approximate figure and includes what the shop sent from the web manager.
"""

from __future__ import annotations

from functools import partial

from shopline.core.plans import QUOTA_LIMITED, Quota
from shopline.line.config import LineClient
from shopline.line.limits import QUOTA
from shopline.line.retry import DEFAULT_RETRY, RetryPolicy, call_with_retries


def get_quota(client: LineClient, policy: RetryPolicy = DEFAULT_RETRY) -> Quota:
    answer = call_with_retries(partial(client.call, client.messaging.get_message_quota), policy,
                               limiter=client.limiter(QUOTA))
    kind = str(getattr(answer.type, "value", answer.type))
    return Quota(kind, int(answer.value) if kind == QUOTA_LIMITED else None)


def get_consumption(client: LineClient, policy: RetryPolicy = DEFAULT_RETRY) -> int:
    answer = call_with_retries(partial(client.call, client.messaging.get_message_quota_consumption), policy,
                               limiter=client.limiter(QUOTA))
    return int(answer.total_usage)
