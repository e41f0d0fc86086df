"""The tag panel: tags by folder with their colours and friend counts, and a drop target.

A shop has tens to a few hundred tags, so a QStandardItemModel holds them all;
the counts come from two GROUP BY queries run off the UI thread. A count says the
following friends (what a segment counts and a send reaches) and, when blocked or
unfollowed friends carry the tag too, all of them after a slash: 12 / 31. Long
names are elided in the middle, where two campaign tags differ, and the tooltip
holds the whole name. Drags carry an
identifier under our own MIME types (Orange, Picard): friends dropped on a tag
ask for them to be tagged, a tag dropped on a folder asks for it to be moved.
The panel only emits the request; the page turns it into an undo command.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

from PySide6.QtCore import QMimeData, QModelIndex, QPersistentModelIndex, Qt, Signal
from PySide6.QtGui import (
    QColor,
    QDragEnterEvent,
    QDragMoveEvent,
    QDropEvent,
    QIcon,
    QPainter,
    QPixmap,
    QStandardItem,
    QStandardItemModel,
)
from PySide6.QtWidgets import (
    QAbstractItemView,
    QApplication,
    QHeaderView,
    QStyle,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QTreeView,
    QVBoxLayout,
    QWidget,
)

from shopline.store import tags as tag_store
from shopline.ui.operations import Latest, Operation

FRIENDS_MIME = "application/x-shopline-friends"  # JSON list of friend ids
TAG_MIME = "application/x-shopline-tag"  # a tag's name, as the segment builder's palette carries it
TAG_ID_ROLE = Qt.ItemDataRole.UserRole + 1
FOLDER_ROLE = Qt.ItemDataRole.UserRole + 2  # on a folder row: its name
COLOUR_ROLE = Qt.ItemDataRole.UserRole + 3
COUNT_ROLE = Qt.ItemDataRole.UserRole + 4
_ALL = -1  # the "all friends" row: no tag filter

TagRow = tuple[int, str, str, str, int]  # (id, name, folder, colour, friends: all of them, a Members when loaded)


class Members(int):
    """How many friends carry a tag, all of them (the int: what deleting the tag takes it from), and
    how many of those follow the account (what a segment counts)."""

    following: int

    def __new__(cls, friends: int, following: int) -> Members:
        members = super().__new__(cls, friends)
        members.following = following
        return members


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


def load_tags() -> list[TagRow]:
    """(id, name, folder, colour, friends) for every tag; plain tuples cross threads safely."""
    return [(c.tag.id, c.tag.name, c.tag.folder, c.tag.colour, Members(c.friends, c.following))
            for c in tag_store.tag_counts()]


def friends_mime(friend_ids: Sequence[int]) -> QMimeData:
    mime = QMimeData()
    mime.setData(FRIENDS_MIME, json.dumps(list(friend_ids)).encode())
    return mime


def dropped_friends(mime: QMimeData) -> list[int]:
    """The friend ids a drag carries; [] for anything we did not put there ourselves."""
    try:
        ids = json.loads(bytes(mime.data(FRIENDS_MIME).data()).decode())
    except ValueError:
        return []
    return [i for i in ids if isinstance(i, int)] if isinstance(ids, list) else []


class TagListModel(QStandardItemModel):
    def __init__(self, parent: Any = None, *, all_friends_row: bool = False) -> None:
        super().__init__(parent)
        self._all_friends_row = all_friends_row
        self.rows: list[TagRow] = []
        self.setHorizontalHeaderLabels([self.tr("Tag"), self.tr("Friends")])
        self.setHeaderData(1, Qt.Orientation.Horizontal, self.tr(
            "Following friends with the tag; after the slash, all of them, blocked and unfollowed included"),
            Qt.ItemDataRole.ToolTipRole)
        self.set_tags([])

    def set_tags(self, rows: list[TagRow]) -> None:
        total = self.item(0, 1).text() if self._all_friends_row and self.rowCount() else ""
        self.rows = rows
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
                        item.setDragEnabled(False)
                        item.setData(folder, FOLDER_ROLE)
                    root.appendRow([folders[folder], blank])
                parent = folders[folder]
            items = self._row(name, count, tag_id)
            items[0].setIcon(swatch(colour))
            items[0].setData(colour, COLOUR_ROLE)
            items[0].setDragEnabled(True)
            parent.appendRow(items)

    def set_total(self, total: int) -> None:
        if self._all_friends_row:
            self.item(0, 1).setText(f"{total:,}")

    def tag(self, tag_id: int) -> TagRow | None:
        return next((row for row in self.rows if row[0] == tag_id), None)

    @staticmethod
    def _count_text(count: int) -> str:
        following = count.following if isinstance(count, Members) else count
        return f"{following:,}" if following == count else f"{following:,} / {count:,}"

    def mimeTypes(self) -> list[str]:
        return [TAG_MIME]

    def supportedDragActions(self) -> Qt.DropAction:
        # Never Move: the view would remove the dragged row itself; the reload after the command redraws it.
        return Qt.DropAction.CopyAction

    def mimeData(self, indexes: Sequence[QModelIndex]) -> QMimeData:
        mime = QMimeData()
        names = [i.data() for i in indexes if i.column() == 0 and i.data(TAG_ID_ROLE) not in (None, _ALL)]
        if names:
            mime.setData(TAG_MIME, names[0].encode())
            mime.setText(names[0])
        return mime

    def _row(self, name: str, count: int | str, tag_id: int) -> list[QStandardItem]:
        label = QStandardItem(name)
        label.setData(tag_id, TAG_ID_ROLE)
        label.setDragEnabled(False)
        number = QStandardItem(count if isinstance(count, str) else self._count_text(count))
        if isinstance(count, Members):
            label.setToolTip(name)  # the whole name, however the column elides it
            number.setToolTip(self.tr("{following:,} following friends, {all:,} in all").format(
                following=count.following, all=int(count)))
        number.setData(tag_id, TAG_ID_ROLE)
        number.setData(count, COUNT_ROLE)
        number.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        for item in (label, number):
            item.setEditable(False)
            item.setDropEnabled(False)
        number.setDragEnabled(False)
        return [label, number]


class MiddleElide(QStyledItemDelegate):
    """Tag names elided in the middle: キャンペーン_2024年1月_新春セール reads キャンペ…新春セール, not
    キャンペーン_2024年1…, so tags that share a long prefix stay apart."""

    def initStyleOption(self, option: QStyleOptionViewItem, index: QModelIndex | QPersistentModelIndex) -> None:
        super().initStyleOption(option, index)
        if index.column() != 0 or not option.text or option.rect.width() <= 0:
            return  # a size hint is asked with no rect: it wants the whole name
        widget = option.widget
        style = widget.style() if widget is not None else QApplication.style()
        text = style.subElementRect(QStyle.SubElement.SE_ItemViewItemText, option, widget)
        # The style draws the text inside a focus-frame margin on either side.
        margin = style.pixelMetric(QStyle.PixelMetric.PM_FocusFrameHMargin, None, widget) + 1
        option.text = option.fontMetrics.elidedText(option.text, Qt.TextElideMode.ElideMiddle,
                                                     text.width() - 2 * margin)

    def shown_text(self, view: QAbstractItemView, index: QModelIndex | QPersistentModelIndex) -> str:
        """The text painted for index in view as it is now: what the shop owner reads."""
        option = QStyleOptionViewItem()
        option.initFrom(view.viewport())
        option.widget = view
        option.rect = view.visualRect(index)
        self.initStyleOption(option, index)
        return option.text


class TagTree(QTreeView):
    """Friends dropped on a tag -> friends_dropped(ids, tag id); a tag dropped on a folder, or
    on the empty space below the tags (no folder) -> tag_dropped(tag id, folder)."""

    friends_dropped = Signal(list, int)
    tag_dropped = Signal(int, str)

    def __init__(self, model: TagListModel, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setModel(model)
        self._model = model
        self.setAcceptDrops(True)
        self.setDragEnabled(True)
        self.setDragDropMode(QAbstractItemView.DragDropMode.DragDrop)
        self.setDropIndicatorShown(True)
        self.setTextElideMode(Qt.TextElideMode.ElideMiddle)
        self.elide = MiddleElide(self)
        self.setItemDelegateForColumn(0, self.elide)

    def _target(self, event: QDropEvent | QDragMoveEvent) -> tuple[int, str] | None:
        """(tag id, "") for friends on a tag, (tag id, folder) for a tag on a folder; None when refused."""
        index = self.indexAt(event.position().toPoint())
        mime = event.mimeData()
        if mime.hasFormat(FRIENDS_MIME):
            tag_id = index.data(TAG_ID_ROLE) if index.isValid() else None
            return (tag_id, "") if tag_id is not None and tag_id != _ALL else None
        if mime.hasFormat(TAG_MIME):
            name = bytes(mime.data(TAG_MIME).data()).decode()
            tag = next((row for row in self._model.rows if row[1] == name), None)
            if tag is None:
                return None
            if not index.isValid():
                folder = ""
            elif index.data(FOLDER_ROLE) is not None:
                folder = index.data(FOLDER_ROLE)
            else:
                return None
            return (tag[0], folder) if folder != tag[2] else None
        return None

    def dragEnterEvent(self, event: QDragEnterEvent) -> None:
        if event.mimeData().hasFormat(FRIENDS_MIME) or event.mimeData().hasFormat(TAG_MIME):
            event.acceptProposedAction()
        else:
            event.ignore()

    def dragMoveEvent(self, event: QDragMoveEvent) -> None:
        if self._target(event) is not None:
            event.acceptProposedAction()
        else:
            event.ignore()

    def dropEvent(self, event: QDropEvent) -> None:
        target = self._target(event)
        if target is None:
            event.ignore()
            return
        event.acceptProposedAction()
        if event.mimeData().hasFormat(FRIENDS_MIME):
            ids = dropped_friends(event.mimeData())
            if ids:
                self.friends_dropped.emit(ids, target[0])
        else:
            self.tag_dropped.emit(*target)


class TagList(QWidget):
    """Emits tag_selected(tag id, or None for all friends) when a row is picked."""

    tag_selected = Signal(object)
    loaded = Signal()

    def __init__(self, parent: QWidget | None = None, *, all_friends_row: bool = False) -> None:
        super().__init__(parent)
        self._latest = Latest()  # overlapping reloads: the newest answer wins
        self.model = TagListModel(self, all_friends_row=all_friends_row)
        self.view = TagTree(self.model, self)
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
        Operation(self, lambda _ctx: load_tags(), success=self._latest(self._show)).run()

    def _show(self, rows: list[TagRow]) -> None:
        current = self.current_tag()
        self.model.set_tags(rows)
        self.view.expandAll()
        if current is not None:
            self.select_tag(current[0])
        self.loaded.emit()

    def current_tag(self) -> TagRow | None:
        tag_id = self.view.currentIndex().data(TAG_ID_ROLE)
        return self.model.tag(tag_id) if tag_id is not None else None

    def current_folder(self) -> str | None:
        folder = self.view.currentIndex().data(FOLDER_ROLE)
        return folder if isinstance(folder, str) else None

    def select_tag(self, tag_id: int) -> None:
        found = self.model.match(self.model.index(0, 0), TAG_ID_ROLE, tag_id, 1,
                                 Qt.MatchFlag.MatchRecursive | Qt.MatchFlag.MatchExactly)
        if found:
            self.view.setCurrentIndex(found[0])

    def index_of(self, name: str) -> QModelIndex | QPersistentModelIndex:
        """The row showing a tag or folder name (for drops and tests); invalid when none does."""
        found = self.model.match(self.model.index(0, 0), Qt.ItemDataRole.DisplayRole, name, 1,
                                 Qt.MatchFlag.MatchRecursive | Qt.MatchFlag.MatchExactly)
        return found[0] if found else QModelIndex()

    def _clicked(self, index: QModelIndex) -> None:
        tag_id = index.data(TAG_ID_ROLE)
        if tag_id is not None:
            self.tag_selected.emit(None if tag_id == _ALL else tag_id)
