"""Work off the UI thread, in the manner of Anki's QueryOp/CollectionOp.

    Operation(parent, lambda ctx: import_csv(path, progress=ctx.progress, cancelled=ctx.cancelled),
              success=show_report, writes=True).failure(show_error).with_progress(bar.update).run()

The work function runs on a pool thread with its own database connection; success and
failure callbacks run on the UI thread (delivered by a queued signal). Progress is only
recorded by the worker and polled by a UI timer a few times a second, so a loop reporting
every row costs nothing. Writers share a one-thread pool: one writer at a time.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, QRunnable, QThreadPool, QTimer, Signal
from PySide6.QtWidgets import QMessageBox, QWidget

from shopline.core.messages import ShopLineError
from shopline.store import db

log = logging.getLogger(__name__)

PROGRESS_INTERVAL_MS = 200
_writer_pool: QThreadPool | None = None
_running: dict[int, Operation] = {}  # keeps Python wrappers alive until their callbacks have run


def writer_pool() -> QThreadPool:
    global _writer_pool
    if _writer_pool is None:
        _writer_pool = QThreadPool()
        _writer_pool.setMaxThreadCount(1)
    return _writer_pool


def wait_idle(msecs: int = 30_000, *, cancel: bool = False) -> bool:
    """Block until every operation's work has returned (at shutdown, and in tests)."""
    if cancel:
        for op in list(_running.values()):
            op.cancel()
    done = QThreadPool.globalInstance().waitForDone(msecs)
    return writer_pool().waitForDone(msecs) and done


class OpContext:
    """What the work function sees: a place to report progress and a cancel flag to check."""

    def __init__(self) -> None:
        self._cancel = threading.Event()
        self.done = 0
        self.total = 0

    def progress(self, done: int, total: int) -> None:
        self.done, self.total = done, total

    def cancelled(self) -> bool:
        return self._cancel.is_set()

    def cancel(self) -> None:
        self._cancel.set()


class _Relay(QObject):
    finished = Signal(object)
    failed = Signal(object)


class _Job(QRunnable):
    def __init__(self, work: Callable[[OpContext], Any], ctx: OpContext, relay: _Relay) -> None:
        super().__init__()
        self.setAutoDelete(True)
        self._work, self._ctx, self._relay = work, ctx, relay

    def run(self) -> None:
        try:
            with db.connection_context():
                result = self._work(self._ctx)
        except BaseException as exc:  # noqa: BLE001 - every failure goes back to the UI thread
            self._emit(self._relay.failed, exc)
        else:
            self._emit(self._relay.finished, result)

    @staticmethod
    def _emit(signal: Any, value: object) -> None:
        try:
            signal.emit(value)
        except RuntimeError:
            pass  # the widget that asked was closed meanwhile; nobody is waiting for the answer


class Operation(QObject):
    """One piece of background work with success/failure callbacks on the UI thread."""

    def __init__(
        self,
        parent: QObject,
        work: Callable[[OpContext], Any],
        *,
        success: Callable[[Any], None] | None = None,
        writes: bool = False,
    ) -> None:
        super().__init__(parent)
        self.context = OpContext()
        self._work = work
        self._success = success
        self._failure: Callable[[BaseException], None] | None = None
        self._progress: Callable[[int, int], None] | None = None
        self._writes = writes
        self._shown = (-1, -1)
        self._timer = QTimer(self)
        self._timer.setInterval(PROGRESS_INTERVAL_MS)
        self._timer.timeout.connect(self._poll_progress)
        self._relay = _Relay(self)
        self._relay.finished.connect(self._on_finished)
        self._relay.failed.connect(self._on_failed)
        # The parent may be closed before the work returns: forget the operation then too.
        key = id(self)
        self.destroyed.connect(lambda *_: _running.pop(key, None))

    def failure(self, callback: Callable[[BaseException], None]) -> Operation:
        self._failure = callback
        return self

    def with_progress(self, callback: Callable[[int, int], None]) -> Operation:
        self._progress = callback
        return self

    def run(self) -> Operation:
        _running[id(self)] = self
        if self._progress is not None:
            self._timer.start()
        pool = writer_pool() if self._writes else QThreadPool.globalInstance()
        pool.start(_Job(self._work, self.context, self._relay))
        return self

    def cancel(self) -> None:
        self.context.cancel()

    def _poll_progress(self) -> None:
        current = (self.context.done, self.context.total)
        if current != self._shown and self._progress is not None:
            self._shown = current
            self._progress(*current)

    def _finish(self) -> tuple[Callable[[Any], None] | None, Callable[[BaseException], None] | None]:
        callbacks = self._success, self._failure
        # The callbacks usually hold the parent; dropping them here means deleteLater() deletes
        # only this operation, never the parent from inside its own child's destructor.
        self._success = self._failure = self._progress = None
        self._timer.stop()
        _running.pop(id(self), None)
        self.deleteLater()
        return callbacks

    def _on_finished(self, result: object) -> None:
        success, _failure = self._finish()
        if success is not None:
            success(result)

    def _on_failed(self, exc: BaseException) -> None:
        parent = self.parent()
        _success, failure = self._finish()
        if failure is not None:
            failure(exc)
        else:
            show_error(parent, exc)


def show_error(parent: QObject | None, exc: BaseException) -> None:
    """A sentence for the shop owner; a traceback in the log when it is our bug, not their data."""
    if not isinstance(exc, ShopLineError):
        log.error("background operation failed", exc_info=exc)
    widget = parent if isinstance(parent, QWidget) else None
    QMessageBox.warning(widget, "ShopLine", str(exc))
