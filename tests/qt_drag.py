"""Drags in tests: a real drag-enter, drag-move and drop on a widget, and drags started by the mouse.

QDrag.exec blocks (it runs the platform's drag loop), so tests either send the three events
themselves with the app's own QMimeData (drop_on), or start the drag as a person does, by a
press and a move on the widget under the mouse, and catch the QDrag the app builds to deliver
its data where the mouse lets go (MouseDrag).
"""

from __future__ import annotations

from dataclasses import dataclass, field

import pytest
from PySide6.QtCore import QMimeData, QPoint, QPointF, Qt
from PySide6.QtGui import QDrag, QDragEnterEvent, QDragMoveEvent, QDropEvent
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QWidget
from shiboken6 import isValid

COPY_OR_MOVE = Qt.DropAction.CopyAction | Qt.DropAction.MoveAction
LEFT = Qt.MouseButton.LeftButton


def drop_on(widget: QWidget, pos: QPoint, mime: QMimeData, actions: Qt.DropAction = COPY_OR_MOVE) -> bool:
    """Whether the widget took the drop; False as soon as it refuses the enter or the move."""
    buttons, mods = Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier
    for kind in (QDragEnterEvent, QDragMoveEvent):
        event = kind(pos, actions, mime, buttons, mods)
        QApplication.sendEvent(widget, event)
        if not event.isAccepted():
            return False
    drop = QDropEvent(QPointF(pos), actions, mime, buttons, mods)
    QApplication.sendEvent(widget, drop)
    return drop.isAccepted()


def drop_target(widget: QWidget, pos: QPoint) -> tuple[QWidget, QPoint] | None:
    """The widget Qt would offer a drop at pos (of widget): the deepest one there that accepts drops."""
    top = widget.window()
    at = widget.mapTo(top, pos)
    found = top.childAt(at) or top
    while found is not None and not (found.acceptDrops() and found.isEnabled()):
        found = None if found.isWindow() else found.parentWidget()
    return (found, found.mapFrom(top, at)) if found is not None else None


@dataclass
class MouseDrag:
    """Press on `source`, move past the drag distance on it, and let go at `target` (a widget and a point in it).

    Install with `drag.install(monkeypatch)`; `mime` is what the app put on the drag,
    `taken` whether the widget under the drop point took it.
    """

    mime: QMimeData | None = None
    taken: bool = False
    started: int = 0
    _target: tuple[QWidget, QPoint] | None = field(default=None, repr=False)

    def install(self, monkeypatch: pytest.MonkeyPatch) -> MouseDrag:
        monkeypatch.setattr(QDrag, "exec", lambda drag, *args: self.exec(drag, *args))
        return self

    def exec(self, drag: QDrag, *_args: object) -> Qt.DropAction:
        self.started += 1
        self.mime = drag.mimeData()
        if self._target is None:
            return Qt.DropAction.IgnoreAction
        found = drop_target(*self._target)
        self.taken = found is not None and drop_on(found[0], found[1], self.mime)
        return Qt.DropAction.MoveAction if self.taken else Qt.DropAction.IgnoreAction

    def run(self, source: QWidget, target: QWidget | None, at: QPoint | None = None,
            start: QPoint | None = None) -> bool:
        """The whole gesture; returns whether a drag started and its drop was taken."""
        start = start if start is not None else source.rect().center()
        self._target = (target, at if at is not None else target.rect().center()) if target is not None else None
        self.mime, self.taken, started = None, False, self.started
        QTest.mousePress(source, LEFT, Qt.KeyboardModifier.NoModifier, start)
        step = QPoint(QApplication.startDragDistance() + 4, 0)
        QTest.mouseMove(source, start + step)
        if isValid(source):  # a drop rebuilds the canvas; the pressed widget may be gone
            QTest.mouseRelease(source, LEFT, Qt.KeyboardModifier.NoModifier, start + step)
        return self.started > started and self.taken
