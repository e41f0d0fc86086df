"""The tag panel: tags by folder with their colours and friend counts.

A shop has tens to a few hundred tags, so a QStandardItemModel holds them all;
the counts come from one GROUP BY query run off the UI thread.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QModelIndex, Qt, Signal
from PySide6.QtGui import QColor, QIcon, QPainter, QPixmap, QStandardItem, QStandardItemModel
from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QTreeView, QVBoxLayout, QWidget

from shopline.store import tags as tag_store
from shopline.ui.operations import Operation

TAG_ID_ROLE = Qt.ItemDataRole.UserRole + 1
_ALL = -1  # the "all friends" row: no tag filter


def swatch(colour: str, size: int = 12) -> QIcon:
    pixmap = QPixmap(size, size)
    pixmap.fill(Qt.GlobalColor.transparent)
    painter = QPainter(pixmap)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    painter.setPen(Qt.PenStyle.NoPen)
    painter.setBrush(QColor(colour))
    painter.drawEllipse(0, 0, size - 1, size - 1)
    painter.end()
    return QIcon(pixmap)


def load_tags() -> list[tuple[int, str, str, str, int]]:
    """(id, name, folder, colour, friends) for every tag; plain tuples cross threads safely."""
    return [(c.tag.id, c.tag.name, c.tag.folder, c.tag.colour, c.friends) for c in tag_store.tag_counts()]


class TagListModel(QStandardItemModel):
    def __init__(self, parent: Any = None, *, all_friends_row: bool = False) -> None:
        super().__init__(parent)
        self._all_friends_row = all_friends_row
        self.setHorizontalHeaderLabels([self.tr("Tag"), self.tr("Friends")])
        self.set_tags([])

    def set_tags(self, rows: list[tuple[int, str, str, str, int]]) -> None:
        total = self.item(0, 1).text() if self._all_friends_row and self.rowCount() else ""
        self.removeRows(0, self.rowCount())  # not clear(): that drops the columns and the view's resize modes
        root = self.invisibleRootItem()
        if self._all_friends_row:
            root.appendRow(self._row(self.tr("All friends"), total, _ALL))
        folders: dict[str, QStandardItem] = {}
        for tag_id, name, folder, colour, count in rows:
            parent = root
            if folder:
                if folder not in folders:
                    folders[folder] = QStandardItem(folder)
                    blank = QStandardItem()
                    for item in (folders[folder], blank):
                        item.setEditable(False)
                        item.setSelectable(False)
                    root.appendRow([folders[folder], blank])
                parent = folders[folder]
            items = self._row(name, count, tag_id)
            items[0].setIcon(swatch(colour))
            parent.appendRow(items)

    def set_total(self, total: int) -> None:
        if self._all_friends_row:
            self.item(0, 1).setText(f"{total:,}")

    @staticmethod
    def _row(name: str, count: int | str, tag_id: int) -> list[QStandardItem]:
        label = QStandardItem(name)
        label.setData(tag_id, TAG_ID_ROLE)
        number = QStandardItem(f"{count:,}" if isinstance(count, int) else count)
        number.setData(tag_id, TAG_ID_ROLE)
        number.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        for item in (label, number):
            item.setEditable(False)
        return [label, number]


class TagList(QWidget):
    """Emits tag_selected(tag id, or None for all friends) when a row is picked."""

    tag_selected = Signal(object)
    loaded = Signal()

    def __init__(self, parent: QWidget | None = None, *, all_friends_row: bool = False) -> None:
        super().__init__(parent)
        self.model = TagListModel(self, all_friends_row=all_friends_row)
        self.view = QTreeView(self)
        self.view.setModel(self.model)
        self.view.setRootIsDecorated(True)
        self.view.setIndentation(14)
        self.view.setUniformRowHeights(True)
        self.view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        header = self.view.header()
        header.setStretchLastSection(False)
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.ResizeToContents)
        self.view.clicked.connect(self._clicked)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.view)

    def reload(self) -> None:
        Operation(self, lambda _ctx: load_tags(), success=self._show).run()

    def _show(self, rows: list[tuple[int, str, str, str, int]]) -> None:
        self.model.set_tags(rows)
        self.view.expandAll()
        self.loaded.emit()

    def _clicked(self, index: QModelIndex) -> None:
        tag_id = index.data(TAG_ID_ROLE)
        if tag_id is not None:
            self.tag_selected.emit(None if tag_id == _ALL else tag_id)
