"""効果測定 in the window: the list sorts by the numbers, a campaign's chart holds its URL clicks, the trend chart its
days and sends, refresh fetches off the UI thread, and the cross table counts — asserted on series and the store."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from fake_line.server import TOKEN
from PySide6.QtCore import QPoint, Qt
from PySide6.QtTest import QTest
from results_helpers import fresh_limiters, friends, sent_campaign  # noqa: F401 - autouse

from shopline.store.insight_models import FollowerDay, InsightSnapshot
from shopline.ui import operations
from shopline.ui.results import ResultsPage

pytest_plugins = ("ui_fixtures",)
NOW = dt.datetime.now(dt.UTC).replace(microsecond=0)


def _snapshot(campaign, impressions, clicks, urls=()):
    InsightSnapshot.create(campaign=campaign, unit=campaign.unit, impressions=impressions, clicks=clicks,
                           urls=json.dumps([{"seq": 1, "url": u, "clicks": c, "unique_clicks": q} for u, c, q in urls]),
                           range_from=NOW.date(), range_to=NOW.date(), fetched_at=NOW, final=False)


@pytest.fixture
def shop(store):
    ids = friends(100)
    a = sent_campaign("春のセール", ids, NOW - dt.timedelta(days=3))
    b = sent_campaign("夏のセール", ids[:50], NOW - dt.timedelta(days=2))
    _snapshot(a, 60, 25, [("https://shop.example/sale", 40, 22), ("https://shop.example/map", None, None)])
    _snapshot(b, None, None)
    today = NOW.astimezone(dt.timezone(dt.timedelta(hours=9))).date()
    for n in range(1, 6):
        FollowerDay.create(day=today - dt.timedelta(days=n), status="ready", followers=500 - n, targeted_reaches=400,
                           blocks=10 + n, fetched_at=NOW)
    return store


def _page(qtbot):
    page = ResultsPage()
    qtbot.addWidget(page)
    page.resize(880, 640)
    page.show()
    qtbot.waitUntil(lambda: page.loaded, timeout=10_000)
    return page


def _click_row(qtbot, table, row):
    rect = table.visualRect(table.model().index(row, 0))
    QTest.mouseClick(table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())


def test_the_list_sorts_by_the_figures_and_a_campaign_shows_its_url_clicks(qtbot, shop):
    page = _page(qtbot)
    tab = page.campaigns
    assert tab.proxy.rowCount() == 2
    header = tab.table.horizontalHeader()
    open_rate = 4
    x = header.sectionViewportPosition(open_rate) + header.sectionSize(open_rate) // 2
    QTest.mouseClick(header.viewport(), Qt.MouseButton.LeftButton, pos=QPoint(x, header.height() // 2))
    first = tab.proxy.index(0, 0).data()
    QTest.mouseClick(header.viewport(), Qt.MouseButton.LeftButton, pos=QPoint(x, header.height() // 2))
    assert {first, tab.proxy.index(0, 0).data()} == {"春のセール", "夏のセール"}
    assert tab.proxy.index(0, 0).data() != first  # the other order
    row = next(r for r in range(2) if tab.proxy.index(r, 0).data() == "春のセール")
    _click_row(qtbot, tab.table, row)
    assert tab.detail.figures.name == "春のセール"
    assert tab.detail.chart.values() == [22.0] and tab.detail.chart.urls == ["https://shop.example/sale"]
    assert tab.detail.values["open_rate"].text() == "60.0%"
    assert tab.detail.values["click_through"].text() == "41.7%"
    row = next(r for r in range(2) if tab.proxy.index(r, 0).data() == "夏のセール")
    _click_row(qtbot, tab.table, row)
    assert tab.detail.values["impressions"].text() == "20人未満"  # LINE's null, never 0
    assert tab.detail.values["open_rate"].text() == "—" and tab.detail.chart.values() == []


def test_the_trend_chart_holds_the_days_and_marks_the_sends(qtbot, shop):
    page = _page(qtbot)
    QTest.mouseClick(page.tabs.tabBar(), Qt.MouseButton.LeftButton, pos=page.tabs.tabBar().tabRect(1).center())
    chart = page.trend_chart
    assert [p.y() for p in chart.followers.points()] == [495, 496, 497, 498, 499]
    assert [p.y() for p in chart.blocks.points()] == [15, 14, 13, 12, 11]
    assert chart.sends.count() == 2 and {name for _, name in chart.send_names} == {"春のセール", "夏のセール"}


def test_fetch_from_line_runs_off_the_ui_thread_and_shows_the_new_figures(qtbot, shop, fake_line, monkeypatch):
    monkeypatch.setenv("SHOPLINE_CHANNEL_TOKEN", TOKEN)
    units = {c: u for c, u in InsightSnapshot.select(InsightSnapshot.campaign, InsightSnapshot.unit).tuples()}
    InsightSnapshot.delete().execute()
    for unit in units.values():
        fake_line.insight.set_unit(unit, impressions=70, clicks=30, urls=[("https://shop.example/new", 30, 30)])
    page = _page(qtbot)
    assert page.campaigns.model.rows[0].impressions is None
    QTest.mouseClick(page.refresh_button, Qt.MouseButton.LeftButton)
    assert operations.wait_idle(20_000)
    qtbot.waitUntil(lambda: all(f.impressions == 70 for f in page.campaigns.model.rows), timeout=10_000)
    assert InsightSnapshot.select().count() == 2
    assert "2件の配信" in page.asof.text()


def test_the_cross_table_counts_and_exports(qtbot, shop, tmp_path):
    page = _page(qtbot)
    QTest.mouseClick(page.tabs.tabBar(), Qt.MouseButton.LeftButton, pos=page.tabs.tabBar().tabRect(2).center())
    cross = page.cross
    assert cross.rows.currentData() == "gender" and cross.cols.currentData() == "age_band"
    QTest.mouseClick(cross.count_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: cross.result is not None, timeout=10_000)
    assert cross.result.total == 100
    assert cross.table.item(cross.table.rowCount() - 1, cross.table.columnCount() - 1).text() == "100"
    cross.export(str(tmp_path / "x.csv"))
    assert (tmp_path / "x.csv").read_bytes().startswith(b"\xef\xbb\xbf")


@pytest.mark.parametrize("lang", ["ja", "en"])
def test_every_tab_fits_a_small_laptop(qtbot, shop, make_window, lang):
    from test_ui_fit import SIZE, fit_problems

    window = make_window(lang)
    window.resize(*SIZE)
    window.nav.setCurrentRow(4)
    page = window.pages.currentWidget()
    assert isinstance(page, ResultsPage)
    qtbot.waitUntil(lambda: page.loaded, timeout=10_000)
    problems = []
    for index in range(page.tabs.count()):
        page.tabs.setCurrentIndex(index)
        if page.tabs.currentWidget() is page.cross:
            QTest.mouseClick(page.cross.count_button, Qt.MouseButton.LeftButton)
            qtbot.waitUntil(lambda: page.cross.result is not None, timeout=10_000)
        assert operations.wait_idle(10_000)
        qtbot.wait(50)
        assert (window.width(), window.height()) == SIZE
        problems += [f"{page.tabs.tabText(index)}: {p}" for p in fit_problems(window)]
    assert problems == []


def _type_into(qtbot, box, text):
    """As the shop types: click into the box, select what is there, type, and leave it with Tab."""
    edit = box.lineEdit()
    QTest.mouseClick(edit, Qt.MouseButton.LeftButton)
    QTest.keyClick(edit, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
    QTest.keyClicks(edit, text)
    QTest.keyClick(edit, Qt.Key.Key_Tab)


def test_goals_and_the_conversion_are_edited_beside_the_figures(qtbot, shop):
    from shopline.store.campaign_models import Campaign
    from shopline.store.insight_models import CampaignGoal
    from shopline.store.models import Tag

    Tag.create(name="来店")
    page = _page(qtbot)
    tab = page.campaigns
    row = next(r for r in range(2) if tab.proxy.index(r, 0).data() == "春のセール")
    _click_row(qtbot, tab.table, row)
    editor = tab.detail.editor
    qtbot.waitUntil(lambda: editor.isEnabled() and editor.tag.count() == 2, timeout=10_000)
    assert editor.purchase_row.isHidden()  # no purchase data yet: nothing to offer
    assert editor.goals["open_rate"].text() == editor.tr("No target")
    editor.tag.setFocus()
    QTest.keyClick(editor.tag, Qt.Key.Key_Down)
    assert editor.tag.currentText() == "来店"
    _type_into(qtbot, editor.days, "3")
    _type_into(qtbot, editor.goals["open_rate"], "50")
    QTest.mouseClick(editor.save_button, Qt.MouseButton.LeftButton)
    assert operations.wait_idle(10_000)
    spring = Campaign.get(Campaign.name == "春のセール")
    qtbot.waitUntil(lambda: CampaignGoal.get_or_none(CampaignGoal.campaign == spring) is not None, timeout=10_000)
    goal = CampaignGoal.get(CampaignGoal.campaign == spring)
    assert (goal.conversion_tag, goal.conversion_days, goal.open_rate) == ("来店", 3, 0.5)
    assert goal.click_rate is None and goal.purchase_days is None
    # The page reads its figures again: 60 of 100 opened against a 50% target.
    qtbot.waitUntil(lambda: "50.0%" in tab.detail.goals.text(), timeout=10_000)
    assert "60.0%" in tab.detail.goals.text() and tab.detail.values["conversions"].text() == "0"


def test_a_purchase_window_is_offered_once_purchases_exist(qtbot, shop):
    from shopline.store.campaign_models import Campaign
    from shopline.store.insight_models import CampaignGoal
    from shopline.store.purchase_models import Purchase

    Purchase.insert(customer="x", at="2025-01-01 10:00:00", amount=1000, dedupe=b"x").execute()
    page = _page(qtbot)
    tab = page.campaigns
    row = next(r for r in range(2) if tab.proxy.index(r, 0).data() == "夏のセール")
    _click_row(qtbot, tab.table, row)
    editor = tab.detail.editor
    qtbot.waitUntil(lambda: editor.isEnabled() and editor.campaign == "夏のセール", timeout=10_000)
    assert not editor.purchase_row.isHidden() and not editor.purchase_days.isEnabled()
    QTest.mouseClick(editor.purchase, Qt.MouseButton.LeftButton)
    assert editor.purchase_days.isEnabled()
    _type_into(qtbot, editor.purchase_days, "14")
    QTest.mouseClick(editor.save_button, Qt.MouseButton.LeftButton)
    assert operations.wait_idle(10_000)
    summer = Campaign.get(Campaign.name == "夏のセール")
    qtbot.waitUntil(lambda: CampaignGoal.get_or_none(CampaignGoal.campaign == summer) is not None, timeout=10_000)
    assert CampaignGoal.get(CampaignGoal.campaign == summer).purchase_days == 14
    qtbot.waitUntil(lambda: tab.detail.values["roi"].text().startswith("¥0"), timeout=10_000)  # none bought yet


def test_a_steps_runs_say_combined_and_the_chosen_one_shows_the_steps_whole(qtbot, store, language):
    language("ja")
    for n, days in enumerate((3, 2, 1)):
        run = sent_campaign(f"ステップ1 {n + 1}回目", friends(40, first=n * 40), NOW - dt.timedelta(days=days),
                            unit="sl_s7_1")
        InsightSnapshot.create(campaign=run, unit="sl_s7_1", impressions=66, clicks=24, urls="[]",
                               range_from=NOW.date() - dt.timedelta(days=5), range_to=NOW.date() + dt.timedelta(days=1),
                               fetched_at=NOW)
    solo = sent_campaign("春のセール", friends(50, first=200), NOW - dt.timedelta(days=4))
    _snapshot(solo, 30, 12, [("https://shop.example/sale", 20, 12)])
    page = _page(qtbot)
    tab = page.campaigns
    model = tab.proxy
    # not 66 of each run's 40, three times over; a campaign with a unit of its own keeps its figures
    assert [model.index(r, 3).data() for r in range(3)] == ["合算"] * 3 and model.index(3, 3).data() == "30"
    assert "合計" in model.index(0, 3).data(Qt.ItemDataRole.ToolTipRole)
    _click_row(qtbot, tab.table, 1)
    chosen = tab.selected()
    assert chosen is not None and chosen.shared is not None and chosen.shared.sent == 120
    assert "3回の配信（送信120人）の合計：開封66（55.0%）、クリック24（20.0%）" in tab.detail.shared_note.text()
    assert tab.detail.values["impressions"].text() == "合算" and tab.detail.chart.isHidden()
    tab.select("春のセール")  # a campaign with a unit of its own has its own figures and its chart back
    assert tab.detail.shared_note.isHidden() and not tab.detail.chart.isHidden()
    assert tab.detail.values["impressions"].text() == "30" and tab.detail.chart.values() == [12.0]
