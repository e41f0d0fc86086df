"""The bubbles of the draft in order: add, remove, and reorder by drag or by Alt+Up/Down.

A drag carries the bubble's row under application/x-shopline-bubble; the drop asks the
document to move it (an undoable command) and the list redraws from the document's signal.
"""

from __future__ import annotations

from PySide6.QtCore import (
    QAbstractListModel,
    QByteArray,
    QMimeData,
    QModelIndex,
    QPersistentModelIndex,
    Qt,
    Signal,
)
from PySide6.QtGui import QColor, QDrag, QDragEnterEvent, QDragMoveEvent, QDropEvent, QKeyEvent
from PySide6.QtWidgets import QAbstractItemView, QGridLayout, QLabel, QListView, QPushButton, QVBoxLayout, QWidget

from shopline.core.drafts import (
    MAX_BUBBLES,
    Bubble,
    CouponBubble,
    ImageBubble,
    StickerBubble,
    TextBubble,
    sticker_package,
    sticker_packages,
)
from shopline.ui.composer.document import DraftDocument

MIME = "application/x-shopline-bubble"
ProblemRole = Qt.ItemDataRole.UserRole + 1
AnyIndex = QModelIndex | QPersistentModelIndex
_ERROR = QColor("#c62828")


def _short(text: str, limit: int = 28) -> str:
    line = " ".join(text.split())
    return line if len(line) <= limit else line[: limit - 1] + "…"


class BubbleListModel(QAbstractListModel):
    def __init__(self, doc: DraftDocument, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.doc = doc
        doc.changed.connect(self._reset)

    def _reset(self) -> None:
        # At most five rows: a reset is simpler than working out inserts and moves, and as cheap.
        self.beginResetModel()
        self.endResetModel()

    def rowCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008 - Qt's signature
        return 0 if parent.isValid() else len(self.doc.draft.bubbles)

    def summary(self, bubble: Bubble) -> str:
        if isinstance(bubble, TextBubble):
            return self.tr("Text: {}").format(_short(bubble.text) or self.tr("(empty)"))
        if isinstance(bubble, ImageBubble):
            return self.tr("Image: {}").format(_short(bubble.original_url.rsplit("/", 1)[-1]) or self.tr("(no URL)"))
        if isinstance(bubble, StickerBubble):
            package = sticker_package(bubble.package_id)
            title = str(package.title) if package else bubble.package_id
            return self.tr("Sticker: {} #{}").format(_short(title, 20), bubble.sticker_id)
        return self.tr("Coupon: {}").format(bubble.coupon_id or self.tr("(no couponId)"))

    def data(self, index: AnyIndex, role: int = Qt.ItemDataRole.DisplayRole) -> object:
        if not index.isValid() or not 0 <= index.row() < self.rowCount():
            return None
        row = index.row()
        if role == Qt.ItemDataRole.DisplayRole:
            text = f"{row + 1}. {self.summary(self.doc.draft.bubbles[row])}"
            problems = self.doc.problems_at(row)
            return text + "".join(f"\n⚠ {p}" for p in problems)
        if role == ProblemRole:
            return [str(p) for p in self.doc.problems_at(row)]
        if role == Qt.ItemDataRole.ToolTipRole:
            return "\n".join(str(p) for p in self.doc.problems_at(row)) or None
        if role == Qt.ItemDataRole.ForegroundRole and self.doc.problems_at(row):
            return _ERROR
        return None

    def flags(self, index: AnyIndex) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.ItemIsDropEnabled
        return (Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable | Qt.ItemFlag.ItemIsDragEnabled
                | Qt.ItemFlag.ItemNeverHasChildren)

    def supportedDragActions(self) -> Qt.DropAction:
        return Qt.DropAction.MoveAction

    def supportedDropActions(self) -> Qt.DropAction:
        return Qt.DropAction.MoveAction

    def mimeTypes(self) -> list[str]:
        return [MIME]

    def mimeData(self, indexes: list[QModelIndex]) -> QMimeData:
        mime = QMimeData()
        rows = [i.row() for i in indexes if i.isValid()]
        if rows:
            mime.setData(MIME, QByteArray(str(rows[0]).encode("ascii")))
        return mime

    @staticmethod
    def source_row(data: QMimeData) -> int | None:
        raw = bytes(data.data(MIME).data()).decode("ascii", "replace") if data.hasFormat(MIME) else ""
        return int(raw) if raw.isdigit() else None

    def canDropMimeData(self, data: QMimeData, action: Qt.DropAction, row: int, column: int,
                        parent: AnyIndex) -> bool:
        source = self.source_row(data)
        return source is not None and source < self.rowCount()

    def dropMimeData(self, data: QMimeData, action: Qt.DropAction, row: int, column: int,
                     parent: AnyIndex) -> bool:
        """row: the gap the bubble was dropped into (before row), or -1 for onto `parent` / the end."""
        source = self.source_row(data)
        if source is None or source >= self.rowCount():
            return False
        if row < 0:
            row = parent.row() if parent.isValid() else self.rowCount()
        target = row if row <= source else row - 1  # the gap is counted before the bubble leaves it
        return self.doc.move(source, min(target, self.rowCount() - 1))


class BubbleView(QListView):
    """A list whose drags and drops only ever move bubbles, never copy or delete them."""

    move_requested = Signal(int, int)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setDragEnabled(True)
        self.setAcceptDrops(True)
        self.setDropIndicatorShown(True)
        self.setDragDropMode(QAbstractItemView.DragDropMode.DragDrop)
        self.setDefaultDropAction(Qt.DropAction.MoveAction)
        self.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.setWordWrap(True)
        self.setSpacing(2)

    def startDrag(self, supportedActions: Qt.DropAction) -> None:
        # Qt's own startDrag removes the source rows after a move; the drop has already moved them.
        indexes = self.selectedIndexes()
        if indexes:
            drag = QDrag(self)
            drag.setMimeData(self.model().mimeData(indexes))
            drag.exec(Qt.DropAction.MoveAction)

    def _accept(self, event: QDragEnterEvent | QDragMoveEvent) -> None:
        if event.mimeData().hasFormat(MIME):
            event.setDropAction(Qt.DropAction.MoveAction)
            event.accept()
        else:
            event.ignore()

    def dragEnterEvent(self, event: QDragEnterEvent) -> None:
        self._accept(event)

    def dragMoveEvent(self, event: QDragMoveEvent) -> None:
        super().dragMoveEvent(event)  # the drop indicator
        self._accept(event)

    def dropEvent(self, event: QDropEvent) -> None:
        model = self.model()
        if not event.mimeData().hasFormat(MIME) or model is None:
            event.ignore()
            return
        pos = event.position().toPoint()
        index = self.indexAt(pos)
        row = model.rowCount()
        if index.isValid():
            row = index.row() + (1 if pos.y() > self.visualRect(index).center().y() else 0)
        if model.dropMimeData(event.mimeData(), Qt.DropAction.MoveAction, row, 0, QModelIndex()):
            event.setDropAction(Qt.DropAction.MoveAction)
            event.accept()
        else:
            event.ignore()

    def keyPressEvent(self, event: QKeyEvent) -> None:
        step = {Qt.Key.Key_Up: -1, Qt.Key.Key_Down: 1}.get(Qt.Key(event.key()))
        if step is not None and event.modifiers() == Qt.KeyboardModifier.AltModifier:
            row = self.currentIndex().row()
            if row >= 0:
                self.move_requested.emit(row, row + step)
            event.accept()
            return
        super().keyPressEvent(event)


class BubbleList(QWidget):
    """The list with its add and remove buttons; `current_changed` gives the selected row or -1."""

    current_changed = Signal(int)

    def __init__(self, doc: DraftDocument, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.doc = doc
        self.model = BubbleListModel(doc, self)
        self.view = BubbleView(self)
        self.view.setModel(self.model)
        self.view.setToolTip(self.tr("Drag a bubble, or press Alt+Up / Alt+Down, to change the order."))
        self.view.move_requested.connect(doc.move)
        self.message = QLabel(self)
        self.message.setWordWrap(True)
        self.message.setStyleSheet(f"color: {_ERROR.name()};")
        self._row = -1
        doc.changed.connect(self._after_change)
        doc.moved.connect(self._after_move)
        self.view.selectionModel().currentChanged.connect(self._current)
        self.add_buttons: dict[str, QPushButton] = {}
        # Three to a row, not five: a row of five set the page's width past a 1024-pixel screen.
        buttons = QGridLayout()
        for key, label in (("text", self.tr("+ Text")), ("image", self.tr("+ Image")),
                           ("sticker", self.tr("+ Sticker")), ("coupon", self.tr("+ Coupon"))):
            button = QPushButton(label, self)
            button.clicked.connect(lambda _=False, k=key: self.add(k))
            buttons.addWidget(button, len(self.add_buttons) // 3, len(self.add_buttons) % 3)
            self.add_buttons[key] = button
        self.remove_button = QPushButton(self.tr("Remove"), self)
        self.remove_button.clicked.connect(self.remove_current)
        buttons.addWidget(self.remove_button, 1, 2)
        heading = QLabel(self.tr("Bubbles (up to {}), sent together as one message").format(MAX_BUBBLES), self)
        heading.setWordWrap(True)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(heading)
        layout.addWidget(self.view, 1)
        layout.addLayout(buttons)
        layout.addWidget(self.message)
        self._after_change()

    def add(self, kind: str) -> None:
        first = sticker_packages()[0]
        bubble: Bubble = {"text": TextBubble(""), "image": ImageBubble("", ""),
                          "sticker": StickerBubble(first.package_id, first.sticker_ids[0]),
                          "coupon": CouponBubble("")}[kind]
        refused = self.doc.add(bubble)
        self.message.setText(str(refused) if refused else "")
        if refused is None:
            self.select(len(self.doc.draft.bubbles) - 1)

    def remove_current(self) -> None:
        if 0 <= self._row < len(self.doc.draft.bubbles):
            self.doc.remove(self._row)

    def select(self, row: int) -> None:
        self._row = row
        if row >= 0:
            self.view.setCurrentIndex(self.model.index(row, 0))
        self.current_changed.emit(row)

    def _current(self, current: QModelIndex, _previous: QModelIndex) -> None:
        if current.isValid() and current.row() != self._row:
            self._row = current.row()
            self.current_changed.emit(self._row)

    def _after_change(self) -> None:
        count = len(self.doc.draft.bubbles)
        if count < MAX_BUBBLES:
            self.message.clear()  # the add buttons stay enabled: a click at five says why it is refused
        self.remove_button.setEnabled(count > 0)
        self.select(min(max(self._row, 0), count - 1) if count else -1)  # the reset dropped the selection

    def _after_move(self, _source: int, target: int) -> None:
        self.select(target)  # the bubble just moved is the one the shop is looking at
