"""設定 → チャネル接続: the channel access token into the OS keyring, and syncing friends from LINE.

The token is checked with LINE (`GET /v2/bot/info`) off the UI thread, and the account's
name and basic ID are shown before it is kept. It lives only in the keyring: this page
holds it in the text box until it is connected, then clears the box. Sync runs
sync_friends() as a writing operation with a progress bar and a cancel button.
With SHOPLINE_CHANNEL_TOKEN set (a machine without a usable keyring), that token is the
connection: the page says so, names its account when LINE answers, and sync runs with it.
"""

from __future__ import annotations

from PySide6.QtWidgets import (
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QProgressBar,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from shopline import secrets, sync
from shopline.core.changes import Changes
from shopline.core.messages import ShopLineError
from shopline.line.bot_info import BotInfo
from shopline.ui.operations import LINE_QUEUE, Latest, Operation, show_error
from shopline.ui.tag_dialogs import confirm


class ChannelPage(QWidget):

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._latest = Latest()  # overlapping reloads: the newest answer wins
        self.channel: secrets.ConnectedChannel | None = None  # whose token is in use, when known
        self.stored: secrets.ConnectedChannel | None = None  # the channel whose token is in the keyring
        self.from_environment = False  # SHOPLINE_CHANNEL_TOKEN is set: it is used, whatever the keyring holds
        self._environment_problem = ""
        self._checked: BotInfo | None = None
        self._sync_op: Operation | None = None
        self.status = QLabel(self)
        self.status.setWordWrap(True)
        self.disconnect_button = QPushButton(self.tr("Disconnect"), self)
        self.token = QLineEdit(self)
        self.token.setEchoMode(QLineEdit.EchoMode.Password)
        self.token.setPlaceholderText(self.tr("Paste the channel access token (long-lived) from LINE Developers"))
        self.check_button = QPushButton(self.tr("Check"), self)
        self.account = QLabel(self)
        self.account.setWordWrap(True)
        self.connect_button = QPushButton(self.tr("Connect"), self)
        self.problem = QLabel(self)  # why connecting failed, e.g. no usable keyring, and what to do
        self.problem.setWordWrap(True)
        self.problem.setStyleSheet("color: #c62828;")
        self.sync_button = QPushButton(self.tr("Sync friends"), self)
        self.progress = QProgressBar(self)
        self.cancel_button = QPushButton(self.tr("Cancel"), self)
        self.sync_result = QLabel(self)
        self.sync_result.setWordWrap(True)

        channel = QGroupBox(self.tr("Channel connection"), self)
        form = QFormLayout(channel)
        current = QHBoxLayout()
        current.addWidget(self.status, 1)
        current.addWidget(self.disconnect_button)
        form.addRow(self.tr("Connected"), current)
        token_row = QHBoxLayout()
        token_row.addWidget(self.token, 1)
        token_row.addWidget(self.check_button)
        form.addRow(self.tr("Token"), token_row)
        account_row = QHBoxLayout()
        account_row.addWidget(self.account, 1)
        account_row.addWidget(self.connect_button)
        form.addRow(self.tr("Account"), account_row)
        form.addRow(self.problem)
        friends = QGroupBox(self.tr("Friends from LINE"), self)
        column = QVBoxLayout(friends)
        row = QHBoxLayout()
        row.addWidget(self.sync_button)
        row.addWidget(self.progress, 1)
        row.addWidget(self.cancel_button)
        column.addLayout(row)
        column.addWidget(self.sync_result)
        layout = QVBoxLayout(self)
        layout.addWidget(channel)
        layout.addWidget(friends)
        layout.addStretch(1)

        self.token.textChanged.connect(self._token_edited)
        self.check_button.clicked.connect(self.check)
        self.connect_button.clicked.connect(self.connect_channel)
        self.disconnect_button.clicked.connect(self.disconnect_channel)
        self.sync_button.clicked.connect(self.start_sync)
        self.cancel_button.clicked.connect(self.cancel_sync)
        self._set_channel(None)
        self._syncing(False)

    # --- the connected channel --------------------------------------------------------

    def refresh(self) -> None:
        # With SHOPLINE_CHANNEL_TOKEN set, LINE is asked whose token it is: off the UI thread.
        Operation(self, lambda _ctx: secrets.channel_in_use(), success=self._latest(self._show_in_use)).run()

    def _show_in_use(self, in_use: secrets.ChannelInUse) -> None:
        self.from_environment, self._environment_problem = in_use.from_environment, in_use.problem
        self.stored = in_use.stored
        self._show_channel(in_use.channel)

    def _set_channel(self, stored: secrets.ConnectedChannel | None) -> None:
        """The keyring's channel changed (connected, replaced, disconnected)."""
        self.stored = stored
        if self.from_environment:
            self.refresh()  # the environment's token still wins: ask again whose it is
        else:
            self._show_channel(stored)

    def _show_channel(self, channel: secrets.ConnectedChannel | None) -> None:
        self.channel = channel
        lines = []
        if self.from_environment:
            lines.append(self.tr("Using the token in the environment variable SHOPLINE_CHANNEL_TOKEN."))
        if channel is not None:
            lines.append(self.tr("{name} ({basic_id})").format(name=channel.display_name, basic_id=channel.basic_id))
        elif self._environment_problem:
            lines.append(self._environment_problem)
        elif not self.from_environment:
            lines.append(self.tr("No channel is connected."))
        self.status.setText("\n".join(lines))
        self.disconnect_button.setEnabled(self.stored is not None)
        self.connect_button.setText(self.tr("Replace") if self.stored is not None else self.tr("Connect"))
        self._update_buttons()

    def _connected_now(self) -> bool:
        """Sync can run: a keyring channel, or a token in the environment."""
        return self.channel is not None or self.from_environment

    def _token_edited(self) -> None:
        self._checked = None
        self.account.clear()
        self.problem.clear()
        self._update_buttons()

    def _update_buttons(self) -> None:
        self.check_button.setEnabled(bool(self.token.text().strip()))
        self.connect_button.setEnabled(self._checked is not None)
        if self._sync_op is None:
            self.sync_button.setEnabled(self._connected_now())

    def _failed(self, exc: BaseException) -> None:
        if isinstance(exc, ShopLineError):  # KeyringUnavailable, a refused token, LINE unreachable
            self.problem.setText(str(exc))
        else:
            show_error(self, exc)
        self._update_buttons()

    def check(self) -> None:
        token = self.token.text().strip()
        self.problem.clear()
        self.account.setText(self.tr("Asking LINE…"))
        self.check_button.setEnabled(False)
        Operation(self, lambda _ctx: secrets.check_token(token), success=self._checked_ok).failure(self._failed).run()

    def _checked_ok(self, info: BotInfo) -> None:
        self._checked = info
        self.account.setText(self.tr("{name} ({basic_id})").format(name=info.display_name, basic_id=info.basic_id))
        self._update_buttons()

    def connect_channel(self) -> None:
        token = self.token.text().strip()
        if not token:
            return
        self.connect_button.setEnabled(False)

        def work(_ctx: object) -> secrets.ConnectedChannel | None:
            secrets.connect(token)
            return secrets.connected_channel()

        Operation(self, work, success=self._connected, writes=True, changes=Changes(settings=True)) \
            .failure(self._failed).run()

    def _connected(self, channel: secrets.ConnectedChannel | None) -> None:
        self.token.clear()  # the keyring has it now; the box should not keep it
        self._set_channel(channel)

    def disconnect_channel(self) -> None:
        if self.stored is None or not confirm(self, self.tr("Disconnect"), self.tr(
                "Disconnect {name}? The token is removed from the keyring; your friends and tags stay.")
                .format(name=self.stored.display_name)):
            return
        Operation(self, lambda _ctx: secrets.disconnect(), success=lambda _c: self._set_channel(None),
                  writes=True, changes=Changes(settings=True)).failure(self._failed).run()

    # --- sync -------------------------------------------------------------------------

    def start_sync(self) -> None:
        self.sync_result.clear()
        self._syncing(True)
        self._sync_op = Operation(
            self, lambda ctx: sync.sync_friends(secrets.channel_token(), progress=ctx.progress,
                                                cancelled=ctx.cancelled),
            success=self._synced, job=LINE_QUEUE, changes=Changes(friends=True, settings=True),
            title=self.tr("Sync with LINE")).failure(self._sync_failed).with_progress(self._progress)
        self._sync_op.run()

    def cancel_sync(self) -> None:
        if self._sync_op is not None:
            self._sync_op.cancel()
            self.cancel_button.setEnabled(False)

    def _progress(self, done: int, total: int) -> None:
        # total is 0 while the follower list is still being paged through: a moving bar then.
        self.progress.setRange(0, total)
        self.progress.setValue(min(done, total) if total else 0)

    def _syncing(self, busy: bool) -> None:
        self.progress.setVisible(busy)
        self.progress.setRange(0, 0)
        self.cancel_button.setVisible(busy)
        self.cancel_button.setEnabled(busy)
        self.sync_button.setEnabled(not busy and self._connected_now())

    def _synced(self, report: sync.SyncReport) -> None:
        self._sync_op = None
        self._syncing(False)
        text = self.tr("{followers:,} followers: {added:,} new, {updated:,} updated, {blocked:,} blocked, "
                       "{unfollowed:,} unfollowed.").format(**vars(report))
        if report.failed:
            text += " " + self.tr("{n:,} profiles could not be fetched; run the sync again later.").format(
                n=report.failed)
        if report.cancelled:
            text += " " + self.tr("Cancelled: what was fetched so far is kept.")
        self.sync_result.setText(text)

    def _sync_failed(self, exc: BaseException) -> None:
        self._sync_op = None
        self._syncing(False)
        if isinstance(exc, ShopLineError):  # not connected, 403 for unverified accounts, LINE unreachable
            self.sync_result.setText(str(exc))
        else:
            show_error(self, exc)
