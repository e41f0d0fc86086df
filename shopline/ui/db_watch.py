"""Noticing changes the window did not make (the `shopline` command, a second window) and saying so.

A timer asks the database every POLL_MS whether another connection committed; the answer is a
counter read that costs microseconds, so it runs on the UI thread. Our own writes are made on other
connections too and are seen as well: the pages' refresh keeps the shop's place, so that is harmless.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, QTimer, Signal

if TYPE_CHECKING:
    from shopline.store.data_version import DataVersion

log = logging.getLogger(__name__)

POLL_MS = 1_500


class DatabaseWatcher(QObject):
    changed = Signal()  # someone committed to the database since the last poll

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._watch: DataVersion | None = None
        self.timer = QTimer(self)
        self.timer.setInterval(POLL_MS)
        self.timer.timeout.connect(self.poll)

    def start(self) -> None:
        """Watch the store that is open now (after store.open_store)."""
        from shopline.store.data_version import watch_open_store

        self.stop()
        try:
            self._watch = watch_open_store()
        except Exception:  # noqa: BLE001 - without the watch the window still works; it only refreshes less
            log.exception("cannot watch the database for changes made elsewhere")
            return
        self.timer.start()

    def poll(self) -> None:
        if self._watch is not None and self._watch.changed():
            self.changed.emit()

    def stop(self) -> None:
        self.timer.stop()
        if self._watch is not None:
            self._watch.close()
            self._watch = None
