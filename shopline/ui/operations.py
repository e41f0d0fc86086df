"""Work off the UI thread, in the manner of Anki's QueryOp/CollectionOp.

    Operation(parent, lambda ctx: import_csv(path, progress=ctx.progress, cancelled=ctx.cancelled),
              success=show_report, writes=True).failure(show_error).with_progress(bar.update).run()

The work function runs on a pool thread with its own database connection; success and
failure callbacks run on the UI thread (delivered by a queued signal). Progress is only
recorded by the worker and polled by a UI timer a few times a second, so a loop reporting
every row costs nothing.

Three kinds of work, three places to run:
- reads run on Qt's global pool, side by side;
- local writes (`writes=True`: a tag edit, an import, an undo) share a one-thread pool, one at a time,
  each a short transaction;
- network jobs (`job=QUEUE`: send, resume, sync) run on their queue's own thread, one job per queue at a
  time, writing through short transactions between requests. A send waiting out LINE's backoff never
  holds the writer: a tag edit made meanwhile is written at once (Vorta's jobs manager, Anki's taskman).

A successful result's `Changes` (shopline.core.changes) is announced once on the app-wide change bus, so
every page showing what changed refreshes — whoever asked for the work.
"""

from __future__ import annotations

import itertools
import logging
import threading
from collections.abc import Callable
from typing import Any

import shiboken6
from PySide6.QtCore import QObject, QRunnable, Qt, QThreadPool, QTimer, Signal
from PySide6.QtWidgets import QMessageBox, QWidget

from shopline.core.changes import Changes, changes_of
from shopline.core.messages import ShopLineError
from shopline.ui.change_bus import announce

log = logging.getLogger(__name__)

PROGRESS_INTERVAL_MS = 200
LINE_QUEUE = "line"  # the network queue of the shop's one LINE channel: send, resume, sync, test sends
_writer_pool: QThreadPool | None = None
_job_pools: dict[str, QThreadPool] = {}  # one thread per network queue (LINE's limits are per channel)
_running: dict[int, Operation] = {}  # operations whose work has not answered yet
_keys = itertools.count(1)  # never reused, unlike id(): a late answer cannot reach a newer operation


def writer_pool() -> QThreadPool:
    global _writer_pool
    if _writer_pool is None:
        _writer_pool = QThreadPool()
        _writer_pool.setMaxThreadCount(1)
    return _writer_pool


def job_pool(queue: str) -> QThreadPool:
    pool = _job_pools.get(queue)
    if pool is None:
        pool = _job_pools[queue] = QThreadPool()
        pool.setMaxThreadCount(1)
    return pool


def running_jobs(queue: str | None = None) -> list[Operation]:
    """Network jobs started and not yet answered (all queues, or one), oldest first."""
    return [op for op in _running.values() if op.queue is not None and (queue is None or op.queue == queue)]


def wait_idle(msecs: int = 30_000, *, cancel: bool = False) -> bool:
    """Block until every operation's work has returned (at shutdown, and in tests)."""
    if cancel:
        for op in list(_running.values()):
            op.cancel()
    done = all([pool.waitForDone(msecs) for pool in _job_pools.values()])
    done = QThreadPool.globalInstance().waitForDone(msecs) and done
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


class _Dispatcher(QObject):
    """The only QObject operations use, alive as long as the application.

    Operations are plain Python objects. Each used to be a QObject child of the widget
    that asked, deleted with deleteLater() once answered; PySide6 6.11 crashed in
    ~QObject on about one run in four under load. Nothing here is destroyed now: jobs
    emit on this object, and the UI thread looks the operation up and checks that the
    widget that asked still exists before calling back.
    """

    finished = Signal(int, object)
    failed = Signal(int, object)

    def __init__(self) -> None:
        super().__init__()
        # Progress is polled a few times a second by one timer, however many operations run.
        self.poll = QTimer(self)
        self.poll.setInterval(PROGRESS_INTERVAL_MS)
        self.poll.timeout.connect(self.poll_progress)

    def deliver_finished(self, key: int, result: object) -> None:
        op = _running.pop(key, None)
        if op is not None and op.owner_alive():
            op._on_finished(result)
        elif op is not None:  # the asking widget is gone, but the data did change: the other pages still care
            announce(op._changes | changes_of(result), None)

    def deliver_failed(self, key: int, exc: object) -> None:
        op = _running.pop(key, None)
        if op is not None and op.owner_alive():
            op._on_failed(exc)  # type: ignore[arg-type]
        elif op is not None:
            announce(op._changes, None)

    def poll_progress(self) -> None:
        watched = [op for op in _running.values() if op._progress is not None]
        for op in watched:
            if op.owner_alive():
                op._poll_progress()
        if not watched:
            self.poll.stop()


_dispatcher: _Dispatcher | None = None


def dispatcher() -> _Dispatcher:
    global _dispatcher
    if _dispatcher is None:
        _dispatcher = _Dispatcher()
        # Queued: a job emits from a pool thread, the operation runs its callbacks on the UI thread.
        _dispatcher.finished.connect(_dispatcher.deliver_finished, Qt.ConnectionType.QueuedConnection)
        _dispatcher.failed.connect(_dispatcher.deliver_failed, Qt.ConnectionType.QueuedConnection)
    return _dispatcher


class _Job(QRunnable):
    def __init__(self, work: Callable[[OpContext], Any], ctx: OpContext, key: int) -> None:
        super().__init__()
        self.setAutoDelete(True)
        self._work, self._ctx, self._key = work, ctx, key

    def run(self) -> None:
        from shopline.store import db  # here, not at import: the window is drawn before peewee loads

        relay = dispatcher()
        try:
            with db.connection_context():
                result = self._work(self._ctx)
        except BaseException as exc:  # noqa: BLE001 - every failure goes back to the UI thread
            relay.failed.emit(self._key, exc)
        else:
            relay.finished.emit(self._key, result)


class Operation:
    """One piece of background work with success/failure callbacks on the UI thread.

    `owner` is the widget that asked: if it is closed before the work returns, the
    callbacks are dropped (the work itself still finishes; writes are never cut short).
    """

    def __init__(
        self,
        owner: QObject,
        work: Callable[[OpContext], Any],
        *,
        success: Callable[[Any], None] | None = None,
        writes: bool = False,
        job: str | None = None,
        changes: Changes | None = None,
        title: str = "",
    ) -> None:
        """`job`: the network queue to run on instead of the writer; `changes`: what the work changes when its
        result does not say (a result's own `changes` is announced too); `title`: how a job is named on screen."""
        self.owner = owner
        self.context = OpContext()
        self._work = work
        self._success = success
        self._failure: Callable[[BaseException], None] | None = None
        self._progress: Callable[[int, int], None] | None = None
        self._writes = writes
        self.queue = job
        self.title = title
        self._changes = changes or Changes()
        self._shown = (-1, -1)
        self._key = next(_keys)

    def failure(self, callback: Callable[[BaseException], None]) -> Operation:
        self._failure = callback
        return self

    def with_progress(self, callback: Callable[[int, int], None]) -> Operation:
        self._progress = callback
        return self

    def run(self) -> Operation:
        relay = dispatcher()  # made on the UI thread, before any job can emit on it
        _running[self._key] = self
        if self._progress is not None and not relay.poll.isActive():
            relay.poll.start()
        if self.queue is not None:
            pool = job_pool(self.queue)
        else:
            pool = writer_pool() if self._writes else QThreadPool.globalInstance()
        pool.start(_Job(self._work, self.context, self._key))
        return self

    def cancel(self) -> None:
        self.context.cancel()

    def owner_alive(self) -> bool:
        return shiboken6.isValid(self.owner)

    def _poll_progress(self) -> None:
        current = (self.context.done, self.context.total)
        if current != self._shown and self._progress is not None:
            self._shown = current
            self._progress(*current)

    def _finish(self) -> tuple[Callable[[Any], None] | None, Callable[[BaseException], None] | None]:
        callbacks = self._success, self._failure
        # The callbacks usually hold the owner: drop them so nothing keeps a closed widget alive.
        self._success = self._failure = self._progress = None
        return callbacks

    def _on_finished(self, result: object) -> None:
        success, _failure = self._finish()
        if success is not None:
            success(result)
        announce(self._changes | changes_of(result), self.owner)

    def _announce_partial(self) -> None:
        """A job that failed or stopped may still have written (a paused send's journal): say so."""
        if self._changes:
            announce(self._changes, self.owner)

    def _on_failed(self, exc: BaseException) -> None:
        _success, failure = self._finish()
        if failure is not None:
            failure(exc)
        else:
            show_error(self.owner, exc)
        self._announce_partial()


class Latest:
    """For a view that reloads: only the newest request's answer is shown.

    Two reloads can overlap (a change, then another); the older one may answer last
    and would put back what the newer one replaced.
    """

    def __init__(self) -> None:
        self._generation = 0

    def forget(self) -> None:
        """Drop whatever answer is still on its way (what it was about has changed)."""
        self._generation += 1

    def __call__(self, callback: Callable[[Any], None]) -> Callable[[Any], None]:
        self._generation += 1
        mine = self._generation

        def deliver(result: Any) -> None:
            if mine == self._generation:
                callback(result)

        return deliver


def show_error(parent: QObject | None, exc: BaseException) -> None:
    """A sentence for the shop owner; a traceback in the log when it is our bug, not their data."""
    if not isinstance(exc, ShopLineError):
        log.error("background operation failed", exc_info=exc)
    widget = _widget_of(parent)
    if widget is not None and not widget.window().isVisible():
        # Its window was closed while the work ran (or the app is shutting down): there is nobody to tell, and a
        # modal box for a window that is gone would hold up whatever runs now. The log keeps it.
        log.warning("background operation failed after its window closed: %s", exc)
        return
    QMessageBox.warning(widget, "ShopLine", str(exc))


def _widget_of(owner: QObject | None) -> QWidget | None:
    """The widget an owner belongs to: itself, or the nearest widget among its parents (a model's view page)."""
    while owner is not None and not isinstance(owner, QWidget):
        owner = owner.parent()
    return owner
