"""The friends page's tag panel: long names elided in the middle with the whole name in a tooltip,
and counts that say the following friends a segment counts beside all the friends with the tag."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QEvent, Qt
from PySide6.QtGui import QHelpEvent
from PySide6.QtWidgets import QApplication, QToolTip

from shopline.core.segments import HasTag
from shopline.store import tags as tag_store
from shopline.store.models import Friend
from shopline.store.segment_sql import count
from shopline.ui import operations
from shopline.ui.segment_builder.palette import PaletteModel, load_palette
from shopline.ui.tag_list import TagList

pytest_plugins = ("ui_fixtures",)

SHIBUYA = "キャンペーン_2024年1月_新春セール_渋谷店限定"
SHINJUKU = "キャンペーン_2024年1月_新春セール_新宿店限定"


@pytest.fixture
def panel(qtbot, store, language):
    language("ja")
    ids = [Friend.create(user_id=f"U{i:032x}", status="following" if i < 12 else ("blocked", "unfollowed")[i % 2]).id
           for i in range(31)]
    for name, members in (("VIP", ids), (SHIBUYA, ids[:3]), (SHINJUKU, ids[3:5])):
        tag_store.tag_friends(members, tag_store.create_tag(name).id)
    panel = TagList(all_friends_row=True)
    qtbot.addWidget(panel)
    panel.resize(190, 300)  # as narrow as the friends page's splitter leaves it
    with qtbot.waitSignal(panel.loaded, timeout=5_000):
        panel.show()
        panel.reload()
    qtbot.waitExposed(panel)
    yield panel
    assert operations.wait_idle(5_000)


def test_long_names_are_elided_in_the_middle(panel):
    view = panel.view
    shown = {name: view.elide.shown_text(view, panel.index_of(name)) for name in (SHIBUYA, SHINJUKU)}
    for name, text in shown.items():
        assert text != name and "…" in text
        assert text.endswith(name[-3:])  # the end is where two campaign tags differ
    assert shown[SHIBUYA] != shown[SHINJUKU]
    assert view.elide.shown_text(view, panel.index_of("VIP")) == "VIP"


def test_hovering_a_long_name_shows_all_of_it(qtbot, panel):
    viewport = panel.view.viewport()
    at = panel.view.visualRect(panel.index_of(SHINJUKU)).center()
    QApplication.sendEvent(viewport, QHelpEvent(QEvent.Type.ToolTip, at, viewport.mapToGlobal(at)))
    qtbot.waitUntil(QToolTip.isVisible, timeout=2_000)
    assert QToolTip.text() == SHINJUKU
    QToolTip.hideText()


def test_counts_say_following_then_all(panel):
    vip = panel.index_of("VIP").siblingAtColumn(1)
    assert count(HasTag("VIP")) == 12
    assert vip.data() == "12 / 31"
    assert vip.data(Qt.ItemDataRole.ToolTipRole) == "友だち 12人 / 全体 31人(ブロック・退会を含む)"
    assert panel.index_of(SHIBUYA).siblingAtColumn(1).data() == "3"  # all of them follow: one number
    header = panel.model.headerData(1, Qt.Orientation.Horizontal, Qt.ItemDataRole.ToolTipRole)
    assert "ブロック" in header
    assert panel.current_tag() is None
    panel.select_tag(panel.index_of("VIP").data(Qt.ItemDataRole.UserRole + 1))
    assert panel.current_tag()[4] == 31  # deleting the tag takes it from all 31


def test_the_builders_palette_counts_what_count_counts(panel):
    tags, fields = load_palette()
    model = PaletteModel()
    model.set_contents(tags, fields)
    vip = model.match(model.index(0, 0), Qt.ItemDataRole.DisplayRole, "VIP", 1,
                      Qt.MatchFlag.MatchRecursive | Qt.MatchFlag.MatchExactly)[0]
    assert "12" in vip.data(Qt.ItemDataRole.ToolTipRole) and "31" not in vip.data(Qt.ItemDataRole.ToolTipRole)
