"""The window's one "friends or tags changed" signal, apart from the commands that fire it (no store import)."""

from __future__ import annotations

from PySide6.QtCore import QObject, Signal


class DataNotifier(QObject):
    """Tells the pages that friends or tags changed, after a command's write is done."""

    changed = Signal()
