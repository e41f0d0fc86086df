"""The segment builder by mouse: every drag starts from a press and a move on the widget a person presses.

QDrag.exec is caught (tests/qt_drag.py MouseDrag) only to let go of the drag where the test says:
the press, the move past the drag distance and the QDrag are the app's own. Asserted on the tree.
"""

from __future__ import annotations

import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QAbstractButton, QApplication, QLabel
from qt_drag import MouseDrag
from segment_builder_fixtures import build, count_shown, frame

from shopline.core.segments import And, Compare, HasTag, Not, Or, to_text
from shopline.ui.segment_builder import commands
from shopline.ui.segment_builder.field_labels import field_label
from shopline.ui.segment_builder.model import Group

pytest_plugins = ("ui_fixtures", "segment_builder_fixtures")
LEFT = Qt.MouseButton.LeftButton


@pytest.fixture
def mouse(monkeypatch) -> MouseDrag:
    return MouseDrag().install(monkeypatch)


def text(page) -> str:
    tree = page.model.tree()
    return to_text(tree) if tree is not None else ""


def bottom_of(widget) -> QPoint:
    """The empty strip at the foot of a group: a drop there goes after its last item."""
    return QPoint(widget.width() // 2, widget.height() - 3)


def test_a_condition_dragged_by_its_label_moves_into_another_group(page, mouse):
    build(page, "VIP", "休眠", "新規")
    root = page.model.root
    vip, sleeping, new = root.items
    page.canvas.push(commands.WrapInGroup(page.model, new))
    group = root.items[2]
    assert mouse.run(frame(page, vip).chip, frame(page, group), bottom_of(frame(page, group)))
    assert mouse.started == 1
    assert isinstance(group, Group) and group.items == [new, vip]
    assert text(page) == "休眠 AND (新規 AND VIP)"


def test_dropping_a_condition_onto_another_makes_an_or_group_of_the_two(qtbot, page, mouse):
    build(page, "VIP", "休眠", "新規")
    vip, sleeping, new = page.model.root.items
    assert mouse.run(frame(page, new).label, frame(page, vip).chip)
    assert page.model.tree() == And((Or((HasTag("VIP"), HasTag("新規"))), HasTag("休眠")))
    assert text(page) == "(VIP OR 新規) AND 休眠"
    count_shown(qtbot, page, 1)  # friend 2 has VIP and 休眠; no 新規 friend has 休眠
    page.stack.undo()  # one gesture, one undo step
    assert page.model.root.items == [vip, sleeping, new]


def palette_item(page, name: str):
    """The palette's viewport and the middle of the row showing name: where a person presses."""
    model, view = page.tag_palette.model, page.tag_palette.view
    found = model.match(model.index(0, 0), Qt.ItemDataRole.DisplayRole, name, 1,
                        Qt.MatchFlag.MatchRecursive | Qt.MatchFlag.MatchExactly)
    assert found, f"{name} is not in the palette"
    view.scrollTo(found[0])
    return view.viewport(), view.visualRect(found[0]).center()


def test_from_the_palette_into_a_group_and_onto_a_condition(page, mouse):
    viewport, at = palette_item(page, "VIP")
    root_frame = frame(page, page.model.root)
    assert mouse.run(viewport, root_frame, bottom_of(root_frame), start=at)
    assert text(page) == "VIP"
    viewport, at = palette_item(page, "新規")
    assert mouse.run(viewport, frame(page, page.model.root.items[0]).chip, start=at)  # onto VIP
    assert text(page) == "VIP OR 新規"
    inner = page.model.root.items[0]
    assert isinstance(inner, Group) and inner.mode == "any"
    viewport, at = palette_item(page, "休眠")
    root_frame = frame(page, page.model.root)
    assert mouse.run(viewport, root_frame, bottom_of(root_frame), start=at)
    assert text(page) == "(VIP OR 新規) AND 休眠"
    viewport, at = palette_item(page, "性別")
    inner_frame = frame(page, inner)
    assert mouse.run(viewport, inner_frame, bottom_of(inner_frame), start=at)  # into the inner group
    assert text(page) == "(VIP OR 新規 OR gender = female) AND 休眠"
    assert mouse.started == 4


def test_reorder_by_dropping_on_the_top_or_bottom_edge_of_a_condition(page, mouse):
    build(page, "VIP", "休眠", "新規")
    vip, sleeping, new = page.model.root.items
    vip_row = frame(page, vip)
    assert mouse.run(frame(page, new).label, vip_row, QPoint(vip_row.width() // 2, 1))  # the top edge of VIP
    assert text(page) == "新規 AND VIP AND 休眠"
    new_row = frame(page, new)
    assert mouse.run(frame(page, new).chip, new_row.parentWidget(), bottom_of(new_row.parentWidget()))
    assert text(page) == "VIP AND 休眠 AND 新規"
    sleeping_row = frame(page, sleeping)
    assert mouse.run(frame(page, vip).label, sleeping_row, QPoint(20, sleeping_row.height() - 1))  # bottom edge
    assert text(page) == "休眠 AND VIP AND 新規"


def test_a_group_dragged_by_its_handle_nests_in_another_group_and_never_in_itself(page, mouse):
    build(page, "VIP", "休眠", "新規", "性別")
    vip, sleeping, new, gender = page.model.root.items
    assert mouse.run(frame(page, sleeping).label, frame(page, vip).chip)
    assert mouse.run(frame(page, gender).label, frame(page, new).chip)
    first, second = page.model.root.items
    assert text(page) == "(VIP OR 休眠) AND (新規 OR gender = female)"
    # a group over a condition inside itself: the row refuses, Qt offers the drop to the groups around it,
    # and the group stays where it is
    steps = page.stack.count()
    mouse.run(frame(page, first).handle, frame(page, sleeping).chip)
    assert mouse.mime is not None and page.model.root.items == [first, second] and first.items == [vip, sleeping]
    assert page.stack.count() == steps
    assert mouse.run(frame(page, second).handle, frame(page, first), bottom_of(frame(page, first)))
    assert page.model.root.items == [first] and first.items == [vip, sleeping, second]
    gender_or_new = Or((HasTag("新規"), Compare("gender", "=", "female")))
    assert page.model.tree() == Or((HasTag("VIP"), HasTag("休眠"), gender_or_new))
    page.stack.undo()
    assert page.model.root.items == [first, second]


def test_remove_by_dragging_back_to_the_palette_or_by_the_button(page, mouse):
    build(page, "VIP", "休眠", "新規")
    vip, sleeping, new = page.model.root.items
    viewport, at = palette_item(page, "性別")
    assert mouse.run(frame(page, sleeping).label, viewport, at)
    assert text(page) == "VIP AND 新規"
    QTest.mouseClick(frame(page, new).remove, LEFT)
    assert text(page) == "VIP"
    page.stack.undo()
    page.stack.undo()
    assert page.model.root.items == [vip, sleeping, new]
    # what the palette itself sends is no canvas item: dropped back on the palette, nothing happens
    viewport, at = palette_item(page, "VIP")
    assert not mouse.run(viewport, viewport, palette_item(page, "休眠")[1], start=at)
    assert page.model.root.items == [vip, sleeping, new]


def test_and_or_and_exclude_by_clicking(page, mouse):
    build(page, "VIP", "休眠", "新規")
    vip, sleeping, new = page.model.root.items
    QTest.mouseClick(frame(page, page.model.root).mode, LEFT)
    assert text(page) == "VIP OR 休眠 OR 新規"
    assert frame(page, page.model.root).mode.text() == "いずれかを満たす (OR)"
    negate = frame(page, sleeping).negate
    QTest.mouseClick(negate, LEFT, pos=QPoint(8, negate.height() // 2))
    assert page.model.tree() == Or((HasTag("VIP"), Not(HasTag("休眠")), HasTag("新規")))


def test_a_click_on_a_condition_selects_it_not_its_group(qtbot, page):
    build(page, "VIP", "休眠", "新規")
    vip, sleeping, new = page.model.root.items
    page.activateWindow()
    QTest.mouseClick(frame(page, sleeping).chip, LEFT)
    qtbot.waitUntil(lambda: QApplication.focusWidget() is frame(page, sleeping), timeout=2_000)
    assert page.canvas.current_id == sleeping.id
    qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Delete)
    assert text(page) == "VIP AND 新規"


def test_the_page_and_its_items_say_how_to_drag_and_which_keys_do_what(page):
    build(page, "VIP", "休眠")
    assert page.help.text() == ("ドラッグでグループへ移動・条件の上に落とすとグループ化・左の一覧へ戻すと削除・"
                                "Ctrl+G でグループ化・Delete で削除")
    assert page.help.isVisible()
    row_tip = frame(page, page.model.root.items[0]).toolTip()
    assert "Ctrl+G" in row_tip and "ドラッグ" in row_tip and "Delete" in row_tip
    page.canvas.push(commands.WrapInGroup(page.model, page.model.root.items[0]))
    group_tip = frame(page, page.model.root.items[0]).toolTip()
    assert "Ctrl+O" in group_tip and "ドラッグ" in group_tip
    assert frame(page, page.model.root.items[0]).handle.isVisible()
    assert not frame(page, page.model.root).handle.isVisible()  # the outermost group never moves


def test_undo_and_redo_buttons_keep_their_label_and_width(page):
    undo, redo = page.undo_button, page.redo_button
    assert (undo.text(), redo.text()) == ("元に戻す", "やり直す")
    assert not undo.isEnabled() and not redo.isEnabled()
    widths = (undo.sizeHint().width(), redo.sizeHint().width())
    build(page, "VIP")
    page.stack.push(commands.ReplaceTree(page.model, Group(items=[])))  # what opening a segment pushes
    assert undo.text() == "元に戻す" and undo.isEnabled()
    assert undo.toolTip() == "元に戻す: セグメントを開く (Ctrl+Z)"
    QTest.mouseClick(undo, LEFT)
    assert text(page) == "VIP"
    assert redo.text() == "やり直す" and redo.toolTip() == "やり直す: セグメントを開く (Ctrl+Shift+Z)"
    assert undo.toolTip() == "元に戻す: 条件を追加 (Ctrl+Z)"
    assert (undo.sizeHint().width(), redo.sizeHint().width()) == widths


def test_english_palette_names_start_with_a_capital(qtbot, shop, language):
    from shopline.ui.segment_builder.page import SegmentBuilderPage

    language("en")
    page = SegmentBuilderPage()
    qtbot.addWidget(page)
    model = page.tag_palette.model
    assert [model.item(0).child(r).text() for r in range(model.item(0).rowCount())] == [
        "Gender", "Age", "Birth month", "Region", "Friend days", "Days since last reaction", "Source"]
    build(page, "Birth month")
    assert frame(page, page.model.root.items[0]).label.text() == "Birth month"
    assert page.text_bar.edit.text() == "birth_month = this"  # the text form keeps its own names
    assert page.undo_button.text() == "Undo"


@pytest.mark.parametrize("lang", ["ja", "en"])
def test_the_page_fits_a_small_window_without_clipping(qtbot, make_window, shop, lang):
    window = make_window(lang)
    window.resize(1024, 700)
    window.nav.setCurrentRow(window.pages.indexOf(window.segments))
    page = window.segments
    qtbot.waitUntil(lambda: page.tag_palette.model.rowCount() == 5, timeout=5_000)  # with 購買 and 反応
    built_ins = [field_label(name) for name in ("age", "gender", "birth_month", "region", "friend_days")]
    build(page, "VIP", "休眠", *built_ins)
    root = page.model.root
    page.canvas.push(commands.GroupWith(page.model, root.items[0], root.items[1], new=False))
    page.canvas.push(commands.GroupWith(page.model, root.items[1], root.items[2], new=False))
    page.canvas.push(commands.MoveItem(page.model, root.items[1], root.items[0], 2))  # three levels deep
    qtbot.waitUntil(lambda: page.canvas.widget().isVisible(), timeout=2_000)
    QApplication.processEvents()
    assert page.canvas.widget().minimumSizeHint().width() <= page.canvas.viewport().width()
    assert not page.canvas.horizontalScrollBar().isVisible()
    clipped = [(type(w).__name__, w.text(), w.width(), w.sizeHint().width())
               for w in page.findChildren(QLabel) + page.findChildren(QAbstractButton)
               if w.isVisibleTo(page) and not (isinstance(w, QLabel) and w.wordWrap())
               and w.width() < w.sizeHint().width()]
    assert clipped == []
    assert page.help.heightForWidth(page.help.width()) <= page.help.height()  # the help line shows in full
    assert page.width() >= page.minimumSizeHint().width()
