"""The canvas: the model's groups as nested frames, taking drops and keys, pushing commands.

It never edits the model itself. A drop or a key becomes a command on the undo
stack; the model's `changed` signal brings the view up to date: a full rebuild
when items came, went or moved, an in-place refresh otherwise, so an editor
being typed in keeps its focus.

A press reaches the pressed row and then, unless taken, every group around it;
the innermost item takes it, so the drag that follows carries that item.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QEvent, QMimeData, QObject, QPoint, Qt
from PySide6.QtGui import QDrag, QKeyEvent, QMouseEvent, QUndoCommand, QUndoStack
from PySide6.QtWidgets import QApplication, QFrame, QScrollArea, QWidget

from shopline.ui.segment_builder import commands, mime
from shopline.ui.segment_builder.condition_row import ConditionRow
from shopline.ui.segment_builder.group_frame import GroupFrame
from shopline.ui.segment_builder.model import Condition, Group, Item, SegmentModel

STYLE = """
#group { border: 1px solid #b0bec5; border-radius: 6px; background: #f4f7f9; }
#group[mode="any"] { background: #fff8e1; }
#group[negated="true"] { border: 2px dashed #e53935; }
#group[target="true"] { border: 2px solid #43a047; }
#condition { background: white; border: 1px solid #cfd8dc; border-radius: 4px; }
#condition[negated="true"] { background: #ffebee; }
#condition[target="onto"] { border: 2px solid #43a047; background: #e8f5e9; }
#condition[target="before"] { border-top: 3px solid #43a047; }
#condition[target="after"] { border-bottom: 3px solid #43a047; }
#handle { color: #90a4ae; }
#group:focus, #condition:focus { border: 2px solid #1e88e5; }
#chip { background: #e3f2fd; border-radius: 8px; padding: 1px 8px; }
#hint { color: #78909c; }
"""
_CTRL = Qt.KeyboardModifier.ControlModifier


class Canvas(QScrollArea):
    def __init__(self, model: SegmentModel, stack: QUndoStack, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.model, self.stack = model, stack
        self.palette_mime: Callable[[], QMimeData | None] = lambda: None  # set by the page
        self.widgets: dict[int, GroupFrame | ConditionRow] = {}
        self.current_id = model.root.id  # the item with the focus, or the last one that had it
        self._shape: tuple[tuple[int, int], ...] = ()
        self._press: tuple[QWidget, QPoint] | None = None
        self._dragging = False
        self._retired: list[QWidget] = []  # canvases replaced while a drag from them runs
        self.setWidgetResizable(True)
        self.setFrameShape(QFrame.Shape.NoFrame)
        self.setStyleSheet(STYLE)
        model.changed.connect(self.sync)
        self.sync()

    # --- following the model ---------------------------------------------------------------

    def sync(self) -> None:
        shape = tuple((item.id, parent.id if parent else 0) for item, parent in self.model.walk())
        if shape == self._shape:
            for widget in self.widgets.values():
                widget.refresh()
            return
        self._shape = shape
        focus = QApplication.focusWidget()
        had_focus = focus is not None and self.isAncestorOf(focus)
        self._press = None
        old = self.takeWidget()
        if old is not None:
            old.hide()
            if self._dragging:
                self._retired.append(old)  # holds the drag's source widget: deleted once QDrag.exec returns
            else:
                old.deleteLater()  # maybe inside its own drop event: delete once that returns
        self.widgets = {}
        self.setWidget(self._build(self.model.root, is_root=True))
        if self.model.find(self.current_id) is None:
            self.current_id = self.model.root.id
        if had_focus:
            self.focus_item(self.current_id)

    def _build(self, item: Item, is_root: bool = False) -> QWidget:
        widget: GroupFrame | ConditionRow
        if isinstance(item, Group):
            widget = GroupFrame(item, is_root, self.can_drop, self.drop)
            widget.mode.clicked.connect(lambda: self.push(commands.toggle_mode(self.model, item)))
            for child in item.items:
                widget.add_child(self._build(child))
        else:
            widget = ConditionRow(item, lambda leaf: self.push(commands.set_leaf(self.model, item, leaf)),
                                  self.can_drop_on, self.drop_on)
        widget.negate.toggled.connect(lambda _on: self.push(commands.toggle_not(self.model, item)))
        widget.remove.clicked.connect(lambda: self.remove(item))
        widget.installEventFilter(self)
        widget.refresh()
        self.widgets[item.id] = widget
        return widget

    def focus_item(self, item_id: int) -> None:
        widget = self.widgets.get(item_id)
        if widget is not None:
            self.current_id = item_id
            widget.setFocus(Qt.FocusReason.OtherFocusReason)
            self.ensureWidgetVisible(widget)

    def push(self, command: QUndoCommand) -> None:
        self.stack.push(command)

    # --- drops -------------------------------------------------------------------------------

    def _moving(self, data: QMimeData) -> Item | None:
        dropped = mime.decode(data)
        if dropped is None or dropped.source is None or dropped.token != self.model.token:
            return None
        return self.model.find(dropped.source)

    def can_drop(self, group: Group, data: QMimeData) -> bool:
        dropped = mime.decode(data)
        if dropped is None:
            return False
        moving = self._moving(data)
        if moving is None:
            return dropped.leaf is not None
        return moving is not self.model.root and not self.model.contains(moving, group.id)

    def drop(self, group: Group, index: int, data: QMimeData) -> bool:
        """Add what the palette sent, or move what the canvas sent, to group at index."""
        if not self.can_drop(group, data):
            return False
        moving = self._moving(data)
        if moving is None:
            leaf = mime.decode(data).leaf  # type: ignore[union-attr]  # can_drop checked both
            assert leaf is not None
            moving = Condition(leaf)
            self.push(commands.AddItem(self.model, group, index, moving))
        else:
            siblings = self.model.parent_of(moving.id)
            if siblings is group and group.items.index(moving) < index:
                index -= 1  # the index counts the item itself, which leaves first
            if siblings is not group or group.items.index(moving) != index:
                self.push(commands.MoveItem(self.model, moving, group, index))
        self.focus_item(moving.id)
        return True

    def can_drop_on(self, target: Condition, zone: str, data: QMimeData) -> bool:
        """Beside a condition: as into its group; onto it: anything but itself or a group holding it."""
        group = self.model.parent_of(target.id)
        if group is None:
            return False
        if zone != "onto":
            return self.can_drop(group, data)
        dropped = mime.decode(data)
        if dropped is None:
            return False
        moving = self._moving(data)
        if moving is None:
            return dropped.leaf is not None
        return moving is not self.model.root and not self.model.contains(moving, target.id)

    def drop_on(self, target: Condition, zone: str, data: QMimeData) -> bool:
        """A drop on a condition row: before or after it in its group, or onto it to group the two."""
        if not self.can_drop_on(target, zone, data):
            return False
        group = self.model.parent_of(target.id)
        assert group is not None
        if zone != "onto":
            return self.drop(group, group.items.index(target) + (zone == "after"), data)
        moving = self._moving(data)
        if moving is None:
            leaf = mime.decode(data).leaf  # type: ignore[union-attr]  # can_drop_on checked both
            assert leaf is not None
            moving = Condition(leaf)
            self.push(commands.GroupWith(self.model, target, moving, new=True))
        else:
            self.push(commands.GroupWith(self.model, target, moving, new=False))
        self.focus_item(moving.id)
        return True

    def take_back(self, data: QMimeData) -> bool:
        """A canvas item dragged back onto the palette: remove it."""
        moving = self._moving(data)
        if moving is None or moving is self.model.root:
            return False
        self.remove(moving)
        return True

    def add_from_palette(self, target: Item | None = None, data: QMimeData | None = None) -> bool:
        """Insert/Enter: the palette's selected item into the target group, or after the target condition."""
        data = data or self.palette_mime()
        target = target or self.model.find(self.current_id) or self.model.root
        if data is None:
            return False
        if isinstance(target, Group):
            return self.drop(target, len(target.items), data)
        group = self.model.parent_of(target.id)
        assert group is not None
        return self.drop(group, group.items.index(target) + 1, data)

    # --- keyboard equivalents -------------------------------------------------------------------

    def remove(self, item: Item) -> None:
        if item is self.model.root:
            return
        order = [i for i, _ in self.model.walk() if not self.model.contains(item, i.id) or i is item]
        at = order.index(item)
        self.current_id = (order[at + 1] if at + 1 < len(order) else order[at - 1]).id
        self.push(commands.RemoveItem(self.model, item))

    def shift(self, item: Item, step: int) -> None:
        """Ctrl+Up/Down: one place up or down; past the edge of a group, out of it."""
        group = self.model.parent_of(item.id)
        if group is None:
            return
        index = group.items.index(item) + step
        if 0 <= index < len(group.items):
            self.push(commands.MoveItem(self.model, item, group, index))
            return
        outer = self.model.parent_of(group.id)
        if outer is not None:
            self.push(commands.MoveItem(self.model, item, outer, outer.items.index(group) + (step > 0)))

    def indent(self, item: Item) -> None:
        """Ctrl+Right: into the group just above it, at its end."""
        group = self.model.parent_of(item.id)
        index = group.items.index(item) if group else 0
        if group is not None and index > 0 and isinstance(group.items[index - 1], Group):
            above = group.items[index - 1]
            assert isinstance(above, Group)
            self.push(commands.MoveItem(self.model, item, above, len(above.items)))

    def outdent(self, item: Item) -> None:
        """Ctrl+Left: out of its group, just after it."""
        group = self.model.parent_of(item.id)
        outer = self.model.parent_of(group.id) if group else None
        if group is not None and outer is not None:
            self.push(commands.MoveItem(self.model, item, outer, outer.items.index(group) + 1))

    def step_focus(self, item: Item, step: int) -> None:
        order = [i for i, _ in self.model.walk()]
        at = order.index(item) + step
        if 0 <= at < len(order):
            self.focus_item(order[at].id)

    def key(self, item: Item, event: QKeyEvent) -> bool:
        key, ctrl = event.key(), bool(event.modifiers() & _CTRL)
        group = item if isinstance(item, Group) else self.model.parent_of(item.id)
        actions: dict[tuple[Qt.Key, bool], Callable[[], object]] = {
            (Qt.Key.Key_Up, False): lambda: self.step_focus(item, -1),
            (Qt.Key.Key_Down, False): lambda: self.step_focus(item, 1),
            (Qt.Key.Key_Up, True): lambda: self.shift(item, -1),
            (Qt.Key.Key_Down, True): lambda: self.shift(item, 1),
            (Qt.Key.Key_Right, True): lambda: self.indent(item),
            (Qt.Key.Key_Left, True): lambda: self.outdent(item),
            (Qt.Key.Key_Insert, False): lambda: self.add_from_palette(item),
            (Qt.Key.Key_Return, False): lambda: self.add_from_palette(item),
            (Qt.Key.Key_Enter, False): lambda: self.add_from_palette(item),
            (Qt.Key.Key_Delete, False): lambda: self.remove(item),
            (Qt.Key.Key_Backspace, False): lambda: self.remove(item),
            (Qt.Key.Key_G, True): lambda: item is not self.model.root and self.push(
                commands.WrapInGroup(self.model, item)),
            (Qt.Key.Key_O, True): lambda: group is not None and self.push(commands.toggle_mode(self.model, group)),
            (Qt.Key.Key_E, True): lambda: self.push(commands.toggle_not(self.model, item)),
        }
        action = actions.get((Qt.Key(key), ctrl))
        if action is None:
            return False
        action()
        return True

    # --- events of the item widgets: focus, keys, and starting a drag -------------------------

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        item = getattr(watched, "item", None)
        if item is None or not isinstance(watched, QWidget):
            return False
        kind = event.type()
        if kind == QEvent.Type.FocusIn:
            self.current_id = item.id
        elif kind == QEvent.Type.KeyPress and QApplication.focusWidget() is watched:
            return self.key(item, event)  # type: ignore[arg-type]  # a KeyPress is a QKeyEvent
        elif kind == QEvent.Type.MouseButtonPress and isinstance(event, QMouseEvent):
            if event.button() != Qt.MouseButton.LeftButton:
                return False
            # Taken here, so the groups around the pressed item never see it and cannot claim the drag.
            self._press = (watched, event.position().toPoint())
            event.accept()
            return True
        elif kind == QEvent.Type.MouseButtonRelease:
            self._press = None
        elif kind == QEvent.Type.MouseMove and isinstance(event, QMouseEvent) and self._press is not None:
            widget, start = self._press
            if not event.buttons() & Qt.MouseButton.LeftButton:
                self._press = None
                return False
            distance = (event.position().toPoint() - start).manhattanLength()
            if widget is watched and item is not self.model.root and distance >= QApplication.startDragDistance():
                self._press = None
                event.accept()
                self.start_drag(watched, item)
                return True
        return False

    def drag_mime(self, item: Item) -> QMimeData:
        if isinstance(item, Condition):
            return mime.condition_mime(item.leaf, item.id, self.model.token)
        return mime.group_mime(item.id, self.model.token)

    def start_drag(self, widget: QWidget, item: Item) -> None:
        drag = QDrag(widget)
        drag.setMimeData(self.drag_mime(item))
        drag.setPixmap(widget.grab().scaledToWidth(min(240, max(1, widget.width()))))
        self._dragging = True
        try:
            drag.exec(Qt.DropAction.MoveAction)
        finally:
            self._dragging = False
            for old in self._retired:
                old.deleteLater()
            self._retired = []

