"""The シナリオ page (step delivery) and the window's one-minute timer that sends what is due."""

from __future__ import annotations

from PySide6.QtWidgets import QWidget


def scenarios_page(parent: QWidget) -> QWidget:
    from shopline.ui.scenarios.page import ScenariosPage

    page = ScenariosPage(parent)
    show_results = getattr(parent, "show_results", None)  # the main window's 効果測定
    if show_results is not None:
        page.step_results.connect(show_results)
    return page


def start_due_timer(window: QWidget) -> QWidget | None:
    """While the window is open, run-due every minute off the UI thread (see timer.py)."""
    from shopline.ui.scenarios.timer import DueTimer

    return DueTimer(window)
