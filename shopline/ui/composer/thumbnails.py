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

# Why there is no thumbnail: each calls for something different from the shop.
OFFLINE = "offline"  # no answer from the host: this PC's network, or the host is down
CERTIFICATE = "certificate"  # the host answered with a certificate that is not valid: LINE will refuse it too
NOT_FOUND = "not_found"  # 404 / 410: the address is wrong or the file was removed
NOT_IMAGE = "not_image"  # an answer that is not a JPEG or PNG (often a web page)
HTTP_ERROR = "http_error"  # any other refusal by the host (403, 500…)

_OFFLINE_ERRORS = {
    QNetworkReply.NetworkError.ConnectionRefusedError, QNetworkReply.NetworkError.RemoteHostClosedError,
    QNetworkReply.NetworkError.HostNotFoundError, QNetworkReply.NetworkError.TimeoutError,
    QNetworkReply.NetworkError.OperationCanceledError,  # the transfer timeout ends a reply this way
    QNetworkReply.NetworkError.TemporaryNetworkFailureError, QNetworkReply.NetworkError.NetworkSessionFailedError,
    QNetworkReply.NetworkError.UnknownNetworkError, QNetworkReply.NetworkError.ProxyConnectionRefusedError,
    QNetworkReply.NetworkError.ProxyConnectionClosedError, QNetworkReply.NetworkError.ProxyNotFoundError,
    QNetworkReply.NetworkError.ProxyTimeoutError,
}


def failure_kind(reply: QNetworkReply, image: QImage, certificate_refused: bool) -> str:
    """Which of the kinds above a finished reply without a usable image is."""
    error = reply.error()
    status = reply.attribute(QNetworkRequest.Attribute.HttpStatusCodeAttribute)
    if certificate_refused or error == QNetworkReply.NetworkError.SslHandshakeFailedError:
        return CERTIFICATE
    if status in (404, 410) or error in (QNetworkReply.NetworkError.ContentNotFoundError,
                                         QNetworkReply.NetworkError.ContentGoneError):
        return NOT_FOUND
    if error == QNetworkReply.NetworkError.NoError:
        return NOT_IMAGE if image.isNull() else ""
    if isinstance(status, int) and status >= 400:
        return HTTP_ERROR
    return OFFLINE if error in _OFFLINE_ERRORS else HTTP_ERROR


class ThumbnailFetcher(QObject):
    fetched = Signal(str, QImage)
    failed = Signal(str, str)  # the URL and why (OFFLINE, CERTIFICATE…); the editor says which

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._manager = QNetworkAccessManager(self)
        self._reply: QNetworkReply | None = None
        self._url = ""
        self._certificate_refused = False

    def fetch(self, url: str) -> None:
        self.cancel()
        request = QNetworkRequest(QUrl(url))
        request.setTransferTimeout(TIMEOUT_MS)
        request.setAttribute(QNetworkRequest.Attribute.RedirectPolicyAttribute,
                             QNetworkRequest.RedirectPolicy.NoLessSafeRedirectPolicy)
        self._url = url
        self._reply = self._manager.get(request)
        self._certificate_refused = False
        self._reply.sslErrors.connect(self._ssl_errors)
        # A bound slot, not a lambda: Qt drops the connection when this object goes, so a reply
        # aborted while the page closes never calls back into a deleted editor.
        self._reply.finished.connect(self._finished)

    def _ssl_errors(self, _errors: object) -> None:
        if self.sender() is self._reply:
            self._certificate_refused = True  # never ignored: LINE's servers would refuse the image too

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
        kind = failure_kind(reply, image, self._certificate_refused)
        if kind:
            self.failed.emit(url, kind)
        else:
            self.fetched.emit(url, image)
