"""The composer with placeholders: the menu inserts them, an unknown one is an error on its bubble, and the
phone shows the draft as a chosen or random friend sees it (values read off the UI thread)."""

from __future__ import annotations

from PySide6.QtCore import Qt, QTimer
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QMenu

from shopline.core.drafts import TextBubble
from shopline.store.models import Field, FieldValue, Friend
from shopline.ui import operations

pytest_plugins = ("ui_fixtures", "composer_fixtures")


def _with_names_and_ranks() -> None:
    for n in range(6):
        Friend.update(display_name=f"友だち{n}").where(Friend.user_id == f"U{n:032x}").execute()
    rank = Field.create(name="会員ランク", kind="text")
    FieldValue.create(friend=Friend.get(Friend.user_id == f"U{2:032x}"), field=rank, text_value="ゴールド")


def _reloaded(qtbot, page) -> None:
    page.reload()
    qtbot.waitUntil(lambda: page.doc._fields == ["会員ランク"], timeout=5_000)


def _choose_from_menu(qtbot, button, steps: int) -> None:
    """Open the tool button's menu with the mouse and pick the entry `steps` down with the keyboard."""
    def pick() -> None:
        menu = QApplication.activePopupWidget()
        if not isinstance(menu, QMenu):  # not open yet
            QTimer.singleShot(50, pick)
            return
        for _ in range(steps):
            QTest.keyClick(menu, Qt.Key.Key_Down)
        QTest.keyClick(menu, Qt.Key.Key_Return)
    QTimer.singleShot(50, pick)
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)


def test_the_menu_inserts_placeholders_at_the_cursor(qtbot, page):
    _with_names_and_ranks()
    _reloaded(qtbot, page)
    page.bubbles.add_buttons["text"].click()
    editor = page.editors[TextBubble]
    editor.text.setFocus()
    editor.text.insertPlainText("こんにちは")  # what an input method commits: QTest types ASCII only
    _choose_from_menu(qtbot, editor.insert_button, 1)  # 表示名
    qtbot.waitUntil(lambda: "{表示名}" in page.doc.draft.bubbles[0].text, timeout=3_000)
    editor.text.insertPlainText("様 ")
    _choose_from_menu(qtbot, editor.insert_button, 3)  # past the separator: 会員ランク
    qtbot.waitUntil(lambda: page.doc.draft.bubbles[0].text.endswith("{会員ランク}"), timeout=3_000)
    assert page.doc.draft.bubbles[0].text == "こんにちは{表示名}様 {会員ランク}"
    assert editor.personal.isVisibleTo(page) and page.doc.problems() == []


def test_an_unknown_placeholder_is_an_error_on_its_bubble(qtbot, page):
    _with_names_and_ranks()
    _reloaded(qtbot, page)
    page.bubbles.add_buttons["text"].click()
    editor = page.editors[TextBubble]
    editor.text.insertPlainText("{会員ランタ}様")
    assert "会員ランク" in editor.problem.text() and editor.problem.isVisibleTo(page)
    assert page.send_reason.text().startswith("吹き出し1:") and not page.send_button.isEnabled()
    editor.text.selectAll()
    editor.text.insertPlainText("{{会員ランタ}}様")  # doubled: sent as written, no placeholder
    assert editor.problem.text() == "" and not editor.personal.isVisibleTo(page)


def test_preview_as_a_chosen_friend_and_a_random_one(qtbot, page):
    _with_names_and_ranks()
    _reloaded(qtbot, page)
    page.target.choose("VIP客")  # friends 2, 3, 4
    page.bubbles.add_buttons["text"].click()
    page.editors[TextBubble].text.insertPlainText("{表示名}様は{会員ランク}")
    combo = page.preview_as.combo
    qtbot.waitUntil(lambda: combo.count() == 4, timeout=5_000)
    assert [combo.itemText(i) for i in range(combo.count())] == ["書いたまま", "友だち2", "友だち3", "友だち4"]
    assert page.preview.draft.bubbles[0].text == "{表示名}様は{会員ランク}"

    combo.setFocus()
    QTest.keyClick(combo, Qt.Key.Key_Down)  # 友だち2, who has a rank
    qtbot.waitUntil(lambda: page.preview.draft.bubbles[0].text == "友だち2様はゴールド", timeout=5_000)
    assert not page.preview_as.note.isVisibleTo(page)
    QTest.keyClick(combo, Qt.Key.Key_Down)  # 友だち3 has none: the gap shows, and the note says so
    qtbot.waitUntil(lambda: page.preview.draft.bubbles[0].text == "友だち3様は{会員ランク}", timeout=5_000)
    assert "{会員ランク}" in page.preview_as.note.text() and page.preview_as.note.isVisibleTo(page)
    assert page.doc.draft.bubbles[0].text == "{表示名}様は{会員ランク}"  # the draft itself is unchanged

    seen = set()
    for _ in range(12):
        qtbot.mouseClick(page.preview_as.random_button, Qt.MouseButton.LeftButton)
        assert operations.wait_idle(5_000)
        qtbot.wait(20)
        seen.add(page.preview.draft.bubbles[0].text.split("様")[0])
    assert seen <= {"友だち2", "友だち3", "友だち4"} and len(seen) >= 2

    QTest.keyClick(combo, Qt.Key.Key_Home)
    qtbot.waitUntil(lambda: page.preview.draft.bubbles[0].text == "{表示名}様は{会員ランク}", timeout=5_000)
