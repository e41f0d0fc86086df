"""One friend's purchases and visits, newest first, with the totals: shown under the friend detail."""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtWidgets import QLabel, QTableWidget, QTableWidgetItem, QVBoxLayout, QWidget

from shopline.core.rfm import GROUPS
from shopline.purchases.listing import PurchaseRow, Totals, purchases, totals
from shopline.store.purchase_models import PurchaseRfm
from shopline.ui.operations import Latest, Operation

SHOWN = 200  # rows on screen; the totals count them all


@dataclass(frozen=True)
class Timeline:
    friend_id: int
    rows: list[PurchaseRow]
    totals: Totals
    group: str | None


def load_timeline(friend_id: int) -> Timeline:
    """Runs on a pool thread."""
    score = PurchaseRfm.get_or_none(PurchaseRfm.friend == friend_id)
    return Timeline(friend_id, list(purchases(friend=friend_id, limit=SHOWN, newest_first=True)), totals(friend_id),
                    score.grp if score else None)


class PurchaseTimeline(QWidget):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._latest = Latest()
        self.friend_id: int | None = None
        self.summary = QLabel(self)
        self.summary.setWordWrap(True)
        self.table = QTableWidget(0, 3, self)
        self.table.setHorizontalHeaderLabels([self.tr("Date"), self.tr("Item"), self.tr("Amount")])
        self.table.verticalHeader().setVisible(False)
        self.table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        self.table.horizontalHeader().setStretchLastSection(True)
        self.table.setMinimumHeight(120)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(QLabel(self.tr("Purchases"), self))
        layout.addWidget(self.summary)
        layout.addWidget(self.table)

    def show_friend(self, friend_id: int | None) -> None:
        self.friend_id = friend_id
        if friend_id is None:
            self._latest.forget()
            self._show(None)
            return
        Operation(self, lambda _ctx: load_timeline(friend_id), success=self._latest(self._show)).run()

    def _show(self, timeline: Timeline | None) -> None:
        rows = timeline.rows if timeline else []
        self.table.setRowCount(len(rows))
        for r, p in enumerate(rows):
            item = p.item or self.tr("Visit")
            amount = "" if p.amount is None else self.tr("¥{amount}").format(amount=f"{p.amount:,}")
            for c, text in enumerate((p.at.strftime("%Y-%m-%d %H:%M"), item, amount)):
                self.table.setItem(r, c, QTableWidgetItem(text))
        if timeline is None or not timeline.totals.purchases:
            self.summary.setText(self.tr("No purchases or visits yet."))
            return
        t = timeline.totals
        text = self.tr("%n purchase(s), ¥{spent} in total, last on {last}", "", t.purchases).format(
            spent=f"{t.spent:,}", last=t.last.strftime("%Y-%m-%d") if t.last else "")
        if timeline.group:
            text += self.tr(" (RFM: {group})").format(group=str(GROUPS[timeline.group]))
        self.summary.setText(text)
