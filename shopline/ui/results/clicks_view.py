"""One campaign's clicks per friend (from tracked links on the relay), a CSV of them, and the two segments a
retargeting send starts from: those who clicked, and those who received it and did not."""

from __future__ import annotations

from PySide6.QtCore import QLocale, Qt, Signal
from PySide6.QtWidgets import (
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from shopline.core.changes import Changes
from shopline.ui.operations import Latest, Operation, show_error


class CampaignClicks(QWidget):
    segment_made = Signal(str)  # the new segment's name

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.campaign: str | None = None
        self.rows: list = []
        self._latest = Latest()
        self.title = QLabel(self.tr("Who clicked (tracked links)"), self)
        self.title.setStyleSheet("font-weight: bold")
        self.clicked_button = QPushButton(self.tr("Send to those who clicked"), self)
        self.not_clicked_button = QPushButton(self.tr("Send to those who did not click"), self)
        self.export_button = QPushButton(self.tr("Export CSV…"), self)
        self.table = QTableWidget(0, 4, self)
        self.table.setHorizontalHeaderLabels([self.tr("Friend"), self.tr("Link"), self.tr("Clicks"),
                                              self.tr("Last click")])
        self.table.verticalHeader().setVisible(False)
        self.table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QTableWidget.SelectionBehavior.SelectRows)
        self.table.horizontalHeader().setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        self.status = QLabel(self)
        self.status.setWordWrap(True)
        buttons = QHBoxLayout()
        buttons.addWidget(self.title, 1)
        for button in (self.clicked_button, self.not_clicked_button, self.export_button):
            buttons.addWidget(button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 4, 0, 0)
        layout.addLayout(buttons)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.status)
        self.clicked_button.clicked.connect(lambda: self.make_segment(True))
        self.not_clicked_button.clicked.connect(lambda: self.make_segment(False))
        self.export_button.clicked.connect(lambda: self.export())  # not clicked(bool) as the path
        self.show_campaign(None)

    def show_campaign(self, name: str | None) -> None:
        if name != self.campaign:
            self.status.clear()
        self.campaign = name
        for button in (self.clicked_button, self.not_clicked_button):
            button.setEnabled(name is not None)
        if name is None:
            self._show([])
            return

        def load(_ctx: object) -> list:
            from shopline.links.results import campaign_clicks

            return campaign_clicks(name)
        Operation(self, load, success=self._latest(self._show)).run()

    def _show(self, rows: list) -> None:
        self.rows = rows
        self.table.setRowCount(len(rows))
        for r, row in enumerate(rows):
            when = QLocale().toString(row.last_at, QLocale.FormatType.ShortFormat)
            cells = (row.display_name or row.user_id, row.url, f"{row.clicks:,}", when)
            for c, text in enumerate(cells):
                item = QTableWidgetItem(text)
                if c == 2:
                    item.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
                self.table.setItem(r, c, item)
        self.export_button.setEnabled(bool(rows))
        if not rows and self.campaign is not None and not self.status.text():
            self.status.setText(self.tr("No clicks on this campaign's tracked links yet. Links are tracked "
                                        "when a relay is connected."))

    def make_segment(self, clicked: bool) -> None:
        name = self.campaign
        if name is None:
            return

        def work(_ctx: object) -> tuple[str, Changes]:
            from shopline.links.results import make_retargeting_segment

            return make_retargeting_segment(name, clicked)
        Operation(self, work, success=self._made, writes=True, changes=Changes(segments=True)) \
            .failure(lambda e: show_error(self, e)).run()

    def _made(self, result: tuple[str, Changes]) -> None:
        segment = result[0]
        self.status.setText(self.tr("Made the segment \"%1\": choose it as the recipients on the Messages page.")
                            .replace("%1", segment))
        self.segment_made.emit(segment)

    def export(self, path: str | None = None) -> None:
        name = self.campaign
        if name is None:
            return
        if path is None:
            path, _ = QFileDialog.getSaveFileName(self, self.tr("Export clicks"), f"{name}_clicks.csv", "CSV (*.csv)")
        if not path:
            return
        target = path

        def work(_ctx: object) -> int:
            from shopline.links.results import export_clicks

            return export_clicks(name, target)
        Operation(self, work, success=lambda n: self.status.setText(
            self.tr("Exported %1 rows to %2.").replace("%1", f"{n:,}").replace("%2", target))) \
            .failure(lambda e: show_error(self, e)).run()
