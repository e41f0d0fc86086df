"""The palette: built-in conditions, the shop's own 友だち情報 fields and its tags by folder.

Every item is draggable under our MIME types (the model's mimeData), and Enter,
Insert or a double click hands the same MIME data to the canvas instead, so the
keyboard and the mouse add exactly the same thing. A canvas item dragged back
onto the palette is handed to the page (`returned`): taken off the canvas.
"""

from __future__ import annotations

import datetime as dt
import json
from collections import Counter
from typing import Any

from PySide6.QtCore import QMimeData, QModelIndex, QPersistentModelIndex, Qt, Signal
from PySide6.QtGui import (
    QDrag,
    QDragEnterEvent,
    QDragMoveEvent,
    QDropEvent,
    QKeyEvent,
    QStandardItem,
    QStandardItemModel,
)
from PySide6.QtWidgets import QAbstractItemView, QTreeView, QVBoxLayout, QWidget

from shopline.core.segments import Compare, HasTag, from_json, to_json
from shopline.core.segments.fields import BUILTIN_FIELDS, builtin
from shopline.store import tags as tag_store
from shopline.store.models import Field, FieldValue
from shopline.ui.operations import Latest, Operation
from shopline.ui.segment_builder import mime
from shopline.ui.segment_builder.field_labels import field_label
from shopline.ui.tag_list import swatch

LEAF_ROLE = Qt.ItemDataRole.UserRole + 1  # the JSON leaf a palette item adds
# What a freshly dropped built-in condition says, before the shop owner edits it.
BUILTIN_DEFAULTS = {"gender": ("=", "female"), "age": (">=", 30), "birth_month": ("=", "this"),
                    "region": ("=", "東京都"), "friend_days": (">=", 30),
                    "last_reaction_days": ("<=", 30), "source": ("=", "webhook")}
# 購買: the purchase conditions under their own heading, each with the arguments it starts with.
PURCHASE_DEFAULTS: dict[str, tuple[str, str | int, dict[str, str | int]]] = {
    "purchases": (">=", 1, {"days": 90}), "spent": (">=", 10000, {"days": 365}),
    "days_since_purchase": (">=", 180, {}), "days_since": (">=", 90, {"field": "followed_at"}),
    "rfm_group": ("=", "best", {}), "rfm_r": (">=", 4, {}), "rfm_f": (">=", 4, {}), "rfm_m": (">=", 4, {})}
# 反応: campaigns received and tracked-link clicks (any campaign until the shop names one in the text form, or
# makes the segment from a campaign's results).
REACTION_DEFAULTS: dict[str, tuple[str, int]] = {"received": (">=", 1), "clicked": (">=", 1)}

TagRow = tuple[str, str, str, int]  # name, folder, colour, following friends (what the count says)
FieldRow = tuple[str, str, str]  # name, kind, a value to start from


def _first_value(field: Field) -> str:
    if field.kind == "number":
        return "1"
    if field.kind == "date":
        return dt.date.today().isoformat()
    choices = json.loads(field.choices) if field.choices else []
    if choices:
        return str(choices[0])
    values = Counter(v for (v,) in FieldValue.select(FieldValue.text_value)
                     .where((FieldValue.field == field.id) & (FieldValue.text_value != "")).limit(500).tuples())
    return values.most_common(1)[0][0] if values else "?"


def load_palette() -> tuple[list[TagRow], list[FieldRow]]:
    """Runs on a pool thread: plain tuples for the tags and the custom fields."""
    tags = [(c.tag.name, c.tag.folder, c.tag.colour, c.following) for c in tag_store.tag_counts()]
    fields = [(f.name, f.kind, _first_value(f)) for f in Field.select().order_by(Field.position, Field.id)
              if builtin(f.name) is None]  # shadowed by the built-in of that name (age, 年齢)
    return tags, fields


class PaletteModel(QStandardItemModel):
    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self.set_contents([], [])

    def set_contents(self, tags: list[TagRow], fields: list[FieldRow]) -> None:
        self.clear()
        conditions = self._heading(self.tr("Conditions"))
        for name in BUILTIN_FIELDS:
            if name in BUILTIN_DEFAULTS:
                op, value = BUILTIN_DEFAULTS[name]
                conditions.appendRow(self._leaf(field_label(name), Compare(name, op, value)))
        purchases = self._heading(self.tr("Purchases"))
        for name, (op, value, args) in PURCHASE_DEFAULTS.items():
            purchases.appendRow(self._leaf(field_label(name), Compare(name, op, value, args=tuple(args.items()))))
        reactions = self._heading(self.tr("Reactions"))
        for name, (op, number) in REACTION_DEFAULTS.items():
            reactions.appendRow(self._leaf(field_label(name), Compare(name, op, number)))
        if fields:
            own = self._heading(self.tr("Friend info"))
            for name, kind, value in fields:
                op = "=" if kind in ("text", "choice") else ">="
                own.appendRow(self._leaf(name, Compare(name, op, value)))
        folders: dict[str, QStandardItem] = {}
        for name, folder, colour, friends in tags:
            heading = folders.get(folder)
            if heading is None:
                heading = folders[folder] = self._heading(folder or self.tr("Tags"))
            item = self._leaf(name, HasTag(name))
            item.setIcon(swatch(colour))
            item.setToolTip(self.tr("{n:,} friends").format(n=friends))
            heading.appendRow(item)

    def _heading(self, text: str) -> QStandardItem:
        item = QStandardItem(text)
        item.setEditable(False)
        item.setDragEnabled(False)
        item.setSelectable(False)
        self.appendRow(item)
        return item

    @staticmethod
    def _leaf(text: str, leaf: HasTag | Compare) -> QStandardItem:
        item = QStandardItem(text)
        item.setEditable(False)
        item.setData(json.dumps(to_json(leaf), ensure_ascii=False), LEAF_ROLE)
        return item

    def mimeTypes(self) -> list[str]:
        return [mime.TAG, mime.CONDITION]

    def mimeData(self, indexes: Any) -> QMimeData | None:
        leaves = [i.data(LEAF_ROLE) for i in indexes if i.isValid() and i.data(LEAF_ROLE)]
        return item_mime(leaves[0]) if leaves else None

    def supportedDragActions(self) -> Qt.DropAction:
        return Qt.DropAction.CopyAction


def item_mime(payload: str) -> QMimeData:
    body = json.loads(payload)
    if "tag" in body:
        return mime.tag_mime(body["tag"])
    leaf = from_json(body)
    assert isinstance(leaf, Compare)
    return mime.condition_mime(leaf)


class Palette(QWidget):
    chosen = Signal(QMimeData)  # Enter, Insert or a double click: add this to the canvas
    returned = Signal(QMimeData)  # a canvas item dropped back here: take it off the canvas
    loaded = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._latest = Latest()  # overlapping reloads: the newest answer wins
        self.model = PaletteModel(self)
        self.view = _PaletteView(self)
        self.view.setModel(self.model)
        self.view.setHeaderHidden(True)
        self.view.setDragEnabled(True)
        self.view.setDragDropMode(QAbstractItemView.DragDropMode.DragOnly)
        self.view.setAcceptDrops(True)  # DragOnly refuses drops in the base class; our view takes canvas items
        self.view.returned.connect(self.returned)
        self.view.setToolTip(self.tr("Drag a tag or condition onto the canvas (or select it and press Enter). "
                                     "Drag a condition back here to remove it."))
        self.view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.view.doubleClicked.connect(self._choose)
        self.view.enter_pressed.connect(self._choose)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.view)

    def reload(self) -> None:
        Operation(self, lambda _ctx: load_palette(), success=self._latest(self._show)).run()

    def _show(self, contents: tuple[list[TagRow], list[FieldRow]]) -> None:
        self.model.set_contents(*contents)
        self.view.expandAll()
        self.loaded.emit()

    def current_mime(self) -> QMimeData | None:
        """The selected item's drag data, for the canvas's Insert key."""
        payload = self.view.currentIndex().data(LEAF_ROLE)
        return item_mime(payload) if payload else None

    def _choose(self, index: QModelIndex | QPersistentModelIndex) -> None:
        payload = index.data(LEAF_ROLE)
        if payload:
            self.chosen.emit(item_mime(payload))


class _PaletteView(QTreeView):
    enter_pressed = Signal(QModelIndex)
    returned = Signal(QMimeData)

    def startDrag(self, supportedActions: Qt.DropAction) -> None:
        # The base class would build the QDrag in C++; built here it is the same drag the canvas makes,
        # one path for the tests to follow from the mouse to the drop.
        data = self.model().mimeData([i for i in self.selectedIndexes() if i.isValid()])
        if data is None:
            return
        drag = QDrag(self)
        drag.setMimeData(data)
        drag.exec(supportedActions & Qt.DropAction.CopyAction or Qt.DropAction.CopyAction)

    @staticmethod
    def _from_canvas(data: QMimeData) -> bool:
        dropped = mime.decode(data)
        return dropped is not None and dropped.source is not None

    def _offer(self, event: QDragMoveEvent) -> None:
        if self._from_canvas(event.mimeData()):
            event.acceptProposedAction()
        else:
            event.ignore()

    def dragEnterEvent(self, event: QDragEnterEvent) -> None:
        self._offer(event)

    def dragMoveEvent(self, event: QDragMoveEvent) -> None:
        self._offer(event)

    def dropEvent(self, event: QDropEvent) -> None:
        if self._from_canvas(event.mimeData()):
            event.acceptProposedAction()
            self.returned.emit(event.mimeData())
        else:
            event.ignore()

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter, Qt.Key.Key_Insert) and self.currentIndex().isValid():
            self.enter_pressed.emit(self.currentIndex())
            return
        super().keyPressEvent(event)
