"""The relay in the window: 設定 → リレー (connect, test, disconnect, point LINE's webhook at it) and the
one-minute timer that pulls its events while the window is open."""

from __future__ import annotations

from PySide6.QtWidgets import QWidget

RELAY_QUEUE = "relay"  # the relay's own job queue: a slow pull never waits behind a LINE send, nor holds one up


def relay_tab(parent: QWidget) -> QWidget:
    from shopline.ui.relay.settings_tab import RelayTab

    return RelayTab(parent)


def start_inbox_timer(window: QWidget) -> QWidget | None:
    """While the window is open, pull the relay every minute off the UI thread (see timer.py)."""
    from shopline.ui.relay.timer import InboxTimer

    return InboxTimer(window)


def pull_now(widget: QWidget) -> None:
    """Pull at once rather than at the next minute (the relay was just connected), when the window has its timer."""
    from shopline.ui.relay.timer import InboxTimer

    timer = widget.window().findChild(InboxTimer)
    if timer is not None:
        timer.tick()
