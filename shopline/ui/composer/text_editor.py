"""A text bubble, with a counter to LINE's 5,000 characters counted as LINE counts them, and a menu of
placeholders ({表示名}, the shop's custom fields) that makes the text personal."""

from __future__ import annotations

from PySide6.QtWidgets import QHBoxLayout, QLabel, QMenu, QPlainTextEdit, QToolButton, QWidget

from shopline.core.drafts import MAX_TEXT_LENGTH, Bubble, TextBubble, text_length
from shopline.core.placeholders import is_personal
from shopline.ui.composer.editor_base import ERROR_STYLE, BubbleEditor


class TextEditor(BubbleEditor):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.text = QPlainTextEdit(self)
        self.text.setPlaceholderText(self.tr("Write the message here."))
        self.text.textChanged.connect(self._changed)
        self.counter = QLabel(self)
        self.personal = QLabel(self)
        self.personal.setWordWrap(True)
        self.insert_button = QToolButton(self)
        self.insert_button.setText(self.tr("Insert placeholder"))
        self.insert_button.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        self.menu = QMenu(self.insert_button)
        self.insert_button.setMenu(self.menu)
        self.set_fields([])
        head = QHBoxLayout()
        head.addWidget(QLabel(self.tr("Text"), self), 1)
        head.addWidget(self.insert_button)
        self.layout_.addLayout(head)
        self.layout_.addWidget(self.text, 1)
        self.layout_.addWidget(self.counter)
        self.layout_.addWidget(self.personal)
        self.finish_layout()
        self._count()

    def set_fields(self, names: list[str]) -> None:
        """The menu: the display name (with and without a fallback), then each custom field."""
        self.menu.clear()
        self.menu.addAction(self.tr("Display name"), lambda: self.insert("{表示名}"))
        self.menu.addAction(self.tr("Display name, or お客様 when there is none"),
                            lambda: self.insert("{表示名|お客様}"))
        if names:
            self.menu.addSeparator()
        for name in names:
            self.menu.addAction(name, lambda n=name: self.insert("{" + n + "}"))

    def insert(self, placeholder: str) -> None:
        """Typed at the cursor, as if the shop had typed it (one undo step with the typing around it)."""
        self.text.textCursor().insertText(placeholder)
        self.text.setFocus()

    def load(self, bubble: Bubble) -> None:
        assert isinstance(bubble, TextBubble)
        if self.text.toPlainText() != bubble.text:  # keeps the cursor where the shop is typing
            self.text.setPlainText(bubble.text)
        self._count()

    def _count(self) -> None:
        text = self.text.toPlainText()
        n = text_length(text)
        self.counter.setText(f"{n:,} / {MAX_TEXT_LENGTH:,}")
        self.counter.setStyleSheet(ERROR_STYLE if n > MAX_TEXT_LENGTH else "")
        self.personal.setText(self.tr("Personal: each friend gets their own text, one message each.")
                              if is_personal(text) else "")
        self.personal.setVisible(is_personal(text))

    def _changed(self) -> None:
        self._count()
        self.emit_edit(TextBubble(self.text.toPlainText()))
