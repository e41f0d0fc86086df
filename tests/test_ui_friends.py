"""The friends page: id-backed lazy model, SQL search and sort, tag filter, detail pane, window state."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QPoint, Qt

from shopline.store import friends
from shopline.store.models import Tag
from shopline.ui import friends_model
from shopline.ui.friends_model import COLUMNS, FriendsModel
from shopline.ui.main_window import MainWindow

pytest_plugins = ("ui_fixtures",)  # the window fixtures, shared by tests/test_ui_*.py


def loaded_model(qtbot, **query) -> FriendsModel:
    model = FriendsModel()
    with qtbot.waitSignal(model.loaded, timeout=10_000):
        model.reload()
    return model


def test_model_passes_qtmodeltester(qtbot, qtmodeltester, demo_shop):
    model = loaded_model(qtbot)
    assert model.rowCount() == 300
    qtmodeltester.check(model, force_py=True)


def test_rows_are_fetched_a_page_at_a_time(qtbot, demo_shop, monkeypatch):
    monkeypatch.setattr(friends_model, "PAGE_SIZE", 50)
    model = loaded_model(qtbot)
    model.data(model.index(0, 0))
    model.data(model.index(299, 0))
    assert sorted(model._pages) == [0, 5]  # only the pages that were looked at
    ids = friends.friend_ids()
    assert model.data(model.index(299, 0)) == friends.rows([ids[299]])[ids[299]].display_name


def test_sorting_reruns_the_query_in_sql(qtbot, demo_shop):
    model = loaded_model(qtbot)
    with qtbot.waitSignal(model.loaded):
        model.sort(COLUMNS.index("followed_at"), Qt.SortOrder.DescendingOrder)
    expected = friends.friend_ids(order="followed_at", descending=True)
    assert [model.friend_id(r) for r in range(model.rowCount())] == expected
    first = friends.rows(expected[:1])[expected[0]]
    assert model.data(model.index(0, COLUMNS.index("followed_at"))) == first.followed_at.isoformat()


def test_stale_query_results_are_dropped(qtbot, demo_shop):
    model = loaded_model(qtbot)
    model.set_search("no such friend anywhere")
    with qtbot.waitSignal(model.loaded):
        model.set_search("")  # asked last: its answer is the one shown, whichever returns first
    qtbot.wait(100)
    assert model.rowCount() == 300


def test_search_box_filters_in_sql(qtbot, make_window, demo_shop):
    window = make_window()
    target = friends.rows(friends.friend_ids()[:1])
    name = next(iter(target.values())).display_name
    with qtbot.waitSignal(window.friends.model.loaded, timeout=5_000):
        window.friends.search.setText(name)  # keyClicks only types ASCII
    model = window.friends.model
    assert 1 <= model.rowCount() < 300
    assert all(name in model.data(model.index(r, 0)) for r in range(model.rowCount()))
    assert window.count_label.text() == f"{model.rowCount():,}人を表示中(全300人)"


def test_tag_panel_filters_by_tag_and_shows_counts(qtbot, make_window, demo_shop):
    window = make_window()
    with qtbot.waitSignal(window.friends.tags.loaded, timeout=5_000):
        window.friends.tags.reload()
    tag = Tag.select().first()
    view = window.friends.tags.view
    matches = window.friends.tags.model.match(
        window.friends.tags.model.index(0, 0), Qt.ItemDataRole.DisplayRole, tag.name, 1,
        Qt.MatchFlag.MatchRecursive | Qt.MatchFlag.MatchExactly)
    assert matches
    members = friends.friend_ids(friend_ids_query=friends.tag_members(tag.id))
    count_cell = matches[0].siblingAtColumn(1)
    assert count_cell.data().split(" / ")[-1] == f"{len(members):,}"  # following / all: all, blocked included
    with qtbot.waitSignal(window.friends.model.loaded, timeout=5_000):
        view.clicked.emit(matches[0])
    assert window.friends.model.rowCount() == len(members)


def test_detail_pane_shows_the_selected_friend(qtbot, make_window, demo_shop):
    window = make_window()
    with qtbot.waitSignal(window.friends.detail.shown, timeout=5_000):  # read off the UI thread
        window.friends.select_row(0)
    row, tags = window.friends.model.friend(0)
    detail = window.friends.detail
    assert detail.name.text() == row.display_name
    assert detail._values["user_id"].text() == row.user_id
    shown = [detail.tag_list.item(i).text() for i in range(detail.tag_list.count())]
    assert shown == [name for name, _ in tags]


def test_status_bar_counts_friends(make_window, demo_shop):
    window = make_window()
    assert window.count_label.text() == "友だち 300人"


def test_geometry_splitters_and_sort_are_remembered(qtbot, make_window, demo_shop, settings):
    window = make_window()
    window.resize(700, 500)  # inside the offscreen screen (800x600): restoreGeometry clamps to it
    window.friends.splitter.setSizes([111, 400, 150])
    window.friends.table.sortByColumn(COLUMNS.index("region"), Qt.SortOrder.DescendingOrder)
    sizes = window.friends.splitter.sizes()
    window.close()
    again = MainWindow(settings)
    qtbot.addWidget(again)
    again.show()
    assert (again.width(), again.height()) == (700, 500)
    with qtbot.waitSignal(again.friends.model.loaded, timeout=10_000):
        again.start()  # as the app does once the window is up: the friends page is built here
    qtbot.waitUntil(lambda: again.friends.splitter.sizes() == sizes, timeout=2_000)
    assert (again.friends.model._order, again.friends.model._descending) == ("region", True)


@pytest.mark.parametrize("search, expected", [("", 2), ("suzuki", 1), ("50%", 1), ("5_", 0)])
def test_store_search_escapes_like_wildcards(store, search, expected):
    from shopline.store.models import Friend

    Friend.create(user_id="U" + "a" * 32, display_name="田中 花子", memo="VIP 50%off")
    Friend.create(user_id="U" + "b" * 32, display_name="Suzuki")
    assert len(friends.friend_ids(search)) == expected


def test_names_sort_as_a_person_reads_them(qtbot, make_window, store):
    from shopline.store.models import Friend

    for i, name in enumerate(["友だち10", "友だち2", "友だち0", "友だち1", "Bさん", "aさん", "友だち１１"]):
        Friend.create(user_id=f"U{i:032x}", display_name=name)
    window = make_window()
    page = window.friends
    names = [page.model.data(page.model.index(r, 0)) for r in range(page.model.rowCount())]
    assert names == ["aさん", "Bさん", "友だち0", "友だち1", "友だち2", "友だち10", "友だち１１"]
    header = page.table.horizontalHeader()
    with qtbot.waitSignal(page.model.loaded, timeout=5_000):
        qtbot.mouseClick(header.viewport(), Qt.MouseButton.LeftButton,
                         pos=QPoint(header.sectionViewportPosition(0) + 10, header.height() // 2))
    names = [page.model.data(page.model.index(r, 0)) for r in range(page.model.rowCount())]
    assert names == ["友だち１１", "友だち10", "友だち2", "友だち1", "友だち0", "Bさん", "aさん"]
