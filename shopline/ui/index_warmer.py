"""Keeps the count engine's index loaded in the background, so the segment builder's first change after the
window opens, an import or a sync counts from memory instead of reading a million friends while the shop
owner waits (issue 21: change to count on screen within 100 ms at 1,000,000 friends)."""

from __future__ import annotations

from PySide6.QtCore import QObject, QTimer

from shopline.core.changes import Changes
from shopline.store import segment_sql
from shopline.ui.change_bus import bus
from shopline.ui.operations import Operation

# What a count reads: after a write to any of these the engine may have dropped pieces (a table written whole).
_FEEDS = Changes(friends=True, tags=True, fields=True, purchases=True)
QUIET_MS = 1_500  # after the last write: imports and syncs announce in bursts, and counts come first


class IndexWarmer(QObject):
    def __init__(self, parent: QObject) -> None:
        super().__init__(parent)
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(QUIET_MS)
        self._timer.timeout.connect(self._warm)
        self._running = self._again = False
        self.loaded = 0  # pieces loaded by the last round (the tests read it)
        bus().changed.connect(self._changed)

    def start(self) -> None:
        self._timer.start()

    def _changed(self, changes: Changes, _initiator: object) -> None:
        if _FEEDS.touches(changes):
            self._timer.start()

    def _warm(self) -> None:
        if self._running:
            self._again = True  # a write landed while this round ran: one more after it
            return
        self._running = True
        Operation(self, lambda _ctx: segment_sql.warm_index(), success=self._done).failure(self._failed).run()

    def _done(self, loaded: int) -> None:
        self.loaded, self._running = loaded, False
        if self._again:
            self._again = False
            self._timer.start()

    def _failed(self, _exc: BaseException) -> None:
        self._running = False  # a count will load what it needs itself; nothing for the shop owner to do
