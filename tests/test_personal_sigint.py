"""Ctrl-C while LINE's Retry-After holds a personal send's pushes (waited out on the async client's event loop):
`shopline send` pauses at once, nothing more leaves, and resume reaches everyone once."""

from __future__ import annotations

from delivery_helpers import exactly_once, shop
from test_delivery_sigint import ctrl_c_during_a_hold

PUSH = "/v2/bot/message/push"


def test_ctrl_c_during_a_retry_after_hold_pauses_a_personal_send_at_once(store, fake_line):
    expected = shop(300)
    ctrl_c_during_a_hold(store, fake_line, PUSH, "{表示名}様、本日限定", pending=300)
    exactly_once(fake_line, expected)
