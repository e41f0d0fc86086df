"""The window follows changes made elsewhere (the `shopline` command, another connection) without a restart."""

from __future__ import annotations

import os
import subprocess
import sys

from shopline import paths
from shopline.store.models import Friend, Tag
from shopline.store.sqlite import make_database
from shopline.ui import db_watch

pytest_plugins = ("ui_fixtures",)  # the window fixtures, shared by tests/test_ui_*.py


def listed_names(page) -> list[str]:
    return [page.model.data(page.model.index(r, 0)) for r in range(page.model.rowCount())]


def test_a_tag_added_by_the_cli_shows_in_the_open_window(qtbot, make_window, store, monkeypatch):
    monkeypatch.setattr(db_watch, "POLL_MS", 100)
    Friend.create(user_id="U" + "1" * 32, display_name="山田 花子")
    window = make_window()
    done = subprocess.run([sys.executable, "-m", "shopline", "tags", "add", "秋の試食会", "--folder", "催し"],
                          env={**os.environ, "SHOPLINE_HOME": str(store)}, capture_output=True, timeout=60)
    assert done.returncode == 0, done.stderr.decode(errors="replace")
    assert Tag.get_or_none(Tag.name == "秋の試食会") is not None
    # The page on screen follows at once; the タグ page, not shown, catches up when it is opened.
    qtbot.waitUntil(lambda: window.friends.tags.index_of("秋の試食会").isValid(), timeout=10_000)
    window.nav.setCurrentRow(window.pages.indexOf(window.tags))
    qtbot.waitUntil(lambda: window.tags.tags.index_of("秋の試食会").isValid(), timeout=10_000)


def test_friends_written_by_another_connection_are_listed_and_counted(qtbot, make_window, store, monkeypatch):
    monkeypatch.setattr(db_watch, "POLL_MS", 100)
    Friend.create(user_id="U" + "1" * 32, display_name="山田 花子")
    window = make_window()
    page = window.friends
    with qtbot.waitSignal(page.detail.shown, timeout=5_000):  # read off the UI thread
        page.select_row(0)
    page.detail.editors["memo"].setPlainText("書きかけのメモ")  # typing when the other write lands
    other = make_database(paths.db_path(store))  # a second connection, as another process opens it
    with other.connection_context(), other.atomic():
        other.execute_sql("INSERT INTO friend (user_id, display_name, gender, status, memo, source, created_at, "
                      "updated_at) VALUES (?, '佐藤 一郎', 'male', 'following', '', 'csv', '2025-01-01', "
                      "'2025-01-01')", ("U" + "2" * 32,))
    qtbot.waitUntil(lambda: page.model.rowCount() == 2, timeout=10_000)
    assert sorted(listed_names(page)) == ["佐藤 一郎", "山田 花子"]
    assert window.count_label.text() == "友だち 2人"
    # The friend being edited is still the one shown, with the memo as typed.
    assert page.detail.name.text() == "山田 花子"
    assert page.detail.editors["memo"].toPlainText() == "書きかけのメモ"
