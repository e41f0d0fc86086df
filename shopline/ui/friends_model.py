"""The friends table model: a list of ids from one SQL query, rows fetched a page at a time.

Searching and sorting run a new id query off the UI thread (ORDER BY and LIKE in SQL,
no proxy model); the view then asks only for the rows it shows, so 100,000 friends
cost one list of ints plus a few cached pages.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Sequence
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QMimeData, QModelIndex, QPersistentModelIndex, Qt, Signal
from PySide6.QtGui import QColor

from shopline.store import friends
from shopline.store.friends import FriendRow
from shopline.ui.operations import Operation
from shopline.ui.tag_list import FRIENDS_MIME, friends_mime

PAGE_SIZE = 200
MAX_PAGES = 50  # ~10,000 cached rows: a full scroll through 100k friends keeps memory flat

COLUMNS = ("display_name", "user_id", "tags", "gender", "region", "birthday", "followed_at", "last_purchase", "spent",
           "status", "memo")
TAGS_ROLE = Qt.ItemDataRole.UserRole + 1  # [(name, colour)] for the chip delegate

_Index = QModelIndex | QPersistentModelIndex


class FriendsModel(QAbstractTableModel):
    loaded = Signal()  # the ids of the latest query are in place

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._ids: list[int] = []
        self._pages: OrderedDict[int, dict[int, tuple[FriendRow, list[tuple[str, str]]]]] = OrderedDict()
        self._search = ""
        self._tag_id: int | None = None
        self._segment: Any = None  # a segment tree (core.segments.Node) from the builder: only its friends
        self._order = "display_name"
        self._descending = False
        self._generation = 0
        self._started = False
        self.total_friends = 0
        self._headers = (
            self.tr("Name"), self.tr("User ID"), self.tr("Tags"), self.tr("Gender"), self.tr("Region"),
            self.tr("Birthday"), self.tr("Friend since"), self.tr("Last purchase"), self.tr("Total spent"),
            self.tr("Status"), self.tr("Memo"),
        )
        self._genders = {"female": self.tr("Female"), "male": self.tr("Male"),
                         "other": self.tr("Other"), "unknown": self.tr("Not given")}
        self._statuses = {"following": self.tr("Friend"), "blocked": self.tr("Blocked"),
                          "unfollowed": self.tr("Unfollowed")}

    # --- what is listed ---------------------------------------------------------------

    def reload(self) -> None:
        """Run the id query again (after a search, a sort, or new data) and reset the view."""
        self._started = True
        self._generation += 1
        generation = self._generation
        search, order, descending = self._search, self._order, self._descending
        members = friends.tag_members(self._tag_id) if self._tag_id is not None else None
        segment = self._segment

        def work(_ctx: Any) -> tuple[list[int], int]:
            # Compiled here, off the UI thread: compiling looks the segment's names up in the database.
            if segment is not None:
                from shopline.store import segment_sql  # only once a segment is shown: not at start-up

                query = segment_sql.friend_ids_query(segment)
            else:
                query = members
            return friends.friend_ids(search, order, descending, query), friends.friend_count()

        Operation(self, work, success=lambda result: self._apply(generation, *result)).run()

    def set_search(self, text: str) -> None:
        if text.strip() != self._search:
            self._search = text.strip()
            self.reload()

    def set_tag(self, tag_id: int | None) -> None:
        if tag_id != self._tag_id or self._segment is not None:
            self._tag_id, self._segment = tag_id, None
            self.reload()

    def set_segment(self, tree: Any) -> None:
        self._tag_id, self._segment = None, tree
        self.reload()

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        if not 0 <= column < len(COLUMNS):
            return
        self._order = COLUMNS[column]
        self._descending = order == Qt.SortOrder.DescendingOrder
        if self._started:  # the header restores its sort indicator before the first query
            self.reload()

    def _apply(self, generation: int, ids: list[int], total: int) -> None:
        if generation != self._generation:
            return  # a newer search or sort was asked for while this one ran
        self.beginResetModel()
        self._ids = ids
        self._pages.clear()
        self.total_friends = total
        self.endResetModel()
        self.loaded.emit()

    # --- rows, lazily -----------------------------------------------------------------

    def friend_id(self, row: int) -> int:
        return self._ids[row]

    def row_of(self, friend_id: int) -> int | None:
        """The friend's row in the current list, or None (a linear scan: a millisecond over 100,000 ids)."""
        try:
            return self._ids.index(friend_id)
        except ValueError:
            return None

    def friend(self, row: int) -> tuple[FriendRow, list[tuple[str, str]]] | None:
        """The row's friend and tags, or None when it was deleted since the id query."""
        page = row // PAGE_SIZE
        cached = self._pages.get(page)
        if cached is None:
            ids = self._ids[page * PAGE_SIZE:(page + 1) * PAGE_SIZE]
            found, tags = friends.rows(ids), friends.tags_for(ids)
            cached = {fid: (found[fid], tags[fid]) for fid in ids if fid in found}
            self._pages[page] = cached
            if len(self._pages) > MAX_PAGES:
                self._pages.popitem(last=False)
        else:
            self._pages.move_to_end(page)
        return cached.get(self._ids[row])

    def refresh_rows(self) -> None:
        """Show edited friends' new values and tags without running the id query again."""
        self._pages.clear()
        if self._ids:
            self.dataChanged.emit(self.index(0, 0), self.index(len(self._ids) - 1, len(COLUMNS) - 1))

    # --- QAbstractTableModel ----------------------------------------------------------

    def flags(self, index: _Index) -> Qt.ItemFlag:
        # Selected friends are dragged onto a tag in the tag panel to tag them.
        flags = super().flags(index)
        return flags | Qt.ItemFlag.ItemIsDragEnabled if index.isValid() else flags

    def mimeTypes(self) -> list[str]:
        return [FRIENDS_MIME]

    def mimeData(self, indexes: Sequence[QModelIndex]) -> QMimeData:
        rows = sorted({i.row() for i in indexes if i.isValid()})
        return friends_mime([self._ids[r] for r in rows])

    def supportedDragActions(self) -> Qt.DropAction:
        return Qt.DropAction.CopyAction

    def rowCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008 - Qt's signature
        return 0 if parent.isValid() else len(self._ids)

    def columnCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008 - Qt's signature
        return 0 if parent.isValid() else len(COLUMNS)

    def headerData(self, section: int, orientation: Qt.Orientation,
                   role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if (orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole
                and 0 <= section < len(self._headers)):
            return self._headers[section]
        return None

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._ids):
            return None
        if role == Qt.ItemDataRole.TextAlignmentRole:  # yen line up on the right, as on a receipt
            return Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter if COLUMNS[index.column()] == "spent" \
                else None
        if role not in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole,
                        Qt.ItemDataRole.ForegroundRole, TAGS_ROLE):
            return None
        entry = self.friend(index.row())
        if entry is None:
            return [] if role == TAGS_ROLE else None
        row, tags = entry
        key = COLUMNS[index.column()]
        if role == TAGS_ROLE:
            return tags if key == "tags" else None
        if role == Qt.ItemDataRole.ForegroundRole:
            # Blocked and unfollowed friends receive nothing: grey them out.
            return QColor(Qt.GlobalColor.gray) if row.status != "following" else None
        if key == "tags":
            return ", ".join(name for name, _ in tags)
        if role == Qt.ItemDataRole.ToolTipRole and key not in ("memo", "display_name"):
            return None
        return self.display(row, key)

    def display(self, row: FriendRow, key: str) -> str:
        value = getattr(row, key)
        if key == "gender":
            return self._genders.get(value, value)
        if key == "status":
            return self._statuses.get(value, value)
        if value is None:
            return ""
        if key == "spent":
            return self.tr("¥{amount}").format(amount=f"{value:,}")
        if key == "last_purchase":
            return value.date().isoformat()
        return value.isoformat() if hasattr(value, "isoformat") else str(value)
