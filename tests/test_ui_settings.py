"""設定: the language choice is kept in QSettings and used at the next start."""

from __future__ import annotations

import datetime as dt
import json

from PySide6.QtCore import Qt

from shopline.store.models import Setting
from shopline.ui import app, operations
from shopline.ui.settings_page import LANGUAGE_KEY

pytest_plugins = ("ui_fixtures",)  # the window fixtures, shared by tests/test_ui_*.py


def test_language_is_stored_and_a_restart_note_shown(make_window, settings):
    window = make_window()
    page = window.settings_page
    assert not page.restart_note.isVisible()
    window.show_channel_settings()
    page.tabs.setCurrentIndex(0)
    page.language.setCurrentIndex(page.language.findData("en"))
    assert settings.value(LANGUAGE_KEY) == "en"
    assert page.restart_note.isVisible()
    assert page.restart_note.text() == "新しい言語は次回ShopLineを起動したときに使われます。"


def test_stored_language_is_used_at_start_unless_overridden(monkeypatch):
    monkeypatch.delenv("SHOPLINE_LANG", raising=False)
    assert app.pick_language(None, "en") == "en"
    assert app.pick_language("ja", "en") == "ja"  # --lang wins for this run
    assert app.pick_language(None, None) == "ja"


def test_status_bar_marks_the_demo_shop(qtbot, make_window, demo_shop):
    window = make_window()
    qtbot.waitUntil(window.demo_label.isVisible, timeout=5_000)
    assert window.demo_label.text() == "デモデータ"
    window.show_usage("今月 1,200 / 5,000通")
    assert window.usage_label.text() == "今月 1,200 / 5,000通"


def test_choosing_the_plan_reaches_the_status_bar_and_the_open_estimate(qtbot, make_window, demo_shop):
    from shopline.delivery import usage

    Setting.create(key=usage.USAGE_KEY, value=json.dumps(
        {"type": "none", "value": None, "used": 1200, "fetched_at": dt.datetime.now(dt.UTC).isoformat()}))
    window = make_window()
    qtbot.waitUntil(lambda: window.usage_label.text() == "今月 1,200通送信（上限なし）", timeout=5_000)
    composer = window.page_at(3)
    window.nav.setCurrentRow(3)
    composer.target.choose_text("VIP")
    qtbot.waitUntil(lambda: composer.estimate.answer is not None, timeout=10_000)
    assert composer.estimate.answer.estimate.plan.key == "jp_standard"  # LINE's quota type none

    box = window.settings_page.plan_box
    window.nav.setCurrentRow(5)
    qtbot.waitUntil(lambda: "今月 1,200通送信" in box.month.text(), timeout=5_000)
    assert box.plan.currentData() == "" and "スタンダードプラン" in box.month.text()  # derived, not chosen
    box.plan.setFocus()
    qtbot.keyClick(box.plan, Qt.Key.Key_Down)  # the cheapest plan below 自動
    qtbot.keyClick(box.plan, Qt.Key.Key_Down)  # ライトプラン
    assert box.plan.currentText().startswith("ライトプラン — 月額¥5,000・無料メッセージ5,000通")
    qtbot.waitUntil(lambda: usage.chosen_plan() is not None and usage.chosen_plan().key == "jp_light",
                    timeout=5_000)
    qtbot.waitUntil(lambda: composer.estimate.answer is not None
                    and composer.estimate.answer.estimate.plan.key == "jp_light", timeout=10_000)
    assert "ライトプラン" in composer.estimate.values["plan"].text()


def test_start_opens_the_store_after_the_window_and_explains_a_folder_it_cannot_open(
        qtbot, data_dir, settings, language, monkeypatch):
    from shopline.store import close_store
    from shopline.store.models import SchemaVersion
    from shopline.ui.main_window import MainWindow

    language("ja")
    window = MainWindow(settings)
    qtbot.addWidget(window)
    window.show()
    assert 0 in window._lazy  # nothing is built before the store is open
    assert app.open_then_start(window, str(data_dir)) is True
    qtbot.waitUntil(lambda: window.friends.stack.currentWidget() is window.friends.welcome, timeout=10_000)
    assert operations.wait_idle(10_000)
    # A database written by a newer ShopLine: said in a sentence over the window, and the app ends with 2.
    SchemaVersion.update(version=999).execute()
    close_store()
    shown, exits = [], []
    monkeypatch.setattr(app.QMessageBox, "critical", lambda parent, title, text: shown.append(text))
    monkeypatch.setattr(app.QCoreApplication, "exit", lambda code=0: exits.append(code))
    again = MainWindow(settings)
    qtbot.addWidget(again)
    try:
        assert app.open_then_start(again, str(data_dir)) is False
    finally:
        close_store()
    assert exits == [2] and "新しい版のShopLine" in shown[0]
    assert 0 in again._lazy  # no page tried to read a database it could not open


def test_status_bar_says_when_the_limit_is_unknown(language):
    from shopline.core.estimate import verdict
    from shopline.core.plans import Quota
    from shopline.ui.plan_box import month_text

    language("ja")
    assert month_text(verdict(None, None, 40, 0)) == "今月 40通送信（上限は不明）"  # not "no limit"
    assert month_text(verdict(None, Quota("none"), 40, 0)) == "今月 40通送信（上限なし）"
    assert month_text(verdict(None, Quota("limited", 5000), 40, 0)) == "今月 40 / 上限5,000通"
    assert month_text(verdict(None, None, None, 0)) == "今月の送信数: 不明"
