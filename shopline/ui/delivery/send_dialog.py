"""The send dialog: the estimate, a confirmation, progress (batches and friends) with pause, a test send.

    SendDialog(parent, name, tree, messages).exec()   # the composer opens it with its draft

Cancel pauses: requests in flight finish, the rest stay pending with their keys,
and 配信履歴 (or `shopline resume`) continues the campaign.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from PySide6.QtWidgets import (
    QDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QProgressBar,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from shopline.core.drafts import Draft
from shopline.core.estimate import COUNTING_NOTE, Estimate, Status, format_yen
from shopline.core.segments import Node
from shopline.delivery import service, testsend
from shopline.delivery.results import Progress, RunResult
from shopline.delivery.usage import estimate_for
from shopline.ui import plan_box
from shopline.ui.delivery.common import outcome_text, token_or_none
from shopline.ui.operations import OpContext, Operation, show_error


class SendDialog(QDialog):
    def __init__(self, parent: QWidget | None, name: str, tree: Node,
                 messages: Draft | Sequence[dict[str, Any]]) -> None:
        super().__init__(parent)
        self.name, self.tree, self.messages = name, tree, messages
        self.estimate: Estimate | None = None
        self.result: RunResult | None = None
        self._progress: Progress | None = None  # written by the sending thread, read by the UI's poll
        self._op: Operation | None = None
        self.setWindowTitle(self.tr("Send \"%1\"").replace("%1", name))

        form = QFormLayout()
        self.recipients = QLabel("…", self)
        self.usage = QLabel("…", self)
        self.cost = QLabel("…", self)
        self.verdict = QLabel("…", self)
        self.verdict.setWordWrap(True)
        form.addRow(self.tr("Recipients"), self.recipients)
        form.addRow(self.tr("This month"), self.usage)
        form.addRow(self.tr("Extra cost"), self.cost)
        form.addRow(self.tr("Verdict"), self.verdict)
        note = QLabel(str(COUNTING_NOTE), self)
        note.setWordWrap(True)

        self.test_ids = QLineEdit(" ".join(testsend.get_test_ids()), self)
        self.test_ids.setPlaceholderText(self.tr("Your own LINE user IDs (U…), separated by spaces"))
        self.test_button = QPushButton(self.tr("Test send"), self)
        self.test_button.clicked.connect(self.send_test)
        test_row = QHBoxLayout()
        test_row.addWidget(self.test_ids, 1)
        test_row.addWidget(self.test_button)

        self.batches = QProgressBar(self)
        self.friends = QProgressBar(self)
        for bar, fmt in ((self.batches, self.tr("Batches %v / %m")), (self.friends, self.tr("Friends %v / %m"))):
            bar.setFormat(fmt)
            bar.setValue(0)
        self.status = QLabel("", self)
        self.status.setWordWrap(True)

        self.send_button = QPushButton(self.tr("Send"), self)
        self.send_button.setEnabled(False)
        self.send_button.clicked.connect(self.confirm_and_send)
        self.pause_button = QPushButton(self.tr("Pause"), self)
        self.pause_button.setEnabled(False)
        self.pause_button.clicked.connect(self.pause)
        self.close_button = QPushButton(self.tr("Close"), self)
        self.close_button.clicked.connect(self.reject)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        for button in (self.send_button, self.pause_button, self.close_button):
            buttons.addWidget(button)

        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(note)
        layout.addLayout(test_row)
        layout.addWidget(self.batches)
        layout.addWidget(self.friends)
        layout.addWidget(self.status)
        layout.addLayout(buttons)
        self.refresh_estimate()

    # Estimate ------------------------------------------------------------------------------------

    def refresh_estimate(self) -> None:
        token = token_or_none()
        Operation(self, lambda _ctx: estimate_for(self.tree, token), success=self._show_estimate).run()

    def _show_estimate(self, est: Estimate) -> None:
        self.estimate = est
        self.recipients.setText(self.tr("%1 friends (%1 messages)").replace("%1", f"{est.recipients:,}"))
        used = "?" if est.used is None else f"{est.used:,}"
        limit = "?" if not est.limit_known else self.tr("no limit") if est.limit is None else f"{est.limit:,}"
        after = "" if est.remaining_after is None else self.tr(", %1 left after this send").replace(
            "%1", f"{est.remaining_after:,}")
        self.usage.setText(self.tr("%1 sent of %2").replace("%1", used).replace("%2", limit) + after)
        self.cost.setText(format_yen(est.extra_cost_yen) if est.cost_known else "?")
        words = {Status.OK: self.tr("OK to send"), Status.WARN_80: self.tr("OK to send (past 80% of the month)"),
                 Status.NEEDS_CHECK: self.tr("Check the figures before sending"),
                 Status.BLOCKED: self.tr("Cannot be sent")}
        self.verdict.setText("\n".join([words[est.status], *map(str, est.reasons), *map(str, est.ways_out)]))
        self.send_button.setEnabled(est.status is not Status.BLOCKED and est.recipients > 0)

    # Sending -------------------------------------------------------------------------------------

    def confirm_and_send(self) -> None:
        assert self.estimate is not None
        question = self.tr("Send \"%1\" to %2 friends? This cannot be undone.").replace("%1", self.name) \
            .replace("%2", f"{self.estimate.recipients:,}")
        if QMessageBox.question(self, "ShopLine", question) != QMessageBox.StandardButton.Yes:
            return
        self.start_send()

    def start_send(self) -> None:
        token = token_or_none()
        if token is None:
            self.status.setText(self.tr("Connect a LINE channel first (Settings)."))
            return
        self.send_button.setEnabled(False)
        self.pause_button.setEnabled(True)
        self.status.setText(self.tr("Sending…"))

        def work(ctx: OpContext) -> RunResult:
            prepared = service.prepare_send(self.name, self.tree, self.messages, token=token)
            return service.send(prepared.campaign, token, progress=lambda p: self._report(ctx, p),
                                cancelled=ctx.cancelled)

        self._op = Operation(self, work, success=self._finished, writes=True) \
            .failure(self._failed).with_progress(lambda _d, _t: self._show_progress())
        self._op.run()

    def _report(self, ctx: OpContext, progress: Progress) -> None:
        self._progress = progress
        ctx.progress(progress.friends_done, progress.friends_total)

    def _show_progress(self) -> None:
        p = self._progress
        if p is None:
            return
        self.batches.setRange(0, p.batches_total)
        self.batches.setValue(p.batches_done)
        self.friends.setRange(0, p.friends_total)
        self.friends.setValue(p.friends_done)

    def pause(self) -> None:
        if self._op is not None:
            self._op.cancel()
            self.pause_button.setEnabled(False)
            self.status.setText(self.tr("Pausing after the requests in flight…"))

    def _finished(self, result: RunResult) -> None:
        self.result, self._op = result, None
        self._show_progress()
        self.pause_button.setEnabled(False)
        self.status.setText(outcome_text(result))
        plan_box.messages_sent()  # the status bar and an open estimate count this send in the month

    def _failed(self, exc: BaseException) -> None:
        self._op = None
        plan_box.messages_sent()  # batches accepted before it stopped count in the month
        self.pause_button.setEnabled(False)
        self.status.setText(str(exc))
        self.send_button.setEnabled(self.result is None and self.estimate is not None
                                    and self.estimate.status is not Status.BLOCKED)

    # Test send -----------------------------------------------------------------------------------

    def send_test(self) -> None:
        token = token_or_none()
        if token is None:
            self.status.setText(self.tr("Connect a LINE channel first (Settings)."))
            return
        ids = self.test_ids.text().split()

        def work(_ctx: OpContext) -> list:
            testsend.set_test_ids(ids)
            return testsend.send_test_message(self.messages, token)

        Operation(self, work, success=self._tested, writes=True).failure(lambda e: show_error(self, e)).run()

    def _tested(self, results: list) -> None:
        failed = [f"{r.user_id}: {r.message}" for r in results if not r.ok]
        self.status.setText(self.tr("Test sent to %1 of %2.").replace("%1", str(len(results) - len(failed)))
                            .replace("%2", str(len(results))) + "".join("\n" + f for f in failed))

    def reject(self) -> None:
        """Closing while sending pauses the campaign rather than leaving it running unseen."""
        self.pause()
        super().reject()
