"""The builder's 購買 conditions edited with their own widgets: days, item, the date field, the RFM group."""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import Qt
from PySide6.QtGui import QInputMethodEvent
from PySide6.QtWidgets import QApplication, QComboBox
from segment_builder_fixtures import build, count_shown, frame, page, shop  # noqa: F401 - fixtures

from shopline.core.segments import Compare, parse
from shopline.store.models import Field, FieldValue, Friend
from shopline.store.purchase_models import Purchase
from shopline.store.shop_clock import shop_today

pytest_plugins = ("ui_fixtures",)


def buy(friend_id: int, days_ago: int, item: str, amount: int) -> None:
    at = dt.datetime.combine(shop_today() - dt.timedelta(days=days_ago), dt.time(12))
    Purchase.create(friend=friend_id, customer="x", at=at, item=item, amount=amount,
                    dedupe=f"{friend_id}-{days_ago}-{item}".encode())


def type_days(qtbot, spin, digits: str) -> None:
    qtbot.mouseClick(spin, Qt.MouseButton.LeftButton)
    qtbot.keyClick(spin, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
    qtbot.keyClicks(spin, digits)
    qtbot.keyClick(spin, Qt.Key.Key_Return)


def type_kana(qtbot, edit, text: str) -> None:
    qtbot.mouseClick(edit, Qt.MouseButton.LeftButton)
    event = QInputMethodEvent()  # Japanese arrives as the input method's committed text
    event.setCommitString(text)
    QApplication.sendEvent(edit, event)
    qtbot.keyClick(edit, Qt.Key.Key_Return)


def pick(qtbot, combo: QComboBox, text: str) -> None:
    """Open the drop-down with a click, walk down to the entry showing text and press Enter."""
    wanted = combo.findText(text)
    assert wanted >= 0, f"{text} is not offered"
    qtbot.mouseClick(combo, Qt.MouseButton.LeftButton)
    view = combo.view()
    qtbot.waitUntil(view.isVisible, timeout=2_000)
    for _ in range(wanted - combo.currentIndex()):
        qtbot.keyClick(view, Qt.Key.Key_Down)
    qtbot.keyClick(view, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: not view.isVisible(), timeout=2_000)


def shown(page) -> str:  # noqa: F811
    text = page.text_bar.edit.text()
    assert parse(text) == page.model.tree()  # the text form says exactly what the canvas holds
    return text


def test_purchases_days_and_item_are_edited_in_the_row(qtbot, page):  # noqa: F811
    ids = {f.user_id: f.id for f in Friend.select()}
    buy(ids[f"U{1:032x}"], 10, "あんぱん", 200)
    buy(ids[f"U{2:032x}"], 40, "食パン", 1200)
    buy(ids[f"U{3:032x}"], 100, "あんぱん", 500)
    buy(ids[f"U{4:032x}"], 20, "食パン", 300)
    build(page, "購入回数")
    args = frame(page, page.model.root.items[0]).editors.args
    assert args.days.text() == "直近 90日" and args.item.placeholderText() == "すべての商品"
    count_shown(qtbot, page, 3)
    type_days(qtbot, args.days, "30")
    assert shown(page) == "purchases(days=30) >= 1"
    count_shown(qtbot, page, 2)
    type_kana(qtbot, args.item, "あんぱん")
    assert page.model.tree() == Compare("purchases", ">=", 1, args=(("item", "あんぱん"), ("days", 30)))
    assert shown(page) == 'purchases(item=あんぱん, days=30) >= 1'
    count_shown(qtbot, page, 1)
    type_days(qtbot, args.days, "0")
    assert args.days.text() == "全期間"
    assert shown(page) == 'purchases(item=あんぱん) >= 1'
    count_shown(qtbot, page, 2)
    page.stack.undo()  # the widgets follow the model back
    assert args.days.value() == 30 and args.item.text() == "あんぱん"
    count_shown(qtbot, page, 1)


def test_spent_days_are_edited_in_the_row(qtbot, page):  # noqa: F811
    ids = {f.user_id: f.id for f in Friend.select()}
    buy(ids[f"U{4:032x}"], 20, "ギフト", 20000)
    buy(ids[f"U{1:032x}"], 400, "ギフト", 30000)
    build(page, "購入金額")
    args = frame(page, page.model.root.items[0]).editors.args
    assert args.item is None and args.field is None
    assert shown(page) == "spent(days=365) >= 10000"
    count_shown(qtbot, page, 1)
    type_days(qtbot, args.days, "15")
    assert shown(page) == "spent(days=15) >= 10000"
    count_shown(qtbot, page, 0)
    type_days(qtbot, args.days, "0")
    assert shown(page) == "spent >= 10000"
    count_shown(qtbot, page, 2)


def test_days_since_offers_the_date_fields_and_rfm_group_its_five_groups(qtbot, shop, language):  # noqa: F811
    from shopline.ui import operations
    from shopline.ui.segment_builder.page import SegmentBuilderPage

    visit = Field.create(name="最終来店日", kind="date")
    Field.create(name="会員番号", kind="text")  # not a date: not offered
    ids = {f.user_id: f.id for f in Friend.select()}
    for user, days_ago in ((1, 100), (2, 10), (3, 200)):
        day = shop_today() - dt.timedelta(days=days_ago)
        FieldValue.create(friend=ids[f"U{user:032x}"], field=visit, text_value=day.isoformat())
    language("ja")
    builder = SegmentBuilderPage()
    qtbot.addWidget(builder)
    builder.resize(1000, 700)
    with qtbot.waitSignal(builder.tag_palette.loaded, timeout=10_000):
        builder.show()
    build(builder, "経過日数")
    args = frame(builder, builder.model.root.items[0]).editors.args
    qtbot.waitUntil(lambda: args.field.count() == 2, timeout=5_000)
    assert [args.field.itemText(i) for i in range(2)] == ["友だち追加日", "最終来店日"]
    assert shown(builder) == "days_since(followed_at) >= 90"
    pick(qtbot, args.field, "最終来店日")
    assert shown(builder) == "days_since(最終来店日) >= 90"
    count_shown(qtbot, builder, 2)  # friends 1 and 3
    build(builder, "RFMグループ")
    group = frame(builder, builder.model.root.items[1]).editors.value
    assert [group.itemText(i) for i in range(group.count())] == ["優良", "安定", "新規", "休眠予備軍", "休眠"]
    pick(qtbot, group, "休眠")
    assert shown(builder) == "days_since(最終来店日) >= 90 AND rfm_group = dormant"
    count_shown(qtbot, builder, 0)
    assert operations.wait_idle(10_000)


def test_the_item_box_offers_the_shops_items_as_it_is_typed(qtbot, page):  # noqa: F811
    ids = {f.user_id: f.id for f in Friend.select()}
    buy(ids[f"U{1:032x}"], 10, "あんぱん", 200)
    buy(ids[f"U{2:032x}"], 40, "食パン", 1200)
    buy(ids[f"U{4:032x}"], 20, "食パン", 300)
    buy(ids[f"U{3:032x}"], 5, "クロワッサン", 300)
    build(page, "購入回数")
    args = frame(page, page.model.root.items[0]).editors.args
    qtbot.waitUntil(lambda: args.item.completer() is not None, timeout=5_000)
    assert args.item.completer().model().stringList()[0] == "食パン"  # the most bought first
    qtbot.mouseClick(args.item, Qt.MouseButton.LeftButton)
    event = QInputMethodEvent()
    event.setCommitString("パン")  # katakana: 食パン contains it, あんぱん does not
    QApplication.sendEvent(args.item, event)
    popup = args.item.completer().popup()
    qtbot.waitUntil(popup.isVisible, timeout=2_000)
    assert popup.model().rowCount() == 1
    qtbot.keyClick(popup, Qt.Key.Key_Down)
    qtbot.keyClick(popup, Qt.Key.Key_Return)
    assert shown(page) == "purchases(item=食パン, days=90) >= 1"
    count_shown(qtbot, page, 2)
