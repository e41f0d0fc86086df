"""Fixtures for the Messages page's tests (tests/test_ui_composer*.py)."""

from __future__ import annotations

import pytest

from shopline.core.segments import HasTag
from shopline.store.models import Friend, FriendTag, Tag
from shopline.store.segments import save_segment
from shopline.ui import operations
from shopline.ui.composer.page import MessagesPage


@pytest.fixture
def shop(store):
    """Five following friends tagged 常連, three of them also VIP, and a blocked VIP who never counts."""
    regular, vip = Tag.create(name="常連"), Tag.create(name="VIP")
    for n in range(6):
        friend = Friend.create(user_id=f"U{n:032x}", status="blocked" if n == 5 else "following")
        if n < 5:
            FriendTag.create(friend=friend, tag=regular)
        if n >= 2:
            FriendTag.create(friend=friend, tag=vip)
    save_segment("VIP客", HasTag("VIP"))
    save_segment("常連さん", HasTag("常連"))
    return store


@pytest.fixture
def page(qtbot, shop, language):
    language("ja")
    widget = MessagesPage()
    qtbot.addWidget(widget)
    with qtbot.waitSignal(widget.templates.loaded, timeout=5_000):
        widget.show()
    qtbot.waitUntil(lambda: widget.target.combo.findData("VIP客") >= 0, timeout=5_000)
    yield widget
    assert operations.wait_idle(10_000)
