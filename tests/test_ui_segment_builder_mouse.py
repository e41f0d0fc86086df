"""The segment builder by mouse: every drag starts from a press and a move on the widget a person presses.

QDrag.exec is caught (tests/qt_drag.py MouseDrag) only to let go of the drag where the test says:
the press, the move past the drag distance and the QDrag are the app's own. Asserted on the tree.
"""

from __future__ import annotations

import pytest
from PySide6.QtCore import QPoint, Qt
from qt_drag import MouseDrag

from shopline.core.segments import And, Compare, HasTag, Or, to_text
from shopline.ui.segment_builder import commands
from shopline.ui.segment_builder.model import Group

pytest.register_assert_rewrite("segment_builder_fixtures")  # before the import below: its helpers assert
from segment_builder_fixtures import build, count_shown, frame  # noqa: E402

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
    model, view = page.palette.model, page.palette.view
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
