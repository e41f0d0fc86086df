"""設定 → リレー: the shop's relay (relay/README.md) — its URL and key, a connection test, disconnecting,
where the app stands with it, and pointing the LINE channel's webhook at it.

The key goes from the box into the OS keyring through relay_config.connect and the box is cleared; it is
never in a setting or a log. Every relay or LINE request runs as an Operation on a job queue.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QLocale
from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import QFormLayout, QGroupBox, QHBoxLayout, QLabel, QLineEdit, QPushButton, QVBoxLayout, QWidget

from shopline.core.changes import Changes
from shopline.core.messages import ShopLineError
from shopline.inbox import health, relay_config
from shopline.ui.change_bus import Follow
from shopline.ui.operations import LINE_QUEUE, Latest, Operation
from shopline.ui.relay import RELAY_QUEUE, pull_now
from shopline.ui.tag_dialogs import confirm

if TYPE_CHECKING:
    from shopline.line.webhook import WebhookTest


def _state_work() -> tuple[health.RelayState, bool]:
    from shopline import secrets

    return health.state(), secrets.token_if_connected() is not None


def _test_work(url: str, key: str) -> health.ConnectionCheck:
    if not key:  # nothing typed: test the relay as connected
        return health.check_connected()
    if not url:
        url = relay_config.relay_settings().url
    return health.check(url, key)


def _webhook_work() -> tuple[str, WebhookTest]:
    from shopline import secrets
    from shopline.line.config import LineClient
    from shopline.line.webhook import set_webhook_url, test_webhook

    url = relay_config.relay_settings().url + "/webhook"
    with LineClient(secrets.channel_token()) as line:
        set_webhook_url(line, url)
        return url, test_webhook(line)


class RelayTab(QWidget):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._latest = Latest()
        self.state: health.RelayState | None = None
        self.channel_connected = False
        self.status = QLabel(self)
        self.status.setWordWrap(True)
        self.url = QLineEdit(self)
        self.url.setPlaceholderText("https://shopline-relay.example.workers.dev")
        self.key = QLineEdit(self)
        self.key.setEchoMode(QLineEdit.EchoMode.Password)
        self.key.setPlaceholderText(self.tr("The SHOPLINE_RELAY_KEY set on Cloudflare"))
        self.test_button = QPushButton(self.tr("Connection test"), self)
        self.connect_button = QPushButton(self.tr("Connect"), self)
        self.disconnect_button = QPushButton(self.tr("Disconnect"), self)
        self.webhook_button = QPushButton(self.tr("Set the webhook URL on LINE"), self)
        self.webhook_button.setToolTip(self.tr("Points the connected LINE channel's webhook at this relay and "
                                               "asks LINE to test it"))
        self.result = QLabel(self)  # what the last test or action found, in a sentence
        self.result.setWordWrap(True)
        self.problem = QLabel(self)
        self.problem.setWordWrap(True)
        self.problem.setStyleSheet("color: #c62828;")

        box = QGroupBox(self.tr("Relay (LINE webhook)"), self)
        form = QFormLayout(box)
        current = QHBoxLayout()
        current.addWidget(self.status, 1)
        current.addWidget(self.disconnect_button)
        form.addRow(self.tr("Status"), current)
        form.addRow(self.tr("URL"), self.url)
        form.addRow(self.tr("Key"), self.key)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(self.test_button)
        buttons.addWidget(self.connect_button)
        form.addRow(buttons)
        webhook = QHBoxLayout()
        webhook.addStretch(1)
        webhook.addWidget(self.webhook_button)
        form.addRow(webhook)
        form.addRow(self.result)
        form.addRow(self.problem)
        layout = QVBoxLayout(self)
        layout.addWidget(box)
        layout.addStretch(1)

        self.test_button.clicked.connect(self.test)
        self.connect_button.clicked.connect(self.connect_relay)
        self.disconnect_button.clicked.connect(self.disconnect_relay)
        self.webhook_button.clicked.connect(self.set_webhook)
        self.url.textChanged.connect(self._update_buttons)
        self.key.textChanged.connect(self._update_buttons)
        # A pull (the window's timer, or `shopline inbox pull` seen through the database) moves the waiting count.
        self.follow = Follow(self, Changes(friends=True, settings=True), lambda _changes, _by: self.refresh())
        self._busy = False
        # What the last test/connect/disconnect said went wrong: it stays until the next action, even when the
        # status is read again meanwhile (a failed action still announces its declared changes).
        self._action_problem = ""
        self._update_buttons()

    # --- showing ----------------------------------------------------------------------

    def showEvent(self, event: QShowEvent) -> None:  # noqa: N802 - Qt's name
        super().showEvent(event)
        self.refresh()  # each time the tab is opened: the waiting count moves while it is away

    def refresh(self) -> None:
        Operation(self, lambda _ctx: _state_work(), success=self._latest(self._show_state),
                  job=RELAY_QUEUE).failure(self._failed).run()

    def _show_state(self, answer: tuple[health.RelayState, bool]) -> None:
        self.state, self.channel_connected = answer
        state = self.state
        if state.url is None:
            self.status.setText(self.tr("No relay is connected."))
            self.problem.setText(self._action_problem or state.problem)
        else:
            last = (QLocale().toString(state.last_pull, QLocale.FormatType.ShortFormat) if state.last_pull
                    else self.tr("never"))
            waiting = ("?" if state.waiting is None else f"{state.waiting:,}")
            self.status.setText(self.tr("Connected to %1. Last pull: %2. Events waiting: %3.")
                                .replace("%1", state.url).replace("%2", last).replace("%3", waiting))
            self.problem.setText(self._action_problem or state.problem)
            if not self.url.text():
                self.url.setText(state.url)
        self._update_buttons()

    def _update_buttons(self) -> None:
        connected = self.state is not None and self.state.url is not None
        typed = bool(self.url.text().strip() and self.key.text().strip())
        self.test_button.setEnabled(not self._busy and (typed or connected))
        self.connect_button.setEnabled(not self._busy and typed)
        self.disconnect_button.setEnabled(not self._busy and connected
                                          and not (self.state and self.state.from_environment))
        self.webhook_button.setEnabled(not self._busy and connected and self.channel_connected)

    def _start(self) -> None:
        self._busy = True
        self._action_problem = ""
        self.result.clear()
        self.problem.clear()
        self._update_buttons()

    def _done(self) -> None:
        self._busy = False
        self._update_buttons()

    def _failed(self, exc: BaseException) -> None:
        self._done()
        self._action_problem = (str(exc) if isinstance(exc, ShopLineError) else
                                self.tr("Something went wrong: %1").replace("%1", type(exc).__name__))
        self.problem.setText(self._action_problem)

    # --- actions ------------------------------------------------------------------------

    def test(self) -> None:
        url, key = self.url.text().strip(), self.key.text().strip()
        self._start()
        Operation(self, lambda _ctx: _test_work(url, key), success=self._tested,
                  job=RELAY_QUEUE, title=self.tr("Relay connection test")).failure(self._failed).run()

    def _tested(self, check: health.ConnectionCheck) -> None:
        self._done()
        self.result.setText(str(check.sentence))

    def connect_relay(self) -> None:
        url, key = self.url.text().strip(), self.key.text().strip()
        self._start()
        Operation(self, lambda _ctx: relay_config.connect(url, key), success=self._connected, job=RELAY_QUEUE,
                  changes=Changes(settings=True), title=self.tr("Connect the relay")).failure(self._failed).run()

    def _connected(self, _status: object) -> None:
        self.key.clear()  # the key is in the keyring now; the box does not keep a copy
        self._done()
        self.result.setText(self.tr("Connected. New friends, blocks, messages and postbacks are pulled every "
                                    "minute while ShopLine is open."))
        self.refresh()
        pull_now(self)  # what waited on the relay comes in now, not a minute later

    def disconnect_relay(self) -> None:
        if self.state is None or self.state.url is None:
            return
        if not confirm(self, self.tr("Disconnect the relay"),
                       self.tr("Disconnect from %1? Its key is removed from this computer; to connect again you "
                               "need the key from Cloudflare.").replace("%1", self.state.url)):
            return
        self._start()
        Operation(self, lambda _ctx: relay_config.disconnect(), success=self._disconnected, job=RELAY_QUEUE,
                  changes=Changes(settings=True), title=self.tr("Disconnect the relay")).failure(self._failed).run()

    def _disconnected(self, _url: object) -> None:
        self._done()
        self.url.clear()
        self.result.setText(self.tr("The relay is disconnected. Its events stay on the relay until you connect "
                                    "again."))
        self.refresh()

    def set_webhook(self) -> None:
        self._start()
        Operation(self, lambda _ctx: _webhook_work(), success=self._webhook_set, job=LINE_QUEUE,
                  title=self.tr("Set the webhook URL on LINE")).failure(self._failed).run()

    def _webhook_set(self, answer: tuple[str, WebhookTest]) -> None:
        url, test = answer
        self._done()
        if test.success:
            self.result.setText(self.tr("LINE's webhook URL is now %1 and LINE's test reached the relay. Turn on "
                                        "\"Use webhook\" in the LINE Developers console.").replace("%1", url))
        else:
            self.problem.setText(self.tr("LINE's webhook URL is now %1, but LINE's test failed (%2). Check that the "
                                         "relay's LINE_CHANNEL_SECRET is this channel's secret.")
                                 .replace("%1", url).replace("%2", f"{test.status_code} {test.reason}".strip()))
