"""One condition on the canvas: a tag chip, or a field with its operator and value editors.

The editors never change the row: they push a command, the model changes, and
the canvas calls refresh() so the row shows what the model now says.

A row is also a drop target: its top and bottom edges mean "beside it" (in its
group), its middle means "together with it" (a new group of the two).
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QMimeData, QPoint, Qt
from PySide6.QtGui import QDragEnterEvent, QDragLeaveEvent, QDragMoveEvent, QDropEvent
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QSpinBox,
    QToolButton,
    QWidget,
)

from shopline.core.prefectures import PREFECTURES
from shopline.core.rfm import GROUPS
from shopline.core.segments import Compare, HasTag, SegmentError
from shopline.core.segments.fields import OPS, Args, Value, builtin
from shopline.ui.segment_builder import mime
from shopline.ui.segment_builder.arg_editors import EDITED, ArgEditors
from shopline.ui.segment_builder.field_labels import field_label
from shopline.ui.segment_builder.model import Condition, Leaf

_OP_SIGNS = {"=": "=", "!=": "≠", "<": "<", "<=": "≤", ">": ">", ">=": "≥"}
_SPIN_TOPS = {"age": 150, "friend_days": 100_000, "last_reaction_days": 100_000, "purchases": 1_000_000,
              "spent": 1_000_000_000, "days_since_purchase": 100_000, "days_since": 100_000, "rfm_r": 5, "rfm_f": 5,
              "rfm_m": 5}
_SUFFIXES = {"purchases": "", "spent": " yen", "rfm_r": "", "rfm_f": "", "rfm_m": ""}


class ConditionEditors(QWidget):
    """Operator and value widgets of a field condition; edited(leaf) when the shop owner changes one."""

    def __init__(self, leaf: Compare, edited: Callable[[Leaf], None], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._leaf, self._edited = leaf, edited
        field = builtin(leaf.name)
        self.op = QComboBox(self)
        for op in field.ops if field else OPS:
            self.op.addItem(_OP_SIGNS[op], op)
        self.value: QComboBox | QSpinBox | QLineEdit
        if leaf.name in _SPIN_TOPS:
            self.value = QSpinBox(self)
            self.value.setRange(0, _SPIN_TOPS[leaf.name])
            suffix = _SUFFIXES.get(leaf.name, " days")
            self.value.setSuffix(self.tr(" years") if leaf.name == "age" else self.tr(" yen") if suffix == " yen"
                                 else self.tr(" days") if suffix else "")
            self.value.valueChanged.connect(lambda v: self._commit(value=v))
        elif field is not None:
            self.value = QComboBox(self)
            for code, label in self._choices(leaf.name):
                self.value.addItem(label, code)
            self.value.activated.connect(lambda _i: self._commit(value=self.value.currentData()))
        else:
            self.value = QLineEdit(self)
            self.value.editingFinished.connect(lambda: self._commit(value=self.value.text()))
        self.op.activated.connect(lambda _i: self._commit(op=self.op.currentData()))
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self.args: ArgEditors | None = None
        if leaf.name in EDITED:
            self.args = ArgEditors(leaf, lambda args: self._commit(args=args), self)
            layout.addWidget(self.args)
        layout.addWidget(self.op)
        layout.addWidget(self.value, 1)
        self.show_leaf(leaf)

    def _choices(self, name: str) -> list[tuple[str | int, str]]:
        if name == "gender":
            return [("female", self.tr("Female")), ("male", self.tr("Male")),
                    ("other", self.tr("Other")), ("unknown", self.tr("Not given"))]
        if name == "birth_month":
            return [("this", self.tr("This month")), ("next", self.tr("Next month")),
                    *((m, self.tr("Month %n", "", m)) for m in range(1, 13))]
        if name == "rfm_group":
            return [(code, str(label)) for code, label in GROUPS.items()]
        return [(p, p) for p in PREFECTURES]

    def show_leaf(self, leaf: Compare) -> None:
        self._leaf = leaf
        for widget in (self.op, self.value):
            widget.blockSignals(True)
        self.op.setCurrentIndex(self.op.findData(leaf.op))
        if isinstance(self.value, QSpinBox):
            self.value.setValue(int(leaf.value))
        elif isinstance(self.value, QComboBox):
            self.value.setCurrentIndex(self.value.findData(leaf.value))
        else:
            self.value.setText(str(leaf.value))
        for widget in (self.op, self.value):
            widget.blockSignals(False)
        if self.args is not None:
            self.args.show_args(leaf.args)

    def _commit(self, *, op: str | None = None, value: Value | None = None, args: Args | None = None) -> None:
        try:
            leaf = Compare(self._leaf.name, op or self._leaf.op, value if value is not None else self._leaf.value,
                           args=self._leaf.args if args is None else args)
        except SegmentError as err:
            self.value.setToolTip(str(err))  # e.g. an empty value: keep the last good one
            self.show_leaf(self._leaf)
            return
        self.value.setToolTip("")
        if leaf != self._leaf:
            self._edited(leaf)


# (the condition, where on it: "before", "onto" or "after", the drag data) -> whether it can be / was dropped there
RowDrop = Callable[[Condition, str, QMimeData], bool]


def zone_at(height: int, y: int) -> str:
    """Which part of a row a drop at y is over: its top or bottom quarter, or its middle."""
    edge = max(4, height // 4)
    return "before" if y < edge else "after" if y >= height - edge else "onto"


class ConditionRow(QWidget):
    def __init__(self, condition: Condition, edited: Callable[[Leaf], None], can_drop: RowDrop | None = None,
                 drop: RowDrop | None = None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.item = condition
        self._can_drop, self._drop = can_drop, drop
        self.setObjectName("condition")
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.setAttribute(Qt.WidgetAttribute.WA_StyledBackground, True)
        self.setAcceptDrops(drop is not None)
        self.setToolTip(self.tr("Drag to move it into a group; drop it on another condition to group the two. "
                                "Ctrl+G: group, Ctrl+↑/↓: move, Delete: remove"))
        self.handle = QLabel("⋮⋮", self)
        self.handle.setObjectName("handle")
        self.handle.setCursor(Qt.CursorShape.OpenHandCursor)
        self.negate = QCheckBox(self.tr("Exclude"), self)
        self.negate.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # Ctrl+E does it from the keyboard
        self.remove = QToolButton(self)
        self.remove.setText("✕")
        self.remove.setToolTip(self.tr("Remove (Delete)"))
        self.remove.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(4, 2, 2, 2)
        layout.addWidget(self.handle)
        leaf = condition.leaf
        if isinstance(leaf, HasTag):
            self.label = QLabel(self.tr("Tag"), self)
            self.chip = QLabel(leaf.name, self)
            self.chip.setObjectName("chip")
            self.editors: ConditionEditors | None = None
            layout.addWidget(self.label)
            layout.addWidget(self.chip)
            layout.addStretch(1)
        else:
            self.label = QLabel(field_label(leaf.name), self)
            self.editors = ConditionEditors(leaf, edited, self)
            layout.addWidget(self.label)
            layout.addWidget(self.editors, 1)
        layout.addWidget(self.negate)
        layout.addWidget(self.remove)
        self.refresh()

    def refresh(self) -> None:
        self.negate.blockSignals(True)
        self.negate.setChecked(self.item.negated)
        self.negate.blockSignals(False)
        self.setProperty("negated", self.item.negated)
        self.style().unpolish(self)
        self.style().polish(self)
        if self.editors is not None and isinstance(self.item.leaf, Compare):
            self.editors.show_leaf(self.item.leaf)

    # --- drops on the row -----------------------------------------------------------------

    def _zone(self, pos: QPoint) -> str:
        return zone_at(self.height(), pos.y())

    def _show_target(self, zone: str) -> None:
        self.setProperty("target", zone)
        self.style().unpolish(self)
        self.style().polish(self)

    def _over(self, event: QDragEnterEvent | QDragMoveEvent) -> None:
        zone = self._zone(event.position().toPoint())
        data = event.mimeData()
        if self._can_drop is not None and mime.accepts(data) and self._can_drop(self.item, zone, data):
            event.acceptProposedAction()
            self._show_target(zone)
        else:
            event.ignore()
            self._show_target("")

    def dragEnterEvent(self, event: QDragEnterEvent) -> None:
        self._over(event)

    def dragMoveEvent(self, event: QDragMoveEvent) -> None:
        self._over(event)

    def dragLeaveEvent(self, event: QDragLeaveEvent) -> None:
        self._show_target("")
        super().dragLeaveEvent(event)

    def dropEvent(self, event: QDropEvent) -> None:
        self._show_target("")
        if self._drop is not None and self._drop(self.item, self._zone(event.position().toPoint()), event.mimeData()):
            event.acceptProposedAction()
        else:
            event.ignore()
