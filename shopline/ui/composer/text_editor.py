"""A text bubble, with a counter to LINE's 5,000 characters counted as LINE counts them."""

from __future__ import annotations

from PySide6.QtWidgets import QLabel, QPlainTextEdit, QWidget

from shopline.core.drafts import MAX_TEXT_LENGTH, Bubble, TextBubble, text_length
from shopline.ui.composer.editor_base import ERROR_STYLE, BubbleEditor


class TextEditor(BubbleEditor):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.text = QPlainTextEdit(self)
        self.text.setPlaceholderText(self.tr("Write the message here."))
        self.text.textChanged.connect(self._changed)
        self.counter = QLabel(self)
        self.layout_.addWidget(QLabel(self.tr("Text"), self))
        self.layout_.addWidget(self.text, 1)
        self.layout_.addWidget(self.counter)
        self.finish_layout()
        self._count()

    def load(self, bubble: Bubble) -> None:
        assert isinstance(bubble, TextBubble)
        if self.text.toPlainText() != bubble.text:  # keeps the cursor where the shop is typing
            self.text.setPlainText(bubble.text)
        self._count()

    def _count(self) -> None:
        n = text_length(self.text.toPlainText())
        self.counter.setText(f"{n:,} / {MAX_TEXT_LENGTH:,}")
        self.counter.setStyleSheet(ERROR_STYLE if n > MAX_TEXT_LENGTH else "")

    def _changed(self) -> None:
        self._count()
        self.emit_edit(TextBubble(self.text.toPlainText()))
