"""The text bar takes the built-ins by the names the palette shows, and keeps the shop owner's words."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from segment_builder_fixtures import build, count_shown

from shopline.core.segments import And, Compare, HasTag
from shopline.store.models import Field
from shopline.ui.segment_builder.palette import load_palette

pytest_plugins = ("ui_fixtures", "segment_builder_fixtures")


def type_and_enter(qtbot, page, text: str) -> None:
    edit = page.text_bar.edit
    edit.setFocus()
    edit.selectAll()
    edit.insert(text)  # what an IME commits; QTest types ASCII only
    QTest.keyClick(edit, Qt.Key.Key_Return)


def test_palette_names_are_accepted_and_stay_as_typed(qtbot, page):
    type_and_enter(qtbot, page, "性別 = 女性")
    qtbot.waitUntil(lambda: page.model.tree() == Compare("gender", "=", "female"), timeout=5_000)
    assert not page.text_bar.is_invalid()
    assert page.text_bar.edit.text() == "性別 = 女性"
    build(page, "VIP")  # a change on the canvas rewrites the text from the tree
    assert page.model.tree() == And((Compare("gender", "=", "female"), HasTag("VIP")))
    assert page.text_bar.edit.text() == "性別 = 女性 AND VIP"
    count_shown(qtbot, page, 2)  # friends 1 and 3


def test_respelling_the_same_condition_is_kept(qtbot, page):
    type_and_enter(qtbot, page, "gender = female")
    qtbot.waitUntil(lambda: page.model.tree() == Compare("gender", "=", "female"), timeout=5_000)
    with qtbot.waitSignal(page.model.changed, timeout=5_000):
        type_and_enter(qtbot, page, "性別 = 女性")  # the same tree in other words: still an edit
    build(page, "VIP")
    assert page.text_bar.edit.text() == "性別 = 女性 AND VIP"


def test_palette_leaves_out_a_custom_field_a_built_in_shadows(shop):
    for name in ("年齢", "age", "来店回数"):
        Field.create(name=name, kind="number")
    _tags, fields = load_palette()
    assert [name for name, _kind, _value in fields] == ["来店回数"]
