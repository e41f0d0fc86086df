"""An image bubble: HTTPS original and preview URLs, with a thumbnail when the image can be reached.

A shop has photos rather than URLs, so a photo on this PC can be chosen too: it is kept with the
draft and shown, but LINE fetches images from the web itself, so until the photo has an https://
address the bubble cannot be sent, and the editor says so.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QRect, QSize, Qt, QTimer, Signal
from PySide6.QtGui import QColor, QImage, QImageReader, QPainter, QPixmap
from PySide6.QtWidgets import QCheckBox, QFileDialog, QHBoxLayout, QLabel, QLineEdit, QPushButton, QWidget

from shopline.core.drafts import Bubble, Draft, ImageBubble, validate
from shopline.ui.composer import thumbnails
from shopline.ui.composer.editor_base import BubbleEditor
from shopline.ui.composer.thumbnails import ThumbnailFetcher

THUMB = QSize(160, 120)
FETCH_DELAY_MS = 600  # after the last keystroke: no request per character typed
LOCAL_FORMATS = {b"jpeg", b"png"}  # what LINE accepts
MAX_ORIGINAL_BYTES = 10 * 1024 * 1024


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
        self.local_path = ""
        self.choose_button = QPushButton(self.tr("Choose a photo on this PC…"), self)
        self.choose_button.clicked.connect(self.choose_file)
        self.local_note = QLabel(self)
        self.local_note.setWordWrap(True)
        self.local_note.hide()
        self.thumbnail = QLabel(self)
        self.thumbnail.setFixedSize(THUMB)
        self.thumb_note = QLabel(self)  # why there is no preview, in a sentence
        self.thumb_note.setWordWrap(True)
        self.thumb_note.setAlignment(Qt.AlignmentFlag.AlignTop)
        self.thumb_state = "none"  # none / loading / shown / local / unreachable: what the thumbnail shows
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
                       self.choose_button, self.local_note):
            self.layout_.addWidget(widget)
        thumb_row = QHBoxLayout()
        thumb_row.addWidget(self.thumbnail)
        thumb_row.addWidget(self.thumb_note, 1)
        self.layout_.addLayout(thumb_row)
        self.finish_layout()
        self._show(self.tr("No image yet"), "none")

    def bubble(self) -> ImageBubble:
        original = self.original.text().strip()
        return ImageBubble(original, original if self.same.isChecked() else self.preview.text().strip(),
                           self.local_path)

    def load(self, bubble: Bubble) -> None:
        assert isinstance(bubble, ImageBubble)
        if bubble != self.bubble():
            self.local_path = bubble.local_path
            self.same.setChecked(bubble.preview_url == bubble.original_url)
            self.original.setText(bubble.original_url)
            self.preview.setText(bubble.preview_url)
        self._refresh()

    def choose_file(self) -> None:
        path, _filter = QFileDialog.getOpenFileName(
            self, self.tr("Choose a photo"), "", self.tr("Photos (*.jpg *.jpeg *.png)"))
        if path:
            self.use_file(path)

    def use_file(self, path: str) -> None:
        """Keep a photo from this PC with the bubble, once it is checked to be one LINE could send."""
        reader = QImageReader(path)
        if bytes(reader.format().data()) not in LOCAL_FORMATS:
            self._show_local_note(self.tr("%1 is not a JPEG or PNG photo: LINE sends only those.")
                                  .replace("%1", Path(path).name), error=True)
            return
        if Path(path).stat().st_size > MAX_ORIGINAL_BYTES:
            self._show_local_note(self.tr("%1 is larger than 10 MB, LINE's limit for an image: "
                                          "choose a smaller copy.").replace("%1", Path(path).name), error=True)
            return
        self.local_path = path
        self._changed()

    def _show_local_note(self, text: str, *, error: bool = False) -> None:
        self.local_note.setText(text)
        self.local_note.setStyleSheet("color: #c62828;" if error else "")
        self.local_note.setVisible(bool(text))

    def _show_local(self) -> None:
        """The chosen photo as the thumbnail, and what the shop must still do before it can be sent."""
        name = Path(self.local_path).name
        if self.original.text().strip():
            self._show_local_note(self.tr("Photo on this PC: %1. The web address above is what LINE sends.")
                                  .replace("%1", name))
            return
        self._show_local_note(self.tr(
            "Photo on this PC: %1. LINE can only send images from the web: put this photo on the web "
            "(an https:// address) and enter that address above. Until then this message cannot be sent.")
            .replace("%1", name), error=True)
        reader = QImageReader(self.local_path)
        reader.setAutoTransform(True)
        size = reader.size()
        if size.isValid():
            reader.setScaledSize(size.scaled(THUMB, Qt.AspectRatioMode.KeepAspectRatio))  # no full decode
        image = reader.read()
        if image.isNull():
            self._show(self.tr("No preview"), "none", self.tr("The photo cannot be read."))
        else:
            self.thumbnail.setPixmap(QPixmap.fromImage(image))
            self.thumb_note.clear()
            self.thumb_state = "local"

    def _changed(self) -> None:
        self.preview.setEnabled(not self.same.isChecked())
        if self.same.isChecked():
            self.preview.setText(self.original.text())
        self._refresh()
        self.emit_edit(self.bubble())

    def _refresh(self) -> None:
        bubble = self.bubble()
        if self.local_path:
            self._show_local()
        else:
            self._show_local_note("")
        if validate(Draft((bubble,))):
            self._fetcher.cancel()
            self._timer.stop()
            if not (self.local_path and not bubble.original_url):
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
            self.thumb_note.clear()
            self.thumb_state = "shown"
            self.thumbnail_ready.emit(url, image)

    def _failed(self, url: str, kind: str) -> None:
        if url != self.bubble().preview_url:
            return
        # The URL may still be right when this PC is offline, so these are notes, not refusals.
        why = {
            thumbnails.OFFLINE: self.tr("No preview: the image's site cannot be reached from this PC "
                                        "(offline, or the site is down). LINE fetches it itself when sending."),
            thumbnails.CERTIFICATE: self.tr("No preview: the site's security certificate is not valid, "
                                            "so LINE will not fetch the image either. Use an address whose "
                                            "site opens in a browser without a warning."),
            thumbnails.NOT_FOUND: self.tr("No preview: nothing is at this address (404). "
                                          "Check it, or open it in a browser."),
            thumbnails.NOT_IMAGE: self.tr("No preview: this address gives a web page or a file, not a JPEG "
                                          "or PNG image. Use the address of the image itself."),
        }.get(kind, self.tr("No preview: the site refused to give the image. Check the address in a browser."))
        self._show(self.tr("No preview"), "unreachable", why)

    def _show(self, text: str, state: str, note: str = "") -> None:
        self.thumbnail.setPixmap(placeholder(THUMB, text))
        self.thumb_note.setText(note)
        self.thumb_state = state
        if state == "none":
            self.thumbnail.setProperty("url", "")
