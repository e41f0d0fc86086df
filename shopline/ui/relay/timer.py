"""While the window is open: `shopline inbox pull` every minute on the relay's job queue (never the UI thread).

Quietly does nothing when no relay is connected. A failure (offline, the relay down) is logged, not shown
every minute: 設定 → リレー says what is wrong when the shop looks, and the events wait on the relay.
"""

from __future__ import annotations

import logging

from PySide6.QtCore import QObject, QTimer, Signal
from PySide6.QtWidgets import QWidget

from shopline.core.changes import Changes
from shopline.ui.change_bus import announce
from shopline.ui.operations import OpContext, Operation
from shopline.ui.relay import RELAY_QUEUE

log = logging.getLogger(__name__)
INTERVAL_MS = 60_000
# The first pull once the window is up, not a minute later: a shop opening ShopLine in the morning sees the night's
# new friends at once. A moment's wait lets the window draw and its pages load first.
FIRST_PULL_MS = 2_000
# What a pull can change. A successful pull announces what its result says (ApplyResult.changes): an empty
# minute, the usual case, must not reload the friends list under the shop's cursor every minute. A pull that
# fails may have committed earlier batches first, so a failure announces all of it.
PULL_CHANGES = Changes(friends=True, tags=True, campaigns=True)  # campaigns: tracked-link clicks


class _Stop:
    """The operation's cancel flag, as pull_inbox's `stop` (it only asks is_set)."""

    def __init__(self, ctx: OpContext) -> None:
        self._ctx = ctx

    def is_set(self) -> bool:
        return self._ctx.cancelled()


def pull_once(ctx: OpContext) -> object:
    from shopline.inbox import relay_config
    from shopline.inbox.pull import pull_inbox

    try:
        relay = relay_config.client()
    except relay_config.RelayNotConnected:
        return None
    return pull_inbox(relay, stop=_Stop(ctx))  # type: ignore[arg-type]


class InboxTimer(QObject):
    pulled = Signal(object)  # the ApplyResult (None: no relay connected)

    def __init__(self, window: QWidget, interval_ms: int = INTERVAL_MS) -> None:
        super().__init__(window)
        self.window = window
        self.timer = QTimer(self)
        self.timer.setInterval(interval_ms)
        self.timer.timeout.connect(self.tick)
        self._running: Operation | None = None
        self.timer.start()
        QTimer.singleShot(FIRST_PULL_MS, self, self.tick)

    def tick(self) -> None:
        if self._running is not None:  # a long pull is still applying: never two from this window
            return
        self._running = Operation(self.window, pull_once, success=self._done, job=RELAY_QUEUE,
                                  title=self.tr("Relay events"))
        self._running.failure(self._failed).run()

    def _done(self, result: object) -> None:
        self._running = None
        self.pulled.emit(result)

    def _failed(self, exc: BaseException) -> None:
        self._running = None
        announce(PULL_CHANGES, self.window)
        log.warning("relay pull failed: %s", exc)
