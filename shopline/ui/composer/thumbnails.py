"""Image previews fetched in the background, so a slow or absent network never holds the editor.

QNetworkAccessManager does the transfer on Qt's own network thread and answers by signal; a
short transfer timeout turns an unreachable host into a placeholder within seconds. Only the
latest request counts: an answer for a URL the shop has since changed is dropped.
"""

from __future__ import annotations

from PySide6.QtCore import QObject, QUrl, Signal
from PySide6.QtGui import QImage
from PySide6.QtNetwork import QNetworkAccessManager, QNetworkReply, QNetworkRequest

TIMEOUT_MS = 4_000
MAX_BYTES = 1_000_000  # LINE's own limit for a preview image


class ThumbnailFetcher(QObject):
    fetched = Signal(str, QImage)
    failed = Signal(str)  # the URL; the editor shows a placeholder either way

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._manager = QNetworkAccessManager(self)
        self._reply: QNetworkReply | None = None
        self._url = ""

    def fetch(self, url: str) -> None:
        self.cancel()
        request = QNetworkRequest(QUrl(url))
        request.setTransferTimeout(TIMEOUT_MS)
        request.setAttribute(QNetworkRequest.Attribute.RedirectPolicyAttribute,
                             QNetworkRequest.RedirectPolicy.NoLessSafeRedirectPolicy)
        self._url = url
        self._reply = self._manager.get(request)
        # A bound slot, not a lambda: Qt drops the connection when this object goes, so a reply
        # aborted while the page closes never calls back into a deleted editor.
        self._reply.finished.connect(self._finished)

    def cancel(self) -> None:
        if self._reply is not None:
            reply, self._reply = self._reply, None
            reply.abort()

    def _finished(self) -> None:
        reply = self.sender()
        if not isinstance(reply, QNetworkReply):
            return
        reply.deleteLater()
        if reply is not self._reply:
            return  # superseded or cancelled
        self._reply = None
        url = self._url
        image = QImage()
        if reply.error() == QNetworkReply.NetworkError.NoError:
            image.loadFromData(reply.read(MAX_BYTES))
        if image.isNull():
            self.failed.emit(url)
        else:
            self.fetched.emit(url, image)
