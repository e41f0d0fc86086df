"""Python's cycle collector, run on the UI thread only.

Left to itself the collector runs on whichever thread happens to allocate when a
threshold is crossed; with Operations on pool threads that is often a worker, which
then frees Qt wrappers (widgets, QStandardItems) that belong to the UI thread. Seen
here as a segfault "Garbage-collecting" in a worker and as "Internal C++ object
(QStandardItem) already deleted" in a tag list being rebuilt. Anki and pyqtgraph do the
same: automatic collection off, the same generational thresholds checked from a UI timer.
Reference counting still frees everything outside cycles at once, on any thread.
"""

from __future__ import annotations

import gc

from PySide6.QtCore import QObject, QTimer

INTERVAL_MS = 500

_installed: Collector | None = None


class Collector(QObject):
    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.threshold = gc.get_threshold()
        self.timer = QTimer(self)
        self.timer.setInterval(INTERVAL_MS)
        self.timer.timeout.connect(self.check)

    def start(self) -> None:
        gc.disable()
        self.timer.start()

    def stop(self) -> None:
        self.timer.stop()
        gc.enable()

    def check(self) -> int:
        """Collect the generations whose counts passed their thresholds, as automatic collection would."""
        counts = gc.get_count()
        generation = -1
        for gen in range(3):
            if counts[gen] > self.threshold[gen]:
                generation = gen
        return gc.collect(generation) if generation >= 0 else 0


def install(app: QObject) -> Collector:
    """Move collection onto the UI thread for the application's lifetime (idempotent)."""
    global _installed
    if _installed is None:
        _installed = Collector(app)
        _installed.start()
    return _installed


def check() -> int:
    """Collect now if thresholds were passed (tests call it between tests, where no timer runs)."""
    return _installed.check() if _installed is not None else 0
