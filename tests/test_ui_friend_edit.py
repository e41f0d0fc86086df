"""Friends: drag selected friends onto a tag, edit details and fields, and undo it all with Ctrl+Z."""

from __future__ import annotations

from PySide6.QtCore import QItemSelectionModel, QMimeData, QPoint, Qt
from PySide6.QtWidgets import QWidget
from qt_drag import drop_on

from shopline.store import friends
from shopline.store.models import Field, FieldValue, Friend, FriendTag, Tag
from shopline.ui import change_bus, operations
from shopline.ui.tag_list import FRIENDS_MIME, TagListModel, load_tags

pytest_plugins = ("ui_fixtures",)  # the window fixtures, shared by tests/test_ui_*.py


def drag(widget: QWidget, point: QPoint, mime: QMimeData) -> bool:
    return drop_on(widget, point, mime)


def tagged(tag: Tag) -> set[int]:
    return {f for (f,) in FriendTag.select(FriendTag.friend).where(FriendTag.tag == tag).tuples()}


def ready(qtbot, make_window):
    window = make_window()
    with qtbot.waitSignal(window.friends.tags.loaded, timeout=5_000):
        window.friends.tags.reload()
    return window


def ours(window):
    """Wait for the window's own edit or undo, not a poll that saw the database change."""
    return lambda _changes, initiator: initiator is window.undo_stack


def undo(qtbot, window):
    with shown_after_edit(qtbot, window):
        qtbot.keyClick(window, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)


def shown_after_edit(qtbot, window):
    """The window's own edit is stored and the detail pane, read again off the UI thread, shows it."""
    return qtbot.waitSignals([change_bus.bus().changed, window.friends.detail.shown], timeout=5_000,
                             check_params_cbs=[ours(window), None])


def open_first(qtbot, page):
    with qtbot.waitSignal(page.detail.shown, timeout=5_000):
        page.select_row(0)


def test_dragging_selected_friends_onto_a_tag_tags_them_and_ctrl_z_untags(qtbot, make_window, demo_shop):
    window = ready(qtbot, make_window)
    page = window.friends
    tag = Tag.create(name="秋の試食会", folder="")
    with qtbot.waitSignal(page.tags.loaded, timeout=5_000):
        page.tags.reload()
    before = tagged(tag)
    selection = page.table.selectionModel()
    for row in (0, 2, 5):
        selection.select(page.model.index(row, 0),
                         QItemSelectionModel.SelectionFlag.Select | QItemSelectionModel.SelectionFlag.Rows)
    mime = page.model.mimeData(page.table.selectionModel().selectedIndexes())
    assert mime.hasFormat(FRIENDS_MIME)
    ids = {page.model.friend_id(r) for r in (0, 2, 5)}
    target = page.tags.view.visualRect(page.tags.index_of("秋の試食会")).center()
    with qtbot.waitSignal(change_bus.bus().changed, timeout=5_000, check_params_cb=ours(window)):
        assert drag(page.tags.view.viewport(), target, mime)
    assert tagged(tag) == before | ids
    qtbot.waitUntil(lambda: page.tags.index_of("秋の試食会").siblingAtColumn(1).data().split(" / ")[-1] == "3")
    assert window.undo_stack.undoText() == "3人の友だちにタグ「秋の試食会」を付ける"
    undo(qtbot, window)
    assert tagged(tag) == before


def test_tagging_only_undoes_the_friends_it_changed(qtbot, make_window, demo_shop):
    window = ready(qtbot, make_window)
    vip = Tag.get(Tag.name == "VIP")
    had = sorted(tagged(vip))[:1]
    fresh = [f for f in friends.friend_ids() if f not in tagged(vip)][:2]
    with qtbot.waitSignal(change_bus.bus().changed, timeout=5_000, check_params_cb=ours(window)):
        window.friends.tag_friends(had + fresh, vip.id)
    undo(qtbot, window)
    assert set(had) <= tagged(vip) and not set(fresh) & tagged(vip)


def test_friends_dropped_outside_a_tag_are_refused(qtbot, make_window, demo_shop):
    window = ready(qtbot, make_window)
    page = window.friends
    mime = page.model.mimeData([page.model.index(0, 0)])
    all_row = page.tags.view.visualRect(page.tags.model.index(0, 0)).center()  # "all friends" is no tag
    assert not drag(page.tags.view.viewport(), all_row, mime)
    assert window.undo_stack.count() == 0


def test_editing_memo_and_a_field_then_undo_restores(qtbot, make_window, demo_shop):
    window = ready(qtbot, make_window)
    page = window.friends
    open_first(qtbot, page)
    friend_id = page.model.friend_id(0)
    old = Friend.get_by_id(friend_id)
    visits = Field.get(Field.name == "来店回数")
    old_visits = FieldValue.get(friend=friend_id, field=visits).text_value
    detail = page.detail
    detail.editors["memo"].setPlainText("辛いものが苦手")
    detail.editors["region"].setCurrentText("沖縄県")
    detail.custom[visits.id].setText("42")
    with shown_after_edit(qtbot, window):
        qtbot.mouseClick(detail.save_button, Qt.MouseButton.LeftButton)
    now = Friend.get_by_id(friend_id)
    assert (now.memo, now.region) == ("辛いものが苦手", "沖縄県")
    value = FieldValue.get(friend=friend_id, field=visits)
    assert (value.text_value, value.num_value) == ("42", 42.0)
    assert not detail.save_button.isEnabled()
    undo(qtbot, window)
    again = Friend.get_by_id(friend_id)
    assert (again.memo, again.region) == (old.memo, old.region)
    assert FieldValue.get(friend=friend_id, field=visits).text_value == old_visits
    assert detail.editors["memo"].toPlainText() == old.memo


def test_a_bad_value_is_explained_and_nothing_is_written(qtbot, make_window, demo_shop):
    window = ready(qtbot, make_window)
    page = window.friends
    open_first(qtbot, page)
    friend_id = page.model.friend_id(0)
    page.detail.editors["birthday"].setText("来年の春")
    qtbot.mouseClick(page.detail.save_button, Qt.MouseButton.LeftButton)
    assert "来年の春" in page.detail.error.text()
    assert window.undo_stack.count() == 0
    assert Friend.get_by_id(friend_id).birthday != "来年の春"


def test_detail_pane_adds_and_removes_tags_undoably(qtbot, make_window, demo_shop):
    window = ready(qtbot, make_window)
    page = window.friends
    open_first(qtbot, page)
    friend_id = page.model.friend_id(0)
    detail = page.detail
    missing = next(t for t in Tag.select() if friend_id not in tagged(t))
    detail.add_tag_box.setCurrentIndex(detail.add_tag_box.findText(missing.name))
    with shown_after_edit(qtbot, window):
        qtbot.mouseClick(detail.add_tag_button, Qt.MouseButton.LeftButton)
    assert friend_id in tagged(missing)
    assert missing.name in [detail.tag_list.item(i).text() for i in range(detail.tag_list.count())]
    detail.tag_list.setCurrentRow([detail.tag_list.item(i).text()
                                   for i in range(detail.tag_list.count())].index(missing.name))
    with shown_after_edit(qtbot, window):
        qtbot.mouseClick(detail.remove_tag_button, Qt.MouseButton.LeftButton)
    assert friend_id not in tagged(missing)
    undo(qtbot, window)
    assert friend_id in tagged(missing)
    assert operations.wait_idle(5_000)


def test_tag_models_pass_qtmodeltester(qtmodeltester, demo_shop):
    for all_friends_row in (True, False):
        model = TagListModel(all_friends_row=all_friends_row)
        model.set_tags(load_tags())
        qtmodeltester.check(model, force_py=True)


def test_after_save_the_form_shows_the_stored_values_and_looks_saved(qtbot, make_window, demo_shop):
    window = ready(qtbot, make_window)
    page = window.friends
    open_first(qtbot, page)
    friend_id = page.model.friend_id(0)
    detail = page.detail
    detail.editors["birthday"].clear()
    qtbot.keyClicks(detail.editors["birthday"], "1990/4/1")  # stored as 1990-04-01
    detail.editors["display_name"].setText("山田 花子 ")  # stored without the trailing space
    assert detail.save_button.isEnabled()
    with shown_after_edit(qtbot, window):
        qtbot.mouseClick(detail.save_button, Qt.MouseButton.LeftButton)
        assert not detail.save_button.isEnabled()  # a second click cannot save the same change twice
    saved = Friend.get_by_id(friend_id)
    assert (saved.birthday.isoformat(), saved.display_name) == ("1990-04-01", "山田 花子")
    assert detail.editors["birthday"].text() == "1990-04-01"
    assert detail.editors["display_name"].text() == "山田 花子"
    assert not detail.save_button.isEnabled() and not detail.revert_button.isEnabled()
    qtbot.keyClicks(detail.editors["memo"], "!")  # the next change makes it savable again
    assert detail.save_button.isEnabled()
