"""The send dialog and 配信履歴 against the fake LINE: estimate, send with progress, pause, test send, resume."""

from __future__ import annotations

import pytest
from delivery_helpers import MSG, TOKEN, VIP, exactly_once, shop
from PySide6.QtWidgets import QMessageBox

from shopline.delivery import service, testsend
from shopline.store.campaign_models import Campaign
from shopline.ui import operations
from shopline.ui.delivery import HistoryPage, SendDialog

pytest_plugins = ("ui_fixtures",)  # the `language` fixture


@pytest.fixture
def connected(store, fake_line, monkeypatch, qapp):
    monkeypatch.setenv("SHOPLINE_CHANNEL_TOKEN", TOKEN)
    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: QMessageBox.StandardButton.Yes)
    yield fake_line
    assert operations.wait_idle(10_000, cancel=True)


def _dialog(qtbot, name="春"):
    dialog = SendDialog(None, name, VIP, MSG)
    qtbot.addWidget(dialog)
    qtbot.waitUntil(lambda: dialog.estimate is not None, timeout=10_000)
    return dialog


def test_estimate_then_send_with_progress(qtbot, connected):
    expected = shop(1500)
    connected.quota, connected.total_usage = {"type": "limited", "value": 5000}, 100
    dialog = _dialog(qtbot)
    assert "1,500" in dialog.recipients.text() and "100" in dialog.usage.text() and "3,400" in dialog.usage.text()
    assert dialog.send_button.isEnabled()
    dialog.send_button.click()
    qtbot.waitUntil(lambda: dialog.result is not None, timeout=15_000)
    assert dialog.result.status == "done"
    assert (dialog.batches.value(), dialog.batches.maximum()) == (3, 3)
    assert (dialog.friends.value(), dialog.friends.maximum()) == (1500, 1500)
    assert "1,500" in dialog.status.text()
    exactly_once(connected, expected)


def test_blocked_plan_cannot_send(qtbot, connected):
    shop(300)
    connected.quota = {"type": "limited", "value": 200}
    dialog = _dialog(qtbot)
    assert not dialog.send_button.isEnabled() and "ライトプラン" in dialog.verdict.text()


def test_pause_keeps_the_rest_pending_and_history_resumes(qtbot, connected):
    expected = shop(20_000)  # 40 batches: more than are ever in flight
    connected.fault(r"POST /v2/bot/message/multicast", delay=0.2, times=None)
    dialog = _dialog(qtbot)
    dialog.start_send()
    qtbot.waitUntil(lambda: len(connected.delivered) >= 500, timeout=10_000)
    dialog.pause_button.click()
    qtbot.waitUntil(lambda: dialog.result is not None, timeout=15_000)
    assert dialog.result.status == "paused" and dialog.result.pending > 0
    connected.faults.clear()

    page = HistoryPage()
    qtbot.addWidget(page)
    page.show()
    assert page.campaigns.rowCount() == 1 and page.campaigns.item(0, 1).text() == "一時停止"
    assert page.recipients.rowCount() == min(dialog.result.pending, 1000)
    assert page.recipients.item(0, 2).text() == "未送信"
    assert page.resume_button.isEnabled()
    page.resume_button.click()
    qtbot.waitUntil(lambda: Campaign.get().status == "done", timeout=15_000)
    qtbot.waitUntil(lambda: page.campaigns.item(0, 1).text() == "完了", timeout=5_000)
    page.filter.setCurrentIndex(1)  # sent
    assert page.recipients.rowCount() == 1000  # one page of the 20,000
    exactly_once(connected, expected)


def test_history_says_why_friends_were_not_sent(qtbot, connected):
    shop(600)
    connected.fault(r"POST /v2/bot/message/multicast", status=400, body={"message": "Invalid reply token"})
    prepared = service.prepare_send("秋", VIP, MSG, token=TOKEN)
    service.send(prepared.campaign, TOKEN, concurrency=1)
    page = HistoryPage()
    qtbot.addWidget(page)
    page.show()
    assert page.campaigns.item(0, 4).text() == "500"
    assert page.recipients.rowCount() == 500
    assert page.recipients.item(0, 2).text() == "送れず"
    assert page.recipients.item(0, 3).text() == "HTTP 400: Invalid reply token"
    assert not page.resume_button.isEnabled()


def test_test_send_to_configured_ids(qtbot, connected):
    shop(10)
    dialog = _dialog(qtbot)
    dialog.test_ids.setText("U" + "a" * 32)
    dialog.test_button.click()
    qtbot.waitUntil(lambda: "1" in dialog.status.text(), timeout=10_000)
    assert testsend.get_test_ids() == ["U" + "a" * 32]
    assert list(connected.delivered) == ["U" + "a" * 32] and Campaign.select().count() == 0


def test_speaks_japanese(qtbot, connected, language):
    language("ja")
    shop(10)
    dialog = _dialog(qtbot)
    assert dialog.send_button.text() == "配信する" and dialog.test_button.text() == "テスト送信"
    assert dialog.recipients.text() == "10人（10通）"
