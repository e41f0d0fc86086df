"""該当する友だち N人: the segment's count, kept live off the UI thread.

The first change after a quiet spell is counted at once (the 100 ms promise
leaves no room to wait); changes following it within the debounce window are
counted once, when the window closes. While a count runs the next one waits
for it, so two counts never compete for the two cores. Every change bumps a generation;
an answer for an older generation is dropped, so the label never shows the
count of a tree that is no longer on the canvas.
"""

from __future__ import annotations

import time
from collections.abc import Callable

from PySide6.QtCore import QTimer, Signal
from PySide6.QtWidgets import QLabel, QWidget

from shopline.core.segments import Node
from shopline.store import segment_sql
from shopline.ui.operations import Operation

DEBOUNCE_MS = 80


class LiveCount(QLabel):
    counted = Signal(int)  # a count that was shown: (the latest tree's) number of friends
    latency = Signal(float)  # seconds from the change to the count on screen, for the benchmark

    def __init__(self, parent: QWidget | None = None, count: Callable[[Node], int] = segment_sql.count) -> None:
        super().__init__(parent)
        self._count = count
        self._tree: Node | None = None
        self._generation = 0
        self._running = False
        self._asked = 0  # the generation of the last count started
        self._changed_at = 0.0
        self.value: int | None = None
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(DEBOUNCE_MS)
        self._timer.timeout.connect(self._start)
        self.setObjectName("count")
        self.setWordWrap(True)  # the hint shown for an empty canvas must not widen the window
        self.setStyleSheet("#count { font-size: 15px; font-weight: bold; }")
        self._show_empty()

    def recount(self) -> None:
        """The same tree over changed data (friends tagged elsewhere): count it again."""
        tree, self._tree = self._tree, None
        self.set_tree(tree)

    def set_tree(self, tree: Node | None) -> None:
        if tree == self._tree and self._generation:
            return  # e.g. a one-item group made or undone: same friends, no query
        self._generation += 1
        self._tree = tree
        self._changed_at = time.perf_counter()
        if tree is None:
            self._timer.stop()
            self._show_empty()
        elif not (self._timer.isActive() or self._running):
            self._start()
            self._timer.start()
        # otherwise the window's end, or the running count's, picks this tree up

    def _start(self) -> None:
        tree, generation = self._tree, self._generation
        if self._running or tree is None or generation == self._asked:
            return
        self._running, self._asked = True, generation
        count = self._count
        Operation(self, lambda _ctx: count(tree),
                  success=lambda n: self._finished(generation, n)
                  ).failure(lambda exc: self._finished(generation, exc)).run()

    def _finished(self, generation: int, result: int | BaseException) -> None:
        self._running = False
        if generation != self._generation:
            if not self._timer.isActive():
                self._start()  # the tree changed while this one ran: count what is there now
            return
        if isinstance(result, BaseException):
            self.value = None
            self.setText(self.tr("Cannot count: {reason}").format(reason=result))
            return
        self.value = result
        self.setText(self.tr("Matching friends: {n:,}").format(n=result))
        self.counted.emit(result)
        self.latency.emit(time.perf_counter() - self._changed_at)

    def _show_empty(self) -> None:
        self.value = None
        self.setText(self.tr("Add a tag or condition to count matching friends"))
