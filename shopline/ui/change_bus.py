"""One app-wide "this changed" signal, and the one policy pages follow on it (Anki's operation_did_execute).

A write — an operation, an undo, a sync, another process seen through the database — is announced once
with its `Changes`. A page that shows any of those things refreshes at once if it is visible, or marks
itself stale and refreshes when it is next shown: a hidden page costs nothing, a visible one is never stale.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QEvent, QObject, Signal
from PySide6.QtWidgets import QWidget

from shopline.core.changes import Changes


class ChangeBus(QObject):
    changed = Signal(object, object)  # Changes, and the object whose action caused it (or None)


_bus: ChangeBus | None = None


def bus() -> ChangeBus:
    global _bus
    if _bus is None:
        _bus = ChangeBus()
    return _bus


def announce(changes: Changes, initiator: object | None = None) -> None:
    if changes:
        bus().changed.emit(changes, initiator)


class Follow(QObject):
    """Keeps one widget's view current: `refresh(changes, initiator)` now if shown, else on its next Show event
    (then with the changes merged and no initiator: several writes may have happened meanwhile)."""

    def __init__(self, widget: QWidget, watches: Changes, refresh: Callable[[Changes, object | None], None]) -> None:
        super().__init__(widget)
        self._widget, self._watches, self._refresh = widget, watches, refresh
        self._pending = Changes()
        widget.installEventFilter(self)
        bus().changed.connect(self._on_changed)

    @property
    def stale(self) -> bool:
        return bool(self._pending)

    def _on_changed(self, changes: Changes, initiator: object) -> None:
        if not self._watches.touches(changes):
            return
        if self._widget.isVisible():
            self._refresh(changes, initiator)
        else:
            self._pending = self._pending | changes

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt's name
        if watched is self._widget and event.type() == QEvent.Type.Show and self._pending:
            pending, self._pending = self._pending, Changes()
            self._refresh(pending, None)
        return False
