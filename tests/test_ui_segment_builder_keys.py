"""The segment builder from the keyboard, its text form, its live count, named segments and the window's wiring."""

from __future__ import annotations

import threading

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication
from segment_builder_fixtures import build, count_shown, frame

from shopline.core.segments import And, HasTag, Not, Or
from shopline.store import segments as segment_store
from shopline.ui import operations
from shopline.ui.segment_builder.live_count import LiveCount
from shopline.ui.segment_builder.model import Group

pytest_plugins = ("ui_fixtures", "segment_builder_fixtures")

CTRL = Qt.KeyboardModifier.ControlModifier


def focus(qtbot, page, item) -> None:
    page.activateWindow()
    page.canvas.focus_item(item.id)
    qtbot.waitUntil(lambda: QApplication.focusWidget() is page.canvas.widgets[item.id], timeout=2_000)


def key(qtbot, page, code: Qt.Key, mods: Qt.KeyboardModifier = Qt.KeyboardModifier.NoModifier) -> None:
    qtbot.keyClick(QApplication.focusWidget(), code, mods)


def choose_in_palette(qtbot, page, text: str) -> None:
    model = page.tag_palette.model
    found = model.match(model.index(0, 0), Qt.ItemDataRole.DisplayRole, text, 1,
                        Qt.MatchFlag.MatchRecursive | Qt.MatchFlag.MatchExactly)
    page.tag_palette.view.setCurrentIndex(found[0])


def test_every_gesture_from_the_keyboard(qtbot, page):
    page.activateWindow()
    page.tag_palette.view.setFocus()
    for text in ("VIP", "休眠", "新規"):
        choose_in_palette(qtbot, page, text)
        qtbot.keyClick(page.tag_palette.view, Qt.Key.Key_Return)  # Enter in the palette: into the canvas
    root = page.model.root
    assert page.model.tree() == And((HasTag("VIP"), HasTag("休眠"), HasTag("新規")))
    vip, sleeping, new = root.items
    assert page.canvas.current_id == new.id  # the focus follows what was added

    focus(qtbot, page, vip)
    key(qtbot, page, Qt.Key.Key_G, CTRL)  # Ctrl+G: VIP into a group of its own
    group = root.items[0]
    assert isinstance(group, Group) and group.items == [vip]
    focus(qtbot, page, new)
    key(qtbot, page, Qt.Key.Key_Up, CTRL)  # Ctrl+Up: above 休眠
    key(qtbot, page, Qt.Key.Key_Right, CTRL)  # Ctrl+Right: into the group above it
    assert group.items == [vip, new]
    key(qtbot, page, Qt.Key.Key_O, CTRL)  # Ctrl+O on a condition: its group becomes いずれか
    focus(qtbot, page, sleeping)
    key(qtbot, page, Qt.Key.Key_E, CTRL)  # Ctrl+E: 除外
    tree = And((Or((HasTag("VIP"), HasTag("新規"))), Not(HasTag("休眠"))))
    assert page.model.tree() == tree
    assert page.text_bar.edit.text() == "(VIP OR 新規) AND NOT 休眠"
    count_shown(qtbot, page, 3)

    key(qtbot, page, Qt.Key.Key_Delete)  # Delete: 休眠 goes, the focus moves on
    assert page.model.tree() == Or((HasTag("VIP"), HasTag("新規")))
    key(qtbot, page, Qt.Key.Key_Z, CTRL)  # Ctrl+Z, not the window's: the builder's own stack
    assert page.model.tree() == tree
    key(qtbot, page, Qt.Key.Key_Z, CTRL | Qt.KeyboardModifier.ShiftModifier)
    assert page.model.tree() == Or((HasTag("VIP"), HasTag("新規")))

    focus(qtbot, page, new)
    key(qtbot, page, Qt.Key.Key_Left, CTRL)  # Ctrl+Left: out of its group
    assert page.model.tree() == And((HasTag("VIP"), HasTag("新規")))
    key(qtbot, page, Qt.Key.Key_Up)  # plain arrows walk the focus through the canvas
    assert page.canvas.current_id in (vip.id, group.id)
    choose_in_palette(qtbot, page, "性別")
    focus(qtbot, page, root)
    key(qtbot, page, Qt.Key.Key_Insert)  # Insert on a group: the palette's selection goes in
    assert page.text_bar.edit.text() == "VIP AND 新規 AND gender = female"


def test_a_valid_text_edit_rebuilds_the_tree_through_undo(qtbot, page):
    build(page, "VIP")
    page.text_bar.edit.setText("(VIP or 新規) and not 休眠")
    page.text_bar.edit.textEdited.emit(page.text_bar.edit.text())
    qtbot.waitUntil(lambda: page.model.tree() == And((Or((HasTag("VIP"), HasTag("新規"))), Not(HasTag("休眠")))),
                    timeout=5_000)
    root = page.model.root
    assert root.mode == "all" and isinstance(root.items[0], Group) and root.items[0].mode == "any"
    assert frame(page, root.items[1]).negate.isChecked()
    count_shown(qtbot, page, 3)
    assert not page.text_bar.is_invalid()
    page.stack.undo()
    assert page.model.tree() == HasTag("VIP") and page.text_bar.edit.text() == "VIP"


def test_an_invalid_text_is_highlighted_with_the_parsers_message(qtbot, page):
    build(page, "VIP")
    for text, message in (("VIP AND (休眠", "'(' が閉じられていません (9文字目)"),
                          ("VIPP", "タグ「VIPP」はありません。「VIP」ですか?")):
        page.text_bar.edit.setText(text)
        page.text_bar.edit.textEdited.emit(text)
        qtbot.waitUntil(page.text_bar.is_invalid, timeout=5_000)
        assert page.text_bar.message.text() == message
        assert page.model.tree() == HasTag("VIP")  # the tree stays as it was
        assert page.text_bar.edit.text() == text  # and so does what was typed
        page.text_bar.follow()  # (a canvas change would do this)
    assert "background" in page.text_bar.edit.styleSheet() or not page.text_bar.is_invalid()


def test_a_canvas_change_replaces_an_unfinished_text(qtbot, page):
    build(page, "VIP")
    page.text_bar.edit.setText("VIP AND")
    page.text_bar.edit.textEdited.emit("VIP AND")
    build(page, "休眠")
    assert page.text_bar.edit.text() == "VIP AND 休眠" and not page.text_bar.is_invalid()
    qtbot.wait(400)  # the parse of "VIP AND" would have answered by now: it was dropped
    assert not page.text_bar.is_invalid()


def test_a_stale_count_is_never_shown(qtbot, shop, language):
    language("ja")
    release = threading.Event()

    def count(tree):
        if tree == HasTag("VIP"):
            release.wait(5)  # the first count is slow; the tree changes while it runs
            return 111
        return 222

    label = LiveCount(count=count)
    qtbot.addWidget(label)
    shown: list[int] = []
    label.counted.connect(shown.append)
    label.set_tree(HasTag("VIP"))
    label.set_tree(HasTag("休眠"))
    release.set()
    qtbot.waitUntil(lambda: shown == [222], timeout=5_000)
    qtbot.wait(150)
    assert shown == [222] and label.text() == "該当する友だち 222人"
    assert operations.wait_idle(5_000)


def test_save_and_open_named_segments(qtbot, page):
    build(page, "VIP", "休眠")
    page.name.setEditText("常連")
    with qtbot.waitSignal(page.saved_loaded, timeout=5_000):
        page.save_button.click()
    assert segment_store.get_segment("常連").tree == And((HasTag("VIP"), HasTag("休眠")))
    page.stack.undo()
    page.stack.undo()
    assert page.model.tree() is None
    page.name.setEditText("常連")
    page.open_button.click()
    qtbot.waitUntil(lambda: page.model.tree() == And((HasTag("VIP"), HasTag("休眠"))), timeout=5_000)
    page.stack.undo()  # opening is one undo step
    assert page.model.tree() is None


def test_show_these_friends_opens_the_friends_table_filtered(qtbot, make_window, shop):
    window = make_window()
    window.nav.setCurrentRow(window.pages.indexOf(window.segments))
    page = window.segments
    qtbot.waitUntil(lambda: page.tag_palette.model.rowCount() == 5, timeout=5_000)  # with 購買 and 反応
    build(page, "VIP", "休眠")
    frame(page, page.model.root.items[1]).negate.click()
    count_shown(qtbot, page, 2)
    assert page.show_button.text() == "この友だちを表示"
    with qtbot.waitSignal(window.friends.model.loaded, timeout=5_000):
        page.show_button.click()
    assert window.pages.currentWidget() is window.friends
    model = window.friends.model
    assert sorted(model.data(model.index(r, 0)) for r in range(model.rowCount())) == ["友だち1", "友だち3"]
    assert window.friends.segment_label.text() == "セグメント: VIP AND NOT 休眠"


def test_english_labels(qtbot, shop, language):
    from shopline.ui.segment_builder.page import SegmentBuilderPage

    language("en")
    page = SegmentBuilderPage()
    qtbot.addWidget(page)
    assert page.show_button.text() == "Show these friends"
    assert frame(page, page.model.root).mode.text() == "Match all (AND)"
