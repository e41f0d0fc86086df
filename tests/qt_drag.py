"""A real drag-enter, drag-move and drop on a widget, as Qt sends them during QDrag.exec.

QDrag.exec blocks, so tests send the three events themselves with the app's own QMimeData.
"""

from __future__ import annotations

from PySide6.QtCore import QMimeData, QPoint, QPointF, Qt
from PySide6.QtGui import QDragEnterEvent, QDragMoveEvent, QDropEvent
from PySide6.QtWidgets import QApplication, QWidget

COPY_OR_MOVE = Qt.DropAction.CopyAction | Qt.DropAction.MoveAction


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
