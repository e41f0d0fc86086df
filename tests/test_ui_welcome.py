"""The empty state: the welcome page, the demo shop button and CSV import with its report."""

from __future__ import annotations

import sys

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


def test_demo_button_opens_the_demo_in_its_own_window_and_folder(qtbot, make_window, monkeypatch, data_dir):
    launched = []
    monkeypatch.setattr(welcome_page, "launch_detached", lambda command: launched.append(command) or True)
    window = make_window()
    page = window.friends
    qtbot.mouseClick(page.welcome.demo_button, Qt.MouseButton.LeftButton)
    [command] = launched
    assert command[-3:] == ["--demo", "--data-dir", str(data_dir)]
    assert command[:3] == [sys.executable, "-m", "shopline.ui"]
    # The shop's own data folder stays empty: the demo never lands in it.
    from shopline.store.friends import friend_count

    assert friend_count() == 0


def test_the_demo_window_fills_the_demo_folder_once_and_marks_it(qtbot, data_dir, settings, language, monkeypatch):
    from shopline import paths
    from shopline.store import close_store
    from shopline.store.friends import friend_count, is_demo_shop
    from shopline.ui import app, operations
    from shopline.ui.main_window import MainWindow

    monkeypatch.setattr(welcome_page, "DEMO_FRIENDS", 120)
    language("ja")
    window = MainWindow(settings)
    qtbot.addWidget(window)
    window.show()
    try:
        assert app.open_then_start(window, str(data_dir), demo=True)  # as `ShopLine --demo --data-dir D`
        qtbot.waitUntil(lambda: window.friends.model.rowCount() == 120, timeout=30_000)
        assert paths.db_path(paths.demo_dir(data_dir)).is_file()
        assert not paths.db_path(data_dir).exists()  # the shop's own folder was never opened
        assert is_demo_shop() and friend_count() == 120
        assert window.windowTitle() == "ShopLine — デモショップ"
        # Opening the demo folder again keeps what the shop did there.
        window.friends.welcome.fill_with_demo_if_empty()
        assert operations.wait_idle(10_000)
        assert friend_count() == 120
    finally:
        assert operations.wait_idle(10_000)
        close_store()


def test_python_m_shopline_ui_is_the_window_entry_point():
    import importlib.util

    assert importlib.util.find_spec("shopline.ui.__main__") is not None


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
