"""What every bubble editor shares: an `edited` signal, and the reasons LINE would refuse the bubble."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QLabel, QVBoxLayout, QWidget

from shopline.core.drafts import Bubble

ERROR_STYLE = "color: #c62828;"


class BubbleEditor(QWidget):
    edited = Signal(object)  # the bubble as the shop has just changed it

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._loading = False
        self.layout_ = QVBoxLayout(self)
        self.layout_.setContentsMargins(0, 0, 0, 0)
        self.problem = QLabel(self)
        self.problem.setWordWrap(True)
        self.problem.setStyleSheet(ERROR_STYLE)
        self.problem.hide()

    def finish_layout(self) -> None:
        """Called by subclasses once their fields are in: the reasons go last, under the fields."""
        self.layout_.addWidget(self.problem)
        self.layout_.addStretch(1)

    def set_bubble(self, bubble: Bubble) -> None:
        # Loading is not editing: without the flag, showing a bubble would push an undo command.
        self._loading = True
        try:
            self.load(bubble)
        finally:
            self._loading = False

    def load(self, bubble: Bubble) -> None:
        raise NotImplementedError

    def emit_edit(self, bubble: Bubble) -> None:
        if not self._loading:
            self.edited.emit(bubble)

    def show_problems(self, reasons: list[str]) -> None:
        self.problem.setText("\n".join(f"⚠ {r}" for r in reasons))
        self.problem.setVisible(bool(reasons))
