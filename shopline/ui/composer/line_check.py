"""LINE's own check of the draft (`validate/multicast`), while composing, when a channel is connected.

Our rules catch what we know; LINE's catch the rest before the shop gets as far
as the send dialog. It costs no quota. Offline or unconnected, nothing is shown.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QObject, QTimer, Signal

from shopline.ui.operations import Latest, Operation

DEBOUNCE_MS = 700  # a pause in typing, not every key


def check_with_line(messages: list[dict[str, Any]]) -> str:
    """LINE's reason for refusing the messages; "" when it accepts them or cannot be asked."""
    from shopline import secrets
    from shopline.line.config import LineClient
    from shopline.line.errors import LineError
    from shopline.line.validate import MessageRejected, validate_multicast

    token = secrets.token_if_connected()
    if token is None:
        return ""
    try:
        with LineClient(token) as client:
            validate_multicast(client, messages)
    except MessageRejected as rejected:
        return str(rejected)
    except LineError:
        return ""  # offline or LINE busy: the send dialog asks again before anything is frozen
    return ""


class LineCheck(QObject):
    checked = Signal()

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.rejection = ""
        self._messages: list[dict[str, Any]] = []
        self._latest = Latest()
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(DEBOUNCE_MS)
        self._timer.timeout.connect(self._run)

    def request(self, messages: list[dict[str, Any]] | None) -> None:
        """Check these LINE message objects soon; None (the draft breaks our own rules) clears it."""
        self.rejection = ""
        self._latest.forget()  # an answer still on its way is about the old draft
        if messages is None:
            self._timer.stop()
            return
        self._messages = messages
        self._timer.start()

    def _run(self) -> None:
        messages = self._messages
        Operation(self, lambda _ctx: check_with_line(messages), success=self._latest(self._answered)).run()

    def _answered(self, rejection: str) -> None:
        self.rejection = rejection
        self.checked.emit()
