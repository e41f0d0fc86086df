"""The window's menus: import, export and removing the demo from any page, and the demo never mixed in silently."""

from __future__ import annotations

import csv

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox

from shopline.demo import is_demo_shop
from shopline.store.models import Friend, FriendTag, Tag
from shopline.sync import FollowersUnavailable
from shopline.ui import app_actions, import_dialog

pytest_plugins = ("ui_fixtures",)  # the window fixtures, shared by tests/test_ui_*.py

REAL = "U" + "a" * 32


def choose_menu(qtbot, window, menu, action) -> None:
    """Click the menu's title in the menu bar, then the item, as the shop does."""
    bar = window.menuBar()
    qtbot.mouseClick(bar, Qt.MouseButton.LeftButton, pos=bar.actionGeometry(menu.menuAction()).center())
    qtbot.waitUntil(menu.isVisible, timeout=5_000)
    qtbot.mouseClick(menu, Qt.MouseButton.LeftButton, pos=menu.actionGeometry(action).center())


def click_answer(qtbot, actions, text: str | QMessageBox.StandardButton) -> None:
    qtbot.waitUntil(lambda: actions.question is not None and actions.question.isVisible(), timeout=10_000)
    if isinstance(text, QMessageBox.StandardButton):
        button = actions.question.button(text)
    else:
        button = next(b for b in actions.question.buttons() if b.text() == text)
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)


def a_csv(tmp_path, *names: str):
    path = tmp_path / "friends.csv"
    lines = ["ユーザーID,表示名"] + [f"U{i + 1:032x},{name}" for i, name in enumerate(names)]
    path.write_text("\r\n".join(lines) + "\r\n", encoding="utf-8-sig")
    return path


@pytest.fixture
def pick_file(monkeypatch):
    def pick(path):
        monkeypatch.setattr(import_dialog.QFileDialog, "getOpenFileName", lambda *_a, **_k: (str(path), ""))

    return pick


def import_through_dialog(qtbot, window) -> None:
    qtbot.waitUntil(lambda: window.app_actions.import_dialog is not None, timeout=10_000)
    dialog = window.app_actions.import_dialog
    qtbot.waitUntil(dialog.import_button.isEnabled, timeout=10_000)
    with qtbot.waitSignal(dialog.imported, timeout=30_000):
        qtbot.mouseClick(dialog.import_button, Qt.MouseButton.LeftButton)
    dialog.close()


def test_the_file_menu_imports_into_a_shop_that_has_friends(qtbot, make_window, store, tmp_path, pick_file):
    Friend.create(user_id=REAL, display_name="常連 さん")
    window = make_window()
    actions = window.app_actions
    assert [a.text() for a in actions.file_menu.actions() if a.text()] == [
        "CSVを読み込む…", "CSVに書き出す…", "デモデータを削除…", "終了"]
    assert not actions.remove_demo_action.isEnabled()  # not a demo shop
    pick_file(a_csv(tmp_path, "山田 花子", "佐藤 一郎"))
    choose_menu(qtbot, window, actions.file_menu, actions.import_action)
    import_through_dialog(qtbot, window)
    assert Friend.select().count() == 3
    qtbot.waitUntil(lambda: window.friends.model.rowCount() == 3, timeout=10_000)


def test_export_writes_every_friend_off_the_ui_thread(qtbot, make_window, demo_shop, monkeypatch, tmp_path):
    target = tmp_path / "out" / "friends.csv"
    target.parent.mkdir()
    asked = {}

    def save_name(_parent, _title, start, filters, selected):
        asked["start"] = start
        return str(target), selected

    monkeypatch.setattr(app_actions.QFileDialog, "getSaveFileName", save_name)
    window = make_window()
    with qtbot.waitSignal(window.app_actions.export_action.triggered):
        qtbot.keyClick(window, Qt.Key.Key_E, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: window.app_actions.export_report is not None, timeout=30_000)
    assert str(demo_shop / "exports") in asked["start"]  # offered in the data folder's exports/
    with open(target, encoding="utf-8-sig", newline="") as f:
        rows = list(csv.reader(f))
    assert len(rows) == 1 + Friend.select().count()
    assert {r[0] for r in rows[1:]} == {u for (u,) in Friend.select(Friend.user_id).tuples()}
    assert "300人の友だち" in window.statusBar().currentMessage()


def test_remove_demo_takes_out_exactly_the_demo_after_asking(qtbot, make_window, demo_shop):
    own = Tag.create(name="自分のタグ")
    real = Friend.create(user_id=REAL, display_name="本物 さん", source="csv")
    FriendTag.create(friend=real, tag=own)
    window = make_window()
    actions = window.app_actions
    qtbot.waitUntil(actions.remove_demo_action.isEnabled, timeout=5_000)
    choose_menu(qtbot, window, actions.file_menu, actions.remove_demo_action)
    qtbot.waitUntil(lambda: actions.question is not None and actions.question.isVisible(), timeout=10_000)
    assert "300人" in actions.question.text()
    from shopline.store.automation_models import Scenario
    from shopline.store.purchase_models import Purchase
    lines = Purchase.select().count()
    assert lines and f"購入データ{lines:,}行" in actions.question.text() and "シナリオ1個" in actions.question.text()
    click_answer(qtbot, actions, "デモデータを削除")
    qtbot.waitUntil(lambda: not is_demo_shop(), timeout=10_000)
    assert [f.user_id for f in Friend.select()] == [REAL]
    assert not Purchase.select().exists() and not Scenario.select().exists()
    assert [t.name for t in Tag.select()] == ["自分のタグ"]
    qtbot.waitUntil(lambda: window.friends.model.rowCount() == 1, timeout=10_000)
    qtbot.waitUntil(lambda: not window.demo_label.isVisible() and not actions.remove_demo_action.isEnabled(),
                    timeout=5_000)


def test_removing_the_demo_can_be_cancelled(qtbot, make_window, demo_shop):
    window = make_window()
    actions = window.app_actions
    qtbot.waitUntil(actions.remove_demo_action.isEnabled, timeout=5_000)
    actions.remove_demo_action.trigger()
    click_answer(qtbot, actions, QMessageBox.StandardButton.Cancel)
    qtbot.wait(200)
    assert Friend.select().count() == 300 and is_demo_shop()


def test_importing_into_a_demo_shop_asks_and_can_remove_the_demo_first(qtbot, make_window, demo_shop, tmp_path,
                                                                      pick_file):
    window = make_window()
    actions = window.app_actions
    pick_file(a_csv(tmp_path, "山田 花子", "佐藤 一郎"))
    qtbot.keyClick(window, Qt.Key.Key_O, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: actions.question is not None and actions.question.isVisible(), timeout=10_000)
    assert actions.question.text() == "いまはデモデータが入っています。デモを削除してから読み込みますか?"
    assert {b.text() for b in actions.question.buttons()} >= {"削除して読み込む", "そのまま読み込む"}
    click_answer(qtbot, actions, "削除して読み込む")
    import_through_dialog(qtbot, window)
    assert sorted(f.display_name for f in Friend.select()) == ["佐藤 一郎", "山田 花子"]
    assert not is_demo_shop()


def test_importing_into_a_demo_shop_can_keep_it_or_cancel(qtbot, make_window, demo_shop, tmp_path, pick_file):
    window = make_window()
    actions = window.app_actions
    pick_file(a_csv(tmp_path, "山田 花子"))
    actions.import_action.trigger()
    click_answer(qtbot, actions, QMessageBox.StandardButton.Cancel)
    qtbot.wait(200)
    assert actions.import_dialog is None and Friend.select().count() == 300
    actions.import_action.trigger()
    click_answer(qtbot, actions, "そのまま読み込む")
    import_through_dialog(qtbot, window)
    assert Friend.select().count() == 301 and is_demo_shop()


def test_the_sync_refusal_names_the_menu_item_that_exists(qtbot, make_window, store):
    window = make_window()
    menu_title = window.app_actions.file_menu.title().replace("(&F)", "")
    message = str(FollowersUnavailable())
    assert f"{menu_title} → {window.app_actions.import_action.text()}" in message


def test_connecting_a_channel_into_a_demo_shop_asks_first(qtbot, make_window, demo_shop, fake_line, memory_keyring):
    window = make_window()
    window.show_channel_settings()
    page, actions = window.settings_page.channel, window.app_actions
    page.token.setText(fake_line.token)
    qtbot.mouseClick(page.check_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(page.connect_button.isEnabled, timeout=10_000)
    qtbot.mouseClick(page.connect_button, Qt.MouseButton.LeftButton)
    click_answer(qtbot, actions, QMessageBox.StandardButton.Cancel)
    qtbot.wait(200)
    assert page.channel is None and is_demo_shop()
    qtbot.mouseClick(page.connect_button, Qt.MouseButton.LeftButton)
    click_answer(qtbot, actions, "削除して読み込む")
    qtbot.waitUntil(lambda: page.channel is not None, timeout=10_000)
    assert not is_demo_shop() and Friend.select().count() == 0
