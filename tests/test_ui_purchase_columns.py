"""The friends table's 最終購入日 and 累計購入額 columns: read with the rows, sorted in SQL, refreshed on purchases.

The rows are written straight into the store, then scored as the import does (rfm.recompute) and the columns
read the per-friend totals that keeps."""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import QPoint, Qt

from shopline.core.changes import Changes
from shopline.purchases import rfm
from shopline.store import friends
from shopline.store.models import Friend, db
from shopline.store.purchase_models import Purchase
from shopline.ui import operations
from shopline.ui.change_bus import announce
from shopline.ui.friends_model import COLUMNS

pytest_plugins = ("ui_fixtures",)

LAST, SPENT = COLUMNS.index("last_purchase"), COLUMNS.index("spent")


def buy(friend_id: int, at: dt.datetime, amount: int | None, n: int = 0) -> None:
    Purchase.create(friend=friend_id, customer="x", at=at, item="" if amount is None else "品", amount=amount,
                    dedupe=f"{friend_id}-{at}-{n}".encode())


def shop(store) -> dict[str, int]:
    ids = {name: Friend.create(user_id=f"U{n:032x}", display_name=name).id
           for n, name in enumerate(("青木", "井上", "上田", "江藤"))}
    buy(ids["青木"], dt.datetime(2025, 3, 1, 10), 1200)
    buy(ids["青木"], dt.datetime(2025, 5, 2, 18), 800, n=1)
    buy(ids["井上"], dt.datetime(2025, 4, 9, 12), 15000)
    buy(ids["上田"], dt.datetime(2025, 6, 1, 9), None)  # a visit: a last date, nothing spent
    scored()
    return ids  # 江藤 never bought


def scored() -> None:
    with db.atomic():
        rfm.recompute()


def click_header(qtbot, table, column: int) -> None:
    table.scrollTo(table.model().index(0, column))
    header = table.horizontalHeader()
    x = header.sectionViewportPosition(column) + header.sectionSize(column) // 2
    qtbot.mouseClick(header.viewport(), Qt.MouseButton.LeftButton, pos=QPoint(x, header.height() // 2))


def test_rows_carry_last_purchase_and_total_spent(store):
    ids = shop(store)
    rows = friends.rows(list(ids.values()))
    assert rows[ids["青木"]].last_purchase == dt.datetime(2025, 5, 2, 18) and rows[ids["青木"]].spent == 2000
    assert (rows[ids["上田"]].last_purchase, rows[ids["上田"]].spent) == (dt.datetime(2025, 6, 1, 9), 0)
    assert (rows[ids["江藤"]].last_purchase, rows[ids["江藤"]].spent) == (None, None)
    assert friends.friend_ids(order="spent", descending=True) == [ids[n] for n in ("井上", "青木", "上田", "江藤")]
    assert friends.friend_ids(order="last_purchase") == [ids[n] for n in ("江藤", "井上", "青木", "上田")]


def test_the_friends_table_shows_and_sorts_by_purchases(qtbot, make_window, store):
    ids = shop(store)
    window = make_window()
    page = window.friends
    model, table = page.model, page.table
    assert (model.headerData(LAST, Qt.Orientation.Horizontal), model.headerData(SPENT, Qt.Orientation.Horizontal)) \
        == ("最終購入日", "累計購入額")
    click_header(qtbot, table, SPENT)
    qtbot.waitUntil(lambda: model._order == "spent", timeout=5_000)
    if not model._descending:  # the header's first click on a column may sort either way: click again
        with qtbot.waitSignal(model.loaded, timeout=5_000):
            click_header(qtbot, table, SPENT)
    by_spent = [ids[n] for n in ("井上", "青木", "上田", "江藤")]
    qtbot.waitUntil(lambda: [model.friend_id(r) for r in range(4)] == by_spent, timeout=5_000)
    shown = [(model.data(model.index(r, LAST)), model.data(model.index(r, SPENT))) for r in range(4)]
    assert shown == [("2025-04-09", "¥15,000"), ("2025-05-02", "¥2,000"), ("2025-06-01", "¥0"), ("", "")]
    buy(ids["江藤"], dt.datetime(2025, 7, 7, 7), 99999)  # as an import would, then its announcement
    scored()
    with qtbot.waitSignal(model.loaded, timeout=5_000):
        announce(Changes(purchases=True))
    assert model.friend_id(0) == ids["江藤"]
    assert model.data(model.index(0, SPENT)) == "¥99,999"
    assert operations.wait_idle(5_000)
