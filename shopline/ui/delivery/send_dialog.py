"""The send dialog: the campaign's name, the estimate, a confirmation, progress (batches and friends)
with pause, a test send.

    SendDialog(parent, name, tree, messages).exec()   # the composer opens it with its draft

Before anything is asked: a channel must be connected (else the shop is sent to connect one) and the
name must be free (names are how 配信履歴 and `shopline resume` find a campaign).

Cancel pauses: requests in flight finish, the rest stay pending with their keys,
and 配信履歴 (or `shopline resume`) continues the campaign.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Any

from PySide6.QtCore import Signal
from PySide6.QtGui import QShowEvent
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

from shopline.core.changes import Changes
from shopline.core.drafts import Draft
from shopline.core.estimate import COUNTING_NOTE, Estimate, Status, cost_sentence, month_sentence
from shopline.core.segments import Node
from shopline.delivery import service, testsend
from shopline.delivery.freeze import BATCH_SIZE, CampaignExists, check_name_free
from shopline.delivery.personal import CannotPersonalise
from shopline.delivery.results import Progress, RunResult
from shopline.delivery.usage import estimate_for
from shopline.ui.delivery.common import outcome_text, token_or_none
from shopline.ui.operations import LINE_QUEUE, OpContext, Operation, show_error

# A send (or a test send) writes its campaign journal and spends the month's messages, even when it stops.
SEND_CHANGES = Changes(campaigns=True)


class SendDialog(QDialog):
    connect_requested = Signal()  # no channel is connected and the shop chose to connect one

    def __init__(self, parent: QWidget | None, name: str, tree: Node,
                 messages: Draft | Sequence[dict[str, Any]], *, segment_text: str | None = None) -> None:
        super().__init__(parent)
        self.tree, self.messages, self.segment_text = tree, messages, segment_text
        self.estimate: Estimate | None = None
        self.result: RunResult | None = None
        self.connect_box: QMessageBox | None = None
        self._progress: Progress | None = None  # written by the sending thread, read by the UI's poll
        self._op: Operation | None = None
        self.setMinimumWidth(480)

        form = QFormLayout()
        # Long sentences go under their label rather than squeezing into half a line beside it.
        form.setRowWrapPolicy(QFormLayout.RowWrapPolicy.WrapLongRows)
        self.name_edit = QLineEdit(name, self)
        self.name_edit.setMaxLength(100)
        self.name_edit.textChanged.connect(self._name_changed)
        self.recipients = QLabel("…", self)
        self.usage = QLabel("…", self)
        self.cost = QLabel("…", self)
        self.verdict = QLabel("…", self)
        for label in (self.recipients, self.usage, self.cost, self.verdict):
            label.setWordWrap(True)
        form.addRow(self.tr("Campaign name"), self.name_edit)
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
            bar.setRange(0, 0)
            bar.hide()  # shown once the estimate has given them their real size
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
        # Offered only after the friends a personal text cannot reach were listed (CannotPersonalise).
        self.skip_button = QPushButton(self.tr("Send to the others"), self)
        self.skip_button.hide()
        self.skip_button.clicked.connect(lambda: self.start_send(skip_unsendable=True))
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        for button in (self.skip_button, self.send_button, self.pause_button, self.close_button):
            buttons.addWidget(button)

        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(note)
        layout.addLayout(test_row)
        layout.addWidget(self.batches)
        layout.addWidget(self.friends)
        layout.addWidget(self.status)
        layout.addLayout(buttons)
        self._name_changed()
        self.refresh_estimate()

    @property
    def name(self) -> str:
        return self.name_edit.text().strip()

    def _name_changed(self) -> None:
        self.setWindowTitle(self.tr("Send \"%1\"").replace("%1", self.name))

    # Estimate ------------------------------------------------------------------------------------

    def refresh_estimate(self) -> None:
        token = token_or_none()
        Operation(self, lambda _ctx: estimate_for(self.tree, token), success=self._show_estimate).run()

    def _show_estimate(self, est: Estimate) -> None:
        self.estimate = est
        self.recipients.setText(self.tr("%1 friends (%1 messages)").replace("%1", f"{est.recipients:,}"))
        self.usage.setText(str(month_sentence(est)))
        self.cost.setText(str(cost_sentence(est)))
        words = {Status.OK: self.tr("OK to send"), Status.WARN_80: self.tr("OK to send (past 80% of the month)"),
                 Status.NEEDS_CHECK: self.tr("Check the figures before sending"),
                 Status.BLOCKED: self.tr("Cannot be sent")}
        self.verdict.setText("\n".join([words[est.status], *map(str, est.reasons), *map(str, est.ways_out)]))
        self.send_button.setEnabled(est.status is not Status.BLOCKED and est.recipients > 0)
        # The bars' real size from the start: a 529-person send never reads "0 / 100".
        self.batches.setRange(0, max(math.ceil(est.recipients / BATCH_SIZE), 1))
        self.friends.setRange(0, max(est.recipients, 1))
        for bar in (self.batches, self.friends):
            bar.setValue(0)
        self._fit_height()

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        self._fit_height()  # shown at its size hint, which leaves wrapped lines out

    def _fit_height(self) -> None:
        """Grow to the wrapped lines' height: a dialog sized before the figures came cut them to half-lines."""
        layout = self.layout()
        needed = layout.totalHeightForWidth(self.width()) if layout and layout.hasHeightForWidth() else -1
        if needed > self.height():
            self.resize(self.width(), needed)

    # Sending -------------------------------------------------------------------------------------

    def confirm_and_send(self) -> None:
        """Connected? A free name? Only then the question that cannot be taken back."""
        assert self.estimate is not None
        if token_or_none() is None:
            self.ask_to_connect()
            return
        name = self.name
        if not name:
            self.status.setText(self.tr("Give the campaign a name: 配信履歴 lists campaigns by name."))
            self.name_edit.setFocus()
            return
        self.send_button.setEnabled(False)
        Operation(self, lambda _ctx: check_name_free(name), success=lambda _none: self._name_free(name)) \
            .failure(lambda exc: self._name_refused(name, exc)).run()

    def _name_free(self, name: str) -> None:
        self.send_button.setEnabled(True)
        assert self.estimate is not None
        question = self.tr("Send \"%1\" to %2 friends? This cannot be undone.").replace("%1", name) \
            .replace("%2", f"{self.estimate.recipients:,}")
        if QMessageBox.question(self, "ShopLine", question) != QMessageBox.StandardButton.Yes:
            return
        self.start_send()

    def _name_refused(self, name: str, exc: BaseException) -> None:
        self.send_button.setEnabled(True)
        if not isinstance(exc, CampaignExists):
            self.status.setText(str(exc))
            return
        self.status.setText(self.tr("A campaign named \"%1\" already exists (see 配信履歴). "
                                    "Give this one another name.").replace("%1", name))
        self.name_edit.setFocus()
        self.name_edit.selectAll()
        self._fit_height()

    def ask_to_connect(self) -> None:
        """No channel: say so and offer the channel page, rather than a question that leads nowhere."""
        box = QMessageBox(QMessageBox.Icon.Information, "ShopLine",
                          self.tr("No LINE channel is connected, so nothing can be sent yet. "
                                  "Connect your LINE Official Account first, then send again."), parent=self)
        self.connect_box = box
        self.connect_button = box.addButton(self.tr("Open channel settings"), QMessageBox.ButtonRole.AcceptRole)
        box.addButton(QMessageBox.StandardButton.Cancel)
        box.buttonClicked.connect(self._connect_answered)
        box.open()

    def _connect_answered(self, button: object) -> None:
        if button is self.connect_button:
            self.connect_requested.emit()
            self.reject()

    def start_send(self, skip_unsendable: bool = False) -> None:
        token = token_or_none()
        if token is None:
            self.status.setText(self.tr("Connect a LINE channel first (Settings)."))
            return
        self.send_button.setEnabled(False)
        self.skip_button.hide()
        self.name_edit.setEnabled(False)
        self.pause_button.setEnabled(True)
        self.status.setText(self.tr("Sending…"))
        for bar in (self.batches, self.friends):
            bar.show()
        name, text = self.name, self.segment_text

        def work(ctx: OpContext) -> RunResult:
            prepared = service.prepare_send(name, self.tree, self.messages, token=token, text=text,
                                            skip_unsendable=skip_unsendable)
            return service.send(prepared.campaign, token, progress=lambda p: self._report(ctx, p),
                                cancelled=ctx.cancelled)

        self._op = Operation(self, work, success=self._finished, job=LINE_QUEUE, changes=SEND_CHANGES,
                             title=self.tr("Sending \"%1\"").replace("%1", name)) \
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
        self._fit_height()

    def _failed(self, exc: BaseException) -> None:
        self._op = None
        self.pause_button.setEnabled(False)
        self.name_edit.setEnabled(True)
        self.status.setText(str(exc))
        self.skip_button.setVisible(isinstance(exc, CannotPersonalise))
        self._fit_height()
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

        Operation(self, work, success=self._tested, job=LINE_QUEUE, changes=SEND_CHANGES) \
            .failure(lambda e: show_error(self, e)).run()

    def _tested(self, results: list) -> None:
        failed = [f"{r.user_id}: {r.message}" for r in results if not r.ok]
        self.status.setText(self.tr("Test sent to %1 of %2.").replace("%1", str(len(results) - len(failed)))
                            .replace("%2", str(len(results))) + "".join("\n" + f for f in failed))
        self._fit_height()

    def reject(self) -> None:
        """Closing while sending pauses the campaign rather than leaving it running unseen."""
        self.pause()
        super().reject()
