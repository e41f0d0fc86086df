"""The segment builder's drags: real drag events with the palette's and canvas's MIME data, asserted on the tree."""

from __future__ import annotations

from PySide6.QtCore import QMimeData, QPoint
from segment_builder_fixtures import build, count_shown, drag, frame, palette_mime

from shopline.core.segments import And, Compare, HasTag, Not, Or, to_text
from shopline.ui.segment_builder import commands, mime
from shopline.ui.segment_builder.model import Group

pytest_plugins = ("ui_fixtures", "segment_builder_fixtures")


def test_palette_model_passes_qtmodeltester(qtmodeltester, page):
    qtmodeltester.check(page.tag_palette.model, force_py=True)


def test_palette_shows_conditions_fields_and_tags_by_folder_in_japanese(page):
    model = page.tag_palette.model
    headings = [model.item(r).text() for r in range(model.rowCount())]
    # built-ins, purchases, reactions, tags without a folder, each folder
    assert headings == ["条件", "購買", "反応", "タグ", "顧客"]
    assert [model.item(0).child(r).text() for r in range(model.item(0).rowCount())] == [
        "性別", "年齢", "誕生月", "地域", "友だち日数", "最終反応日数", "登録経路"]
    assert [model.item(2).child(r).text() for r in range(2)] == ["受信した配信", "リンクのクリック"]
    assert [model.item(4).child(r).text() for r in range(2)] == ["VIP", "休眠"]
    tag = palette_mime(page, "VIP")
    assert tag.hasFormat(mime.TAG) and bytes(tag.data(mime.TAG).data()).decode() == "VIP"
    assert palette_mime(page, "誕生月").hasFormat(mime.CONDITION)


def test_dragging_a_tag_into_the_canvas_makes_the_tree_text_and_count(qtbot, page):
    assert page.count.text() == "タグか条件を追加すると、該当する友だちの数が出ます"
    assert not page.show_button.isEnabled()
    build(page, "VIP")
    assert page.model.tree() == HasTag("VIP")  # a one-item group collapses to its item
    assert page.text_bar.edit.text() == "VIP"
    count_shown(qtbot, page, 3)  # friend 5 is blocked
    assert page.show_button.isEnabled()


def test_nested_segment_with_or_and_exclude(qtbot, page):
    build(page, "VIP", "休眠")
    root = page.model.root
    sleeping = root.items[1]
    frame(page, sleeping).negate.click()  # 除外
    assert page.model.tree() == And((HasTag("VIP"), Not(HasTag("休眠"))))
    count_shown(qtbot, page, 2)
    page.canvas.focus_item(root.items[0].id)
    page.canvas.push(commands.WrapInGroup(page.model, root.items[0]))
    inner = root.items[0]
    assert isinstance(inner, Group)
    build(page, "新規", into=inner)
    frame(page, inner).mode.click()  # いずれかを満たす
    assert frame(page, inner).mode.text() == "いずれかを満たす (OR)"
    assert frame(page, root).mode.text() == "すべて満たす (AND)"
    tree = And((Or((HasTag("VIP"), HasTag("新規"))), Not(HasTag("休眠"))))
    assert page.model.tree() == tree
    assert page.text_bar.edit.text() == "(VIP OR 新規) AND NOT 休眠" == to_text(tree)
    count_shown(qtbot, page, 3)  # friends 1, 3 and 6


def test_a_built_in_condition_is_edited_with_its_own_widgets(qtbot, page):
    build(page, "年齢")
    row = frame(page, page.model.root.items[0])
    assert page.model.tree() == Compare("age", ">=", 30)
    row.editors.value.setValue(44)  # friends born 1981..1986 are 39..44 now (or a year less)
    assert page.model.tree() == Compare("age", ">=", 44)
    row.editors.op.setCurrentIndex(row.editors.op.findData("<"))
    row.editors.op.activated.emit(row.editors.op.currentIndex())
    assert page.model.tree() == Compare("age", "<", 44)
    build(page, "性別")
    gender = frame(page, page.model.root.items[1]).editors.value
    assert [gender.itemText(i) for i in range(gender.count())] == ["女性", "男性", "その他", "未回答"]
    gender.setCurrentIndex(gender.findData("male"))
    gender.activated.emit(gender.currentIndex())
    assert page.text_bar.edit.text() == "age < 44 AND gender = male"
    assert page.stack.count() == 5  # every edit is one undo step


def test_birth_month_offers_this_and_next_month(page):
    build(page, "誕生月")
    month = frame(page, page.model.root.items[0]).editors.value
    assert [month.itemText(i) for i in range(3)] == ["今月", "来月", "1月"]
    assert page.model.tree() == Compare("birth_month", "=", "this")


def test_dragging_a_condition_between_groups_moves_it(qtbot, page):
    build(page, "VIP", "休眠", "新規")
    root = page.model.root
    page.canvas.push(commands.WrapInGroup(page.model, root.items[2]))
    group = root.items[2]
    vip = root.items[0]
    assert drag(frame(page, group), page.canvas.drag_mime(vip))  # what a drag of the row carries
    assert root.items[1] is group and group.items == [root.items[1].items[0], vip]
    assert page.model.tree() == And((HasTag("休眠"), And((HasTag("新規"), HasTag("VIP")))))
    assert page.text_bar.edit.text() == "休眠 AND (新規 AND VIP)"
    # back up to the top of the outer group: the drop lands above the first item
    assert drag(frame(page, root), page.canvas.drag_mime(vip), QPoint(20, 1))
    assert page.model.tree() == And((HasTag("VIP"), HasTag("休眠"), HasTag("新規")))


def test_dragging_a_group_into_another_nests_it_and_never_into_itself(qtbot, page):
    build(page, "VIP", "休眠")
    root = page.model.root
    page.canvas.push(commands.WrapInGroup(page.model, root.items[0]))
    page.canvas.push(commands.WrapInGroup(page.model, root.items[1]))
    first, second = root.items
    data = page.canvas.drag_mime(second)
    assert data.hasFormat(mime.GROUP)
    # Over itself the group refuses, and Qt hands the drag to the group around it: it stays where it is.
    assert not page.canvas.can_drop(second, data)
    drag(frame(page, second), data)
    assert root.items == [first, second] and page.stack.count() == 4
    assert drag(frame(page, first), data)
    assert root.items == [first] and first.items[1] is second
    assert page.model.tree() == And((HasTag("VIP"), HasTag("休眠")))  # one-item groups collapse
    assert not page.canvas.can_drop(second, page.canvas.drag_mime(first))  # a group into its own child
    page.stack.undo()
    assert root.items == [first, second]


def test_foreign_mime_data_is_refused(page):
    data = QMimeData()
    data.setText("VIP")
    assert not drag(frame(page, page.model.root), data)
    bad = QMimeData()
    bad.setData(mime.CONDITION, b"{not json")
    assert not drag(frame(page, page.model.root), bad)
    assert page.model.tree() is None


def test_undo_and_redo_follow_every_drop(qtbot, page):
    build(page, "VIP", "休眠")
    assert page.model.tree() == And((HasTag("VIP"), HasTag("休眠")))
    page.stack.undo()
    assert page.model.tree() == HasTag("VIP")
    assert page.text_bar.edit.text() == "VIP"
    count_shown(qtbot, page, 3)
    page.stack.undo()
    assert page.model.tree() is None and page.text_bar.edit.text() == ""
    page.stack.redo()
    page.stack.redo()
    assert page.text_bar.edit.text() == "VIP AND 休眠"
    count_shown(qtbot, page, 1)
