"""The シナリオ page: the scenarios on the left; on the right the editor, what each step has done, and the next
30 days ("who gets what, when"). Everything it reads or writes goes through shopline.automations, off the
UI thread; a problem with the scenario is shown under the editor as the core words it."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QMessageBox,
    QPushButton,
    QSplitter,
    QTableWidget,
    QTableWidgetItem,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from shopline.automations import scenarios
from shopline.automations import stats as automation_stats
from shopline.core.changes import Changes
from shopline.core.messages import ShopLineError
from shopline.core.results import SharedUnit, show_count, show_rate
from shopline.ui.change_bus import Follow
from shopline.ui.operations import Latest, Operation, show_error
from shopline.ui.scenarios.form import ScenarioForm
from shopline.ui.scenarios.scheduled import ScheduledSends


class ScenariosPage(QWidget):
    # A step's campaigns (newest first), for 効果測定 to show: each step is its own aggregation unit.
    step_results = Signal(list)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.current: str | None = None  # the scenario being edited; None: a new one
        self.list = QListWidget(self)
        # A long name (up to 60 characters, as the demo's sample) wraps in the narrow list instead of scrolling it.
        self.list.setWordWrap(True)
        self.list.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.new_button = QPushButton(self.tr("New scenario"), self)
        self.import_button = QPushButton(self.tr("Import JSON…"), self)
        self.export_button = QPushButton(self.tr("Export JSON…"), self)
        self.delete_button = QPushButton(self.tr("Delete…"), self)
        self.form = ScenarioForm(self)
        self.problem = QLabel(self)
        self.problem.setWordWrap(True)
        self.problem.setStyleSheet("color: #c62828;")
        self.save_button = QPushButton(self.tr("Save"), self)
        self.pause_button = QPushButton(self.tr("Pause"), self)
        self.summary = QLabel(self)
        self.summary.setWordWrap(True)
        self.step_table = QTableWidget(0, 6, self)
        self.step_table.setHorizontalHeaderLabels([self.tr("Step"), self.tr("Waiting"), self.tr("Sent"),
                                                   self.tr("Missed"), self.tr("Not for them"), self.tr("Open rate")])
        # Six short numbers share the width rather than scroll it: on a 13-inch screen the last (the open rate)
        # would be out of sight.
        self.step_table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        self.step_table.setSelectionBehavior(QTableWidget.SelectionBehavior.SelectRows)
        self.step_table.setSelectionMode(QTableWidget.SelectionMode.SingleSelection)
        self.step_table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        self.step_table.setToolTip(self.tr("Double-click a step to see its results"))
        self.results_button = QPushButton(self.tr("Step results"), self)
        self.results_button.setEnabled(False)
        self._step_campaigns: list[tuple[str, ...]] = []
        self.timeline = QTableWidget(0, 4, self)
        self.timeline.setHorizontalHeaderLabels([self.tr("When"), self.tr("Step"), self.tr("Friends"),
                                                 self.tr("Message")])
        self.timeline.horizontalHeader().setStretchLastSection(True)
        self._latest_list = Latest()
        self._latest_details = Latest()

        left = QVBoxLayout()
        left.addWidget(self.list, 1)
        for button in (self.new_button, self.import_button, self.export_button, self.delete_button):
            left.addWidget(button)
        left_box = QWidget(self)
        left_box.setLayout(left)
        actions = QHBoxLayout()
        actions.addWidget(self.save_button)
        actions.addWidget(self.pause_button)
        actions.addStretch(1)
        actions.addWidget(self.results_button)  # for the step chosen in the table below (no row of its own: height)
        right = QVBoxLayout()
        right.addWidget(self.form, 3)
        right.addWidget(self.problem)
        right.addLayout(actions)
        right.addWidget(self.summary)
        right.addWidget(self.step_table, 1)
        right.addWidget(QLabel(self.tr("The next 30 days"), self))
        right.addWidget(self.timeline, 1)
        right_box = QWidget(self)
        right_box.setLayout(right)
        splitter = QSplitter(Qt.Orientation.Horizontal, self)
        splitter.addWidget(left_box)
        splitter.addWidget(right_box)
        splitter.setStretchFactor(1, 1)
        self.scheduled = ScheduledSends(self)
        # Two tabs, not one column: the scenario editor, its figures and the scheduled sends together are taller
        # than a 13-inch laptop's window, and Qt then squeezes the form's rows until their text overlaps.
        scenarios_tab = QWidget(self)
        scenarios_layout = QVBoxLayout(scenarios_tab)
        scenarios_layout.setContentsMargins(0, 0, 0, 0)
        scenarios_layout.addWidget(splitter)
        self.tabs = QTabWidget(self)
        self.tabs.addTab(scenarios_tab, self.tr("Scenarios"))
        self.tabs.addTab(self.scheduled, self.tr("Scheduled sends"))
        layout = QVBoxLayout(self)
        layout.addWidget(self.tabs)

        self.new_button.clicked.connect(self.new_scenario)
        self.save_button.clicked.connect(self.save)
        self.pause_button.clicked.connect(self.toggle_pause)
        self.delete_button.clicked.connect(self.delete)
        self.import_button.clicked.connect(self.import_json)
        self.export_button.clicked.connect(self.export_json)
        self.list.currentItemChanged.connect(self._selected)
        self.step_table.itemSelectionChanged.connect(self._step_chosen)
        self.step_table.cellDoubleClicked.connect(lambda row, _column: self.open_step_results(row))
        self.results_button.clicked.connect(lambda: self.open_step_results(self.step_table.currentRow()))
        self.follow = Follow(self, Changes(automations=True, friends=True, campaigns=True),
                             lambda _changes, _by: self.reload())
        self.new_scenario()
        self.reload()

    # Reading ------------------------------------------------------------------------------------

    def reload(self) -> None:
        Operation(self, lambda _ctx: automation_stats.overview(), success=self._latest_list(self._listed)).run()

    def _status_text(self, status: str) -> str:
        return {"active": self.tr("Active"), "paused": self.tr("Paused"),
                "paused_quota": self.tr("Paused: month's limit"),
                "paused_token": self.tr("Paused: check the token")}.get(status, status)

    def _listed(self, rows: list[automation_stats.ScenarioStats]) -> None:
        self.list.blockSignals(True)
        self.list.clear()
        for row in rows:
            item = QListWidgetItem(f"{row.name}  ({self._status_text(row.status)})")
            item.setData(Qt.ItemDataRole.UserRole, row.name)
            self.list.addItem(item)
            if row.name == self.current:
                self.list.setCurrentItem(item)
        self.list.blockSignals(False)
        self._update_buttons()
        if self.current is not None:
            self.show_details(self.current)

    def _selected(self, item: QListWidgetItem | None, _previous: object = None) -> None:
        if item is None:
            return
        self.current = item.data(Qt.ItemDataRole.UserRole)
        self.problem.clear()
        self._update_buttons()
        self.show_details(self.current, load_form=True)

    def show_details(self, name: str, load_form: bool = False) -> None:
        def shown(details: automation_stats.Details) -> None:
            if load_form:
                self.form.load(details.body)
            self._show_stats(details)
        Operation(self, lambda _ctx: automation_stats.details(name), success=self._latest_details(shown)) \
            .failure(lambda _exc: None).run()

    def _show_stats(self, details: automation_stats.Details) -> None:
        s = details.stats
        text = self.tr("%1: %2 entered, %3 in progress, %4 done, %5 stopped, %6 missed (over 24 hours late)")
        values = (self._status_text(s.status), s.entered, s.active, s.done, s.stopped, s.missed)
        for number, value in enumerate(values, start=1):
            text = text.replace(f"%{number}", str(value))
        if details.reason is not None:
            text += "\n" + str(details.reason)
        self.summary.setText(text)
        self.pause_button.setText(self.tr("Resume") if s.status != "active" else self.tr("Pause"))
        self.step_table.setRowCount(len(s.steps))
        self._step_campaigns = [step.campaigns for step in s.steps]
        self._step_chosen()
        for row, step in enumerate(s.steps):
            for column, value in enumerate((step.number, step.waiting, step.sent, step.missed, step.skipped)):
                self.step_table.setItem(row, column, QTableWidgetItem(str(value)))
            self.step_table.setItem(row, 5, self._open_rate(step.whole))
        self.timeline.setRowCount(len(details.upcoming))
        for row, item in enumerate(details.upcoming):
            for column, value in enumerate((f"{item.when:%m/%d %H:00}", item.step, item.friends, item.message)):
                self.timeline.setItem(row, column, QTableWidgetItem(str(value)))

    def _open_rate(self, whole: SharedUnit | None) -> QTableWidgetItem:
        """The step's open rate as LINE last counted its sends (all its daily runs together), with what it divides."""
        if whole is None:
            return QTableWidgetItem("—")
        if whole.range_from is None or whole.range_to is None:
            item = QTableWidgetItem(self.tr("Not fetched"))
            item.setToolTip(self.tr("Press Fetch from LINE on Results to get the step's figures"))
            return item
        item = QTableWidgetItem(show_rate(whole.open_rate))
        item.setToolTip(self.tr("Opened %1 of %2 sent, over %3 sends from %4 to %5 (LINE's figures)")
                        .replace("%1", show_count(whole.impressions)).replace("%2", f"{whole.sent:,}")
                        .replace("%3", f"{whole.campaigns:,}").replace("%4", f"{whole.range_from:%m/%d}")
                        .replace("%5", f"{whole.range_to:%m/%d}"))
        return item

    def _step_chosen(self) -> None:
        row = self.step_table.currentRow()
        self.results_button.setEnabled(0 <= row < len(self._step_campaigns) and bool(self._step_campaigns[row]))

    def open_step_results(self, row: int) -> None:
        """The step's campaigns on 効果測定; a step that has sent nothing yet says so instead."""
        if not 0 <= row < len(self._step_campaigns):
            return
        names = self._step_campaigns[row]
        if not names:
            self.problem.setText(self.tr("Step %1 has not been sent to anyone yet, so it has no results.")
                                 .replace("%1", str(row + 1)))
            return
        self.step_results.emit(list(names))

    def _update_buttons(self) -> None:
        chosen = self.current is not None
        for button in (self.export_button, self.delete_button, self.pause_button):
            button.setEnabled(chosen)

    # Writing ------------------------------------------------------------------------------------

    def new_scenario(self) -> None:
        self.current = None
        self.list.clearSelection()
        self.form.clear()
        self.problem.clear()
        self.summary.clear()
        self.step_table.setRowCount(0)
        self._step_campaigns = []
        self._step_chosen()
        self.timeline.setRowCount(0)
        self._update_buttons()

    def _refused(self, exc: BaseException) -> None:
        if isinstance(exc, ShopLineError):
            self.problem.setText(str(exc))
        else:
            show_error(self, exc)

    def save(self) -> None:
        data = self.form.to_json()
        previous = self.current

        def saved(result: scenarios.Saved) -> None:
            self.problem.clear()
            self.current = result.scenario.name
            self.reload()
        Operation(self, lambda _ctx: scenarios.save(data, previous_name=previous), success=saved, writes=True) \
            .failure(self._refused).run()

    def toggle_pause(self) -> None:
        name = self.current
        if name is None:
            return
        resume = self.pause_button.text() == self.tr("Resume")
        work = scenarios.resume if resume else scenarios.pause
        Operation(self, lambda _ctx: work(name), writes=True).failure(self._refused).run()

    def delete(self) -> None:
        name = self.current
        if name is None:
            return
        answer = QMessageBox.question(self, "ShopLine", self.tr(
            "Delete the scenario \"%1\"? Friends waiting in it get no more of its steps.").replace("%1", name))
        if answer != QMessageBox.StandardButton.Yes:
            return
        self.new_scenario()
        Operation(self, lambda _ctx: scenarios.delete(name), writes=True).failure(self._refused).run()

    def import_json(self, path: str | None = None) -> None:
        chosen = path or QFileDialog.getOpenFileName(self, self.tr("Import scenario"), "", "JSON (*.json)")[0]
        if not chosen:
            return

        def imported(saved: list[scenarios.Saved]) -> None:
            if saved:
                self.current = saved[-1].scenario.name
                self.form.load(json.loads(json.dumps(self._body_of(saved[-1]))))
        Operation(self, lambda _ctx: scenarios.import_file(Path(chosen)), success=imported, writes=True,
                  changes=Changes(automations=True)).failure(self._refused).run()

    @staticmethod
    def _body_of(saved: scenarios.Saved) -> dict[str, Any]:
        from shopline.core.automations import scenario_to_json

        return scenario_to_json(saved.scenario)

    def export_json(self, path: str | None = None) -> None:
        name = self.current
        if name is None:
            return
        chosen = path or QFileDialog.getSaveFileName(self, self.tr("Export scenario"), f"{name}.json",
                                                     "JSON (*.json)")[0]
        if not chosen:
            return

        def write(_ctx: object) -> None:
            Path(chosen).write_text(json.dumps(scenarios.export(name), ensure_ascii=False, indent=2) + "\n",
                                    encoding="utf-8")
        Operation(self, write).failure(self._refused).run()
