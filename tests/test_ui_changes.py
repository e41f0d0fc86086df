"""One change, every page: a write on one page reaches the others through the app-wide change bus."""

from __future__ import annotations

from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QInputMethodEvent
from PySide6.QtWidgets import QApplication, QDialogButtonBox
from segment_builder_fixtures import build, count_shown, palette_mime

from shopline.core.changes import Changes
from shopline.store import tags as tag_store
from shopline.store.models import Friend
from shopline.ui import change_bus

pytest_plugins = ("ui_fixtures",)  # the window fixtures, shared by tests/test_ui_*.py


def open_page(window, page):
    window.nav.setCurrentRow(window.pages.indexOf(page))


def in_palette(page, name: str) -> bool:
    try:
        palette_mime(page, name)
    except AssertionError:
        return False
    return True


def type_tag_name(qtbot, tags_page, name: str) -> None:
    def answer():
        dialog = tags_page.dialog
        if dialog is None:
            QTimer.singleShot(20, answer)
            return
        event = QInputMethodEvent()  # Japanese arrives as the input method's committed text
        event.setCommitString(name)
        QApplication.sendEvent(dialog.name, event)
        dialog.buttons.button(QDialogButtonBox.StandardButton.Ok).click()

    QTimer.singleShot(0, answer)


def test_a_tag_made_on_the_tags_page_is_in_the_builders_palette(qtbot, make_window, store):
    tag_store.create_tag("VIP", "顧客")
    window = make_window()
    builder = window.segments
    open_page(window, builder)
    qtbot.waitUntil(lambda: in_palette(builder, "VIP"), timeout=10_000)
    assert not in_palette(builder, "秋の試食会")

    open_page(window, window.tags)
    type_tag_name(qtbot, window.tags, "秋の試食会")
    with qtbot.waitSignal(change_bus.bus().changed, timeout=5_000, check_params_cb=lambda c, _by: c.tags):
        qtbot.mouseClick(window.tags.new_button, Qt.MouseButton.LeftButton)
    assert builder.follow.stale  # hidden meanwhile: it catches up when the shop opens it

    open_page(window, builder)
    qtbot.waitUntil(lambda: in_palette(builder, "秋の試食会"), timeout=10_000)


def test_friends_tagged_on_the_friends_page_change_the_builders_count(qtbot, make_window, store):
    vip = tag_store.create_tag("VIP", "顧客")
    ids = [Friend.create(user_id=f"U{n:032x}", display_name=f"友だち{n}").id for n in range(5)]
    tag_store.tag_friends(ids[:2], vip.id)
    window = make_window()
    builder = window.segments
    open_page(window, builder)
    qtbot.waitUntil(lambda: in_palette(builder, "VIP"), timeout=10_000)
    build(builder, "VIP")
    count_shown(qtbot, builder, 2)

    open_page(window, window.friends)
    with qtbot.waitSignal(change_bus.bus().changed, timeout=5_000,
                          check_params_cb=lambda c, _by: c.touches(Changes(friends=True))):
        window.friends.tag_friends(ids[2:], vip.id)  # what a drop of three rows on the VIP tag does
    open_page(window, builder)
    count_shown(qtbot, builder, 5)

    # Undo goes the same way: back to two.
    with qtbot.waitSignal(change_bus.bus().changed, timeout=5_000):
        window.undo_stack.undo()
    count_shown(qtbot, builder, 2)



def test_friends_tagged_elsewhere_change_the_composers_estimate(qtbot, make_window, store):
    vip = tag_store.create_tag("VIP", "顧客")
    ids = [Friend.create(user_id=f"U{n:032x}", display_name=f"友だち{n}").id for n in range(5)]
    tag_store.tag_friends(ids[:2], vip.id)
    window = make_window()
    composer = window.page_at(3)
    open_page(window, composer)
    with qtbot.waitSignal(composer.estimate.estimated, timeout=10_000, check_params_cb=lambda a: a is not None):
        composer.target.choose_text("VIP")
    assert composer.estimate.values["recipients"].text() == "2人"

    # Tagged from the friends page (a drop on the tag), while the message is being written: the estimate follows.
    with qtbot.waitSignal(composer.estimate.estimated, timeout=10_000,
                          check_params_cb=lambda a: a is not None and a.estimate.recipients == 5):
        window.friends.tag_friends(ids[2:], vip.id)
    assert composer.estimate.values["recipients"].text() == "5人"
