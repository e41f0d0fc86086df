"""The message editor: bubbles of each type, reordering by drag and keyboard, reasons on the bubble at fault."""

from __future__ import annotations

import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from PySide6.QtCore import QBuffer, QByteArray, QIODevice, QMimeData, QPoint, Qt
from PySide6.QtGui import QColor, QImage
from qt_drag import drop_on

from shopline.core.drafts import CouponBubble, Draft, ImageBubble, StickerBubble, TextBubble
from shopline.ui.composer.bubble_list import MIME, ProblemRole
from shopline.ui.composer.thumbnails import ThumbnailFetcher

pytest_plugins = ("ui_fixtures", "composer_fixtures")


def rows(page) -> list[str]:
    model = page.bubbles.model
    return [model.data(model.index(r, 0)) for r in range(model.rowCount())]


def problems(page, row: int) -> list[str]:
    return page.bubbles.model.data(page.bubbles.model.index(row, 0), ProblemRole)


def compose_four(page, qtbot) -> None:
    page.bubbles.add_buttons["text"].click()
    page.editors[TextBubble].text.setPlainText("夏のセールのお知らせ")
    page.bubbles.add_buttons["image"].click()
    page.editors[ImageBubble].original.setText("https://example.com/sale.jpg")
    page.bubbles.add_buttons["sticker"].click()
    picker = page.editors[StickerBubble]
    picker.grid.clicked.emit(picker.model.index(3, 0))
    page.bubbles.add_buttons["coupon"].click()
    qtbot.keyClicks(page.editors[CouponBubble].coupon_id, "summer-2026")


def test_compose_each_type_and_preview(qtbot, page):
    compose_four(page, qtbot)
    assert page.doc.draft == Draft((TextBubble("夏のセールのお知らせ"),
                                    ImageBubble("https://example.com/sale.jpg", "https://example.com/sale.jpg"),
                                    StickerBubble("446", "1991"), CouponBubble("summer-2026")))
    assert page.doc.problems() == []
    assert page.editors[TextBubble].counter.text() == "10 / 5,000"
    assert all(problems(page, r) == [] for r in range(4))
    rects = page.preview.layout_bubbles()
    assert len(rects) == 4 and [r.top() for r in rects] == sorted(r.top() for r in rects)
    assert not page.preview.grab().isNull()
    page.bubbles.select(0)
    assert page.editor_stack.currentWidget() is page.editors[TextBubble]
    page.doc.undo_stack.undo()  # typing the coupon ID is one step, however many keys
    assert page.doc.draft.bubbles[3] == CouponBubble("")


def drop(view, source_row: int, target_row: int, below: bool) -> None:
    mime = QMimeData()
    mime.setData(MIME, QByteArray(str(source_row).encode()))
    rect = view.visualRect(view.model().index(target_row, 0))
    pos = QPoint(rect.center().x(), rect.bottom() - 2 if below else rect.top() + 2)
    assert drop_on(view.viewport(), pos, mime, Qt.DropAction.MoveAction)


def test_reorder_by_drag_and_by_keyboard(qtbot, page):
    compose_four(page, qtbot)
    before = page.doc.draft.bubbles
    view = page.bubbles.view
    drop(view, 0, 2, below=True)  # the text goes after the sticker
    assert page.doc.draft.bubbles == (before[1], before[2], before[0], before[3])
    assert view.currentIndex().row() == 2
    drop(view, 3, 0, below=False)  # the coupon goes first
    assert page.doc.draft.bubbles == (before[3], before[1], before[2], before[0])
    page.doc.undo_stack.undo()
    assert page.doc.draft.bubbles == (before[1], before[2], before[0], before[3])
    page.bubbles.select(2)
    qtbot.keyClick(view, Qt.Key.Key_Up, Qt.KeyboardModifier.AltModifier)
    assert page.doc.draft.bubbles == (before[1], before[0], before[2], before[3])
    qtbot.keyClick(view, Qt.Key.Key_Down, Qt.KeyboardModifier.AltModifier)
    qtbot.keyClick(view, Qt.Key.Key_Down, Qt.KeyboardModifier.AltModifier)
    assert page.doc.draft.bubbles == (before[1], before[2], before[3], before[0])
    assert view.currentIndex().row() == 3
    qtbot.keyClick(view, Qt.Key.Key_Down, Qt.KeyboardModifier.AltModifier)  # already last: nothing moves
    assert page.doc.draft.bubbles[3] == before[0]
    assert page.bubbles.model.mimeData([page.bubbles.model.index(1, 0)]).data(MIME).data() == b"1"


def test_every_refused_input_shows_its_reason_on_the_bubble(qtbot, page):
    page.bubbles.add_buttons["text"].click()
    text = page.editors[TextBubble]
    assert problems(page, 0) == ["テキストが空です。"]
    assert text.problem.text() == "⚠ テキストが空です。" and text.problem.isVisibleTo(page)
    assert page.send_reason.text() == "吹き出し1: テキストが空です。"
    assert not page.send_button.isEnabled()
    text.text.setPlainText("あ" * 5001)
    assert text.counter.text() == "5,001 / 5,000"
    assert "5,001文字" in problems(page, 0)[0] and "5,001文字" in text.problem.text()

    page.bubbles.add_buttons["image"].click()
    image = page.editors[ImageBubble]
    image.original.setText("http://example.com/a.jpg")
    assert any("https://" in p for p in problems(page, 1))
    assert "https:// で始めてください" in image.problem.text()
    assert image.thumb_state == "none"  # a refused URL is never fetched

    page.bubbles.add_buttons["sticker"].click()
    picker = page.editors[StickerBubble]
    picker.package_id.selectAll()
    qtbot.keyClicks(picker.package_id, "999999")
    assert "999999" in problems(page, 2)[0] and "送れません" in picker.problem.text()

    page.bubbles.add_buttons["coupon"].click()
    assert problems(page, 3) == ["クーポンIDがありません。"]
    assert page.editors[CouponBubble].problem.text() == "⚠ クーポンIDがありません。"
    assert page.bubbles.model.data(page.bubbles.model.index(3, 0), Qt.ItemDataRole.ForegroundRole) == QColor("#c62828")

    page.bubbles.add_buttons["text"].click()
    page.bubbles.add_buttons["coupon"].click()  # the sixth
    assert len(page.doc.draft.bubbles) == 5
    assert page.bubbles.message.text().startswith("吹き出しは5つまでです")
    page.doc.replace(Draft(tuple(TextBubble(f"{n}") for n in range(6))))  # e.g. an old template
    assert problems(page, 5)[0].startswith("吹き出しは5つまでです")
    assert not page.send_button.isEnabled()


def test_unreachable_image_shows_a_placeholder_without_blocking(qtbot, page):
    page.bubbles.add_buttons["image"].click()
    image = page.editors[ImageBubble]
    image.original.setText("https://127.0.0.1:9/sale.png")  # nothing listens there
    assert image.thumb_state == "loading"
    assert page.doc.problems() == []
    qtbot.waitUntil(lambda: image.thumb_state == "unreachable", timeout=8_000)


def test_thumbnail_is_fetched_when_reachable(qtbot):
    buffer = QBuffer()
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    picture = QImage(8, 6, QImage.Format.Format_RGB32)
    picture.fill(QColor("red"))
    picture.save(buffer, "PNG")
    png = bytes(buffer.data().data())

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            self.send_response(200)
            self.send_header("Content-Type", "image/png")
            self.send_header("Content-Length", str(len(png)))
            self.end_headers()
            self.wfile.write(png)

        def log_message(self, *args: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        fetcher = ThumbnailFetcher()
        url = f"http://127.0.0.1:{server.server_port}/a.png"
        with qtbot.waitSignal(fetcher.fetched, timeout=5_000) as got:
            fetcher.fetch(url)
        assert got.args[0] == url and got.args[1].size().width() == 8
    finally:
        server.shutdown()
        server.server_close()


def test_templates_save_use_rename_delete(qtbot, page, monkeypatch):
    from PySide6.QtWidgets import QInputDialog, QMessageBox

    compose_four(page, qtbot)
    saved = page.doc.draft
    panel = page.templates
    monkeypatch.setattr(QInputDialog, "getText", lambda *a, **k: ("夏のセール", True))
    with qtbot.waitSignal(panel.loaded, timeout=5_000):
        panel.buttons["save"].click()
    assert [t.name for t in panel.model.items] == ["夏のセール"] and panel.selected().draft == saved
    page.doc.replace(Draft((TextBubble("別の下書き"),)))
    panel.buttons["use"].click()
    assert page.doc.draft == saved
    monkeypatch.setattr(QInputDialog, "getText", lambda *a, **k: ("冬のセール", True))
    with qtbot.waitSignal(panel.loaded, timeout=5_000):
        panel.buttons["rename"].click()
    assert [t.name for t in panel.model.items] == ["冬のセール"] and panel.selected().name == "冬のセール"
    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: QMessageBox.StandardButton.Yes)
    with qtbot.waitSignal(panel.loaded, timeout=5_000):
        panel.buttons["delete"].click()
    assert panel.model.items == [] and not panel.buttons["use"].isEnabled()


def test_models_pass_qtmodeltester(qtbot, qtmodeltester, page, monkeypatch):
    from PySide6.QtWidgets import QInputDialog

    compose_four(page, qtbot)
    qtmodeltester.check(page.bubbles.model, force_py=True)
    qtmodeltester.check(page.editors[StickerBubble].model, force_py=True)
    monkeypatch.setattr(QInputDialog, "getText", lambda *a, **k: ("T", True))
    with qtbot.waitSignal(page.templates.loaded, timeout=5_000):
        page.templates.save()
    qtmodeltester.check(page.templates.model, force_py=True)
