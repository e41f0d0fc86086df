"""An image bubble: HTTPS original and preview URLs, with a thumbnail when the image can be reached."""

from __future__ import annotations

from PySide6.QtCore import QRect, QSize, Qt, QTimer, Signal
from PySide6.QtGui import QColor, QImage, QPainter, QPixmap
from PySide6.QtWidgets import QCheckBox, QLabel, QLineEdit, QWidget

from shopline.core.drafts import Bubble, Draft, ImageBubble, validate
from shopline.ui.composer.editor_base import BubbleEditor
from shopline.ui.composer.thumbnails import ThumbnailFetcher

THUMB = QSize(160, 120)
FETCH_DELAY_MS = 600  # after the last keystroke: no request per character typed


def placeholder(size: QSize, text: str) -> QPixmap:
    """A grey frame with a word in it: what shows while there is no image to show."""
    pixmap = QPixmap(size)
    pixmap.fill(QColor("#eeeeee"))
    painter = QPainter(pixmap)
    painter.setPen(QColor("#9e9e9e"))
    painter.drawRect(QRect(0, 0, size.width() - 1, size.height() - 1))
    painter.drawText(pixmap.rect().adjusted(6, 6, -6, -6),
                     Qt.AlignmentFlag.AlignCenter | Qt.TextFlag.TextWordWrap, text)
    painter.end()
    return pixmap


class ImageEditor(BubbleEditor):
    thumbnail_ready = Signal(str, QImage)  # the phone preview shows the same picture

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.original = QLineEdit(self)
        self.original.setPlaceholderText("https://example.com/sale.jpg")
        self.same = QCheckBox(self.tr("Use the same URL for the preview"), self)
        self.same.setChecked(True)
        self.preview = QLineEdit(self)
        self.preview.setPlaceholderText(self.tr("https://… (JPEG or PNG, up to 1 MB)"))
        self.thumbnail = QLabel(self)
        self.thumbnail.setFixedSize(THUMB)
        self.thumb_state = "none"  # none / loading / shown / unreachable: what the thumbnail shows
        self._fetcher = ThumbnailFetcher(self)
        self._fetcher.fetched.connect(self._fetched)
        self._fetcher.failed.connect(self._failed)
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(FETCH_DELAY_MS)
        self._timer.timeout.connect(self._fetch)
        self.original.textChanged.connect(self._changed)
        self.preview.textChanged.connect(self._changed)
        self.same.toggled.connect(self._changed)
        note = QLabel(self.tr("LINE only sends images over HTTPS: JPEG or PNG, the original up to 10 MB."), self)
        note.setWordWrap(True)
        for widget in (QLabel(self.tr("Image URL"), self), self.original, self.same, self.preview, note,
                       self.thumbnail):
            self.layout_.addWidget(widget)
        self.finish_layout()
        self._show(self.tr("No image yet"), "none")

    def bubble(self) -> ImageBubble:
        original = self.original.text().strip()
        return ImageBubble(original, original if self.same.isChecked() else self.preview.text().strip())

    def load(self, bubble: Bubble) -> None:
        assert isinstance(bubble, ImageBubble)
        if bubble != self.bubble():
            self.same.setChecked(bubble.preview_url == bubble.original_url)
            self.original.setText(bubble.original_url)
            self.preview.setText(bubble.preview_url)
        self._refresh()

    def _changed(self) -> None:
        self.preview.setEnabled(not self.same.isChecked())
        if self.same.isChecked():
            self.preview.setText(self.original.text())
        self._refresh()
        self.emit_edit(self.bubble())

    def _refresh(self) -> None:
        bubble = self.bubble()
        if validate(Draft((bubble,))):
            self._fetcher.cancel()
            self._timer.stop()
            self._show(self.tr("Enter an HTTPS image URL"), "none")
        elif self._wanted != bubble.preview_url or self.thumb_state == "none":
            self._show(self.tr("Loading…"), "loading")
            self._timer.start()

    @property
    def _wanted(self) -> str:
        return str(self.thumbnail.property("url") or "")

    def _fetch(self) -> None:
        url = self.bubble().preview_url
        self.thumbnail.setProperty("url", url)
        self._fetcher.fetch(url)

    def _fetched(self, url: str, image: QImage) -> None:
        if url == self.bubble().preview_url:
            scaled = image.scaled(THUMB, Qt.AspectRatioMode.KeepAspectRatio,
                                  Qt.TransformationMode.SmoothTransformation)
            self.thumbnail.setPixmap(QPixmap.fromImage(scaled))
            self.thumb_state = "shown"
            self.thumbnail_ready.emit(url, image)

    def _failed(self, url: str) -> None:
        if url == self.bubble().preview_url:
            # Offline or not an image: the URL may still be right, so this is a note, not a refusal.
            self._show(self.tr("No preview: the image cannot be reached (offline?). "
                               "LINE fetches it itself when the message is sent."), "unreachable")

    def _show(self, text: str, state: str) -> None:
        self.thumbnail.setPixmap(placeholder(THUMB, text))
        self.thumb_state = state
        if state == "none":
            self.thumbnail.setProperty("url", "")
