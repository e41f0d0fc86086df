"""Image bubbles: why a thumbnail cannot be shown (offline, certificate, 404, not an image), and photos from this PC."""

from __future__ import annotations

import socket
import ssl
import subprocess
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from PySide6.QtCore import QBuffer, QIODevice, Qt
from PySide6.QtGui import QColor, QImage
from PySide6.QtWidgets import QFileDialog

from shopline.core.drafts import Draft, ImageBubble, to_line, validate
from shopline.ui.composer import thumbnails
from shopline.ui.composer.thumbnails import ThumbnailFetcher

pytest_plugins = ("ui_fixtures", "composer_fixtures")


def png_bytes() -> bytes:
    buffer = QBuffer()
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    picture = QImage(8, 6, QImage.Format.Format_RGB32)
    picture.fill(QColor("red"))
    picture.save(buffer, "PNG")
    return bytes(buffer.data().data())


class Handler(BaseHTTPRequestHandler):
    def do_GET(self) -> None:
        if self.path == "/a.png":
            status, kind, body = 200, "image/png", png_bytes()
        elif self.path == "/page.html":
            status, kind, body = 200, "text/html", "<html><body>セール</body></html>".encode()
        elif self.path == "/private.png":
            status, kind, body = 403, "text/plain", b"forbidden"
        else:
            status, kind, body = 404, "text/plain", b"not found"
        self.send_response(status)
        self.send_header("Content-Type", kind)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture
def web(tmp_path):
    """A plain HTTP server, and an HTTPS one whose certificate nobody trusts (self-signed)."""
    cert, key = tmp_path / "cert.pem", tmp_path / "key.pem"
    subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1", "-subj",
                    "/CN=127.0.0.1", "-keyout", str(key), "-out", str(cert)], check=True, capture_output=True)
    plain = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    secure = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(cert, key)
    secure.socket = context.wrap_socket(secure.socket, server_side=True)
    for server in (plain, secure):
        threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{plain.server_port}", f"https://127.0.0.1:{secure.server_port}"
    for server in (plain, secure):
        server.shutdown()
        server.server_close()


def closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]  # closed again when the block ends: nothing listens there


def why_failed(qtbot, url: str) -> str:
    fetcher = ThumbnailFetcher()
    with qtbot.waitSignal(fetcher.failed, timeout=8_000) as got:
        fetcher.fetch(url)
    assert got.args[0] == url
    return got.args[1]


def test_each_reason_for_no_thumbnail_is_told_apart(qtbot, web):
    http, https = web
    assert why_failed(qtbot, f"{https}/a.png") == thumbnails.CERTIFICATE
    assert why_failed(qtbot, f"{http}/gone.png") == thumbnails.NOT_FOUND
    assert why_failed(qtbot, f"{http}/page.html") == thumbnails.NOT_IMAGE
    assert why_failed(qtbot, f"{http}/private.png") == thumbnails.HTTP_ERROR
    assert why_failed(qtbot, f"https://127.0.0.1:{closed_port()}/a.png") == thumbnails.OFFLINE


def test_a_certificate_error_is_not_blamed_on_being_offline(qtbot, page, web):
    _http, https = web
    page.bubbles.add_buttons["image"].click()
    image = page.editors[ImageBubble]
    image.original.setText(f"{https}/a.png")
    qtbot.waitUntil(lambda: image.thumb_state == "unreachable", timeout=8_000)
    assert "証明書" in image.thumb_note.text() and "オフライン" not in image.thumb_note.text()
    image.original.setText(f"https://127.0.0.1:{closed_port()}/sale.png")
    qtbot.waitUntil(lambda: "オフライン" in image.thumb_note.text(), timeout=8_000)
    assert page.doc.problems() == []  # a note, not a refusal: LINE may still reach it


def test_a_photo_on_this_pc_is_kept_shown_and_cannot_be_sent_until_it_has_a_web_address(
        qtbot, page, tmp_path, monkeypatch):
    photo = tmp_path / "spring.png"
    photo.write_bytes(png_bytes())
    monkeypatch.setattr(QFileDialog, "getOpenFileName", lambda *a, **k: (str(photo), ""))
    page.bubbles.add_buttons["text"].click()
    page.editors[type(page.doc.draft.bubbles[0])].text.setPlainText("春の新作です")
    page.bubbles.add_buttons["image"].click()
    image = page.editors[ImageBubble]
    qtbot.mouseClick(image.choose_button, Qt.MouseButton.LeftButton)

    assert page.doc.draft.bubbles[1] == ImageBubble("", "", str(photo))
    assert image.thumb_state == "local" and image.local_note.isVisibleTo(page)
    assert "https://" in image.local_note.text() and "spring.png" in image.local_note.text()
    reason = page.send_reason.text()
    assert reason.startswith("吹き出し2: ") and "パソコン" in reason and "https://" in reason
    assert not page.send_button.isEnabled()

    image.original.setText("https://example.com/spring.png")
    bubble = page.doc.draft.bubbles[1]
    assert bubble.local_path == str(photo) and page.doc.problems() == []
    assert to_line(Draft((bubble,))) == [{"type": "image", "originalContentUrl": "https://example.com/spring.png",
                                          "previewImageUrl": "https://example.com/spring.png"}]
    assert str(photo) not in repr(to_line(page.doc.draft))  # the PC's path never goes to LINE


def test_a_file_that_is_not_a_photo_is_refused_with_why(qtbot, page, tmp_path, monkeypatch):
    notes = tmp_path / "memo.txt"
    notes.write_text("not a photo")
    monkeypatch.setattr(QFileDialog, "getOpenFileName", lambda *a, **k: (str(notes), ""))
    page.bubbles.add_buttons["image"].click()
    image = page.editors[ImageBubble]
    qtbot.mouseClick(image.choose_button, Qt.MouseButton.LeftButton)
    assert page.doc.draft.bubbles[0].local_path == ""
    assert "memo.txt" in image.local_note.text() and "JPEG" in image.local_note.text()


def test_validation_of_a_local_only_image_says_why_in_both_languages():
    problems = validate(Draft((ImageBubble("", "", "C:/写真/sale.jpg"),)))
    assert len(problems) == 1
    assert "https://" in problems[0].reason.ja and "web" in problems[0].reason.en
