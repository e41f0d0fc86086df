"""Purchases in the window: the friend detail's timeline, and the palette's 購買 conditions counting."""

from __future__ import annotations

import datetime as dt

import pytest
from PySide6.QtCore import Qt
from segment_builder_fixtures import build, count_shown, page, shop  # noqa: F401 - fixtures

from shopline.core.segments import Compare
from shopline.store.models import Friend
from shopline.store.purchase_models import Purchase, PurchaseRfm
from shopline.store.shop_clock import shop_today
from shopline.ui import operations

pytest_plugins = ("ui_fixtures",)


@pytest.fixture
def plain_demo_shop(demo_shop):
    """The demo shop without the purchases it comes with: these tests count the ones they add."""
    Purchase.delete().execute()
    PurchaseRfm.delete().execute()
    return demo_shop


def buy(friend_id: int, days_ago: int, item: str = "", amount: int | None = None, n: int = 0) -> None:
    at = dt.datetime.combine(shop_today() - dt.timedelta(days=days_ago), dt.time(12, n))
    Purchase.create(friend=friend_id, customer="x", at=at, item=item, amount=amount,
                    dedupe=f"{friend_id}-{days_ago}-{item}-{n}".encode())


def test_clicking_a_friend_shows_their_purchases_newest_first_with_totals(qtbot, make_window, plain_demo_shop):
    window = make_window()
    friends = window.friends
    qtbot.waitUntil(lambda: friends.model.rowCount() > 2, timeout=5_000)
    friend_id = friends.model.friend_id(1)
    buy(friend_id, 40, "あんぱん", 200)
    buy(friend_id, 3, "食パン", 1200, n=1)
    buy(friend_id, 1, n=2)  # a visit
    timeline = friends.detail.purchases
    point = friends.table.visualRect(friends.model.index(1, 1)).center()
    qtbot.mouseClick(friends.table.viewport(), Qt.MouseButton.LeftButton, pos=point)
    qtbot.waitUntil(lambda: timeline.friend_id == friend_id and timeline.table.rowCount() == 3, timeout=5_000)
    shown = [[timeline.table.item(r, c).text() for c in range(3)] for r in range(3)]
    assert [row[1:] for row in shown] == [["来店", ""], ["食パン", "¥1,200"], ["あんぱん", "¥200"]]
    assert shown[0][0].startswith((shop_today() - dt.timedelta(days=1)).isoformat())
    assert timeline.summary.text().startswith("3件、合計 ¥1,400")
    other = friends.model.friend_id(0)
    qtbot.mouseClick(friends.table.viewport(), Qt.MouseButton.LeftButton,
                     pos=friends.table.visualRect(friends.model.index(0, 1)).center())
    qtbot.waitUntil(lambda: timeline.friend_id == other and timeline.table.rowCount() == 0, timeout=5_000)
    assert timeline.summary.text() == "購入・来店はまだありません。"
    assert operations.wait_idle(5_000)


def test_a_purchase_condition_from_the_palette_counts_recent_buyers(qtbot, page):  # noqa: F811
    ids = {f.user_id: f.id for f in Friend.select()}
    buy(ids[f"U{1:032x}"], 10)
    buy(ids[f"U{2:032x}"], 89)
    buy(ids[f"U{3:032x}"], 91)
    buy(ids[f"U{5:032x}"], 1)  # blocked: never counted
    build(page, "購入回数")
    assert page.model.tree() == Compare("purchases", ">=", 1, args=(("days", 90),))
    assert page.text_bar.edit.text() == "purchases(days=90) >= 1"
    count_shown(qtbot, page, 2)


def test_importing_from_the_purchases_page_fills_the_rfm_chart(qtbot, store, tmp_path, monkeypatch):
    import csv

    from PySide6.QtWidgets import QFileDialog

    from shopline.core.rfm import GROUPS
    from shopline.purchases.rfm import group_counts
    from shopline.ui.purchases.page import PurchasesPage

    users = [Friend.create(user_id=f"U{n:032x}").user_id for n in range(12)]
    path = tmp_path / "pos.csv"
    with open(path, "w", encoding="cp932", newline="") as f:
        out = csv.writer(f)
        out.writerow(["注文日", "ユーザーID", "金額"])
        for n, user in enumerate(users):
            for k in range(n % 4 + 1):
                out.writerow([f"2025/{1 + n % 12}/{1 + k}", user, str(100 * (n + 1))])
    rfm_page = PurchasesPage()
    qtbot.addWidget(rfm_page)
    rfm_page.show()
    qtbot.waitUntil(lambda: rfm_page.counts == dict.fromkeys(GROUPS, 0), timeout=5_000)
    monkeypatch.setattr(QFileDialog, "getOpenFileName", lambda *a, **k: (str(path), ""))
    qtbot.mouseClick(rfm_page.import_button, Qt.MouseButton.LeftButton)
    dialog = rfm_page.dialog
    qtbot.waitUntil(dialog.import_button.isEnabled, timeout=10_000)  # previewed: every field found by its alias
    qtbot.mouseClick(dialog.import_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: "追加しました" in rfm_page.report.text(), timeout=10_000)
    qtbot.mouseClick(dialog.close_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: sum(rfm_page.counts.values()) == 12, timeout=5_000)
    expected = group_counts()
    assert rfm_page.counts == expected
    assert [rfm_page.bars.at(i) for i in range(rfm_page.bars.count())] == [float(n) for n in expected.values()]
    assert operations.wait_idle(5_000)


def test_the_shown_friends_timeline_and_totals_follow_an_import(qtbot, make_window, plain_demo_shop, tmp_path):
    import csv

    from shopline.core.changes import Changes
    from shopline.purchases.importer import import_purchases
    from shopline.ui.change_bus import announce

    window = make_window()
    friends = window.friends
    qtbot.waitUntil(lambda: friends.model.rowCount() > 2, timeout=5_000)
    qtbot.mouseClick(friends.table.viewport(), Qt.MouseButton.LeftButton,
                     pos=friends.table.visualRect(friends.model.index(2, 1)).center())
    friend_id = friends.model.friend_id(2)
    timeline = friends.detail.purchases
    qtbot.waitUntil(lambda: timeline.friend_id == friend_id and "まだ" in timeline.summary.text(), timeout=5_000)
    path = tmp_path / "pos.csv"
    with open(path, "w", encoding="cp932", newline="") as f:
        csv.writer(f).writerows([["注文日", "ユーザーID", "商品名", "金額"],
                                 ["2025/06/01", Friend.get_by_id(friend_id).user_id, "食パン", "1,500"],
                                 ["2025/06/09", Friend.get_by_id(friend_id).user_id, "あんぱん", "300"]])
    announce(import_purchases(path).changes)  # what the import dialog's operation announces
    qtbot.waitUntil(lambda: timeline.table.rowCount() == 2, timeout=5_000)
    assert timeline.summary.text().startswith("2件、合計 ¥1,800")
    assert [timeline.table.item(r, 1).text() for r in range(2)] == ["あんぱん", "食パン"]
    assert Changes(purchases=True).touches(import_purchases(path).changes) is False  # a second time adds nothing
    assert operations.wait_idle(5_000)


def test_a_memo_being_typed_stays_while_the_timeline_follows_an_import(qtbot, make_window, plain_demo_shop, tmp_path):
    import csv

    from shopline.purchases.importer import import_purchases
    from shopline.ui.change_bus import announce

    window = make_window()
    friends = window.friends
    qtbot.waitUntil(lambda: friends.model.rowCount() > 2, timeout=5_000)
    with qtbot.waitSignal(friends.detail.shown, timeout=5_000):
        qtbot.mouseClick(friends.table.viewport(), Qt.MouseButton.LeftButton,
                         pos=friends.table.visualRect(friends.model.index(2, 1)).center())
    friend_id = friends.model.friend_id(2)
    timeline = friends.detail.purchases
    qtbot.waitUntil(lambda: timeline.friend_id == friend_id and "まだ" in timeline.summary.text(), timeout=5_000)
    memo = friends.detail.editors["memo"]
    memo.setPlainText("電話で予約済み")  # not saved yet when the import lands
    path = tmp_path / "pos.csv"
    with open(path, "w", encoding="cp932", newline="") as f:
        csv.writer(f).writerows([["注文日", "ユーザーID", "商品名", "金額"],
                                 ["2025/06/01", Friend.get_by_id(friend_id).user_id, "食パン", "1,500"]])
    announce(import_purchases(path).changes)
    qtbot.waitUntil(lambda: timeline.table.rowCount() == 1, timeout=5_000)
    assert memo.toPlainText() == "電話で予約済み" and friends.detail.save_button.isEnabled()
    assert friends.detail.friend_id() == friend_id
    assert operations.wait_idle(5_000)


def test_the_rfm_chart_counts_again_only_when_it_is_on_screen(qtbot, store, tmp_path):
    import csv

    from shopline.core.rfm import GROUPS
    from shopline.purchases.importer import import_purchases
    from shopline.ui.change_bus import announce
    from shopline.ui.purchases.page import PurchasesPage

    users = [Friend.create(user_id=f"U{n:032x}").user_id for n in range(5)]
    rfm_page = PurchasesPage()
    qtbot.addWidget(rfm_page)
    qtbot.waitUntil(lambda: rfm_page.counts == dict.fromkeys(GROUPS, 0), timeout=5_000)
    path = tmp_path / "pos.csv"
    with open(path, "w", encoding="utf-8-sig", newline="") as f:
        csv.writer(f).writerows([["注文日", "ユーザーID", "金額"], *[["2025/06/01", u, "500"] for u in users]])
    announce(import_purchases(path).changes)  # while another page is shown
    assert operations.wait_idle(5_000)
    assert sum(rfm_page.counts.values()) == 0  # nothing counted for a page nobody sees
    rfm_page.show()
    qtbot.waitUntil(lambda: sum(rfm_page.counts.values()) == 5, timeout=5_000)
    assert operations.wait_idle(5_000)
