"""The scenario editor's fields and steps table, and the JSON form they stand for (core.automations)."""

from __future__ import annotations

import json
from typing import Any

from PySide6.QtCore import QTime
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLineEdit,
    QPushButton,
    QSpinBox,
    QTableWidget,
    QTableWidgetItem,
    QTimeEdit,
    QVBoxLayout,
    QWidget,
)

TRIGGERS = ("friend_added", "tag_added", "segment", "date")
AFTER, AT, IF, MESSAGE, ELSE = range(5)


def _messages_cell(messages: list[dict[str, Any]] | None) -> str:
    """A lone text message shows as its text; anything else (an image, a coupon, several) as its JSON."""
    if not messages:
        return ""
    if len(messages) == 1 and messages[0].get("type") == "text":
        return str(messages[0]["text"])
    return json.dumps(messages, ensure_ascii=False)


def _messages_of(cell: str) -> list[dict[str, Any]] | None:
    cell = cell.strip()
    if not cell:
        return None
    if cell.startswith("["):
        try:
            value = json.loads(cell)
            if isinstance(value, list):
                return value
        except ValueError:
            pass
    return [{"type": "text", "text": cell}]


class ScenarioForm(QWidget):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.name = QLineEdit(self)
        self.trigger = QComboBox(self)
        for key, label in zip(TRIGGERS, (self.tr("When a friend is added"), self.tr("When a tag is added"),
                                         self.tr("When a friend starts matching a segment"),
                                         self.tr("On a date (birthday…)")), strict=True):
            self.trigger.addItem(label, key)
        self.detail = QLineEdit(self)  # the tag, the segment or the date field, by trigger
        self.offset = QSpinBox(self)
        self.offset.setRange(-366, 366)
        self.offset.setSuffix(self.tr(" days"))
        self.yearly = QCheckBox(self.tr("Every year"), self)
        self.entry = QLineEdit(self)
        self.entry.setPlaceholderText(self.tr("Optional: a segment, e.g. NOT Staff"))
        self.stop = QLineEdit(self)
        self.stop.setPlaceholderText(self.tr("Optional: a segment, e.g. Purchased"))
        self.window_on = QCheckBox(self.tr("Only between"), self)
        self.window_from = QTimeEdit(QTime(9, 0), self)
        self.window_to = QTimeEdit(QTime(21, 0), self)
        for edit in (self.window_from, self.window_to):
            edit.setDisplayFormat("HH:mm")
        self.steps = QTableWidget(0, 5, self)
        self.steps.setHorizontalHeaderLabels([self.tr("After"), self.tr("At"), self.tr("If"), self.tr("Message"),
                                              self.tr("Else")])
        self.steps.horizontalHeader().setSectionResizeMode(MESSAGE, QHeaderView.ResizeMode.Stretch)
        self.steps.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.add_step = QPushButton(self.tr("Add step"), self)
        self.remove_step = QPushButton(self.tr("Remove step"), self)

        trigger_row = QHBoxLayout()
        for widget in (self.trigger, self.detail, self.offset, self.yearly):
            trigger_row.addWidget(widget)
        window_row = QHBoxLayout()
        for widget in (self.window_on, self.window_from, self.window_to):
            window_row.addWidget(widget)
        window_row.addStretch(1)
        form = QFormLayout()
        form.addRow(self.tr("Name"), self.name)
        form.addRow(self.tr("Trigger"), trigger_row)
        form.addRow(self.tr("Who may enter"), self.entry)
        form.addRow(self.tr("Stop when"), self.stop)
        form.addRow(self.tr("Sending hours"), window_row)
        step_buttons = QHBoxLayout()
        step_buttons.addWidget(self.add_step)
        step_buttons.addWidget(self.remove_step)
        step_buttons.addStretch(1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(form)
        layout.addWidget(self.steps, 1)
        layout.addLayout(step_buttons)

        self.add_step.clicked.connect(lambda: self.append_step({"after": "1d", "message": []}))
        self.remove_step.clicked.connect(self._remove_current)
        self.trigger.currentIndexChanged.connect(self._trigger_changed)
        self.window_on.toggled.connect(self._window_toggled)
        self._trigger_changed()
        self._window_toggled(False)

    def _trigger_changed(self) -> None:
        kind = self.trigger.currentData()
        self.detail.setVisible(kind != "friend_added")
        self.offset.setVisible(kind == "date")
        self.yearly.setVisible(kind == "date")
        self.detail.setPlaceholderText({"tag_added": self.tr("Tag"), "segment": self.tr("Segment, e.g. VIP"),
                                        "date": self.tr("birthday, or a date field")}.get(kind, ""))

    def _window_toggled(self, on: bool) -> None:
        self.window_from.setEnabled(on)
        self.window_to.setEnabled(on)

    def _remove_current(self) -> None:
        row = self.steps.currentRow()
        if row >= 0:
            self.steps.removeRow(row)

    def append_step(self, step: dict[str, Any]) -> None:
        row = self.steps.rowCount()
        self.steps.insertRow(row)
        cells = (step.get("after", "0m"), step.get("at", ""), step.get("if", ""), _messages_cell(step.get("message")),
                 _messages_cell(step.get("else")))
        for column, value in enumerate(cells):
            self.steps.setItem(row, column, QTableWidgetItem(str(value or "")))

    def clear(self) -> None:
        self.load({"name": "", "trigger": {"type": "friend_added"},
                   "steps": [{"after": "0m", "message": []}]})

    def load(self, data: dict[str, Any]) -> None:
        self.name.setText(data.get("name", ""))
        trigger = data.get("trigger", {})
        self.trigger.setCurrentIndex(max(TRIGGERS.index(trigger.get("type", "friend_added")), 0))
        self.detail.setText(trigger.get("tag") or trigger.get("expr") or trigger.get("field") or "")
        self.offset.setValue(int(trigger.get("offset_days", 0)))
        self.yearly.setChecked(bool(trigger.get("yearly", False)))
        self.entry.setText(data.get("entry", ""))
        self.stop.setText(data.get("stop", ""))
        window = data.get("window")
        self.window_on.setChecked(bool(window))
        if window:
            self.window_from.setTime(QTime.fromString(window[0], "HH:mm"))
            self.window_to.setTime(QTime.fromString(window[1], "HH:mm"))
        self.steps.setRowCount(0)
        for step in data.get("steps", []):
            self.append_step(step)

    def _cell(self, row: int, column: int) -> str:
        item = self.steps.item(row, column)
        return item.text().strip() if item is not None else ""

    def to_json(self) -> dict[str, Any]:
        """What the fields say, in the JSON form; the core checks it when it is saved."""
        kind = self.trigger.currentData()
        trigger: dict[str, Any] = {"type": kind}
        detail = self.detail.text().strip()
        if kind == "tag_added":
            trigger["tag"] = detail
        elif kind == "segment":
            trigger["expr"] = detail
        elif kind == "date":
            trigger.update({"field": detail or "birthday", "offset_days": self.offset.value(),
                            "yearly": self.yearly.isChecked()})
        data: dict[str, Any] = {"name": self.name.text().strip(), "trigger": trigger}
        if self.entry.text().strip():
            data["entry"] = self.entry.text().strip()
        if self.stop.text().strip():
            data["stop"] = self.stop.text().strip()
        if self.window_on.isChecked():
            data["window"] = [self.window_from.time().toString("HH:mm"), self.window_to.time().toString("HH:mm")]
        steps = []
        for row in range(self.steps.rowCount()):
            step: dict[str, Any] = {"after": self._cell(row, AFTER) or "0m"}
            if self._cell(row, AT):
                step["at"] = self._cell(row, AT)
            if self._cell(row, IF):
                step["if"] = self._cell(row, IF)
            step["message"] = _messages_of(self._cell(row, MESSAGE)) or []
            other = _messages_of(self._cell(row, ELSE))
            if other:
                step["else"] = other
            steps.append(step)
        data["steps"] = steps
        return data
