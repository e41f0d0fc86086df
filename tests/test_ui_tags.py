"""The タグ page: create, rename, merge, delete with confirmations, inline name rules, drag into a folder."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QMimeData, QPoint, Qt, QTimer
from PySide6.QtWidgets import QDialogButtonBox, QMessageBox
from test_ui_friend_edit import drag

from shopline.store.models import Friend, FriendTag, Tag
from shopline.ui import change_bus, tag_dialogs
from shopline.ui.tag_list import TAG_MIME

pytest_plugins = ("ui_fixtures",)  # the window fixtures, shared by tests/test_ui_*.py


@pytest.fixture
def page(qtbot, make_window, store):
    ids = [Friend.create(user_id=f"U{i:032x}", display_name=f"友{i}").id for i in range(5)]
    vip, regular = Tag.create(name="VIP", folder="顧客"), Tag.create(name="常連")
    Tag.create(name="新規", folder="顧客")
    for fid in ids[:3]:
        FriendTag.create(friend=fid, tag=vip)
    for fid in ids[2:]:
        FriendTag.create(friend=fid, tag=regular)
    window = make_window()
    tags_page = window.tags
    window.nav.setCurrentRow(window.pages.indexOf(tags_page))  # on screen, as the shop would have it
    qtbot.waitUntil(lambda: len(tags_page.tags.model.rows) == 3, timeout=5_000)
    yield tags_page  # a yield, not a return: the window must outlive the test, or Qt deletes its pages
    window.close()


@pytest.fixture
def answers(monkeypatch):
    """Answers QMessageBox.question with Yes (or what the test sets) and records what it was asked."""
    asked: list[str] = []
    reply = {"answer": QMessageBox.StandardButton.Yes}

    def question(_parent, _title, text, *_args):
        asked.append(text)
        return reply["answer"]

    monkeypatch.setattr(tag_dialogs.QMessageBox, "question", question)
    return asked, reply


def fill_name_dialog(qtbot, page, text: str, *, check=None):
    """Type into the modal name dialog once it is open, then press OK (or let `check` look first)."""

    def answer():
        dialog = page.dialog
        if dialog is None:
            QTimer.singleShot(20, answer)
            return
        dialog.name.setText(text)
        if check is not None:
            check(dialog)
        ok = dialog.buttons.button(QDialogButtonBox.StandardButton.Ok)
        if ok.isEnabled():
            ok.click()
        else:
            dialog.reject()

    QTimer.singleShot(0, answer)


def select(page, name: str) -> None:
    page.tags.view.setCurrentIndex(page.tags.index_of(name))


def count(page, name: str) -> str:
    return page.tags.index_of(name).siblingAtColumn(1).data()


def test_tags_show_folders_colours_and_counts(page):
    assert count(page, "VIP") == "3" and count(page, "常連") == "3"
    folder = page.tags.index_of("顧客")
    assert page.tags.model.rowCount(folder) == 2  # VIP and 新規 inside the folder
    assert page.tags.index_of("VIP").data(Qt.ItemDataRole.DecorationRole) is not None


def test_create_a_tag_in_a_folder(qtbot, page):
    select(page, "VIP")
    fill_name_dialog(qtbot, page, "ＳＡＬＥ 2025")
    page.create_tag()
    qtbot.waitUntil(lambda: page.tags.index_of("SALE 2025").isValid(), timeout=5_000)
    tag = Tag.get(Tag.name == "SALE 2025")  # folded, as every tag name is
    assert tag.folder == "顧客"


def test_a_bad_name_is_explained_inline_as_you_type(qtbot, page):
    seen = {}

    def check(dialog):
        seen["emoji"] = (dialog.reason.text(), dialog.buttons.button(QDialogButtonBox.StandardButton.Ok).isEnabled())
        dialog.name.setText("VIP")
        seen["taken"] = dialog.reason.text()

    fill_name_dialog(qtbot, page, "セール🎉", check=check)
    page.create_tag()
    reason, ok_enabled = seen["emoji"]
    assert "🎉" in reason and "使えない文字" in reason and not ok_enabled
    assert seen["taken"] == "この名前のタグはすでにあります。"
    assert not Tag.select().where(Tag.name.contains("セール")).exists()


def test_rename_a_tag(qtbot, page):
    select(page, "新規")
    fill_name_dialog(qtbot, page, "はじめて")
    page.rename()
    qtbot.waitUntil(lambda: page.tags.index_of("はじめて").isValid(), timeout=5_000)
    assert Tag.get_or_none(Tag.name == "はじめて") and not Tag.get_or_none(Tag.name == "新規")


def test_rename_onto_an_existing_tag_merges_after_confirmation(qtbot, page, answers):
    asked, _reply = answers
    select(page, "常連")
    fill_name_dialog(qtbot, page, "VIP")
    page.rename()
    qtbot.waitUntil(lambda: Tag.get_or_none(Tag.name == "常連") is None, timeout=5_000)
    assert asked == ["タグ「VIP」はすでにあります。「常連」の友だち3人を「VIP」にまとめますか?"]
    qtbot.waitUntil(lambda: count(page, "VIP") == "5", timeout=5_000)
    assert FriendTag.select().where(FriendTag.tag == Tag.get(Tag.name == "VIP")).count() == 5


def test_merge_declined_changes_nothing(qtbot, page, answers):
    asked, reply = answers
    reply["answer"] = QMessageBox.StandardButton.No
    select(page, "常連")
    fill_name_dialog(qtbot, page, "VIP")
    page.rename()
    qtbot.waitUntil(lambda: bool(asked), timeout=5_000)
    assert Tag.get_or_none(Tag.name == "常連") is not None


def test_delete_says_how_many_friends_and_keeps_them(qtbot, page, answers):
    asked, _reply = answers
    select(page, "VIP")
    page.delete()
    qtbot.waitUntil(lambda: not page.tags.index_of("VIP").isValid(), timeout=5_000)
    assert asked == ["タグ「VIP」を削除しますか?3人の友だちからこのタグが外れます(友だちは削除されません)。"]
    assert Tag.get_or_none(Tag.name == "VIP") is None and Friend.select().count() == 5


def test_dragging_a_tag_into_a_folder_moves_it_and_ctrl_z_moves_it_back(qtbot, page):
    window = page.window()
    mime = page.tags.model.mimeData([page.tags.index_of("常連")])
    assert bytes(mime.data(TAG_MIME).data()).decode() == "常連"
    folder = page.tags.view.visualRect(page.tags.index_of("顧客")).center()
    assert drag(page.tags.view.viewport(), folder, mime)
    qtbot.waitUntil(lambda: page.tags.model.rowCount(page.tags.index_of("顧客")) == 3, timeout=5_000)
    assert Tag.get(Tag.name == "常連").folder == "顧客"
    with qtbot.waitSignal(change_bus.bus().changed, timeout=5_000,
                          check_params_cb=lambda _changes, by: by is window.undo_stack):
        window.undo_stack.undo()
    assert Tag.get(Tag.name == "常連").folder == ""


def test_a_tag_dropped_on_another_tag_is_refused(page):
    mime = QMimeData()
    mime.setData(TAG_MIME, "常連".encode())
    on_tag = page.tags.view.visualRect(page.tags.index_of("VIP")).center()
    assert not drag(page.tags.view.viewport(), QPoint(on_tag), mime)


def test_new_tag_dialog_says_nothing_until_typed_and_nothing_moves(qtbot, page):
    seen: dict[str, object] = {}

    def check(dialog):
        ok = dialog.buttons.button(QDialogButtonBox.StandardButton.Ok)
        seen["at_open"] = (dialog.reason.text(), ok.isEnabled())
        where = (ok.mapTo(dialog, QPoint(0, 0)), dialog.folder.mapTo(dialog, QPoint(0, 0)))
        qtbot.keyClicks(dialog.name, "sale!")  # QTest types ASCII only
        seen["refused"] = (dialog.reason.text(), ok.isEnabled())
        seen["moved_on_error"] = (ok.mapTo(dialog, QPoint(0, 0)), dialog.folder.mapTo(dialog, QPoint(0, 0))) != where
        qtbot.keyClick(dialog.name, Qt.Key.Key_Backspace)
        seen["fixed"] = (dialog.reason.text(), ok.isEnabled())
        seen["moved_after"] = (ok.mapTo(dialog, QPoint(0, 0)), dialog.folder.mapTo(dialog, QPoint(0, 0))) != where
        qtbot.mouseClick(ok, Qt.MouseButton.LeftButton)

    def answer():
        if page.dialog is None or not page.dialog.isVisible():
            QTimer.singleShot(20, answer)
            return
        check(page.dialog)

    QTimer.singleShot(0, answer)
    page.create_tag()
    assert seen["at_open"] == ("", False)  # empty is not a mistake yet, but there is nothing to make
    reason, ok_enabled = seen["refused"]
    assert "!" in reason and not ok_enabled
    assert seen["fixed"] == ("", True)
    assert not seen["moved_on_error"] and not seen["moved_after"]
    qtbot.waitUntil(lambda: Tag.get_or_none(Tag.name == "sale") is not None, timeout=5_000)


def test_enter_on_an_empty_name_explains_instead_of_closing(qtbot, page):
    seen: dict[str, object] = {}

    def answer():
        dialog = page.dialog
        if dialog is None or not dialog.isVisible():
            QTimer.singleShot(20, answer)
            return
        dialog.accept()  # what Enter or a programmatic OK would do while the box is empty
        seen["open"], seen["reason"] = dialog.isVisible(), dialog.reason.text()
        dialog.reject()

    QTimer.singleShot(0, answer)
    page.create_tag()
    assert seen["open"] and "空です" in seen["reason"]
    assert Tag.select().count() == 3
