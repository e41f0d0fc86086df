"""A group on the canvas: its header (all/any, exclude, remove) and a drop zone for its items.

Groups nest as frames inside frames; a drag over an inner group is that group's
to take, so the innermost frame under the cursor is where a drop lands.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QMimeData, QPoint, Qt
from PySide6.QtGui import QDragEnterEvent, QDragLeaveEvent, QDragMoveEvent, QDropEvent
from PySide6.QtWidgets import QCheckBox, QFrame, QHBoxLayout, QLabel, QPushButton, QToolButton, QVBoxLayout, QWidget

from shopline.ui.segment_builder import mime
from shopline.ui.segment_builder.model import Group

# (the group, the index among its items, the drag data) -> whether the drop was taken
DropHandler = Callable[[Group, int, QMimeData], bool]
CanDrop = Callable[[Group, QMimeData], bool]


class GroupFrame(QFrame):
    def __init__(self, group: Group, is_root: bool, can_drop: CanDrop, drop: DropHandler,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.item = group
        self._can_drop, self._drop = can_drop, drop
        self.setObjectName("group")
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.setAcceptDrops(True)
        self.setToolTip(self.tr("Drop tags and conditions here; drag the group by its handle to move it. "
                                "Ctrl+G: group, Ctrl+O: AND/OR, Delete: remove"))
        self.handle = QLabel("⋮⋮", self)
        self.handle.setObjectName("handle")
        self.handle.setCursor(Qt.CursorShape.OpenHandCursor)
        self.handle.setVisible(not is_root)
        self.mode = QPushButton(self)
        self.mode.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # Ctrl+O does it from the keyboard
        self.mode.setToolTip(self.tr("Switch between all and any (Ctrl+O)"))
        self.negate = QCheckBox(self.tr("Exclude"), self)
        self.negate.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.negate.setToolTip(self.tr("Friends matching this group are left out (Ctrl+E)"))
        self.remove = QToolButton(self)
        self.remove.setText("✕")
        self.remove.setToolTip(self.tr("Remove (Delete)"))
        self.remove.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.remove.setVisible(not is_root)
        self.empty = QLabel(self.tr("Drop tags or conditions here"), self)
        self.empty.setObjectName("hint")
        header = QHBoxLayout()
        header.addWidget(self.handle)
        header.addWidget(self.mode)
        header.addWidget(self.negate)
        header.addStretch(1)
        header.addWidget(self.remove)
        self.body = QVBoxLayout()
        self.body.setSpacing(4)
        outer = QVBoxLayout(self)
        outer.setContentsMargins(8, 6, 8, 8)
        outer.addLayout(header)
        outer.addLayout(self.body)
        outer.addWidget(self.empty)
        if is_root:
            outer.addStretch(1)  # spare height of the canvas goes below the items, not into them
        self.children_widgets: list[QWidget] = []

    def add_child(self, widget: QWidget) -> None:
        self.body.addWidget(widget)
        self.children_widgets.append(widget)

    def refresh(self) -> None:
        self.mode.setText(self.tr("Match all (AND)") if self.item.mode == "all" else self.tr("Match any (OR)"))
        self.negate.blockSignals(True)
        self.negate.setChecked(self.item.negated)
        self.negate.blockSignals(False)
        self.empty.setVisible(not self.item.items)
        for name, value in (("mode", self.item.mode), ("negated", self.item.negated), ("target", False)):
            self.setProperty(name, value)
        self.style().unpolish(self)
        self.style().polish(self)

    def index_at(self, pos: QPoint) -> int:
        """Where a drop at pos goes among the items: before the first one whose middle is below it."""
        for index, child in enumerate(self.children_widgets):
            if pos.y() < child.geometry().center().y():
                return index
        return len(self.children_widgets)

    def _show_target(self, on: bool) -> None:
        self.setProperty("target", on)
        self.style().unpolish(self)
        self.style().polish(self)

    def dragEnterEvent(self, event: QDragEnterEvent) -> None:
        if mime.accepts(event.mimeData()) and self._can_drop(self.item, event.mimeData()):
            event.acceptProposedAction()
            self._show_target(True)
        else:
            event.ignore()

    def dragMoveEvent(self, event: QDragMoveEvent) -> None:
        if self._can_drop(self.item, event.mimeData()):
            event.acceptProposedAction()
        else:
            event.ignore()

    def dragLeaveEvent(self, event: QDragLeaveEvent) -> None:
        self._show_target(False)
        super().dragLeaveEvent(event)

    def dropEvent(self, event: QDropEvent) -> None:
        self._show_target(False)
        if self._drop(self.item, self.index_at(event.position().toPoint()), event.mimeData()):
            event.acceptProposedAction()
        else:
            event.ignore()
