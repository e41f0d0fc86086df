"""After a send the month shown includes it: the status bar, the open estimate, and a send dialog opened next."""

from __future__ import annotations

import pytest
from delivery_helpers import MSG, TOKEN, VIP, shop
from PySide6.QtCore import QEvent, Qt
from PySide6.QtWidgets import QApplication, QMessageBox

from shopline.core.drafts import TextBubble
from shopline.delivery import service
from shopline.ui.delivery.send_dialog import SendDialog

pytest_plugins = ("ui_fixtures",)


@pytest.fixture
def connected(store, fake_line, monkeypatch):
    monkeypatch.setenv("SHOPLINE_CHANNEL_TOKEN", TOKEN)
    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: QMessageBox.StandardButton.Yes)
    shop(13)
    fake_line.quota, fake_line.total_usage = {"type": "limited", "value": 5000}, 0
    return fake_line


def _composer(qtbot, window):
    window.nav.setCurrentRow(3)
    composer = window.page_at(3)
    composer.bubbles.add_buttons["text"].click()
    composer.editors[TextBubble].text.setPlainText("今週末はセールです")
    with qtbot.waitSignal(composer.estimate.estimated, timeout=10_000, check_params_cb=lambda a: a is not None):
        composer.target.choose_text("VIP")
    return composer


def test_a_send_from_the_window_reaches_the_status_bar_and_the_estimate(qtbot, make_window, connected):
    window = make_window()
    composer = _composer(qtbot, window)
    assert composer.estimate.answer.estimate.used == 0
    qtbot.waitUntil(lambda: window.usage_label.text() == "今月 0 / 上限5,000通", timeout=5_000)
    qtbot.mouseClick(composer.send_button, Qt.MouseButton.LeftButton)
    dialog = composer.findChild(SendDialog)
    qtbot.waitUntil(lambda: dialog.estimate is not None, timeout=10_000)
    qtbot.mouseClick(dialog.send_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: dialog.result is not None, timeout=15_000)
    connected.total_usage = 0  # LINE has not counted the send yet: the window must not wait for it
    # While the dialog is still open, the status bar and the estimate behind it already count the send.
    qtbot.waitUntil(lambda: window.usage_label.text() == "今月 13 / 上限5,000通", timeout=10_000)
    qtbot.waitUntil(lambda: composer.estimate.answer is not None and composer.estimate.answer.estimate.used == 13,
                    timeout=10_000)
    assert composer.estimate.values["usage"].text().startswith("13通 / 上限5,000通")
    dialog.close()

    again = SendDialog(window, "次", VIP, MSG)  # the next send's dialog starts from the new month
    qtbot.addWidget(again)
    qtbot.waitUntil(lambda: again.estimate is not None, timeout=10_000)
    assert again.estimate.used == 13 and again.estimate.remaining_after == 5000 - 26


def test_a_send_from_elsewhere_is_read_when_the_window_gets_the_focus_back(qtbot, make_window, connected):
    window = make_window()
    qtbot.waitUntil(lambda: window.usage_label.text() != "", timeout=5_000)
    composer = _composer(qtbot, window)
    qtbot.waitUntil(lambda: window.usage_label.text() == "今月 0 / 上限5,000通", timeout=5_000)
    # `shopline send` in a terminal runs these same service calls.
    prepared = service.prepare_send("端末から", VIP, MSG, token=TOKEN)
    assert service.send(prepared.campaign, TOKEN).delivered == 13
    connected.total_usage = 0
    assert window.usage_label.text() == "今月 0 / 上限5,000通"
    window.activateWindow()
    QApplication.sendEvent(window, QEvent(QEvent.Type.ActivationChange))
    qtbot.waitUntil(lambda: window.usage_label.text() == "今月 13 / 上限5,000通", timeout=10_000)
    qtbot.waitUntil(lambda: composer.estimate.answer is not None and composer.estimate.answer.estimate.used == 13,
                    timeout=10_000)
