"""効果測定's A/B tests tab: each test's variants with their figure and 95% interval, the verdict in words,
and the buttons that send what is pending and the winner to the held-back friends (on the LINE queue)."""

from __future__ import annotations

from typing import Any

from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QListWidget,
    QProgressBar,
    QPushButton,
    QSplitter,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from shopline.core.changes import Changes
from shopline.core.results import show_rate
from shopline.ui.change_bus import bus
from shopline.ui.delivery.common import token_or_none
from shopline.ui.operations import LINE_QUEUE, Latest, OpContext, Operation

READS = Changes(campaigns=True, insights=True, friends=True, tags=True, purchases=True)


def _names(_ctx: OpContext) -> list[str]:
    from shopline.abtests.status import list_tests

    return [t.name for t in list_tests()]


class ABTestPanel(QWidget):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._latest = Latest()
        self.current: Any = None  # the shown test's status
        self.tests = QListWidget(self)
        self.table = QTableWidget(0, 6, self)
        self.table.setHorizontalHeaderLabels([self.tr("Variant"), self.tr("Message"), self.tr("Sent"),
                                              self.tr("Figure"), self.tr("Rate"), self.tr("95% interval")])
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.table.horizontalHeader().setStretchLastSection(True)
        self.table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        self.title = QLabel(self)
        self.title.setWordWrap(True)
        self.verdict = QLabel(self)
        self.verdict.setWordWrap(True)
        self.held = QLabel(self)
        self.held.setWordWrap(True)
        self.winner = QComboBox(self)
        self.send_button = QPushButton(self.tr("Send the variants"), self)
        self.winner_button = QPushButton(self.tr("Send to the rest"), self)
        self.status = QLabel(self)
        self.status.setWordWrap(True)
        self.progress = QProgressBar(self)
        self.progress.hide()
        self.empty = QLabel(self.tr("No A/B tests yet. Make one from the Messages page: A/B test…"), self)
        self.empty.setWordWrap(True)
        self._build()
        self.tests.currentTextChanged.connect(self.show_test)
        self.send_button.clicked.connect(self.send_variants)
        self.winner_button.clicked.connect(self.send_winner)
        bus().changed.connect(self._changed)
        self._update_buttons()

    def _build(self) -> None:
        detail = QWidget(self)
        column = QVBoxLayout(detail)
        column.setContentsMargins(0, 0, 0, 0)
        column.addWidget(self.title)
        column.addWidget(self.table, 1)
        column.addWidget(self.verdict)
        column.addWidget(self.held)
        row = QHBoxLayout()
        row.addWidget(self.send_button)
        row.addStretch(1)
        row.addWidget(self.winner)
        row.addWidget(self.winner_button)
        column.addLayout(row)
        column.addWidget(self.progress)
        column.addWidget(self.status)
        splitter = QSplitter(self)
        splitter.addWidget(self.tests)
        splitter.addWidget(detail)
        splitter.setStretchFactor(1, 1)
        splitter.setSizes([160, 600])
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 4, 0, 0)
        layout.addWidget(self.empty)
        layout.addWidget(splitter, 1)

    def _changed(self, changes: Changes, _initiator: object) -> None:
        if READS.touches(changes) and self.isVisible():
            self.reload()

    def showEvent(self, event) -> None:  # noqa: ANN001, N802 - Qt's name
        super().showEvent(event)
        self.reload()

    def reload(self) -> None:
        Operation(self, _names, success=self._listed).run()

    def _listed(self, names: list[str]) -> None:
        chosen = self.tests.currentItem().text() if self.tests.currentItem() else None
        self.empty.setVisible(not names)
        self.tests.blockSignals(True)
        self.tests.clear()
        self.tests.addItems(names)
        self.tests.blockSignals(False)
        keep = names.index(chosen) if chosen in names else 0
        if names:
            self.tests.setCurrentRow(keep)
            self.show_test(names[keep])

    def show_test(self, name: str) -> None:
        if not name:
            return

        def work(_ctx: OpContext) -> Any:
            from shopline.abtests.status import status

            return status(name)

        Operation(self, work, success=self._latest(self._shown)).failure(lambda e: self.status.setText(str(e))).run()

    def _figure(self, v: Any) -> str:
        m = v.measured
        if m.sent == 0:
            return self.tr("Not sent")
        if not m.fetched:
            return self.tr("Not fetched")
        if m.successes is None:
            return self.tr("Fewer than 20 (not yet measurable)")
        return f"{m.successes:,}"

    def _shown(self, st: Any) -> None:
        from shopline.abtests.verdict import metric_name

        self.current = st
        share = self.tr("everyone") if st.share >= 100 else f"{st.share}%"
        self.title.setText(self.tr("%1: comparing %2 (tested: %3, random seed %4)").replace("%1", st.name)
                           .replace("%2", str(metric_name(st.metric))).replace("%3", share)
                           .replace("%4", str(st.seed)))
        self.table.setRowCount(len(st.variants))
        for row, v in enumerate(st.variants):
            interval = "" if v.interval is None else f"{show_rate(v.interval[0])} – {show_rate(v.interval[1])}"
            for col, text in enumerate((v.key, v.label, f"{v.measured.sent:,}", self._figure(v),
                                        show_rate(v.rate), interval)):
                self.table.setItem(row, col, QTableWidgetItem(text))
        self.verdict.setText(str(st.verdict.text))
        if st.winner_campaign:
            self.held.setText(self.tr("%1 goes to the %2 held back (%3).").replace("%1", st.winner_key or "")
                              .replace("%2", f"{st.held_back:,}").replace("%3", st.winner_campaign))
        elif st.held_back:
            self.held.setText(self.tr("%1 friends are held back for the winner.").replace("%1", f"{st.held_back:,}"))
        else:
            self.held.setText(self.tr("Everyone was tested: nobody is held back."))
        self.winner.clear()
        for v in st.variants:
            self.winner.addItem(v.key, v.key)
        if st.verdict.best:
            self.winner.setCurrentIndex(self.winner.findData(st.verdict.best))
        self._update_buttons()

    def _update_buttons(self, busy: bool = False) -> None:
        st = self.current
        pending = st is not None and any(v.campaign_status != "done" for v in st.variants)
        self.send_button.setEnabled(not busy and pending)
        winner_open = st is not None and st.held_back > 0 and st.winner_status != "done"
        self.winner_button.setEnabled(not busy and winner_open)
        self.winner.setEnabled(not busy and st is not None and st.winner_campaign is None)

    def _run(self, work: Any) -> None:
        self._update_buttons(busy=True)
        self.progress.setValue(0)
        self.progress.show()
        Operation(self, work, success=self._sent, job=LINE_QUEUE, changes=Changes(campaigns=True),
                  title=self.tr("A/B test")).failure(self._failed).with_progress(self._progress).run()

    def send_variants(self) -> None:
        token = token_or_none()
        if token is None or self.current is None:
            self.status.setText(self.tr("Connect a LINE channel first (Settings)."))
            return
        name = self.current.name

        def work(ctx: OpContext) -> Any:
            from shopline.abtests.send import send_variants

            return send_variants(name, token, cancelled=ctx.cancelled,
                                 progress=lambda _k, p: ctx.progress(p.friends_done, p.friends_total))

        self._run(work)

    def send_winner(self) -> None:
        token = token_or_none()
        if token is None or self.current is None:
            self.status.setText(self.tr("Connect a LINE channel first (Settings)."))
            return
        name, key = self.current.name, self.winner.currentData()

        def work(ctx: OpContext) -> Any:
            from shopline.abtests.send import send_winner

            return send_winner(name, token, variant=key, cancelled=ctx.cancelled,
                               progress=lambda _k, p: ctx.progress(p.friends_done, p.friends_total))

        self._run(work)

    def _progress(self, done: int, total: int) -> None:
        self.progress.setMaximum(max(total, 1))
        self.progress.setValue(done)

    def _sent(self, result: Any) -> None:
        self.progress.hide()
        text = self.tr("Sent: %1 / not sent: %2 / pending: %3").replace("%1", f"{result.delivered:,}") \
            .replace("%2", f"{result.failed:,}").replace("%3", f"{result.pending:,}")
        self.status.setText(text + ("\n" + str(result.message) if result.message is not None else ""))
        self._update_buttons()  # the change bus reloads the figures

    def _failed(self, exc: BaseException) -> None:
        self.progress.hide()
        self.status.setText(str(exc))
        self._update_buttons()
