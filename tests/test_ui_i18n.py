"""Japanese by default through Qt's tr() and the compiled .qm; English with --lang en."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialogButtonBox

from shopline.ui import app

pytest_plugins = ("ui_fixtures",)  # the window fixtures, shared by tests/test_ui_*.py


def nav_texts(window):
    return [window.nav.item(i).text() for i in range(window.nav.count())]


def test_japanese_is_the_default(make_window):
    window = make_window(app.pick_language(app.parse_args([]).lang))
    assert nav_texts(window) == ["友だち", "タグ", "セグメント", "メッセージ", "効果測定", "設定", "シナリオ", "購買"]
    assert window.friends.model.headerData(0, Qt.Orientation.Horizontal) == "表示名"
    assert window.friends.search.placeholderText() == "名前・ユーザーID・メモで検索"


def test_english_with_lang_en(make_window):
    window = make_window(app.pick_language(app.parse_args(["--lang", "en"]).lang))
    assert nav_texts(window) == ["Friends", "Tags", "Segments", "Messages", "Results", "Settings", "Scenarios",
                                 "Purchases"]
    assert window.friends.welcome.import_button.text() == "Import CSV"
    assert window.count_label.text() == "0 friends"


def test_qt_own_buttons_speak_japanese(qtbot, language):
    language("ja")
    buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
    qtbot.addWidget(buttons)
    assert buttons.button(QDialogButtonBox.StandardButton.Cancel).text() == "キャンセル"


def test_missing_qm_falls_back_to_english(qapp, monkeypatch, tmp_path, caplog):
    monkeypatch.setattr(app, "I18N_DIR", tmp_path)
    installed = app.install_translations(qapp, "ja")
    try:
        assert all("shopline" not in t.filePath() for t in installed)
        assert "build_translations.py" in caplog.text
    finally:
        app.remove_translations(qapp, installed)


def test_data_dir_and_unknown_qt_options_are_accepted():
    args = app.parse_args(["--data-dir", "/tmp/shop", "-platform", "offscreen"])
    assert args.data_dir == "/tmp/shop" and args.lang is None
