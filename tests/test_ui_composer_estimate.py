"""The estimate panel: pick a segment and watch the count, the month and the cost change; BLOCKED stops 送信."""

from __future__ import annotations

import datetime as dt
import json
import time

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog, QMessageBox

from shopline.core.drafts import TextBubble
from shopline.core.estimate import Status
from shopline.delivery import usage
from shopline.store.models import Setting
from shopline.ui.composer import estimate_panel

pytest_plugins = ("ui_fixtures", "composer_fixtures")


def ready_to_send(page) -> None:
    page.bubbles.add_buttons["text"].click()
    page.editors[TextBubble].text.setPlainText("今週末はセールです")


def estimate_for(qtbot, page, choose) -> estimate_panel.Answer:
    with qtbot.waitSignal(page.estimate.estimated, timeout=10_000, check_params_cb=lambda a: a is not None) as got:
        choose()
    return got.args[0]


def test_limited_quota_counts_recipients_and_blocks_past_the_limit(qtbot, page, fake_line, monkeypatch):
    monkeypatch.setenv("SHOPLINE_CHANNEL_TOKEN", fake_line.token)
    fake_line.quota = {"type": "limited", "value": 200}  # コミュニケーションプラン: no extra messages
    fake_line.total_usage = 197
    ready_to_send(page)
    page.bubbles.add_buttons["coupon"].click()
    page.editors[type(page.doc.draft.bubbles[1])].coupon_id.setText("c-1")  # two bubbles, still one message each
    answer = estimate_for(qtbot, page, lambda: page.target.choose("VIP客"))
    e = answer.estimate
    assert answer.problem == ""
    assert (e.recipients, e.messages_counted, e.used, e.limit, e.remaining_after) == (3, 3, 197, 200, 0)
    assert e.status == Status.WARN_80  # exactly at the limit: allowed, with the warning
    values = page.estimate.values
    assert values["recipients"].text() == "3人" and values["messages"].text() == "3通"
    assert values["usage"].text() == "197通 / 上限200通"
    assert values["plan"].text() == "コミュニケーションプラン"
    assert values["remaining"].text() == "0通"
    assert "吹き出しがいくつあっても" in page.estimate.note.text()
    assert page.estimate.banner.text().startswith("注意: この送信で今月の80%を超えます。")
    assert page.send_button.isEnabled() and page.send_reason.text() == ""

    answer = estimate_for(qtbot, page, lambda: page.target.choose("常連さん"))
    assert answer.estimate.recipients == 5 and answer.estimate.status == Status.BLOCKED
    banner = page.estimate.banner.text()
    assert banner.startswith("送信できません") and "できること:" in banner
    assert "セグメントを絞って3人以下にする" in banner and "アップグレード" in banner
    assert not page.send_button.isEnabled()
    assert page.send_reason.text().startswith("今月の上限を超えるため送信できません")


def test_no_quota_standard_plan_shows_the_extra_cost_tier_by_tier(qtbot, page, fake_line, monkeypatch):
    monkeypatch.setenv("SHOPLINE_CHANNEL_TOKEN", fake_line.token)
    fake_line.quota = {"type": "none"}  # スタンダードプラン
    fake_line.total_usage = 29_998
    ready_to_send(page)
    answer = estimate_for(qtbot, page, lambda: page.target.choose_text("常連"))
    e = answer.estimate
    assert (e.recipients, e.extra_messages, e.limit, e.status) == (5, 3, None, Status.WARN_80)
    cost = page.estimate.values["cost"].text().splitlines()
    assert cost == ["¥9（税別）", "追加メッセージ 1〜3通目: 3通 × ¥3 = ¥9"]
    assert page.estimate.values["remaining"].text() == "LINEの上限なし"
    assert page.send_button.isEnabled()
    assert any(r.path == "/v2/bot/message/quota/consumption" for r in fake_line.requests)


def test_offline_shows_the_last_known_figures_with_their_time(qtbot, page):
    fetched = dt.datetime.now(dt.UTC) - dt.timedelta(minutes=10)
    if fetched.astimezone(usage.JST).month != dt.datetime.now(usage.JST).month:
        fetched = dt.datetime.now(dt.UTC) - dt.timedelta(minutes=2)  # just after midnight on the 1st
    Setting.create(key=usage.USAGE_KEY, value=json.dumps(
        {"type": "limited", "value": 5000, "used": 1200, "fetched_at": fetched.isoformat()}))
    ready_to_send(page)
    answer = estimate_for(qtbot, page, lambda: page.target.choose("VIP客"))
    assert answer.estimate.offline_asof is not None and answer.estimate.status == Status.NEEDS_CHECK
    shown = page.estimate.values["usage"].text()
    assert shown.startswith("1,200通 / 上限5,000通") and f"{answer.estimate.offline_asof:%Y-%m-%d %H:%M}時点" in shown
    assert page.estimate.values["plan"].text() == "ライトプラン"


def test_never_checked_shows_unknown_rather_than_no_limit(qtbot, page):
    ready_to_send(page)
    answer = estimate_for(qtbot, page, lambda: page.target.choose("VIP客"))
    assert answer.estimate.status == Status.NEEDS_CHECK and not answer.estimate.limit_known
    values = page.estimate.values
    assert values["usage"].text() == values["remaining"].text() == "不明（LINEに接続してください）"
    assert values["cost"].text() == "不明" and "プランを選んでください" in page.estimate.banner.text()


def test_unknown_name_and_nothing_chosen_keep_send_disabled(qtbot, page):
    ready_to_send(page)
    assert page.send_reason.text() == "配信対象を選んでください。"
    with qtbot.waitSignal(page.estimate.estimated, timeout=10_000, check_params_cb=lambda a: a is None):
        page.target.choose_text("VIPP")
    qtbot.waitUntil(lambda: "VIPP" in page.estimate.banner.text(), timeout=5_000)
    assert "VIP" in page.estimate.banner.text()  # the nearest name is suggested
    assert not page.send_button.isEnabled()


def test_stale_answers_are_dropped(qtbot, page, monkeypatch):
    real = estimate_panel.estimate_work

    def slow_for_regulars(resolve, fresh):
        answer = real(resolve, fresh)
        if answer.estimate.recipients == 5:
            time.sleep(0.3)  # still working when the shop has already picked another segment
        return answer

    monkeypatch.setattr(estimate_panel, "estimate_work", slow_for_regulars)
    shown = []
    show = page.estimate._show
    monkeypatch.setattr(page.estimate, "_show", lambda answer: (shown.append(answer.estimate.recipients), show(answer)))
    page.estimate._timer.setInterval(0)
    page.target.choose("常連さん")
    qtbot.wait(50)  # the first estimate is under way
    answer = estimate_for(qtbot, page, lambda: page.target.choose("VIP客"))
    qtbot.wait(500)  # the slow answer for 常連さん comes back meanwhile, and is dropped
    assert answer.estimate.recipients == 3 and shown == [3]
    assert page.estimate.values["recipients"].text() == "3人"


def test_send_opens_the_send_dialog(qtbot, page, monkeypatch):
    from PySide6.QtCore import Signal
    from PySide6.QtWidgets import QDialog

    send_dialog = pytest.importorskip("shopline.ui.delivery.send_dialog")  # the delivery engineer's dialog

    opened = []

    class FakeDialog(QDialog):
        connect_requested = Signal()

        def __init__(self, parent, name, tree, messages, *, segment_text=None):
            super().__init__(parent)
            opened.append((name, tree, messages))

    monkeypatch.setattr(send_dialog, "SendDialog", FakeDialog)
    ready_to_send(page)
    estimate_for(qtbot, page, lambda: page.target.choose("VIP客"))
    page.send_button.click()
    (name, tree, messages), = opened
    # The campaign is named for the day and the message's first line, which the shop can still change.
    assert name == f"{dt.date.today():%Y-%m-%d} 今週末はセールです"
    assert str(tree) and messages == [{"type": "text", "text": "今週末はセールです"}]


def test_line_refusing_the_draft_is_shown_and_stops_sending(qtbot, page, fake_line, monkeypatch):
    monkeypatch.setenv("SHOPLINE_CHANNEL_TOKEN", fake_line.token)
    fake_line.quota = {"type": "none"}
    fake_line.rejected_texts = {"禁止ワード入り"}
    estimate_for(qtbot, page, lambda: page.target.choose("VIP客"))
    page.bubbles.add_buttons["text"].click()
    with qtbot.waitSignal(page.line_check.checked, timeout=10_000):
        page.editors[TextBubble].text.setPlainText("禁止ワード入り")
    assert "LINEがこのメッセージを受け付けませんでした" in page.send_reason.text()
    assert "May not contain this text" in page.send_reason.text()
    assert not page.send_button.isEnabled()
    with qtbot.waitSignal(page.line_check.checked, timeout=10_000):
        page.editors[TextBubble].text.setPlainText("今週末はセールです")
    assert page.send_reason.text() == "" and page.send_button.isEnabled()
    assert any(r.path == "/v2/bot/message/validate/multicast" for r in fake_line.requests)


def test_without_a_channel_nothing_is_asked_of_line(qtbot, page, fake_line):
    ready_to_send(page)
    qtbot.wait(1_000)
    assert not any(r.path.endswith("/validate/multicast") for r in fake_line.requests)
    assert page.line_check.rejection == ""


def test_more_than_the_chosen_plan_allows_is_refused_with_usage_unknown(qtbot, page):
    from shopline.store.models import Friend, FriendTag, Tag

    regular = Tag.get(Tag.name == "常連")
    Friend.insert_many([{"user_id": f"U{n:032x}", "status": "following"} for n in range(100, 624)]).execute()
    FriendTag.insert_from(Friend.select(Friend.id, regular.id).where(Friend.user_id >= f"U{100:032x}"),
                          [FriendTag.friend, FriendTag.tag]).execute()
    usage.choose_plan("jp_communication")  # 200 a month; LINE never asked, so this month's usage is unknown
    ready_to_send(page)
    answer = estimate_for(qtbot, page, lambda: page.target.choose("常連さん"))
    e = answer.estimate
    assert (e.recipients, e.used, e.status) == (529, None, Status.BLOCKED)
    banner = page.estimate.banner.text()
    assert banner.startswith("送信できません") and "ライトプラン" in banner and "200人以下" in banner
    assert not page.send_button.isEnabled()
    qtbot.mouseClick(page.send_button, Qt.MouseButton.LeftButton)
    assert page.findChild(QDialog) is None  # nothing to confirm: the send never opens


def test_all_friends_is_a_target_with_its_count_and_its_send(qtbot, page, fake_line, monkeypatch):
    from shopline.store.campaign_models import Campaign
    from shopline.ui.delivery.send_dialog import SendDialog

    monkeypatch.setenv("SHOPLINE_CHANNEL_TOKEN", fake_line.token)
    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: QMessageBox.StandardButton.Yes)
    ready_to_send(page)
    combo = page.target.combo
    assert combo.itemText(1) == "すべての友だち"

    def choose_by_keyboard() -> None:
        combo.setFocus()
        qtbot.keyClick(combo, Qt.Key.Key_Home)
        qtbot.keyClick(combo, Qt.Key.Key_Down)

    answer = estimate_for(qtbot, page, choose_by_keyboard)
    assert answer.estimate.recipients == 5  # the five following friends; the blocked one never counts
    assert page.estimate.values["recipients"].text() == "5人"
    assert page.send_blocked_reason() == ""
    opened = []
    monkeypatch.setattr(SendDialog, "open", lambda self: opened.append(self))
    qtbot.mouseClick(page.send_button, Qt.MouseButton.LeftButton)
    dialog, = opened
    qtbot.addWidget(dialog)
    qtbot.waitUntil(lambda: dialog.estimate is not None, timeout=10_000)
    dialog.start_send()
    qtbot.waitUntil(lambda: dialog.result is not None, timeout=15_000)
    campaign = Campaign.get()
    assert campaign.segment_text == "すべての友だち" and dialog.result.delivered == 5
    assert sum(fake_line.delivered.values()) == 5


def test_the_panel_says_what_automations_will_still_use_this_month(qtbot, page):
    from shopline.automations import schedules
    from shopline.automations.stats import expected_automation_use
    from shopline.core.segments import HasTag

    at = dt.datetime.now(dt.UTC) + dt.timedelta(minutes=5)
    if at.astimezone(usage.JST).month != dt.datetime.now(usage.JST).month:
        pytest.skip("LINE's month turns before the send")
    schedules.add("常連さんへ", HasTag("常連"), [{"type": "text", "text": "来週もお待ちしています"}], at=at)
    expected = expected_automation_use()
    assert expected == 5
    ready_to_send(page)
    answer = estimate_for(qtbot, page, lambda: page.target.choose("VIP客"))
    assert answer.automations == expected
    assert page.estimate.values["automations"].text() == "今月あと約5通"
