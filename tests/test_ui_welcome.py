"""The empty state: the welcome page, the demo shop button and CSV import with its report."""

from __future__ import annotations

from PySide6.QtCore import Qt

from shopline.ui import welcome_page

pytest_plugins = ("ui_fixtures",)  # the window fixtures, shared by tests/test_ui_*.py

GOOD = "U" + "1" * 32


def test_an_empty_shop_shows_the_welcome_page(qtbot, make_window):
    window = make_window()
    page = window.friends
    assert page.stack.currentWidget() is page.welcome
    assert page.welcome.import_button.text() == "CSVを読み込む"
    assert page.welcome.demo_button.text() == "デモショップを開く"
    assert page.welcome.connect_button.isEnabled()
    qtbot.mouseClick(page.welcome.connect_button, Qt.MouseButton.LeftButton)
    assert window.pages.currentWidget() is window.settings_page
    assert window.settings_page.tabs.currentWidget() is window.settings_page.channel


def test_demo_button_loads_the_demo_shop_off_the_ui_thread(qtbot, make_window, monkeypatch):
    monkeypatch.setattr(welcome_page, "DEMO_FRIENDS", 120)
    window = make_window()
    page = window.friends
    with qtbot.waitSignal(page.model.loaded, timeout=30_000):
        qtbot.mouseClick(page.welcome.demo_button, Qt.MouseButton.LeftButton)
    assert page.stack.currentWidget() is page.splitter
    assert page.model.rowCount() == 120
    assert page.model.data(page.model.index(0, 0))  # a name on screen


def test_csv_import_reports_refused_rows_and_the_errors_file(qtbot, make_window, tmp_path):
    csv = tmp_path / "friends.csv"
    csv.write_text(
        "ユーザーID,表示名,誕生日\r\n"
        f"{GOOD},山田 太郎,1990-04-01\r\n"
        "U123,壊れた 行,1990-04-01\r\n", encoding="utf-8-sig")
    window = make_window()
    page = window.friends
    page.welcome.open_import(csv)
    dialog = page.welcome.import_dialog
    qtbot.waitUntil(dialog.import_button.isEnabled, timeout=10_000)
    with qtbot.waitSignal(page.model.loaded, timeout=30_000):
        qtbot.mouseClick(dialog.import_button, Qt.MouseButton.LeftButton)
    assert "新規1人" in dialog.summary.text()
    assert "3行目" in dialog.refused.toPlainText()
    assert str(tmp_path / "friends_errors.csv") in dialog.errors_link.text()
    assert (tmp_path / "friends_errors.csv").exists()
    assert page.model.rowCount() == 1
    dialog.close()
