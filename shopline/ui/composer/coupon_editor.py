"""A coupon bubble: the couponId of a coupon made in LINE Official Account Manager or the API."""

from __future__ import annotations

from PySide6.QtWidgets import QLabel, QLineEdit, QWidget

from shopline.core.drafts import Bubble, CouponBubble
from shopline.ui.composer.editor_base import BubbleEditor


class CouponEditor(BubbleEditor):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.coupon_id = QLineEdit(self)
        self.coupon_id.setPlaceholderText("couponId")
        self.coupon_id.textChanged.connect(lambda text: self.emit_edit(CouponBubble(text.strip())))
        hint = QLabel(self.tr("The coupon's ID (couponId), as shown for the coupon in LINE Official Account "
                              "Manager."), self)
        hint.setWordWrap(True)
        self.layout_.addWidget(QLabel(self.tr("Coupon ID"), self))
        self.layout_.addWidget(self.coupon_id)
        self.layout_.addWidget(hint)
        self.finish_layout()

    def load(self, bubble: Bubble) -> None:
        assert isinstance(bubble, CouponBubble)
        if self.coupon_id.text().strip() != bubble.coupon_id:
            self.coupon_id.setText(bubble.coupon_id)
