"""The シナリオ page (step delivery) and the window's one-minute timer that sends what is due."""

from __future__ import annotations

from PySide6.QtWidgets import QWidget


def scenarios_page(parent: QWidget) -> QWidget:
    from shopline.ui.scenarios.page import ScenariosPage

    return ScenariosPage(parent)


def start_due_timer(window: QWidget) -> QWidget | None:
    """While the window is open, run-due every minute off the UI thread (see timer.py)."""
    from shopline.ui.scenarios.timer import DueTimer

    return DueTimer(window)
