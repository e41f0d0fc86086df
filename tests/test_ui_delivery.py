"""The send dialog and 配信履歴 against the fake LINE: estimate, send with progress, pause, test send, resume."""

from __future__ import annotations

import pytest
from delivery_helpers import MSG, TOKEN, VIP, exactly_once, shop
from PySide6.QtCore import Qt
from PySide6.QtGui import QInputMethodEvent
from PySide6.QtWidgets import QApplication, QMessageBox

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


def ime_type(widget, text: str) -> None:
    """Japanese arrives as the input method's committed text, not as key presses QTest can make."""
    event = QInputMethodEvent()
    event.setCommitString(text)
    QApplication.sendEvent(widget, event)


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
    with qtbot.waitSignal(page.recipients_shown, timeout=10_000):
        page.show()
    assert page.campaigns.rowCount() == 1 and page.campaigns.item(0, 1).text() == "一時停止"
    assert page.recipients.rowCount() == min(dialog.result.pending, 1000)
    assert page.recipients.item(0, 2).text() == "未送信"
    assert page.resume_button.isEnabled()
    page.resume_button.click()
    qtbot.waitUntil(lambda: Campaign.get().status == "done", timeout=15_000)
    qtbot.waitUntil(lambda: page.campaigns.item(0, 1).text() == "完了", timeout=5_000)
    with qtbot.waitSignal(page.recipients_shown, timeout=10_000):
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
    with qtbot.waitSignal(page.recipients_shown, timeout=10_000):
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


@pytest.fixture
def offline(store, monkeypatch, qapp, language):
    """No channel connected, in Japanese; the confirmation questions asked are recorded."""
    language("ja")
    asked = []
    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: asked.append(a) or QMessageBox.StandardButton.Yes)
    yield asked
    assert operations.wait_idle(10_000, cancel=True)


def test_no_channel_says_so_before_asking_anything(qtbot, offline):
    shop(10)
    dialog = _dialog(qtbot)
    dialog.show()
    qtbot.mouseClick(dialog.send_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: dialog.connect_box is not None and dialog.connect_box.isVisible(), timeout=5_000)
    assert offline == [] and "接続" in dialog.connect_box.text()
    with qtbot.waitSignal(dialog.connect_requested, timeout=5_000):
        qtbot.mouseClick(dialog.connect_button, Qt.MouseButton.LeftButton)
    assert Campaign.select().count() == 0 and not dialog.isVisible()


def test_unknown_month_is_said_in_words(qtbot, offline):
    shop(10)
    dialog = _dialog(qtbot)
    assert "不明" in dialog.usage.text() and "?" not in dialog.usage.text() + dialog.cost.text()
    assert "上限なし通" not in dialog.usage.text()


def test_progress_bars_know_the_size_before_the_first_batch(qtbot, connected):
    shop(529)
    connected.fault(r"POST /v2/bot/message/multicast", delay=0.3, times=None)
    dialog = _dialog(qtbot)
    dialog.show()
    assert not dialog.friends.isVisible()  # nothing to show before sending
    assert (dialog.friends.maximum(), dialog.batches.maximum()) == (529, 2)
    dialog.start_send()
    assert dialog.friends.isVisible() and dialog.friends.text().endswith("0 / 529")
    assert dialog.batches.text().endswith("0 / 2")
    qtbot.waitUntil(lambda: dialog.result is not None, timeout=15_000)
    assert (dialog.friends.value(), dialog.friends.maximum()) == (529, 529)


def test_verdict_lines_are_shown_whole(qtbot, connected):
    from test_ui_fit import fit_problems

    shop(300)
    connected.quota = {"type": "limited", "value": 200}  # blocked: the longest verdict, with the ways out
    dialog = _dialog(qtbot)
    dialog.show()
    try:
        qtbot.waitUntil(lambda: not fit_problems(dialog), timeout=2_000)
    except qtbot.TimeoutError:
        assert fit_problems(dialog) == []
    assert dialog.verdict.height() >= dialog.verdict.heightForWidth(dialog.verdict.width())
    assert dialog.verdict.text().count("\n") >= 2


def test_campaign_is_named_in_the_dialog_and_a_used_name_is_refused(qtbot, connected, monkeypatch, language):
    language("ja")
    shop(10)
    prepared = service.prepare_send("春のセール", VIP, MSG, token=TOKEN)
    service.send(prepared.campaign, TOKEN)
    connected.delivered.clear()
    asked = []
    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: asked.append(a) or QMessageBox.StandardButton.Yes)
    dialog = _dialog(qtbot, name="2026-12-01 春のセール")
    dialog.show()
    assert dialog.name_edit.text() == "2026-12-01 春のセール"
    dialog.name_edit.selectAll()
    ime_type(dialog.name_edit, "春のセール")
    qtbot.mouseClick(dialog.send_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: "すでに" in dialog.status.text(), timeout=5_000)
    assert asked == [] and Campaign.select().count() == 1
    dialog.name_edit.end(False)
    ime_type(dialog.name_edit, "（2回目）")
    qtbot.mouseClick(dialog.send_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: dialog.result is not None, timeout=15_000)
    assert len(asked) == 1 and "春のセール（2回目）" in str(asked[0])
    assert Campaign.select().where(Campaign.name == "春のセール（2回目）").count() == 1
    assert sum(connected.delivered.values()) == 10


def test_history_says_what_will_be_there_before_the_first_campaign(qtbot, store, language):
    language("ja")
    page = HistoryPage()
    qtbot.addWidget(page)
    with qtbot.waitSignal(page.listed, timeout=10_000):
        page.show()
    assert page.empty.isVisible() and not page.campaigns.isVisible()
    assert "メッセージ" in page.empty.text() and "送信…" in page.empty.text()
    shop(3)
    service.prepare_send("初めての配信", VIP, MSG)
    with qtbot.waitSignal(page.listed, timeout=10_000):
        page.reload()
    assert not page.empty.isVisible() and page.campaigns.rowCount() == 1 and page.campaigns.isVisible()
