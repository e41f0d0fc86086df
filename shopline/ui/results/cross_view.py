"""クロス分析 in the window: two dimensions, an optional saved segment, counts or percentages, CSV export."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QComboBox,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from shopline.core.crosstab import CrossTable
from shopline.results import crosstab
from shopline.store.segments import list_segments
from shopline.ui.operations import OpContext, Operation


class CrossView(QWidget):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.rows = QComboBox(self)
        self.cols = QComboBox(self)
        self.segment = QComboBox(self)
        self.mode = QComboBox(self)
        modes = ((self.tr("Counts"), "count"), (self.tr("% of row"), "row"), (self.tr("% of column"), "col"))
        for label, mode in modes:
            self.mode.addItem(label, mode)
        self.mode.currentIndexChanged.connect(self._show)
        for combo in (self.rows, self.cols, self.segment):
            combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
            combo.setMinimumContentsLength(8)
        self.count_button = QPushButton(self.tr("Count"), self)
        self.count_button.clicked.connect(self.count)
        self.export_button = QPushButton(self.tr("Export CSV…"), self)
        self.export_button.clicked.connect(lambda: self.export())
        self.export_button.setEnabled(False)
        self.table = QTableWidget(0, 0, self)
        self.table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().setVisible(False)
        self.note = QLabel("", self)
        self.note.setWordWrap(True)
        self.result: CrossTable | None = None

        bar = QHBoxLayout()
        for label, combo in ((self.tr("Rows"), self.rows), (self.tr("Columns"), self.cols),
                             (self.tr("Within"), self.segment)):
            bar.addWidget(QLabel(label, self))
            bar.addWidget(combo, 1)
        bar2 = QHBoxLayout()
        bar2.addWidget(self.mode)
        bar2.addStretch(1)
        bar2.addWidget(self.count_button)
        bar2.addWidget(self.export_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 4, 0, 0)
        layout.addLayout(bar)
        layout.addLayout(bar2)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.note)

    def reload_choices(self) -> None:
        """The dimensions and saved segments there are now (folders and fields change with imports)."""
        choices = crosstab.dimension_choices()
        for combo, default in ((self.rows, "gender"), (self.cols, "age_band")):
            current = combo.currentData() or default
            combo.blockSignals(True)
            combo.clear()
            for key in choices:
                combo.addItem(self._label(key), key)
            combo.setCurrentIndex(max(combo.findData(current), 0))
            combo.blockSignals(False)
        current = self.segment.currentData()
        self.segment.clear()
        self.segment.addItem(self.tr("All friends"), None)
        for saved in list_segments():
            self.segment.addItem(saved.name, saved.name)
        self.segment.setCurrentIndex(max(self.segment.findData(current), 0))

    def _label(self, key: str) -> str:
        return str(crosstab.dimension(key).label)

    def count(self) -> None:
        rows, cols, segment = self.rows.currentData(), self.cols.currentData(), self.segment.currentData()
        if rows is None or cols is None:
            return
        self.count_button.setEnabled(False)

        def work(ctx: OpContext) -> CrossTable:
            from shopline.store.segments import get_segment

            tree = get_segment(segment).tree if segment else None
            return crosstab.crosstab(crosstab.dimension(rows), crosstab.dimension(cols), tree)

        Operation(self, work, success=self._counted).failure(self._failed).run()

    def _counted(self, table: CrossTable) -> None:
        self.count_button.setEnabled(True)
        self.export_button.setEnabled(True)
        self.result = table
        self.note.setText(self.tr("%1 friends counted").replace("%1", f"{table.total:,}"))
        self._show()

    def _failed(self, exc: BaseException) -> None:
        self.count_button.setEnabled(True)
        self.note.setText(str(exc))

    def _show(self) -> None:
        if self.result is None:
            return
        grid = self.result.grid(self.mode.currentData())
        self.table.setColumnCount(len(grid[0]))
        self.table.setHorizontalHeaderLabels(grid[0])
        self.table.setRowCount(len(grid) - 1)
        for r, row in enumerate(grid[1:]):
            for c, value in enumerate(row):
                self.table.setItem(r, c, QTableWidgetItem(value))
        self.table.resizeColumnsToContents()

    def export(self, path: str | None = None) -> None:
        if self.result is None:
            return
        if path is None:
            path, _ = QFileDialog.getSaveFileName(self, self.tr("Export CSV"), "crosstab.csv", "CSV (*.csv)")
            if not path:
                return
        try:
            crosstab.write_csv(self.result, path, self.mode.currentData())
        except OSError as exc:
            self.note.setText(self.tr("Could not write %1: %2").replace("%1", path).replace("%2", exc.strerror or ""))
            return
        self.note.setText(self.tr("Written to %1").replace("%1", path))
