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
QUEUE = "count index"
QUIET_MS = 1_500  # after the last write: imports and syncs announce in bursts, and counts come first


class IndexWarmer(QObject):
    def __init__(self, parent: QObject) -> None:
        super().__init__(parent)
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(QUIET_MS)
        self._timer.timeout.connect(self._warm)
        self._running = self._again = self._active = False
        self.loaded = 0  # pieces loaded by the last round (the tests read it)
        bus().changed.connect(self._changed)

    def start(self) -> None:
        """Once the store is open: load soon, and again after each write."""
        self._active = True
        self._timer.start()

    def stop(self) -> None:
        """The window is closing: the store may close next, and another window's writes are not ours to follow."""
        self._active = self._again = False
        self._timer.stop()

    def _changed(self, changes: Changes, _initiator: object) -> None:
        if self._active and _FEEDS.touches(changes):
            self._timer.start()

    def _warm(self) -> None:
        if not self._active:
            return
        if self._running:
            self._again = True  # a write landed while this round ran: one more after it
            return
        self._running = True
        # Its own one-thread queue: the two shared threads stay free for the pages' reads, which a shop owner waits
        # for, while a million friends' index loads for seconds.
        Operation(self, lambda _ctx: segment_sql.warm_index(), success=self._done, job=QUEUE
                  ).failure(self._failed).run()

    def _done(self, loaded: int) -> None:
        self.loaded, self._running = loaded, False
        if self._again:
            self._again = False
            self._timer.start()

    def _failed(self, _exc: BaseException) -> None:
        self._running = False  # a count will load what it needs itself; nothing for the shop owner to do
