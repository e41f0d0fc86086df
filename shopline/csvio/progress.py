"""Progress and cancellation for a long import: a few reports a second, a cancel flag polled often."""

from __future__ import annotations

import time
from collections.abc import Callable

from shopline.core.messages import Text
from shopline.csvio.errors import ImportCancelled

REPORT_INTERVAL = 0.25  # seconds: a progress bar needs no more, and a Qt signal per row would flood the UI


class Ticker:
    """Counts rows through two phases (reading, then writing), each weighing half of the total."""

    def __init__(self, progress: Callable[[int, int], None] | None, cancelled: Callable[[], bool] | None,
                 total: int) -> None:
        self._progress = progress
        self._cancelled = cancelled
        self.total = total
        self._read = 0
        self._written = 0
        self._last = 0.0

    def read(self, rows: int) -> None:
        self._read = rows
        self._tick()

    def wrote(self, rows: int) -> None:
        self._written += rows
        self._tick()

    def finish(self) -> None:
        if self._progress:
            self._progress(self.total, self.total)

    def _tick(self) -> None:
        if self._cancelled and self._cancelled():
            raise ImportCancelled(Text("読み込みを取り消しました。データベースは読み込み前のままです。",
                                       "Import cancelled. The database is as it was before."))
        if self._progress:
            now = time.monotonic()
            if now - self._last >= REPORT_INTERVAL:
                self._last = now
                done = (min(self._read, self.total) + min(self._written, self.total)) // 2
                self._progress(done, self.total)
