"""The draft drawn as a LINE chat on a phone: the shop's icon, then the bubbles in the order sent."""

from __future__ import annotations

from PySide6.QtCore import QRect, QRectF, QSize, Qt
from PySide6.QtGui import QColor, QFontMetrics, QImage, QPainter, QPaintEvent, QPen
from PySide6.QtWidgets import QSizePolicy, QWidget

from shopline.core.drafts import Bubble, CouponBubble, Draft, ImageBubble, StickerBubble, TextBubble
from shopline.ui.composer.sticker_picker import sticker_tile

CHAT_BACKGROUND = QColor("#d5ecd4")  # light green, as the shop's friends see the chat
FRAME = QColor("#263238")
ICON = 30
GAP = 8
PREVIEW_CHARS = 800  # a 5,000-character text is cut in the preview: the phone would scroll anyway


class PhonePreview(QWidget):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.draft = Draft()
        self.faulty: set[int] = set()
        self.shop_name = ""
        self.images: dict[str, QImage] = {}
        self.setMinimumSize(QSize(240, 420))
        self.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Expanding)

    def sizeHint(self) -> QSize:
        return QSize(280, 520)

    def set_draft(self, draft: Draft, faulty: set[int]) -> None:
        self.draft, self.faulty = draft, faulty
        self.update()

    def set_shop(self, name: str) -> None:
        self.shop_name = name
        self.update()

    def set_image(self, url: str, image: QImage) -> None:
        self.images[url] = image
        self.update()

    def screen_rect(self) -> QRect:
        return self.rect().adjusted(10, 34, -10, -34)

    def bubble_width(self) -> int:
        return max(self.screen_rect().width() - ICON - 3 * GAP - 24, 80)

    def _size(self, bubble: Bubble, metrics: QFontMetrics) -> QSize:
        width = self.bubble_width()
        if isinstance(bubble, TextBubble):
            text = bubble.text[:PREVIEW_CHARS] or " "
            box = metrics.boundingRect(QRect(0, 0, width - 20, 100_000), Qt.TextFlag.TextWordWrap, text)
            return QSize(box.width() + 20, box.height() + 14)
        if isinstance(bubble, ImageBubble):
            return QSize(width, width * 3 // 4)
        if isinstance(bubble, StickerBubble):
            return QSize(88, 88)
        return QSize(width, 84)

    def layout_bubbles(self) -> list[QRect]:
        """Where each bubble goes, top to bottom; the ones below the screen are left off."""
        screen = self.screen_rect()
        metrics = QFontMetrics(self.font())
        x = screen.left() + GAP + ICON + GAP
        y = screen.top() + 30 + GAP
        rects = []
        for bubble in self.draft.bubbles:
            size = self._size(bubble, metrics)
            if y > screen.bottom():
                break
            rects.append(QRect(x, y, size.width(), size.height()))
            y += size.height() + GAP
        return rects

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(FRAME)
        painter.drawRoundedRect(QRectF(self.rect()).adjusted(1, 1, -1, -1), 28, 28)
        screen = self.screen_rect()
        painter.setBrush(CHAT_BACKGROUND)
        painter.drawRect(screen)
        painter.setClipRect(screen)
        header = QRect(screen.left(), screen.top(), screen.width(), 30)
        painter.setBrush(QColor("#ffffff"))
        painter.drawRect(header)
        painter.setPen(QColor("#212121"))
        painter.drawText(header, Qt.AlignmentFlag.AlignCenter, self.shop_name or self.tr("Your shop"))
        rects = self.layout_bubbles()
        if not rects:
            painter.setPen(QColor("#616161"))
            painter.drawText(screen.adjusted(20, 0, -20, 0),
                             Qt.AlignmentFlag.AlignCenter | Qt.TextFlag.TextWordWrap,
                             self.tr("Add a bubble: it shows here as your friends will see it."))
        else:
            self._icon(painter, QRect(screen.left() + GAP, rects[0].top(), ICON, ICON))
        for index, (bubble, rect) in enumerate(zip(self.draft.bubbles, rects, strict=False)):
            self._bubble(painter, bubble, rect, index in self.faulty)
        painter.end()

    def _icon(self, painter: QPainter, rect: QRect) -> None:
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(QColor("#06c755"))  # LINE green
        painter.drawEllipse(rect)
        painter.setPen(QColor("#ffffff"))
        painter.drawText(rect, Qt.AlignmentFlag.AlignCenter, (self.shop_name or "S")[:1])

    def _bubble(self, painter: QPainter, bubble: Bubble, rect: QRect, faulty: bool) -> None:
        painter.setPen(QPen(QColor("#c62828"), 2) if faulty else Qt.PenStyle.NoPen)
        painter.setBrush(QColor("#ffffff"))
        if isinstance(bubble, StickerBubble):
            painter.drawPixmap(rect, sticker_tile(bubble.package_id))
            if faulty:
                painter.setBrush(Qt.BrushStyle.NoBrush)
                painter.drawRect(rect)
            return
        painter.drawRoundedRect(QRectF(rect), 14, 14)
        painter.setPen(QColor("#212121"))
        inner = rect.adjusted(10, 7, -10, -7)
        if isinstance(bubble, TextBubble):
            painter.drawText(inner, Qt.TextFlag.TextWordWrap, bubble.text[:PREVIEW_CHARS])
        elif isinstance(bubble, ImageBubble):
            image = self.images.get(bubble.preview_url)
            if image is not None:
                painter.drawImage(rect.adjusted(2, 2, -2, -2), image)
            else:
                painter.setPen(QColor("#9e9e9e"))
                painter.drawText(rect, Qt.AlignmentFlag.AlignCenter, self.tr("Image"))
        elif isinstance(bubble, CouponBubble):
            painter.setBrush(QColor("#fff3e0"))
            painter.setPen(Qt.PenStyle.NoPen)
            painter.drawRect(QRect(rect.left(), rect.top() + 14, rect.width(), 30))
            painter.setPen(QColor("#e65100"))
            painter.drawText(QRect(rect.left(), rect.top() + 14, rect.width(), 30), Qt.AlignmentFlag.AlignCenter,
                             self.tr("Coupon"))
            painter.setPen(QColor("#616161"))
            painter.drawText(QRect(rect.left() + 8, rect.top() + 48, rect.width() - 16, 28),
                             Qt.AlignmentFlag.AlignCenter, bubble.coupon_id or "couponId")
