"""設定 → リレー and the window's one-minute pull, driven through the real widgets against the real relay Worker
(tests/relay_fixtures.py) and the fake LINE."""
# ruff: noqa: F811 - the relay fixture is imported into this file, so its tests share one relay

from __future__ import annotations

import uuid

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox
from relay_fixtures import relay  # noqa: F401 - fixture

from shopline.inbox.apply import CURSOR_KEY, RELAY_KEY
from shopline.inbox.relay_config import KEYRING_USER, URL_SETTING
from shopline.store.models import Friend, Setting
from shopline.ui import tag_dialogs

pytest_plugins = ("ui_fixtures",)
pytestmark = pytest.mark.slow


def uid() -> str:
    return "U" + uuid.uuid4().hex


def follow(user: str, at: int = 1_700_000_000_000) -> dict:
    return {"type": "follow", "mode": "active", "timestamp": at, "webhookEventId": uuid.uuid4().hex.upper()[:26],
            "source": {"type": "user", "userId": user}, "deliveryContext": {"isRedelivery": False},
            "replyToken": uuid.uuid4().hex, "follow": {"isUnblocked": False}}


@pytest.fixture
def at_queue_end(relay, store, monkeypatch):
    """The store's cursor at the end of the session relay's queue (earlier tests' events are not this one's);
    no relay in the environment, so the window's own settings are what connects it."""
    monkeypatch.delenv("SHOPLINE_RELAY_URL", raising=False)
    monkeypatch.delenv("SHOPLINE_RELAY_KEY", raising=False)
    Setting.replace_many([{"key": CURSOR_KEY, "value": str(relay.last_cursor())},
                          {"key": RELAY_KEY, "value": relay.url}]).execute()
    return relay


@pytest.fixture
def tab(qtbot, make_window, memory_keyring, at_queue_end):
    window = make_window()
    window.nav.setCurrentRow(window.pages.indexOf(window.settings_page))
    page = window.settings_page
    page.tabs.setCurrentWidget(page.relay)
    qtbot.waitUntil(lambda: page.relay.state is not None, timeout=20_000)
    yield page.relay
    window.close()


def click(qtbot, button) -> None:
    assert button.isEnabled()
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)


def type_in(qtbot, box, text: str) -> None:
    box.setFocus()
    qtbot.keyClicks(box, text)


def connect(qtbot, tab, relay) -> None:
    type_in(qtbot, tab.url, relay.url)
    type_in(qtbot, tab.key, relay.key)
    click(qtbot, tab.connect_button)
    qtbot.waitUntil(lambda: tab.state is not None and tab.state.url == relay.url, timeout=20_000)


def test_connection_test_says_what_worked_and_connect_keeps_the_key_only_in_the_keyring(
        qtbot, tab, relay, memory_keyring, settings):
    assert tab.status.text() == "中継サーバーは接続されていません。"
    assert not tab.webhook_button.isEnabled() and not tab.disconnect_button.isEnabled()
    relay.post_webhook([follow(uid()), follow(uid())])
    type_in(qtbot, tab.url, relay.url + "/webhook")  # the URL given to LINE works too
    type_in(qtbot, tab.key, relay.key)
    click(qtbot, tab.test_button)
    qtbot.waitUntil(lambda: bool(tab.result.text() or tab.problem.text()), timeout=20_000)
    assert tab.result.text() == f"中継サーバー {relay.url} は動いていて、キーも正しいです（取り込み待ち 2 件）。"
    # A test keeps nothing.
    assert memory_keyring.entries == {} and Setting.get_or_none(Setting.key == URL_SETTING) is None

    click(qtbot, tab.connect_button)
    qtbot.waitUntil(lambda: tab.state is not None and tab.state.url == relay.url, timeout=20_000)
    assert memory_keyring.entries == {("ShopLine", KEYRING_USER): relay.key}
    assert tab.key.text() == ""
    assert Setting.get(Setting.key == URL_SETTING).value == relay.url
    assert all(relay.key not in v for (v,) in Setting.select(Setting.value).tuples())
    settings.sync()
    assert relay.key not in "".join(str(settings.value(k)) for k in settings.allKeys())
    assert tab.status.text().startswith(f"{relay.url} に接続中。")
    # Connecting pulls at once: the two waiting events come in and the status says so.
    qtbot.waitUntil(lambda: "取り込み待ち: 0 件" in tab.status.text() and "まだありません" not in tab.status.text(),
                    timeout=30_000)
    assert tab.disconnect_button.isEnabled()


def test_a_wrong_key_is_refused_in_a_sentence_and_nothing_is_stored(qtbot, tab, relay, memory_keyring):
    type_in(qtbot, tab.url, relay.url)
    type_in(qtbot, tab.key, "not-the-key-" + relay.key[:10])
    click(qtbot, tab.test_button)
    qtbot.waitUntil(lambda: bool(tab.problem.text()), timeout=20_000)
    assert "キーを受け付けませんでした" in tab.problem.text() and relay.key[:10] not in tab.problem.text()
    click(qtbot, tab.connect_button)
    qtbot.waitUntil(lambda: tab.connect_button.isEnabled() and bool(tab.problem.text()), timeout=20_000)
    assert memory_keyring.entries == {} and Setting.get_or_none(Setting.key == URL_SETTING) is None


def test_an_unreachable_url_is_not_called_a_wrong_key(qtbot, tab, relay):
    from relay_fixtures import free_port

    type_in(qtbot, tab.url, f"http://127.0.0.1:{free_port()}")
    type_in(qtbot, tab.key, relay.key)
    click(qtbot, tab.test_button)
    qtbot.waitUntil(lambda: bool(tab.problem.text()), timeout=20_000)
    assert "接続できませんでした" in tab.problem.text()


def test_disconnect_removes_the_key_and_the_url(qtbot, tab, relay, memory_keyring, monkeypatch):
    connect(qtbot, tab, relay)
    monkeypatch.setattr(tag_dialogs.QMessageBox, "question", lambda *_a: QMessageBox.StandardButton.Yes)
    click(qtbot, tab.disconnect_button)
    qtbot.waitUntil(lambda: tab.state is not None and tab.state.url is None, timeout=20_000)
    assert memory_keyring.entries == {}
    assert Setting.get_or_none(Setting.key == URL_SETTING) is None
    assert tab.status.text() == "中継サーバーは接続されていません。"


def test_set_webhook_points_line_at_the_relay_and_reports_line_test(qtbot, tab, relay, fake_line, monkeypatch):
    from fake_line.server import TOKEN

    monkeypatch.setenv("SHOPLINE_CHANNEL_TOKEN", TOKEN)
    fake_line.channel_secret = relay.secret
    connect(qtbot, tab, relay)
    qtbot.waitUntil(tab.webhook_button.isEnabled, timeout=20_000)
    click(qtbot, tab.webhook_button)
    qtbot.waitUntil(lambda: bool(tab.result.text() or tab.problem.text()), timeout=20_000)
    assert fake_line.webhook_endpoint == relay.url + "/webhook"
    assert tab.result.text().startswith(f"LINEのWebhook URLを {relay.url}/webhook に設定し、LINEからの接続確認も")
    fake_line.channel_secret = "0" * 32  # the relay's secret is another channel's: LINE's test fails, and says so
    click(qtbot, tab.webhook_button)
    qtbot.waitUntil(lambda: bool(tab.problem.text()), timeout=20_000)
    assert "LINE_CHANNEL_SECRET" in tab.problem.text() and "401" in tab.problem.text()


def test_the_window_pulls_the_relay_on_its_timer_and_the_pages_follow(qtbot, tab, relay):
    window = tab.window()
    connect(qtbot, tab, relay)
    user = uid()
    assert relay.post_webhook([follow(user)]) == 200
    window.inbox_timer.timer.setInterval(50)  # the minute, shortened
    qtbot.waitUntil(lambda: Friend.get_or_none(Friend.user_id == user) is not None, timeout=30_000)
    assert Friend.get(Friend.user_id == user).source == "webhook"
    # The change bus carried it: the tab's count and last pull moved, and the friends page, hidden meanwhile,
    # lists the new friend once it is opened.
    qtbot.waitUntil(lambda: "取り込み待ち: 0 件" in tab.status.text() and "まだありません" not in tab.status.text(),
                    timeout=20_000)
    assert window.friends.model.rowCount() == 0
    window.nav.setCurrentRow(window.pages.indexOf(window.friends))
    qtbot.waitUntil(lambda: window.friends.model.rowCount() == 1, timeout=20_000)


def test_opening_the_window_pulls_at_once_not_a_minute_later(qtbot, make_window, memory_keyring, at_queue_end):
    """The night's new friends are there when the shop opens ShopLine in the morning (the minute is not shortened)."""
    from shopline.inbox import relay_config

    relay = at_queue_end
    relay_config.connect(relay.url, relay.key)
    user = uid()
    assert relay.post_webhook([follow(user)]) == 200
    window = make_window()
    assert window.inbox_timer.timer.interval() == 60_000
    qtbot.waitUntil(lambda: Friend.get_or_none(Friend.user_id == user) is not None, timeout=30_000)
    window.close()


def test_connecting_in_settings_pulls_what_waited_at_once(qtbot, tab, relay):
    user = uid()
    assert relay.post_webhook([follow(user)]) == 200  # sent before the shop connected the window
    assert Friend.get_or_none(Friend.user_id == user) is None
    connect(qtbot, tab, relay)
    assert tab.window().inbox_timer.timer.interval() == 60_000
    qtbot.waitUntil(lambda: Friend.get_or_none(Friend.user_id == user) is not None, timeout=30_000)
