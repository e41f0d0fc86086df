"""The friend detail lists the friend's latest reactions from the relay (kind, time, what it said), read off the
UI thread, and follows a pull that brings a newer one."""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import Qt

from shopline.core.changes import Changes
from shopline.store.inbox_models import Reaction
from shopline.store.models import Friend
from shopline.ui import change_bus

pytest_plugins = ("ui_fixtures",)


def add_friend(name: str) -> Friend:
    return Friend.create(user_id="U" + f"{abs(hash(name)):032x}"[-32:], display_name=name, status="following",
                         source="webhook", gender="unknown", memo="")


def click_row(qtbot, page, row: int) -> None:
    rect = page.table.visualRect(page.model.index(row, 0))
    qtbot.mouseClick(page.table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())


def shown(detail) -> list[str]:
    return [detail.reactions.item(i).text() for i in range(detail.reactions.count())]


def test_selecting_a_friend_lists_their_reactions_newest_first(qtbot, make_window, store):
    hanako = add_friend("山田花子")
    add_friend("佐藤太郎")
    Reaction.create(friend=hanako, kind="message", at=dt.datetime(2026, 3, 1, 10, 5), detail="予約できますか")
    Reaction.create(friend=hanako, kind="postback", at=dt.datetime(2026, 3, 2, 9, 0), detail="tag=VIP")
    window = make_window()
    page = window.friends
    row = next(r for r in range(page.model.rowCount()) if page.model.friend_id(r) == hanako.id)
    click_row(qtbot, page, row)
    qtbot.waitUntil(lambda: len(shown(page.detail)) == 2, timeout=10_000)
    first, second = shown(page.detail)
    assert "ボタン操作" in first and "tag=VIP" in first and "3/2" in first.replace("03/02", "3/2")
    assert "メッセージ" in second and "予約できますか" in second

    other = next(r for r in range(page.model.rowCount()) if page.model.friend_id(r) != hanako.id)
    click_row(qtbot, page, other)
    qtbot.waitUntil(lambda: shown(page.detail) == ["まだありません"], timeout=10_000)

    # A pull brings a newer message for the friend shown: the list follows the change bus.
    click_row(qtbot, page, row)
    qtbot.waitUntil(lambda: len(shown(page.detail)) == 2, timeout=10_000)
    Reaction.update(at=dt.datetime(2026, 3, 3, 8, 0), detail="キャンセルします").where(
        (Reaction.friend == hanako) & (Reaction.kind == "message")).execute()
    change_bus.announce(Changes(friends=True), None)
    qtbot.waitUntil(lambda: "キャンセルします" in "".join(shown(page.detail)[:1]), timeout=10_000)
