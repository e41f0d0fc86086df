"""Tags drawn as coloured chips in a table cell, so a shop sees VIP and 常連 at a glance."""

from __future__ import annotations

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, QRectF, Qt
from PySide6.QtGui import QColor, QPainter
from PySide6.QtWidgets import QApplication, QStyle, QStyledItemDelegate, QStyleOptionViewItem

from shopline.ui.friends_model import TAGS_ROLE

_PAD_X, _GAP, _MARGIN_Y = 6, 4, 3


def text_colour(background: QColor) -> QColor:
    # Perceived brightness (ITU-R BT.601): dark text on light chips, white on dark ones.
    luma = 0.299 * background.red() + 0.587 * background.green() + 0.114 * background.blue()
    return QColor(Qt.GlobalColor.black) if luma > 160 else QColor(Qt.GlobalColor.white)


class TagChipsDelegate(QStyledItemDelegate):
    def paint(self, painter: QPainter, option: QStyleOptionViewItem,
              index: QModelIndex | QPersistentModelIndex) -> None:
        tags: list[tuple[str, str]] | None = index.data(TAGS_ROLE)
        if not tags:
            super().paint(painter, option, index)
            return
        opt = QStyleOptionViewItem(option)
        self.initStyleOption(opt, index)
        opt.text = ""
        style = opt.widget.style() if opt.widget is not None else QApplication.style()
        style.drawControl(QStyle.ControlElement.CE_ItemViewItem, opt, painter, opt.widget)

        painter.save()
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.setClipRect(option.rect)
        metrics = option.fontMetrics
        x = float(option.rect.left() + 3)
        height = min(metrics.height() + 4, option.rect.height() - 2 * _MARGIN_Y)
        top = option.rect.top() + (option.rect.height() - height) / 2
        for name, colour in tags:
            width = metrics.horizontalAdvance(name) + 2 * _PAD_X
            chip = QRectF(x, top, width, height)
            background = QColor(colour)
            painter.setPen(Qt.PenStyle.NoPen)
            painter.setBrush(background)
            painter.drawRoundedRect(chip, height / 2, height / 2)
            painter.setPen(text_colour(background))
            painter.drawText(chip, Qt.AlignmentFlag.AlignCenter, name)
            x += width + _GAP
            if x > option.rect.right():
                break
        painter.restore()

