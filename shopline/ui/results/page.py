"""効果測定: what 配信履歴 grew into. Tabs: the campaigns' results, the account's trend, the cross table, and the
delivery history as it was (HistoryPage, contained, not copied).

Everything shown comes from the store, so offline the page shows the last figures and says when they were
fetched; 「LINEから取得」 asks LINE off the UI thread, with progress, within the shared hourly limit.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QHBoxLayout, QLabel, QProgressBar, QPushButton, QTabWidget, QVBoxLayout, QWidget

from shopline.core.changes import Changes
from shopline.core.messages import Text
from shopline.ui.abtest.panel import ABTestPanel
from shopline.ui.change_bus import bus
from shopline.ui.delivery import HistoryPage
from shopline.ui.delivery.common import token_or_none
from shopline.ui.operations import OpContext, Operation
from shopline.ui.results.campaigns import CampaignsTab
from shopline.ui.results.charts import TrendChart
from shopline.ui.results.cross_view import CrossView

TREND_DAYS = 30


def _load(ctx: OpContext) -> tuple[Any, Any, dt.datetime | None]:
    from shopline.results import figures, refresh, trend

    return figures.all_figures(), trend.trend(TREND_DAYS), refresh.last_fetched()


class ResultsPage(QWidget):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.asof = QLabel(self)
        self.asof.setWordWrap(True)
        self.refresh_button = QPushButton(self.tr("Fetch from LINE"), self)
        self.refresh_button.setToolTip(self.tr("LINE allows 60 of these requests an hour; figures are final "
                                               "14 days after a send and are not fetched again"))
        self.refresh_button.clicked.connect(self.refresh)
        self.progress = QProgressBar(self)
        self.progress.setMaximumWidth(160)
        self.progress.hide()
        self.campaigns = CampaignsTab(self)
        self.trend_chart = TrendChart(self)
        self.trend_note = QLabel(self)
        self.trend_note.setWordWrap(True)
        trend_tab = QWidget(self)
        trend_layout = QVBoxLayout(trend_tab)
        trend_layout.setContentsMargins(0, 4, 0, 0)
        trend_layout.addWidget(self.trend_chart, 1)
        trend_layout.addWidget(self.trend_note)
        self.cross = CrossView(self)
        self.history = HistoryPage(self)
        self.tabs = QTabWidget(self)
        self.tabs.addTab(self.campaigns, self.tr("Campaign results"))
        self.tabs.addTab(trend_tab, self.tr("Friends over time"))
        self.tabs.addTab(self.cross, self.tr("Cross analysis"))
        self.tabs.addTab(self.history, self.tr("Delivery history"))
        self.abtests = ABTestPanel(self)
        self.tabs.addTab(self.abtests, self.tr("A/B tests"))
        self.tabs.currentChanged.connect(self._tab_changed)

        bar = QHBoxLayout()
        bar.addWidget(self.asof, 1)
        bar.addWidget(self.progress)
        bar.addWidget(self.refresh_button, 0, Qt.AlignmentFlag.AlignTop)
        layout = QVBoxLayout(self)
        layout.addLayout(bar)
        layout.addWidget(self.tabs, 1)
        self.loaded = False
        self.fetched: dt.datetime | None = None
        self._note = ""  # what the last refresh said, shown under the "as of" line once the figures are read again
        self._stale = False
        bus().changed.connect(self._changed)

    def _changed(self, changes: Changes, _initiator: object) -> None:
        """A send or a fetch elsewhere: read again now if shown, else when next shown."""
        if not Changes(campaigns=True, insights=True).touches(changes):
            return
        if self.isVisible():
            self.reload()
        else:
            self._stale = True

    def reload(self) -> None:
        Operation(self, _load, success=self._loaded).failure(lambda exc: self.asof.setText(str(exc))).run()

    def _loaded(self, answer: tuple[Any, Any, dt.datetime | None]) -> None:
        rows, trend, fetched = answer
        self.loaded = True
        self.campaigns.set_rows(rows)
        self.trend_chart.show_trend(trend)
        self.trend_note.setText(self.tr("No days fetched yet: press Fetch from LINE. The last 30 days are "
                                        "fetched a few at a time, within LINE's hourly limit.") if not trend.days
                                else self.tr("Dots mark the days campaigns were sent. LINE counts a day about "
                                             "a day late."))
        self.fetched = fetched
        self._say_asof(self._note)

    def _say_asof(self, extra: str = "") -> None:
        if self.fetched is None:
            text = self.tr("Nothing fetched from LINE yet.")
        else:
            text = self.tr("Figures as fetched from LINE at %1. Shown offline until fetched again.").replace(
                "%1", self.fetched.astimezone().strftime("%Y-%m-%d %H:%M"))
        self.asof.setText(text + ("\n" + extra if extra else ""))

    def refresh(self) -> None:
        token = token_or_none()
        if token is None:
            self._say_asof(self.tr("Connect a LINE channel first (Settings)."))
            return
        self.refresh_button.setEnabled(False)
        self.progress.setValue(0)
        self.progress.show()

        def work(ctx: OpContext) -> Any:
            from shopline.results.refresh import refresh

            # The context's cancel flag is a threading.Event: closing the window stops the refresh between requests.
            return refresh(token, stop=ctx._cancel, progress=ctx.progress)

        Operation(self, work, success=self._refreshed, writes=True, changes=Changes(insights=True)) \
            .failure(self._refresh_failed).with_progress(self._progress).run()

    def _progress(self, done: int, total: int) -> None:
        self.progress.setMaximum(max(total, 1))
        self.progress.setValue(done)

    def _refreshed(self, result: Any) -> None:
        self.refresh_button.setEnabled(True)
        self.progress.hide()
        message: Text = result.message()
        errors = "\n".join(result.errors[:2])
        self._note = str(message) + ("\n" + errors if errors else "")
        self.reload()

    def _refresh_failed(self, exc: BaseException) -> None:
        self.refresh_button.setEnabled(True)
        self.progress.hide()
        self._say_asof(str(exc))

    def show_campaigns(self, names: list[str]) -> None:
        """The results of these campaigns only (a scenario step's), the newest chosen."""
        self.tabs.setCurrentWidget(self.campaigns)
        self.campaigns.only(names)

    def _tab_changed(self, index: int) -> None:
        if self.tabs.widget(index) is self.cross:
            self.cross.reload_choices()

    def showEvent(self, event) -> None:  # noqa: ANN001, N802 - Qt's name
        super().showEvent(event)
        if not self.loaded or self._stale:
            self._stale = False
            self.reload()
