"""The 予約配信 list on the シナリオ page: each scheduled or recurring send with its next time, recurrence,
segment and the recipients it would have now (the estimate service, which may ask LINE: read on the LINE
queue), and キャンセル. Reads again whenever automations change."""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import QDateTime
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDateTimeEdit,
    QHBoxLayout,
    QLabel,
    QMessageBox,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from shopline.automations.upcoming_sends import Pending
from shopline.core.changes import Changes
from shopline.ui.change_bus import Follow
from shopline.ui.operations import LINE_QUEUE, Latest, Operation, show_error

CHANGES = Changes(automations=True)


def _read(_ctx: object) -> list[Pending]:
    from shopline import secrets
    from shopline.automations.upcoming_sends import pending

    return pending(secrets.token_if_connected())


def _cancel(name: str) -> Changes:
    from shopline.automations import schedules

    return schedules.cancel(name)


class ScheduledSends(QWidget):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.rows: list[Pending] = []
        self.table = QTableWidget(0, 5, self)
        self.table.setHorizontalHeaderLabels([self.tr("Name"), self.tr("Next time"), self.tr("Repeats"),
                                              self.tr("Segment"), self.tr("Recipients now")])
        self.table.horizontalHeader().setStretchLastSection(True)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.cancel_button = QPushButton(self.tr("Cancel the send…"), self)
        self.cancel_button.setEnabled(False)
        self.when = QDateTimeEdit(self)  # a one-off send's date and time; a recurring one's clock time only
        self.when.setEnabled(False)
        self.move_button = QPushButton(self.tr("Change the time"), self)
        self.move_button.setEnabled(False)
        self.empty = QLabel(self.tr("No scheduled sends. Schedule one with `shopline send … --at` or --every."), self)
        self.empty.setWordWrap(True)
        self._latest = Latest()
        actions = QHBoxLayout()
        actions.addWidget(self.empty, 1)
        actions.addWidget(self.when)
        actions.addWidget(self.move_button)
        actions.addWidget(self.cancel_button)
        layout = QVBoxLayout(self)  # on a tab of its own, which says what it is
        layout.addWidget(self.table, 1)
        layout.addLayout(actions)
        self.table.itemSelectionChanged.connect(self._selection_changed)
        self.cancel_button.clicked.connect(self.cancel_selected)
        self.move_button.clicked.connect(self.move_selected)
        self.follow = Follow(self, Changes(automations=True, friends=True, campaigns=True),
                             lambda _changes, _by: self.reload())
        self.reload()

    def reload(self) -> None:
        Operation(self, _read, success=self._latest(self._listed), job=LINE_QUEUE,
                  title=self.tr("Scheduled sends")).failure(self._unread).run()

    def _unread(self, exc: BaseException) -> None:
        # Said in the list's place rather than in a box: this read follows every change of automations.
        self.empty.setText(str(exc))
        self.empty.setVisible(True)

    def _listed(self, rows: list[Pending]) -> None:
        chosen = self.selected_name()
        self.rows = rows
        self.table.setRowCount(len(rows))
        for row, send in enumerate(rows):
            values = (send.name, f"{send.next_time:%Y-%m-%d %H:%M}" if send.next_time else "—",
                      str(send.recurrence) if send.recurrence else self.tr("Once"), send.segment,
                      self.tr("%1 friends").replace("%1", f"{send.estimate.recipients:,}"))
            for column, value in enumerate(values):
                item = QTableWidgetItem(value)
                if column == 4 and send.estimate.reasons:  # what the month will make of it, as the composer says
                    item.setToolTip("\n".join(str(r) for r in send.estimate.reasons))
                self.table.setItem(row, column, item)
            if send.name == chosen:
                self.table.selectRow(row)
        self.empty.setVisible(not rows)
        self._selection_changed()

    def selected(self) -> Pending | None:
        rows = self.table.selectionModel().selectedRows()
        if not rows or rows[0].row() >= len(self.rows):
            return None
        return self.rows[rows[0].row()]

    def selected_name(self) -> str | None:
        send = self.selected()
        return send.name if send else None

    def _selection_changed(self) -> None:
        send = self.selected()
        for widget in (self.cancel_button, self.move_button, self.when):
            widget.setEnabled(send is not None)
        if send is not None:
            self.when.setDisplayFormat("HH:mm" if send.recurrence else "yyyy-MM-dd HH:mm")
            # A time-only format pins the box to one day; a one-off send chosen after it needs its range back.
            self.when.clearMinimumDateTime()
            self.when.clearMaximumDateTime()
            if send.next_time is not None:
                t = send.next_time
                self.when.setDateTime(QDateTime(t.year, t.month, t.day, t.hour, t.minute, 0))

    def move_selected(self) -> None:
        name = self.selected_name()
        if name is None:
            return
        chosen = self.when.dateTime()
        day, clock = chosen.date(), chosen.time()
        when = dt.datetime(day.year(), day.month(), day.day(), clock.hour(), clock.minute())

        def work(_ctx: object) -> Changes:
            from shopline.automations.upcoming_sends import reschedule

            return reschedule(name, when)
        Operation(self, work, writes=True, changes=CHANGES).failure(lambda exc: show_error(self, exc)).run()

    def cancel_selected(self) -> None:
        name = self.selected_name()
        if name is None:
            return
        answer = QMessageBox.question(self, "ShopLine", self.tr(
            "Cancel the scheduled send \"%1\"? It will not be sent.").replace("%1", name))
        if answer != QMessageBox.StandardButton.Yes:
            return
        Operation(self, lambda _ctx: _cancel(name), writes=True, changes=CHANGES) \
            .failure(lambda exc: show_error(self, exc)).run()

