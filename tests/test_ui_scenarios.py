"""The シナリオ page, driven with the mouse and keyboard on its real widgets; assertions on the store."""

from __future__ import annotations

import json

from PySide6.QtCore import Qt
from PySide6.QtGui import QInputMethodEvent
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication

from shopline.automations import scenarios
from shopline.store.automation_models import Scenario as ScenarioRow
from shopline.store.models import Tag
from shopline.ui import operations

pytest_plugins = ("ui_fixtures",)


def open_page(window, qtbot):
    row = [window.nav.item(i).text() for i in range(window.nav.count())].index("シナリオ")
    rect = window.nav.visualItemRect(window.nav.item(row))
    QTest.mouseClick(window.nav.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    page = window.page_at(row)
    qtbot.waitUntil(lambda: page.isVisible())
    return page


def click(widget):
    QTest.mouseClick(widget, Qt.MouseButton.LeftButton)


def type_text(widget, text):
    """Select what is there (Ctrl+A) and type over it; Japanese arrives as an input method's committed text,
    since QTest presses ASCII keys only."""
    QTest.keyClick(widget, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
    if text.isascii():
        QTest.keyClicks(widget, text)
    else:
        event = QInputMethodEvent()
        event.setCommitString(text)
        QApplication.sendEvent(widget, event)


def type_into(widget, text):
    QTest.mouseClick(widget, Qt.MouseButton.LeftButton)
    type_text(widget, text)


def edit_cell(table, row, column, text):
    rect = table.visualItemRect(table.item(row, column))
    QTest.mouseClick(table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    QTest.keyClick(table, Qt.Key.Key_F2)  # the editing key, as a double-click would
    editor = QApplication.focusWidget()
    assert editor is not None and editor is not table
    type_text(editor, text)
    QTest.keyClick(editor, Qt.Key.Key_Return)


def choose(combo, index):
    """The arrow keys on the focused box, as a shop owner tabbing through the form would."""
    combo.setFocus()
    for _ in range(combo.count()):
        if combo.currentIndex() == index:
            break
        QTest.keyClick(combo, Qt.Key.Key_Down if combo.currentIndex() < index else Qt.Key.Key_Up)
    assert combo.currentIndex() == index


def settle(qtbot):
    assert operations.wait_idle(10_000)
    qtbot.wait(50)


def test_a_scenario_made_in_the_editor_is_saved_as_its_json(make_window, qtbot):
    Tag.create(name="VIP")
    window = make_window()
    page = open_page(window, qtbot)
    form = page.form
    type_into(form.name, "ご挨拶")
    click(form.window_on)
    edit_cell(form.steps, 0, 3, "友だち追加ありがとうございます")
    click(form.add_step)
    edit_cell(form.steps, 1, 0, "1d")
    edit_cell(form.steps, 1, 1, "10:00")
    edit_cell(form.steps, 1, 2, "VIP")
    edit_cell(form.steps, 1, 3, "VIPの方へ")
    edit_cell(form.steps, 1, 4, "みなさまへ")
    click(page.save_button)
    qtbot.waitUntil(lambda: ScenarioRow.select().count() == 1, timeout=5000)
    assert scenarios.export("ご挨拶") == {
        "name": "ご挨拶", "trigger": {"type": "friend_added"}, "window": ["09:00", "21:00"],
        "steps": [{"after": "0m", "message": [{"type": "text", "text": "友だち追加ありがとうございます"}]},
                  {"after": "1d", "at": "10:00", "if": "VIP", "message": [{"type": "text", "text": "VIPの方へ"}],
                   "else": [{"type": "text", "text": "みなさまへ"}]}]}
    settle(qtbot)
    qtbot.waitUntil(lambda: page.list.count() == 1)
    assert page.list.item(0).text().startswith("ご挨拶")


def test_a_mistake_is_said_under_the_editor_and_nothing_is_saved(make_window, qtbot):
    window = make_window()
    page = open_page(window, qtbot)
    type_into(page.form.name, "タグのとき")
    choose(page.form.trigger, 1)  # when a tag is added
    assert page.form.detail.isVisible()
    type_into(page.form.detail, "VIPP")
    edit_cell(page.form.steps, 0, 3, "ようこそ")
    click(page.save_button)
    qtbot.waitUntil(lambda: bool(page.problem.text()), timeout=5000)
    assert "VIPP" in page.problem.text() and ScenarioRow.select().count() == 0
    edit_cell(page.form.steps, 0, 0, "tomorrow")
    click(page.save_button)
    qtbot.waitUntil(lambda: "待ち時間「tomorrow」" in page.problem.text(), timeout=5000)


def test_selecting_editing_pausing_and_deleting(make_window, qtbot, monkeypatch):
    Tag.create(name="VIP")
    scenarios.save({"name": "誕生日", "trigger": {"type": "date", "field": "birthday", "yearly": True},
                    "steps": [{"after": "0d", "at": "10:00", "message": [{"type": "text", "text": "おめでとう"}]}]})
    window = make_window()
    page = open_page(window, qtbot)
    qtbot.waitUntil(lambda: page.list.count() == 1)
    rect = page.list.visualItemRect(page.list.item(0))
    QTest.mouseClick(page.list.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    qtbot.waitUntil(lambda: page.form.name.text() == "誕生日", timeout=5000)
    assert page.form.yearly.isChecked() and page.form.trigger.currentData() == "date"
    edit_cell(page.form.steps, 0, 3, "お誕生日おめでとうございます")
    click(page.save_button)
    qtbot.waitUntil(lambda: "お誕生日おめでとうございます" in json.dumps(scenarios.export("誕生日"),
                                                                     ensure_ascii=False), timeout=5000)
    settle(qtbot)
    click(page.pause_button)
    qtbot.waitUntil(lambda: ScenarioRow.get().status == "paused", timeout=5000)
    settle(qtbot)
    qtbot.waitUntil(lambda: page.pause_button.text() == "再開", timeout=5000)
    click(page.pause_button)
    qtbot.waitUntil(lambda: ScenarioRow.get().status == "active", timeout=5000)
    settle(qtbot)
    from PySide6.QtWidgets import QMessageBox
    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: QMessageBox.StandardButton.Yes)
    click(page.delete_button)
    qtbot.waitUntil(lambda: ScenarioRow.select().count() == 0, timeout=5000)


def test_the_page_shows_each_steps_figures(make_window, qtbot):
    import datetime as dt

    from automation_helpers import add_friend, tokyo_shop

    from shopline.automations.runner import run_due

    tokyo_shop()
    scenarios.save({"name": "ご挨拶", "trigger": {"type": "friend_added"},
                    "steps": [{"after": "0m", "message": [{"type": "text", "text": "ようこそ"}]},
                              {"after": "30d", "message": [{"type": "text", "text": "ひと月たちました"}]}]},
                   now=dt.datetime.now(dt.UTC) - dt.timedelta(hours=2))
    add_friend(1, dt.datetime.now(dt.UTC) - dt.timedelta(hours=1))
    run_due(sender=lambda campaign: __import__("shopline.delivery.results", fromlist=["RunResult"]).RunResult(
        "done", campaign.recipients, 0, 0))
    window = make_window()
    page = open_page(window, qtbot)
    qtbot.waitUntil(lambda: page.list.count() == 1)
    rect = page.list.visualItemRect(page.list.item(0))
    QTest.mouseClick(page.list.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    qtbot.waitUntil(lambda: page.step_table.rowCount() == 2, timeout=5000)
    assert [page.step_table.item(0, c).text() for c in range(5)] == ["1", "0", "1", "0", "0"]
    assert [page.step_table.item(1, c).text() for c in range(3)] == ["2", "1", "0"]
    assert "開始 1人" in page.summary.text()
    assert page.timeline.rowCount() == 1 and page.timeline.item(0, 3).text() == "ひと月たちました"


def test_scheduled_sends_are_listed_with_their_recipients_now_and_cancelled_with_a_click(make_window, qtbot,
                                                                                         monkeypatch):
    import datetime as dt

    from automation_helpers import TOKYO, add_friend, text, tokyo_shop

    from shopline.automations import schedules
    from shopline.core.automations import recurrence_from_args
    from shopline.core.segments import HasTag
    from shopline.store.automation_models import Schedule

    tokyo_shop("VIP")
    now = dt.datetime.now(dt.UTC)
    for n in range(3):
        add_friend(n + 1, now - dt.timedelta(days=2), "VIP")
    add_friend(9, now - dt.timedelta(days=2))
    schedules.add("週末セール", HasTag("VIP"), text("週末"), recurrence=recurrence_from_args("week", "10:00", 6))
    schedules.add("新商品", HasTag("VIP"), text("新商品"), at=now + dt.timedelta(hours=1))
    window = make_window()
    page = open_page(window, qtbot)
    bar = page.tabs.tabBar()
    QTest.mouseClick(bar, Qt.MouseButton.LeftButton, pos=bar.tabRect(1).center())  # 予約配信
    table = page.scheduled.table
    qtbot.waitUntil(lambda: table.rowCount() == 2, timeout=5000)
    rows = [[table.item(r, c).text() for c in range(5)] for r in range(2)]
    assert rows[0][0] == "新商品" and rows[0][2] == "1回" and rows[0][4] == "3人"
    assert rows[1][0] == "週末セール" and rows[1][2].startswith("毎週") and rows[1][3] == "VIP"
    assert not page.scheduled.cancel_button.isEnabled()

    def select(row):
        rect = table.visualItemRect(table.item(row, 0))
        QTest.mouseClick(table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())

    def step_first_field_up(times):
        """The arrow keys on the time box's first field (hours for a recurring send, the year for a one-off)."""
        QTest.mouseClick(page.scheduled.when, Qt.MouseButton.LeftButton)
        QTest.keyClick(page.scheduled.when, Qt.Key.Key_Home)
        for _ in range(times):
            QTest.keyClick(page.scheduled.when, Qt.Key.Key_Up)
        click(page.scheduled.move_button)

    select(1)  # the weekly send keeps its day and takes the new clock time
    step_first_field_up(8)
    qtbot.waitUntil(lambda: schedules.recurrence_of(Schedule.get(Schedule.name == "週末セール")).at
                    == dt.time(18, 0), timeout=5000)
    settle(qtbot)
    qtbot.waitUntil(lambda: table.item(1, 2).text().endswith("18:00"), timeout=5000)
    select(0)  # the one-off send moves a year on, in the shop's time
    before = table.item(0, 1).text()
    step_first_field_up(1)
    moved = f"{int(before[:4]) + 1}{before[4:]}"
    qtbot.waitUntil(lambda: table.rowCount() == 2 and table.item(1, 1).text() == moved, timeout=5000)
    assert schedules.upcoming(Schedule.get(Schedule.name == "新商品"), now, now + dt.timedelta(days=400),
                              TOKYO)[0].astimezone(TOKYO).strftime("%Y-%m-%d %H:%M") == moved

    select(1)  # 新商品, now the later of the two
    from PySide6.QtWidgets import QMessageBox
    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: QMessageBox.StandardButton.Yes)
    click(page.scheduled.cancel_button)
    qtbot.waitUntil(lambda: Schedule.get(Schedule.name == "新商品").status == "cancelled", timeout=5000)
    assert Schedule.get(Schedule.name == "週末セール").status == "active"
    qtbot.waitUntil(lambda: table.rowCount() == 1, timeout=5000)
    assert table.item(0, 0).text() == "週末セール"


def test_a_step_row_opens_that_steps_results(make_window, qtbot):
    import datetime as dt

    from automation_helpers import add_friend, tokyo_shop

    from shopline.automations.runner import run_due
    from shopline.delivery.results import RunResult
    from shopline.store.campaign_models import Batch, Campaign
    from shopline.store.insight_models import InsightSnapshot

    def sent(campaign):
        Batch.update(status="accepted", done_at=dt.datetime.now(dt.UTC)).where(Batch.campaign == campaign.id).execute()
        return RunResult("done", campaign.recipients, 0, 0)

    tokyo_shop()
    now = dt.datetime.now(dt.UTC).replace(second=0, microsecond=0)
    for name in ("ご挨拶", "別のシナリオ"):
        scenarios.save({"name": name, "trigger": {"type": "friend_added"},
                        "steps": [{"after": "0m", "message": [{"type": "text", "text": "ようこそ"}]},
                                  {"after": "30d", "message": [{"type": "text", "text": "ひと月たちました"}]}]},
                       now=now - dt.timedelta(hours=5))
    add_friend(1, now - dt.timedelta(hours=4))
    run_due(now - dt.timedelta(hours=4) + dt.timedelta(minutes=5), sender=sent)
    add_friend(2, now - dt.timedelta(hours=2))
    run_due(now - dt.timedelta(hours=2) + dt.timedelta(minutes=5), sender=sent)
    greeting = scenarios.find("ご挨拶").id
    step_one = [c.name for c in Campaign.select().where(Campaign.unit == f"sc{greeting}_s1").order_by(Campaign.id)]
    assert len(step_one) == 2 and Campaign.select().count() == 4
    today = dt.datetime.now(dt.UTC).date()
    for run in Campaign.select().where(Campaign.name.in_(step_one)):  # as a fetch leaves them: the step's whole
        InsightSnapshot.create(campaign=run, unit=run.unit, impressions=None, clicks=None, urls="[]",
                               range_from=today - dt.timedelta(days=1), range_to=today + dt.timedelta(days=1),
                               fetched_at=dt.datetime.now(dt.UTC))

    window = make_window()
    page = open_page(window, qtbot)
    qtbot.waitUntil(lambda: page.list.count() == 2)
    item = next(page.list.item(i) for i in range(2) if page.list.item(i).data(Qt.ItemDataRole.UserRole) == "ご挨拶")
    QTest.mouseClick(page.list.viewport(), Qt.MouseButton.LeftButton, pos=page.list.visualItemRect(item).center())
    qtbot.waitUntil(lambda: page.step_table.rowCount() == 2 and page.step_table.item(0, 2).text() == "2",
                    timeout=5000)
    # LINE nulls fewer than 20: no rate, and what it would divide is said
    assert page.step_table.item(0, 5).text() == "—" and page.step_table.item(1, 5).text() == "—"
    assert "2回の配信で、送信2人のうち開封20人未満" in page.step_table.item(0, 5).toolTip()
    assert not page.step_table.item(1, 5).toolTip()  # step 2 has sent nothing

    # Step 2 has sent nothing yet: a double-click says so, and the page stays.
    rect = page.step_table.visualItemRect(page.step_table.item(1, 0))
    # A double-click as the mouse makes it: the first press and release, then the second press.
    QTest.mouseClick(page.step_table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    QTest.mouseDClick(page.step_table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert "ステップ2" in page.problem.text() and window.pages.currentWidget() is page
    assert not page.results_button.isEnabled()

    rect = page.step_table.visualItemRect(page.step_table.item(0, 0))
    QTest.mouseClick(page.step_table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert page.results_button.isEnabled()
    click(page.results_button)
    results = window.page_at(4)
    assert window.pages.currentWidget() is results
    qtbot.waitUntil(lambda: results.loaded and results.campaigns.selected() is not None, timeout=10_000)
    tab = results.campaigns
    assert results.tabs.currentWidget() is tab
    shown = {tab.proxy.index(r, 0).data() for r in range(tab.proxy.rowCount())}
    assert shown == set(step_one)  # the other scenario's and step 2's campaigns are not listed
    assert tab.selected().name == step_one[-1]  # the newest run of the step
    assert tab.proxy.index(0, 3).data() == "合算" and "2回の配信（送信2人）の合計" in tab.detail.shared_note.text()

    click(tab.show_all)
    assert tab.proxy.rowCount() == 4 and not tab.show_all.isVisible()
