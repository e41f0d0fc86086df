"""購買: how many friends are in each RFM group (a QtCharts bar chart), and importing a register's export.

The import dialog (preview, column mapping, ID連携) runs the same service as `shopline purchases import` on
the writer thread; its summary (added, already there, unmatched, refused with the errors CSV) is repeated here.
"""

from __future__ import annotations

import shiboken6
from PySide6.QtCharts import QBarCategoryAxis, QBarSeries, QBarSet, QChart, QChartView, QValueAxis
from PySide6.QtCore import Qt
from PySide6.QtGui import QPainter
from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from shopline.core.changes import Changes
from shopline.core.rfm import GROUPS
from shopline.purchases import rfm
from shopline.ui.change_bus import Follow
from shopline.ui.operations import Latest, Operation
from shopline.ui.purchases.import_dialog import PurchaseImportDialog, open_purchase_import


def load_groups() -> dict[str, int]:
    """Runs on a pool thread: scores a friend a trigger attached since the last import, then counts."""
    rfm.refresh_if_stale()
    return rfm.group_counts()


class PurchasesPage(QWidget):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._latest = Latest()
        self.counts: dict[str, int] = {}
        self.import_button = QPushButton(self.tr("Import purchases…"), self)
        self.import_button.clicked.connect(self.open_import)
        self.dialog: PurchaseImportDialog | None = None
        self.report = QLabel(self)
        self.report.setWordWrap(True)
        self.bars = QBarSet(self.tr("Friends"))
        self.chart = QChart()
        self.chart.setTitle(self.tr("Friends per RFM group"))
        self.chart.legend().setVisible(False)
        self.view = QChartView(self.chart, self)
        self.view.setRenderHint(QPainter.RenderHint.Antialiasing)
        self.view.setMinimumSize(360, 240)
        top = QHBoxLayout()
        top.addWidget(self.import_button)
        top.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.report)
        layout.addWidget(self.view, 1)
        # Counted again when purchases or friends change, but only while on screen (else on the next show).
        self._follow = Follow(self, Changes(purchases=True, friends=True), lambda _changes, _initiator: self.reload())
        self.reload()

    def reload(self) -> None:
        Operation(self, lambda _ctx: load_groups(), success=self._latest(self._show)).run()

    def _show(self, counts: dict[str, int]) -> None:
        self.counts = counts
        self.chart.removeAllSeries()
        for axis in self.chart.axes():
            self.chart.removeAxis(axis)
        self.bars = QBarSet(self.tr("Friends"))
        self.bars.append([float(n) for n in counts.values()])
        series = QBarSeries()
        series.append(self.bars)
        series.setLabelsVisible(True)
        self.chart.addSeries(series)
        categories = QBarCategoryAxis()
        categories.append([str(GROUPS[code]) for code in counts])
        self.chart.addAxis(categories, Qt.AlignmentFlag.AlignBottom)
        series.attachAxis(categories)
        values = QValueAxis()
        values.setRange(0, max([1, *counts.values()]))
        values.setLabelFormat("%d")
        self.chart.addAxis(values, Qt.AlignmentFlag.AlignLeft)
        series.attachAxis(values)

    def open_import(self) -> None:
        # A bound method, not a lambda holding the dialog: the dialog deletes itself on close, and a closure
        # of its own signal keeping its wrapper would be freed in the middle of that deletion.
        self.dialog = open_purchase_import(self)
        self.dialog.imported.connect(self._imported)

    def _imported(self) -> None:
        dialog = self.dialog
        if dialog is not None and shiboken6.isValid(dialog) and dialog.report is not None:
            self.report.setText(str(dialog.report.summary()))
