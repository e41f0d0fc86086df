"""While the window is open: `run_due` every minute on the LINE queue (never the UI thread), and the status
bar's estimate of what automations will still spend this month.

Quietly does nothing without a connected channel or with nothing active; another runner holding the lease
(`shopline run-due` from the OS scheduler) is no error either. A failure is logged, not shown every minute:
the scenario's page says when one is paused, and why.
"""

from __future__ import annotations

import logging

from PySide6.QtCore import QObject, QTimer
from PySide6.QtWidgets import QLabel, QMainWindow, QWidget

from shopline.core.changes import Changes
from shopline.core.messages import ShopLineError
from shopline.ui.operations import LINE_QUEUE, Operation

log = logging.getLogger(__name__)
INTERVAL_MS = 60_000


def _run_once() -> object:
    from shopline import secrets
    from shopline.automations.lease import LeaseHeld
    from shopline.automations.runner import run_due
    from shopline.automations.stats import anything_active

    if not anything_active():
        return None
    try:
        token = secrets.channel_token()
    except ShopLineError:
        return None  # not connected: nothing can be sent, and the channel page says so
    try:
        return run_due(token=token)
    except LeaseHeld:
        return None


def _expected() -> int:
    from shopline.automations.stats import expected_automation_use

    return expected_automation_use()


class DueTimer(QObject):
    def __init__(self, window: QWidget) -> None:
        super().__init__(window)
        self.window = window
        self.label = QLabel(window)
        self.label.setToolTip(self.tr("Scheduled, recurring and scenario sends expected for the rest of the month"))
        if isinstance(window, QMainWindow):
            window.statusBar().addPermanentWidget(self.label)
        self.timer = QTimer(self)
        self.timer.setInterval(INTERVAL_MS)
        self.timer.timeout.connect(self.tick)
        self._running: Operation | None = None
        self.timer.start()
        self.show_expected()

    def tick(self) -> None:
        if self._running is not None:  # the last run is still sending: never two from this window
            return
        self._running = Operation(self.window, lambda _ctx: _run_once(), success=self._done, job=LINE_QUEUE,
                                  changes=Changes(automations=True), title=self.tr("Automations"))
        self._running.failure(self._failed).run()

    def _done(self, _report: object) -> None:
        self._running = None
        self.show_expected()

    def _failed(self, exc: BaseException) -> None:
        self._running = None
        log.warning("automations run failed: %s", exc)

    def show_expected(self) -> None:
        Operation(self.window, lambda _ctx: _expected(), success=self._show).failure(lambda _exc: None).run()

    def _show(self, count: int) -> None:
        self.label.setText(self.tr("Automations: about %1 more this month").replace("%1", f"{count:,}")
                           if count else "")
