"""Fixtures and helpers of the segment builder's tests (tests/test_ui_segment_builder*.py)."""

from __future__ import annotations

import datetime as dt

import pytest
from PySide6.QtCore import QMimeData, QPoint, Qt
from PySide6.QtWidgets import QWidget
from qt_drag import drop_on

from shopline.store import tags as tag_store
from shopline.store.models import Friend
from shopline.ui import operations
from shopline.ui.segment_builder.model import Condition, Group
from shopline.ui.segment_builder.page import SegmentBuilderPage
from shopline.ui.segment_builder.palette import LEAF_ROLE

# user -> (tags, gender, region, status); counts below are of following friends only
FRIENDS = {
    1: (("VIP",), "female", "東京都", "following"),
    2: (("VIP", "休眠"), "male", "大阪府", "following"),
    3: (("VIP",), "female", "東京都", "following"),
    4: (("休眠",), "female", "東京都", "following"),
    5: (("VIP",), "male", None, "blocked"),
    6: (("新規",), "other", "北海道", "following"),
}


@pytest.fixture
def shop(store):
    for name, folder in (("VIP", "顧客"), ("休眠", "顧客"), ("新規", "")):
        tag_store.create_tag(name, folder)
    ids = {tag.tag.name: tag.tag.id for tag in tag_store.tag_counts()}
    for n, (tags, gender, region, status) in FRIENDS.items():
        friend = Friend.create(user_id=f"U{n:032x}", display_name=f"友だち{n}", gender=gender, region=region,
                               status=status, birthday=dt.date(1980 + n, 5, 1))
        for tag in tags:
            tag_store.tag_friends([friend.id], ids[tag])
    return store


@pytest.fixture
def page(qtbot, shop, language):
    language("ja")
    page = SegmentBuilderPage()
    qtbot.addWidget(page)
    page.resize(1000, 700)
    with qtbot.waitSignal(page.tag_palette.loaded, timeout=10_000):
        page.show()
    qtbot.waitExposed(page)
    yield page
    assert operations.wait_idle(10_000)


def palette_mime(page: SegmentBuilderPage, text: str) -> QMimeData:
    """What the palette's own view would put on a drag of the item showing text."""
    model = page.tag_palette.model
    found = model.match(model.index(0, 0), Qt.ItemDataRole.DisplayRole, text, 1,
                        Qt.MatchFlag.MatchRecursive | Qt.MatchFlag.MatchExactly)
    assert found, f"{text} is not in the palette"
    assert found[0].data(LEAF_ROLE)
    data = model.mimeData([found[0]])
    assert data is not None
    return data


def frame(page: SegmentBuilderPage, item: Group | Condition) -> QWidget:
    return page.canvas.widgets[item.id]


def drag(target: QWidget, data: QMimeData, at: QPoint | None = None) -> bool:
    """Drop on target (by default at the end of the group); returns whether the drop was taken."""
    return drop_on(target, at if at is not None else QPoint(target.width() // 2, target.height() - 3), data)


def count_shown(qtbot, page: SegmentBuilderPage, n: int) -> None:
    qtbot.waitUntil(lambda: page.count.text() == f"該当する友だち {n:,}人", timeout=5_000)


def build(page: SegmentBuilderPage, *texts: str, into: Group | None = None) -> None:
    for text in texts:
        assert drag(frame(page, into or page.model.root), palette_mime(page, text))
