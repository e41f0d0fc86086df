"""設定 → チャネル接続: check and connect a token against the fake LINE, keyring only, sync with progress."""

from __future__ import annotations

import keyring
import pytest
from keyring.backends import fail
from PySide6.QtCore import QSettings, Qt
from PySide6.QtWidgets import QMessageBox

from shopline import secrets
from shopline.store.models import Friend, Setting
from shopline.ui import change_bus, tag_dialogs

pytest_plugins = ("ui_fixtures",)  # the window fixtures, shared by tests/test_ui_*.py


@pytest.fixture
def channel(qtbot, make_window):
    window = make_window()
    window.show_channel_settings()
    yield window.settings_page.channel
    window.close()


def check_and_connect(qtbot, page, token):
    page.token.setText(token)
    qtbot.mouseClick(page.check_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(page.connect_button.isEnabled, timeout=10_000)
    qtbot.mouseClick(page.connect_button, Qt.MouseButton.LeftButton)


def test_connect_shows_the_account_and_keeps_the_token_only_in_the_keyring(
        qtbot, channel, fake_line, memory_keyring, settings):
    channel.token.setText(fake_line.token)
    qtbot.mouseClick(channel.check_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(channel.connect_button.isEnabled, timeout=10_000)
    assert channel.account.text() == "テスト商店 (@123abcde)"
    qtbot.mouseClick(channel.connect_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: channel.channel is not None, timeout=10_000)
    assert channel.status.text() == "テスト商店 (@123abcde)"
    assert channel.token.text() == ""
    assert memory_keyring.entries == {("ShopLine", "U" + "b" * 32): fake_line.token}
    assert all(fake_line.token not in v for (v,) in Setting.select(Setting.value).tuples())
    settings.sync()
    assert fake_line.token not in "".join(str(settings.value(k)) for k in settings.allKeys())
    assert channel.sync_button.isEnabled() and channel.connect_button.text() == "置き換える"


def test_a_wrong_token_is_refused_and_nothing_is_stored(qtbot, channel, fake_line, memory_keyring):
    channel.token.setText("not-the-token")
    qtbot.mouseClick(channel.check_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: bool(channel.problem.text()), timeout=10_000)
    assert not channel.connect_button.isEnabled()
    assert memory_keyring.entries == {}


def test_no_keyring_is_explained(qtbot, channel, fake_line, store):
    previous = keyring.get_keyring()
    keyring.set_keyring(fail.Keyring())
    try:
        check_and_connect(qtbot, channel, fake_line.token)
        qtbot.waitUntil(lambda: bool(channel.problem.text()), timeout=10_000)
    finally:
        keyring.set_keyring(previous)
    assert "SHOPLINE_CHANNEL_TOKEN" in channel.problem.text() and "キーリング" in channel.problem.text()
    assert secrets.connected_channel() is None


def test_sync_updates_friends_and_disconnect_removes_the_token(
        qtbot, channel, fake_line, memory_keyring, monkeypatch):
    fake_line.add_followers(30)
    check_and_connect(qtbot, channel, fake_line.token)
    qtbot.waitUntil(channel.sync_button.isEnabled, timeout=10_000)
    window = channel.window()
    friends_page = window.friends
    with qtbot.waitSignal(change_bus.bus().changed, timeout=20_000,
                          check_params_cb=lambda changes, _by: changes.friends):
        qtbot.mouseClick(channel.sync_button, Qt.MouseButton.LeftButton)
    assert Friend.select().where(Friend.source == "sync").count() == 30
    assert "30" in channel.sync_result.text()
    # The friends page was hidden behind 設定: it lists the new friends when the shop goes back to it.
    assert friends_page.follow.stale
    with qtbot.waitSignal(friends_page.model.loaded, timeout=20_000):
        window.nav.setCurrentRow(window.pages.indexOf(friends_page))
    assert friends_page.model.rowCount() == 30
    monkeypatch.setattr(tag_dialogs.QMessageBox, "question", lambda *_a: QMessageBox.StandardButton.Yes)
    qtbot.mouseClick(channel.disconnect_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: channel.channel is None, timeout=10_000)
    assert memory_keyring.entries == {} and Friend.select().count() == 30


def test_welcome_connect_button_opens_this_page(qtbot, make_window):
    window = make_window()
    qtbot.mouseClick(window.friends.welcome.connect_button, Qt.MouseButton.LeftButton)
    assert window.pages.currentWidget() is window.settings_page
    assert isinstance(window.settings, QSettings)


def test_the_environment_token_connects_the_window_without_a_keyring(qtbot, make_window, fake_line, monkeypatch):
    monkeypatch.setenv(secrets.TOKEN_ENV, fake_line.token)
    fake_line.add_followers(4)
    previous = keyring.get_keyring()
    keyring.set_keyring(fail.Keyring())
    try:
        window = make_window()
        window.show_channel_settings()
        page = window.settings_page.channel
        qtbot.waitUntil(lambda: page.channel is not None, timeout=10_000)
        assert page.status.text().splitlines() == ["環境変数 SHOPLINE_CHANNEL_TOKEN のトークンを使っています。",
                                                   "テスト商店 (@123abcde)"]
        assert page.sync_button.isEnabled() and not page.disconnect_button.isEnabled()
        with qtbot.waitSignal(change_bus.bus().changed, timeout=20_000,
                              check_params_cb=lambda changes, _by: changes.friends):
            qtbot.mouseClick(page.sync_button, Qt.MouseButton.LeftButton)
        assert Friend.select().where(Friend.source == "sync").count() == 4

        # Trying to keep the token in the keyring anyway: the refusal does not ask for the variable already set.
        check_and_connect(qtbot, page, fake_line.token)
        qtbot.waitUntil(lambda: bool(page.problem.text()), timeout=10_000)
        assert "キーリング" in page.problem.text() and "を設定する" not in page.problem.text()
        assert "トークンを使っている" in page.problem.text()
        window.close()
    finally:
        keyring.set_keyring(previous)


def test_the_environment_token_is_shown_even_when_line_cannot_be_asked(qtbot, channel, fake_line, monkeypatch):
    monkeypatch.setenv(secrets.TOKEN_ENV, "revoked-token")
    channel.refresh()
    qtbot.waitUntil(lambda: channel.from_environment, timeout=10_000)
    lines = channel.status.text().splitlines()
    assert lines[0] == "環境変数 SHOPLINE_CHANNEL_TOKEN のトークンを使っています。" and len(lines) == 2
    assert "未接続" not in channel.status.text() and channel.sync_button.isEnabled()
