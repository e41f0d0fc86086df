"""The 友だち page: tag panel, searchable friends table and detail pane; the welcome page when empty.

Selected friends are dragged from the table onto a tag in the panel to tag them;
the drop becomes a command on the window's undo stack.
"""

from __future__ import annotations

from PySide6.QtCore import QByteArray, QItemSelectionModel, QModelIndex, QSettings, Qt, QTimer, Signal
from PySide6.QtGui import QUndoStack
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHeaderView,
    QLabel,
    QLineEdit,
    QSplitter,
    QStackedWidget,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from shopline.core.changes import Changes
from shopline.ui.change_bus import Follow
from shopline.ui.friend_detail import FriendDetail
from shopline.ui.friends_model import COLUMNS, FriendsModel
from shopline.ui.tag_chips import TagChipsDelegate
from shopline.ui.tag_list import TagList
from shopline.ui.undo_commands import TagFriendsCommand
from shopline.ui.welcome_page import WelcomePage

SEARCH_DELAY_MS = 250  # one query when the typing pauses, not one per key
_WIDTHS = {"display_name": 150, "user_id": 130, "tags": 220, "gender": 60, "region": 80,
           "birthday": 90, "followed_at": 100, "last_purchase": 100, "spent": 90, "status": 70}


# What the page shows: the friends, their tags (chips and the tag panel's counts), fields and purchases.
SHOWS = Changes(friends=True, tags=True, fields=True, purchases=True)


class FriendsPage(QWidget):
    counts_changed = Signal(int, int)  # (listed, total) after every query
    connect_requested = Signal()  # the welcome page's チャネルを接続

    def __init__(self, undo: QUndoStack, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._undo = undo
        self.model = FriendsModel(self)
        self.tags = TagList(self, all_friends_row=True)
        self.search = QLineEdit(self)
        self.search.setPlaceholderText(self.tr("Search by name, user ID or memo"))
        self.search.setClearButtonEnabled(True)
        self.segment_label = QLabel(self)  # which segment the list is narrowed to, from the builder
        self.segment_label.hide()
        self.table = self._make_table()
        self.detail = FriendDetail(self.model, undo, self)

        middle = QWidget(self)
        column = QVBoxLayout(middle)
        column.setContentsMargins(0, 0, 0, 0)
        column.addWidget(self.segment_label)
        column.addWidget(self.search)
        column.addWidget(self.table)
        self.splitter = QSplitter(Qt.Orientation.Horizontal, self)
        for widget, stretch in ((self.tags, 0), (middle, 1), (self.detail, 0)):
            self.splitter.addWidget(widget)
            self.splitter.setStretchFactor(self.splitter.count() - 1, stretch)
        self.splitter.setSizes([250, 720, 290])

        self.welcome = WelcomePage(self)
        self.stack = QStackedWidget(self)
        self.stack.addWidget(self.splitter)
        self.stack.addWidget(self.welcome)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.stack)

        self._search_timer = QTimer(self)
        self._search_timer.setSingleShot(True)
        self._search_timer.setInterval(SEARCH_DELAY_MS)
        self._search_timer.timeout.connect(lambda: self.model.set_search(self.search.text()))
        self.search.textChanged.connect(self._search_timer.start)
        self.tags.tag_selected.connect(self.model.set_tag)
        self.tags.tag_selected.connect(self.segment_label.hide)
        self.model.loaded.connect(self._loaded)
        self.model.modelReset.connect(self._listed_again)
        self.table.selectionModel().currentRowChanged.connect(self._current_changed)
        self.welcome.connect_requested.connect(self.connect_requested)
        self.tags.view.friends_dropped.connect(self.tag_friends)
        self.tags.loaded.connect(lambda: self.detail.set_tags_available(self.tags.model.rows))
        self.follow = Follow(self, SHOWS, self._data_changed)

    def _make_table(self) -> QTableView:
        table = QTableView(self)
        table.setModel(self.model)
        table.setItemDelegateForColumn(COLUMNS.index("tags"), TagChipsDelegate(table))
        table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        table.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        table.setAlternatingRowColors(True)
        table.setDragEnabled(True)
        table.setDragDropMode(QAbstractItemView.DragDropMode.DragOnly)
        table.setWordWrap(False)
        table.setTextElideMode(Qt.TextElideMode.ElideRight)
        rows = table.verticalHeader()
        rows.hide()
        # Fixed row heights let the view place row 100,000 without measuring the 99,999 above it.
        rows.setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        rows.setDefaultSectionSize(table.fontMetrics().height() + 10)
        header = table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setStretchLastSection(True)
        for key, width in _WIDTHS.items():
            table.setColumnWidth(COLUMNS.index(key), width)
        table.setSortingEnabled(True)
        table.sortByColumn(COLUMNS.index("display_name"), Qt.SortOrder.AscendingOrder)
        return table

    def show_segment(self, tree: object, title: str) -> None:
        """List only a segment's friends (the builder's この友だちを表示); picking a tag lists by tag again."""
        self.search.clear()
        self.segment_label.setText(self.tr("Segment: {title}").format(title=title))
        self.segment_label.show()
        self.model.set_segment(tree)

    def reload(self) -> None:
        self.model.reload()
        self.tags.reload()

    def _listed_again(self) -> None:
        """After a new id query (a search, a sort, data changed elsewhere): the friend being looked at
        stays selected, with what the shop is typing, if the list still holds them."""
        shown = self.detail.friend_id()
        row = self.model.row_of(shown) if shown is not None else None
        if row is None:
            self.detail.show_friend(None)
        else:
            self.select_row(row)

    def _loaded(self) -> None:
        total = self.model.total_friends
        self.stack.setCurrentWidget(self.welcome if total == 0 else self.splitter)
        self.tags.model.set_total(total)
        self.counts_changed.emit(self.model.rowCount(), total)

    def _current_changed(self, current: QModelIndex, _previous: QModelIndex) -> None:
        row = current.row() if current.isValid() else None
        if row is not None and self.model.friend_id(row) == self.detail.friend_id():
            self.detail.reload()  # the same friend again (listed anew): keep the edits in progress
        else:
            self.detail.show_friend(row)

    def tag_friends(self, friend_ids: list[int], tag_id: int) -> None:
        tag = self.tags.model.tag(tag_id)
        if tag is not None:
            self._undo.push(TagFriendsCommand(self._undo, friend_ids, tag_id, tag[1]))

    def _data_changed(self, changes: Changes, initiator: object | None) -> None:
        """Our own undoable edits changed rows in place; anything else (an import, a sync, the demo removed,
        another window or the `shopline` command) may have added or removed friends: list them anew."""
        if initiator is self._undo:
            self.model.refresh_rows()
            self.detail.reload()
        elif changes.touches(Changes(friends=True, fields=True, purchases=True)):
            self.model.reload()
        self.tags.reload()

    def select_row(self, row: int) -> None:
        flags = (QItemSelectionModel.SelectionFlag.ClearAndSelect | QItemSelectionModel.SelectionFlag.Rows)
        self.table.selectionModel().setCurrentIndex(self.model.index(row, 0), flags)

    def save_state(self, settings: QSettings) -> None:
        settings.setValue("friends/splitter", self.splitter.saveState())
        settings.setValue("friends/header", self.table.horizontalHeader().saveState())

    def restore_state(self, settings: QSettings) -> None:
        splitter = settings.value("friends/splitter")
        if isinstance(splitter, QByteArray):
            self.splitter.restoreState(splitter)
        header = settings.value("friends/header")
        if isinstance(header, QByteArray):
            self.table.horizontalHeader().restoreState(header)
            head = self.table.horizontalHeader()
            self.model.sort(head.sortIndicatorSection(), head.sortIndicatorOrder())
