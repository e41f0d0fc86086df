"""Network jobs never hold the writer: a tag edit made while a send is backing off is written at once."""

from __future__ import annotations

import time

import pytest
from delivery_helpers import MSG, TOKEN, VIP, shop
from PySide6.QtGui import QUndoStack
from PySide6.QtWidgets import QMessageBox

from shopline.store import tags as tag_store
from shopline.store.models import Friend, FriendTag
from shopline.ui import change_bus, operations
from shopline.ui.delivery import SendDialog
from shopline.ui.operations import LINE_QUEUE
from shopline.ui.undo_commands import TagFriendsCommand


@pytest.fixture
def connected(store, fake_line, monkeypatch, qapp):
    monkeypatch.setenv("SHOPLINE_CHANNEL_TOKEN", TOKEN)
    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: QMessageBox.StandardButton.Yes)
    yield fake_line
    assert operations.wait_idle(30_000, cancel=True)


def test_a_tag_edit_is_written_while_a_send_backs_off(qtbot, connected):
    shop(600)
    # LINE answers 500, slowly, to every multicast for a while: the send retries with the same keys and backs off.
    connected.fault(r"POST /v2/bot/message/multicast", status=500, delay=0.3, times=6)
    dialog = SendDialog(None, "冬のセール", VIP, MSG)  # the window's send, as the shop starts it
    qtbot.addWidget(dialog)
    qtbot.waitUntil(lambda: dialog.estimate is not None, timeout=10_000)
    dialog.send_button.click()
    qtbot.waitUntil(lambda: len(connected.requests_to("/v2/bot/message/multicast")) >= 1, timeout=10_000)
    [job] = operations.running_jobs(LINE_QUEUE)

    staff = tag_store.create_tag("スタッフ")
    friend_id = Friend.select(Friend.id).order_by(Friend.id).first().id
    undo = QUndoStack()
    started = time.perf_counter()
    with qtbot.waitSignal(change_bus.bus().changed, timeout=5_000,
                          check_params_cb=lambda changes, _by: changes.tags):
        undo.push(TagFriendsCommand(undo, [friend_id], staff.id, "スタッフ"))
    took = time.perf_counter() - started
    assert FriendTag.select().where(FriendTag.tag == staff.id).count() == 1
    # The send is still waiting on LINE: the edit did not queue behind it.
    assert dialog.result is None and operations.running_jobs(LINE_QUEUE) == [job]
    print(f"tag edit written in {took * 1000:.0f} ms while the send backed off")
    qtbot.waitUntil(lambda: dialog.result is not None, timeout=60_000)
    assert dialog.result.status == "done"
