"""Send requests go to LINE as plain JSON, not through the SDK's pydantic models: a multicast of 500 IDs spent
most of its client CPU validating them (line/send_post.py). The fake LINE still checks each body against the spec."""

from __future__ import annotations

import pytest
from fake_line.server import TOKEN, user_id

from shopline.line import errors
from shopline.line.config import LineClient
from shopline.line.multicast import multicast
from shopline.line.push_send import push_message

MESSAGES = [{"type": "text", "text": "春のセール 🌸 {本日}"}]


@pytest.fixture
def no_models(monkeypatch):
    """The request models refuse to be built: the send path must not need them."""
    from linebot.v3.messaging import MulticastRequest, PushMessageRequest

    def refuse(*args, **kwargs):
        raise AssertionError("the send path built an SDK request model")
    for model in (MulticastRequest, PushMessageRequest):
        monkeypatch.setattr(model, "from_dict", classmethod(refuse))
        monkeypatch.setattr(model, "__init__", refuse)


def test_a_multicast_body_arrives_as_built_without_the_models(fake_line, no_models):
    ids = [user_id(n) for n in range(500)]
    with LineClient(TOKEN) as client:
        answer = multicast(client, ids, MESSAGES, retry_key="0f0e1a2b-3c4d-4e5f-8a9b-0c1d2e3f4a5b", unit="sl_x")
    assert answer.status == 200 and answer.request_id
    (sent,) = fake_line.multicasts
    assert sent == {"to": ids, "messages": MESSAGES, "customAggregationUnits": ["sl_x"],
                    "retryKey": "0f0e1a2b-3c4d-4e5f-8a9b-0c1d2e3f4a5b"}


def test_a_push_body_arrives_as_built_and_a_repeated_key_is_typed(fake_line, no_models):
    key = "1f0e1a2b-3c4d-4e5f-8a9b-0c1d2e3f4a5b"
    with LineClient(TOKEN) as client:
        push_message(client, user_id(7), MESSAGES, retry_key=key, unit="sl_x")
        with pytest.raises(errors.RetryKeyAccepted):
            push_message(client, user_id(7), MESSAGES, retry_key=key, unit="sl_x")
    assert fake_line.pushes == [{"to": user_id(7), "messages": MESSAGES, "customAggregationUnits": ["sl_x"],
                                 "retryKey": key}]


def test_more_than_500_ids_never_leave(fake_line):
    with LineClient(TOKEN) as client, pytest.raises(ValueError):
        multicast(client, [user_id(n) for n in range(501)], MESSAGES, retry_key="k", unit="sl_x")
    assert not fake_line.multicasts
