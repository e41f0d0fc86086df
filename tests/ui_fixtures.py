"""Fixtures for the window's tests (imported by tests/test_ui_*.py)."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import QSettings

from shopline.core import messages
from shopline.ui import app, operations
from shopline.ui.main_window import MainWindow

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture
def language(qapp):
    """Install the window's translations for a language, as app.main does; removed afterwards."""
    installed = []

    def install(lang: str) -> str:
        installed.extend(app.install_translations(qapp, lang))
        return lang

    yield install
    app.remove_translations(qapp, installed)
    messages.set_language("ja")


@pytest.fixture
def settings(tmp_path):
    return QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat)


@pytest.fixture
def make_window(qtbot, store, settings, language):
    """A started main window over the test's store, in Japanese unless asked otherwise."""

    def make(lang: str = "ja") -> MainWindow:
        language(lang)
        window = MainWindow(settings)
        qtbot.addWidget(window)
        window.show()
        with qtbot.waitSignal(window.friends.model.loaded, timeout=10_000):
            window.start()
        return window

    yield make
    assert operations.wait_idle(10_000)


@pytest.fixture
def demo_shop(store):
    from shopline.demo import load_demo

    load_demo(n=300, seed=7)
    return store
