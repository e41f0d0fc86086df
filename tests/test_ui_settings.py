"""設定: the language choice is kept in QSettings and used at the next start."""

from __future__ import annotations

from shopline.ui import app
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
