"""配信結果: the campaigns with their key figures (sortable), and one campaign's numbers, per-URL clicks and goals."""

from __future__ import annotations

import re
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, QSortFilterProxyModel, Qt
from PySide6.QtWidgets import (
    QGridLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QSplitter,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from shopline.core.results import CampaignFigures, own_count, own_rate, shared_sentence, show_rate
from shopline.ui.results.charts import UrlClicksChart
from shopline.ui.results.clicks_view import CampaignClicks
from shopline.ui.results.goal_editor import GoalEditor

SORT = Qt.ItemDataRole.UserRole
Index = QModelIndex | QPersistentModelIndex


def _fetched(f: CampaignFigures) -> str:
    if f.fetched_at is None:
        return "—"
    return f.fetched_at.astimezone().strftime("%Y-%m-%d %H:%M")


class CampaignModel(QAbstractTableModel):
    """The figures of every campaign, one row each; sorting is by the numbers, with LINE's nulls lowest.

    Texts are made only for the rows the view paints, and the values sorted by only for the column sorted
    on: the proxy asks for a sort value ~10,000 times over 1,000 rows, so each answer is a list lookup.
    """

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.rows: list[CampaignFigures] = []
        self._texts: dict[int, list[str]] = {}
        self._keys: dict[int, list[float | str]] = {}
        self._count = 0
        self.headers = [self.tr("Campaign"), self.tr("Sent on"), self.tr("Sent"), self.tr("Opened"),
                        self.tr("Open rate"), self.tr("Clicked"), self.tr("Click rate"), self.tr("Blocks"),
                        self.tr("Conversions"), self.tr("Cost"), self.tr("Fetched")]

    def set_rows(self, rows: list[CampaignFigures]) -> None:
        self.beginResetModel()
        self.rows = rows
        self._count = len(rows)
        self._texts.clear()
        self._keys.clear()
        self.endResetModel()

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: N802, B008 - Qt's name and signature
        return 0 if parent.isValid() else self._count

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: N802, B008
        return 0 if parent.isValid() else len(self.headers)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:  # noqa: N802
        if role == Qt.ItemDataRole.DisplayRole and orientation == Qt.Orientation.Horizontal:
            return self.headers[section]
        return None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if role == SORT:  # first: the proxy asks this most
            column = index.column()
            keys = self._keys.get(column)
            if keys is None:
                keys = self._keys[column] = [_sort_key(f, column) for f in self.rows]
            return keys[index.row()]
        row = index.row()
        if role == Qt.ItemDataRole.DisplayRole:
            texts = self._texts.get(row)
            if texts is None:
                texts = self._texts[row] = _texts(self.rows[row])
            return texts[index.column()]
        column = index.column()
        if role == Qt.ItemDataRole.TextAlignmentRole and column >= 2:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if role == Qt.ItemDataRole.ToolTipRole and column == 10 and self.rows[row].final:
            return self.tr("Final: LINE no longer changes these figures (14 days after the send)")
        if role == Qt.ItemDataRole.ToolTipRole and 3 <= column <= 6 and self.rows[row].shared is not None:
            return self.tr("LINE counts this send only together with the others of its step (the same aggregation "
                           "unit): choose it to see their combined figures below")
        return None


def _texts(f: CampaignFigures) -> list[str]:
    return [
        f.name,
        f.sent_at.astimezone().strftime("%Y-%m-%d") if f.sent_at else "—",
        f"{f.sent:,}",
        own_count(f, f.impressions),
        own_rate(f, f.open_rate),
        own_count(f, f.clicks),
        own_rate(f, f.click_rate),
        f"{f.blocks_after:,}",
        "—" if f.conversions is None else f"{f.conversions:,}",
        "—" if f.cost_yen is None else f"¥{int(f.cost_yen):,}",
        _fetched(f) + (" ✓" if f.final else ""),
    ]


def _sort_key(f: CampaignFigures, column: int) -> float | str:
    """The value column `column` sorts by; an unknown figure (None) below every number."""
    if column == 0:
        return f.name
    if column == 1:
        return f.sent_at.timestamp() if f.sent_at else 0.0
    if column == 10:
        return f.fetched_at.timestamp() if f.fetched_at else 0.0
    value = (f.sent, f.impressions, f.open_rate, f.clicks, f.click_rate, f.blocks_after, f.conversions,
             f.cost_yen)[column - 2]
    return -1.0 if value is None else float(value)


class CampaignDetail(QWidget):
    """One campaign: every figure with what it is divided by, goals against actuals, and clicks per URL."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.title = QLabel(self)
        self.title.setObjectName("resultsTitle")
        self.title.setStyleSheet("font-weight: bold")
        self.values: dict[str, QLabel] = {}
        grid = QGridLayout()
        grid.setHorizontalSpacing(12)
        grid.setVerticalSpacing(2)
        rows = [("sent", self.tr("Sent")), ("impressions", self.tr("Opened")),
                ("open_rate", self.tr("Open rate (opened ÷ sent)")), ("clicks", self.tr("Clicked")),
                ("click_rate", self.tr("Click rate (clicked ÷ sent)")),
                ("click_through", self.tr("Click-through (clicked ÷ opened)")),
                ("blocks", self.tr("Blocks within 7 days")), ("conversions", self.tr("Conversions")),
                ("conversion_rate", self.tr("Conversion rate")), ("cost", self.tr("Cost of the send")),
                ("roi", self.tr("Revenue and ROI"))]
        for r, (key, label) in enumerate(rows):
            name = QLabel(label, self)
            value = QLabel("—", self)
            value.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            self.values[key] = value
            grid.addWidget(name, r, 0)
            grid.addWidget(value, r, 1)
        grid.setColumnStretch(2, 1)
        self.goals = QLabel(self)
        self.goals.setWordWrap(True)
        self.chart = UrlClicksChart(self)
        # In the chart's place for a send LINE counts only with others (a step's daily runs): no URLs of its own,
        # and the whole is a sentence that wants the width.
        self.shared_note = QLabel(self)
        self.shared_note.setWordWrap(True)
        self.shared_note.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
        self.shared_note.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.shared_note.hide()
        self.editor = GoalEditor(self)
        left = QVBoxLayout()
        left.addWidget(self.title)
        left.addLayout(grid)
        left.addWidget(self.goals)
        left.addStretch(1)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 4, 0, 0)
        layout.addLayout(left, 0)
        layout.addWidget(self.editor, 0)
        layout.addWidget(self.chart, 1)
        layout.addWidget(self.shared_note, 1)
        self.figures: CampaignFigures | None = None

    def show_figures(self, f: CampaignFigures | None) -> None:
        self.figures = f
        self.chart.show_figures(f)
        self.shared_note.setText(str(shared_sentence(f.shared)) if f is not None and f.shared is not None else "")
        self.shared_note.setVisible(bool(self.shared_note.text()))
        self.chart.setVisible(not self.shared_note.text())
        if f is None:
            self.title.setText("")
            for label in self.values.values():
                label.setText("—")
            self.goals.setText("")
            return
        self.title.setText(f.name)
        texts = {
            "sent": f"{f.sent:,}", "impressions": own_count(f, f.impressions), "open_rate": own_rate(f, f.open_rate),
            "clicks": own_count(f, f.clicks), "click_rate": own_rate(f, f.click_rate),
            "click_through": own_rate(f, f.click_through),
            "blocks": f"{f.blocks_after:,} ({show_rate(f.block_rate)})",
            "conversions": "—" if f.conversions is None else f"{f.conversions:,}",
            "conversion_rate": show_rate(f.conversion_rate),
            "cost": "—" if f.cost_yen is None else f"¥{int(f.cost_yen):,}",
            "roi": "—" if f.revenue is None else f"¥{int(f.revenue):,} / " + ("—" if f.roi is None else f"{f.roi:.2f}"),
        }
        for key, text in texts.items():
            self.values[key].setText(text)
        names = {"open_rate": self.tr("Open rate"), "click_rate": self.tr("Click rate"),
                 "conversion_rate": self.tr("Conversion rate")}
        lines = []
        for key, versus in f.versus().items():
            if versus.target is None:
                continue
            verdict = {True: self.tr("met"), False: self.tr("missed"), None: self.tr("not known yet")}[versus.achieved]
            lines.append(self.tr("%1: target %2, actual %3 (%4)").replace("%1", names[key]).replace(
                "%2", show_rate(versus.target)).replace("%3", show_rate(versus.actual)).replace("%4", verdict))
        self.goals.setText("\n".join(lines))


class CampaignsTab(QWidget):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.model = CampaignModel(self)
        self.proxy = QSortFilterProxyModel(self)
        self.proxy.setSourceModel(self.model)
        self.proxy.setSortRole(SORT)
        self.table = QTableView(self)
        self.table.setModel(self.proxy)
        self.table.setSortingEnabled(True)
        self.table.sortByColumn(1, Qt.SortOrder.DescendingOrder)
        self.table.setSelectionBehavior(QTableView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QTableView.SelectionMode.SingleSelection)
        self.table.verticalHeader().setVisible(False)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        self.table.horizontalHeader().setStretchLastSection(True)
        self.table.selectionModel().selectionChanged.connect(lambda *_: self._selected())
        self.detail = CampaignDetail(self)
        self.clicks = CampaignClicks(self)  # per friend, from tracked links (shopline.links)
        self.split = QSplitter(Qt.Orientation.Vertical, self)
        self.split.addWidget(self.table)
        self.split.addWidget(self.detail)
        self.split.addWidget(self.clicks)
        self.split.setStretchFactor(0, 1)
        self.split.setStretchFactor(1, 1)
        self.empty = QLabel(self.tr("Results appear here once a campaign has been sent: how many opened it, "
                                    "clicked its links, blocked the account afterwards, and what it cost."), self)
        self.empty.setWordWrap(True)
        self.empty.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.empty.hide()
        # Shown while the list holds only some campaigns (a scenario step's, opened from シナリオ).
        self.show_all = QPushButton(self.tr("Show all campaigns"), self)
        self.show_all.hide()
        self.show_all.clicked.connect(self.show_every)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.show_all, 0, Qt.AlignmentFlag.AlignLeft)
        layout.addWidget(self.empty)
        layout.addWidget(self.split)

    def _selected(self) -> None:
        figures = self.selected()
        self.detail.show_figures(figures)
        self.detail.editor.show_campaign(figures.name if figures is not None else None)
        self.clicks.show_campaign(figures.name if figures is not None else None)

    def set_rows(self, rows: list[CampaignFigures]) -> None:
        chosen = self.selected()
        self.model.set_rows(rows)
        self.table.setColumnWidth(0, 200)  # not resizeColumnToContents: it measures all 1,000 rows (~2 s)
        self.empty.setVisible(not rows)
        self.split.setVisible(bool(rows))
        names = [f.name for f in rows]
        if rows:
            row = names.index(chosen.name) if chosen is not None and chosen.name in names else 0
            self.select(rows[row].name if chosen is not None and chosen.name in names else None)
        else:
            self.detail.show_figures(None)
        chosen = self.selected()  # the same row again sends no selection signal: the clicks may be new
        self.clicks.show_campaign(chosen.name if chosen is not None else None)
        self.detail.editor.show_campaign(chosen.name if chosen is not None else None)

    def only(self, names: list[str]) -> None:
        """Just these campaigns (a scenario step's runs share its aggregation unit), the first chosen."""
        self.proxy.setFilterKeyColumn(0)
        self.proxy.setFilterRegularExpression("^(?:" + "|".join(re.escape(n) for n in names) + ")$")
        self.show_all.show()
        if names:
            self.select(names[0])

    def show_every(self) -> None:
        self.proxy.setFilterRegularExpression("")
        self.show_all.hide()

    def select(self, name: str | None) -> None:
        for r in range(self.proxy.rowCount()):
            if name is None or self.proxy.index(r, 0).data() == name:
                self.table.selectRow(r)
                return

    def selected(self) -> CampaignFigures | None:
        rows = self.table.selectionModel().selectedRows()
        if not rows:
            return None
        source = self.proxy.mapToSource(rows[0]).row()
        return self.model.rows[source] if source < len(self.model.rows) else None
