"""A sticker bubble, picked from the bundled list of stickers the Messaging API may send.

The app ships no sticker images and fetches none: each tile is a drawn placeholder labelled
with its IDs, which are what LINE needs. IDs can also be typed, for a sticker LINE added later.
"""

from __future__ import annotations

from functools import cache

from PySide6.QtCore import QAbstractListModel, QModelIndex, QPersistentModelIndex, QRect, QSize, Qt
from PySide6.QtGui import QColor, QPainter, QPixmap
from PySide6.QtWidgets import QComboBox, QFormLayout, QLabel, QLineEdit, QListView, QWidget

from shopline.core.drafts import Bubble, StickerBubble, StickerPackage, sticker_package, sticker_packages
from shopline.ui.composer.editor_base import BubbleEditor

TILE = QSize(56, 56)
StickerRole = Qt.ItemDataRole.UserRole + 1
AnyIndex = QModelIndex | QPersistentModelIndex


@cache
def sticker_tile(package_id: str) -> QPixmap:
    """One drawn face per package, so stickers of different packages look different at a glance."""
    pixmap = QPixmap(TILE)
    pixmap.fill(QColor(0, 0, 0, 0))
    hue = int(package_id) * 47 % 360 if package_id.isdigit() else 0
    painter = QPainter(pixmap)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    painter.setBrush(QColor.fromHsv(hue, 90, 245))
    painter.setPen(QColor.fromHsv(hue, 140, 180))
    painter.drawEllipse(QRect(4, 4, TILE.width() - 8, TILE.height() - 8))
    painter.setBrush(QColor("#424242"))
    painter.drawEllipse(QRect(19, 22, 5, 5))
    painter.drawEllipse(QRect(32, 22, 5, 5))
    painter.drawArc(QRect(20, 26, 16, 12), 200 * 16, 140 * 16)
    painter.end()
    return pixmap


class StickerModel(QAbstractListModel):
    """The stickers of one package."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.package: StickerPackage | None = None

    def set_package(self, package: StickerPackage | None) -> None:
        self.beginResetModel()
        self.package = package
        self.endResetModel()

    def rowCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008 - Qt's signature
        return 0 if parent.isValid() or self.package is None else len(self.package.sticker_ids)

    def data(self, index: AnyIndex, role: int = Qt.ItemDataRole.DisplayRole) -> object:
        if self.package is None or not index.isValid() or not 0 <= index.row() < self.rowCount():
            return None
        sticker_id = self.package.sticker_ids[index.row()]
        if role in (Qt.ItemDataRole.DisplayRole, StickerRole):
            return sticker_id
        if role == Qt.ItemDataRole.DecorationRole:
            return sticker_tile(self.package.package_id)
        if role == Qt.ItemDataRole.ToolTipRole:
            return f"{self.package.title} — packageId {self.package.package_id}, stickerId {sticker_id}"
        return None

    def flags(self, index: AnyIndex) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable | Qt.ItemFlag.ItemNeverHasChildren


class StickerPicker(BubbleEditor):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.packages = QComboBox(self)
        # Long package titles would otherwise set the column's width past a small screen's.
        self.packages.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        self.packages.setMinimumContentsLength(16)
        for package in sticker_packages():
            self.packages.addItem(f"{package.title} ({package.package_id})", package.package_id)
        self.model = StickerModel(self)
        self.grid = QListView(self)
        self.grid.setViewMode(QListView.ViewMode.IconMode)
        self.grid.setResizeMode(QListView.ResizeMode.Adjust)
        self.grid.setMovement(QListView.Movement.Static)
        self.grid.setIconSize(TILE)
        self.grid.setGridSize(QSize(TILE.width() + 28, TILE.height() + 24))
        self.grid.setModel(self.model)
        self.package_id = QLineEdit(self)
        self.sticker_id = QLineEdit(self)
        ids = QFormLayout()
        ids.addRow("packageId", self.package_id)
        ids.addRow("stickerId", self.sticker_id)
        heading = QLabel(self.tr("Sticker: pick one, or type the IDs from LINE's sticker list"), self)
        heading.setWordWrap(True)
        self.layout_.addWidget(heading)
        self.layout_.addWidget(self.packages)
        self.layout_.addWidget(self.grid, 1)
        self.layout_.addLayout(ids)
        self.finish_layout()
        self.packages.currentIndexChanged.connect(self._package_chosen)
        self.grid.clicked.connect(self._tile_clicked)
        self.package_id.textEdited.connect(self._typed)
        self.sticker_id.textEdited.connect(self._typed)
        self._package_chosen()

    def load(self, bubble: Bubble) -> None:
        assert isinstance(bubble, StickerBubble)
        self.package_id.setText(bubble.package_id)
        self.sticker_id.setText(bubble.sticker_id)
        at = self.packages.findData(bubble.package_id)
        if at >= 0:
            self.packages.setCurrentIndex(at)
        package = sticker_package(bubble.package_id)
        if package is not None and package.has(bubble.sticker_id):
            self.grid.setCurrentIndex(self.model.index(package.sticker_ids.index(bubble.sticker_id), 0))

    def _package_chosen(self) -> None:
        self.model.set_package(sticker_package(str(self.packages.currentData())))

    def _tile_clicked(self, index: QModelIndex) -> None:
        if self.model.package is not None:
            self.emit_edit(StickerBubble(self.model.package.package_id, str(index.data(StickerRole))))

    def _typed(self) -> None:
        self.emit_edit(StickerBubble(self.package_id.text().strip(), self.sticker_id.text().strip()))
