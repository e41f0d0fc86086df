"""配信履歴: campaigns with status and counts; per campaign who got it, who did not and why; resume.

The recipient list shows one page (PAGE rows) of the chosen status: a campaign of
100,000 friends is browsed by filter (not sent / pending) rather than scrolled.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QLabel,
    QMessageBox,
    QPushButton,
    QSplitter,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from shopline.core.changes import Changes
from shopline.delivery import history, service
from shopline.delivery.results import RunResult
from shopline.delivery.resume import DuplicateRisk, find_campaign
from shopline.ui.change_bus import Follow
from shopline.ui.delivery.common import outcome_text, token_or_none
from shopline.ui.operations import LINE_QUEUE, Latest, OpContext, Operation

PAGE = 1000


def _table(parent: QWidget, headers: list[str]) -> QTableWidget:
    table = QTableWidget(0, len(headers), parent)
    table.setHorizontalHeaderLabels(headers)
    table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
    table.setSelectionBehavior(QTableWidget.SelectionBehavior.SelectRows)
    table.setSelectionMode(QTableWidget.SelectionMode.SingleSelection)
    table.horizontalHeader().setStretchLastSection(True)
    table.verticalHeader().setVisible(False)
    return table


def _fill(table: QTableWidget, rows: list[list[str]]) -> None:
    table.setRowCount(len(rows))
    for r, row in enumerate(rows):
        for c, value in enumerate(row):
            table.setItem(r, c, QTableWidgetItem(value))


class HistoryPage(QWidget):
    listed = Signal()  # the campaigns are on screen
    recipients_shown = Signal()  # the chosen campaign's friends are on screen

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.rows: list[history.CampaignRow] = []
        self._latest_list, self._latest_recipients = Latest(), Latest()
        self._outcome = ""
        self.campaigns = _table(self, [self.tr("Created"), self.tr("Status"), self.tr("Recipients"),
                                       self.tr("Sent"), self.tr("Not sent"), self.tr("Pending"), self.tr("Name")])
        self.campaigns.itemSelectionChanged.connect(self.show_recipients)
        self.filter = QComboBox(self)
        for label, status in ((self.tr("Not sent and pending"), "not_done"), (self.tr("Sent"), "accepted"),
                              (self.tr("Not sent"), "failed"), (self.tr("Pending"), "pending"),
                              (self.tr("Everyone"), "")):
            self.filter.addItem(label, status)
        self.filter.currentIndexChanged.connect(self.show_recipients)
        self.recipients = _table(self, [self.tr("LINE user ID"), self.tr("Name"), self.tr("Result"), self.tr("Why")])
        self.note = QLabel("", self)
        self.note.setWordWrap(True)
        self.resume_button = QPushButton(self.tr("Resume"), self)
        self.resume_button.setEnabled(False)
        self.resume_button.clicked.connect(lambda: self.resume())
        refresh = QPushButton(self.tr("Refresh"), self)
        refresh.clicked.connect(self.reload)

        bar = QHBoxLayout()
        bar.addWidget(self.filter)
        bar.addStretch(1)
        bar.addWidget(refresh)
        bar.addWidget(self.resume_button)
        lower = QWidget(self)
        lower_layout = QVBoxLayout(lower)
        lower_layout.setContentsMargins(0, 0, 0, 0)
        lower_layout.addLayout(bar)
        lower_layout.addWidget(self.recipients)
        lower_layout.addWidget(self.note)
        self.split = QSplitter(Qt.Orientation.Vertical, self)
        self.split.addWidget(self.campaigns)
        self.split.addWidget(lower)
        # Before the first campaign two empty tables say nothing: say what will be here and how to start.
        self.empty = QLabel(self.tr(
            "Campaigns you send will be listed here: who received each one, who did not and why, "
            "and a button to resume a paused send.\n\n"
            "To send your first message, open Messages, choose who receives it, write the message "
            "and press Send…"), self)
        self.empty.setWordWrap(True)
        self.empty.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.empty.setMargin(24)
        self.empty.hide()
        layout = QVBoxLayout(self)
        layout.addWidget(self.empty)
        layout.addWidget(self.split)
        self.follow = Follow(self, Changes(campaigns=True), self._data_changed)
        self.reload()

    def reload(self) -> None:
        """The campaigns, read off the UI thread; the list keeps the campaign the shop had chosen."""
        Operation(self, lambda _ctx: history.campaigns(), success=self._latest_list(self._listed)).run()

    def _listed(self, rows: list[history.CampaignRow]) -> None:
        chosen = self.selected()
        self.rows = rows
        self.campaigns.blockSignals(True)  # one recipients read for the row chosen below, not one per change
        _fill(self.campaigns, [[f"{c.created_at:%Y-%m-%d %H:%M}", str(history.STATUS_TEXT.get(c.status, c.status)),
                                f"{c.recipients:,}", f"{c.delivered:,}", f"{c.failed:,}", f"{c.pending:,}", c.name]
                               for c in self.rows])
        self.empty.setVisible(not self.rows)
        self.split.setVisible(bool(self.rows))
        names = [c.name for c in self.rows]
        if chosen is not None and chosen.name in names:
            self.campaigns.selectRow(names.index(chosen.name))
        elif self.rows:
            self.campaigns.selectRow(0)
        self.campaigns.blockSignals(False)
        self.show_recipients()
        self.listed.emit()

    def selected(self) -> history.CampaignRow | None:
        rows = self.campaigns.selectionModel().selectedRows() if self.campaigns.selectionModel() else []
        return self.rows[rows[0].row()] if rows and rows[0].row() < len(self.rows) else None

    def show_recipients(self) -> None:
        row = self.selected()
        self.resume_button.setEnabled(row is not None and (row.pending > 0 or row.status != "done"))
        if row is None:
            _fill(self.recipients, [])
            self.note.setText("")
            return
        status = self.filter.currentData()

        def work(_ctx: OpContext) -> list[history.RecipientRow]:
            campaign = find_campaign(row.name)
            found: list[history.RecipientRow] = []
            for s in (("failed", "pending") if status == "not_done" else (status or None,)):
                found += history.recipients(campaign, s, limit=PAGE - len(found))
            return found

        Operation(self, work, success=self._latest_recipients(lambda found: self._show_found(row, found))).run()

    def _show_found(self, row: history.CampaignRow, found: list[history.RecipientRow]) -> None:
        _fill(self.recipients, [[r.user_id, r.display_name, str(history.BATCH_TEXT[r.status]), r.why]
                                for r in found])
        more = self.tr(" (the first %1 shown)").replace("%1", f"{PAGE:,}") if len(found) >= PAGE else ""
        outcome, self._outcome = self._outcome, ""
        self.note.setText((outcome + "\n" if outcome else "") + (row.last_error + "\n" if row.last_error else "")
                          + self.tr("%1 friends listed").replace("%1", f"{len(found):,}") + more)
        self.recipients_shown.emit()

    def resume(self, *, accept_duplicates: bool = False, skip_uncertain: bool = False) -> None:
        row, token = self.selected(), token_or_none()
        if row is None:
            return
        if token is None:
            self.note.setText(self.tr("Connect a LINE channel first (Settings)."))
            return
        self.resume_button.setEnabled(False)

        def work(ctx: OpContext) -> RunResult:
            return service.resume(row.name, token, accept_duplicates=accept_duplicates,
                                  skip_uncertain=skip_uncertain, cancelled=ctx.cancelled)

        Operation(self, work, success=self._resumed, job=LINE_QUEUE, changes=Changes(campaigns=True),
                  title=self.tr("Resuming \"%1\"").replace("%1", row.name)).failure(
            lambda exc: self._resume_failed(exc, row.name)).run()

    def _resumed(self, result: RunResult) -> None:
        self._outcome = outcome_text(result)  # shown above the friends once the change bus has listed them again
        self.note.setText(self._outcome)

    def _resume_failed(self, exc: BaseException, name: str) -> None:
        self.reload()
        if not isinstance(exc, DuplicateRisk):
            self.note.setText(str(exc))
            return
        box = QMessageBox(QMessageBox.Icon.Warning, "ShopLine", str(exc), parent=self)
        send = box.addButton(self.tr("Send anyway"), QMessageBox.ButtonRole.AcceptRole)
        skip = box.addButton(self.tr("Leave them out"), QMessageBox.ButtonRole.DestructiveRole)
        box.addButton(QMessageBox.StandardButton.Cancel)
        box.exec()
        if box.clickedButton() is send:
            self.resume(accept_duplicates=True)
        elif box.clickedButton() is skip:
            self.resume(skip_uncertain=True)

    def _data_changed(self, _changes: Changes, _initiator: object | None) -> None:
        self.reload()
