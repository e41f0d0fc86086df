"""What a send costs, live while the shop chooses the segment: recipients, the month, the plan, the yen.

The figures are worked out off the UI thread (segment count, LINE's quota), a moment after the
last change, and an answer for a segment the shop has since left is dropped.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from PySide6.QtCore import QTimer, Signal
from PySide6.QtWidgets import QFormLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from shopline.core.estimate import COUNTING_NOTE, Estimate, Status, format_yen
from shopline.core.segments import Node
from shopline.ui.operations import Operation

DEBOUNCE_MS = 350
_BANNER = {
    Status.OK: "background: #e8f5e9; color: #1b5e20;",
    Status.WARN_80: "background: #fff8e1; color: #8d6e00;",
    Status.NEEDS_CHECK: "background: #e3f2fd; color: #0d47a1;",
    Status.BLOCKED: "background: #ffebee; color: #b71c1c; font-weight: bold;",
}
Resolve = Callable[[], Node]  # runs on the worker: looks the segment up, so it may touch the database


@dataclass(frozen=True)
class Answer:
    tree: Node
    estimate: Estimate
    problem: str  # why LINE's live figures could not be had, if they could not
    automations: int = 0  # what scheduled, recurring and scenario sends are expected to use for the rest of the month


def estimate_work(resolve: Resolve, fresh: bool) -> Answer:
    from shopline import secrets
    from shopline.delivery import usage

    tree = resolve()
    # Not connected, or no keyring: the remembered figures stand in.
    month = usage.current_usage(secrets.token_if_connected(), fresh=fresh)
    from shopline.automations.stats import expected_automation_use

    return Answer(tree, usage.estimate_for(tree, usage=month), month.problem, expected_automation_use())


class EstimatePanel(QWidget):
    estimated = Signal(object)  # an Answer, or None while there is none for the current segment

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.answer: Answer | None = None
        self._resolve: Resolve | None = None
        self._fresh = False
        self._generation = 0  # answers from an earlier request are dropped
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(DEBOUNCE_MS)
        self._timer.timeout.connect(self._start)
        self.values = {key: QLabel(self) for key in
                       ("recipients", "messages", "usage", "plan", "remaining", "cost", "automations")}
        form = QFormLayout()
        form.setRowWrapPolicy(QFormLayout.RowWrapPolicy.WrapLongRows)  # a narrow column: values under labels
        form.addRow(self.tr("Recipients"), self.values["recipients"])
        form.addRow(self.tr("Messages counted"), self.values["messages"])
        form.addRow(self.tr("Sent this month"), self.values["usage"])
        form.addRow(self.tr("Plan"), self.values["plan"])
        form.addRow(self.tr("Remaining after sending"), self.values["remaining"])
        form.addRow(self.tr("Extra cost"), self.values["cost"])
        form.addRow(self.tr("Automations still to send"), self.values["automations"])
        self.note = QLabel(str(COUNTING_NOTE), self)
        self.banner = QLabel(self)
        self.refresh_button = QPushButton(self.tr("Ask LINE again"), self)
        self.refresh_button.clicked.connect(lambda: self.request(self._resolve, fresh=True))
        for label in (self.note, self.banner, *self.values.values()):
            label.setWordWrap(True)
        self.note.setStyleSheet("color: #616161;")
        self.banner.setMargin(8)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(form)
        layout.addWidget(self.note)
        layout.addWidget(self.banner)
        layout.addWidget(self.refresh_button)
        layout.addStretch(1)
        self._show_text(self.tr("Choose who receives the message."))

    def request(self, resolve: Resolve | None, *, fresh: bool = False) -> None:
        """Estimate for a segment (None: nothing chosen); waits for the shop to stop typing first."""
        self._generation += 1
        self._resolve, self._fresh = resolve, fresh
        self._set_answer(None)
        if resolve is None:
            self._timer.stop()
            self._show_text(self.tr("Choose who receives the message."))
            return
        self._show_text(self.tr("Working out the estimate…"))
        self._timer.start()

    def refresh(self, *_changed: object) -> None:
        """Estimate the current segment again (friends tagged, a send, the plan or the month changed elsewhere)."""
        if self._resolve is not None:
            self.request(self._resolve)

    def _start(self) -> None:
        resolve, fresh, generation = self._resolve, self._fresh, self._generation
        if resolve is None:
            return
        Operation(self, lambda _ctx: estimate_work(resolve, fresh),
                  success=lambda answer: self._answered(generation, answer)
                  ).failure(lambda exc: self._failed(generation, exc)).run()

    def _answered(self, generation: int, answer: Answer) -> None:
        if generation == self._generation:
            self._show(answer)
            self._set_answer(answer)

    def _failed(self, generation: int, exc: BaseException) -> None:
        if generation == self._generation:
            self._show_text(str(exc), error=True)
            self._set_answer(None)

    def _set_answer(self, answer: Answer | None) -> None:
        self.answer = answer
        self.estimated.emit(answer)

    def _show_text(self, text: str, *, error: bool = False) -> None:
        for label in self.values.values():
            label.setText("—")
        self.banner.setText(text)
        self.banner.setStyleSheet(_BANNER[Status.BLOCKED] if error else "")

    def _show(self, answer: Answer) -> None:
        e = answer.estimate
        self.values["recipients"].setText(self.tr("{:,} friends").format(e.recipients))
        self.values["messages"].setText(self.tr("{:,} messages").format(e.messages_counted))
        self.values["usage"].setText(self._usage(e, answer.problem))
        self.values["plan"].setText(str(e.plan.name) if e.plan else self.tr("Unknown: choose it in Settings"))
        if e.limit_known and e.limit is None:
            remaining = self.tr("No limit set by LINE")
        elif e.remaining_after is None:  # the limit or the month's usage is unknown
            remaining = self.tr("Unknown (connect to LINE)")
        else:
            remaining = self.tr("{:,} messages").format(e.remaining_after)
        self.values["remaining"].setText(remaining)
        self.values["cost"].setText(self._cost(e))
        self.values["automations"].setText(self.tr("About {:,} messages this month").format(answer.automations))
        headline = {Status.OK: self.tr("This send fits this month's plan."),
                    Status.WARN_80: self.tr("Warning: this send takes the month past 80%."),
                    Status.NEEDS_CHECK: self.tr("Check before sending:"),
                    Status.BLOCKED: self.tr("Cannot send: the month's limit is too small.")}[e.status]
        lines = [headline, *(f"・{r}" for r in e.reasons)]
        if e.ways_out:
            lines += [self.tr("What you can do:"), *(f"・{w}" for w in e.ways_out)]
        self.banner.setText("\n".join(lines))
        self.banner.setStyleSheet(_BANNER[e.status])

    def _usage(self, e: Estimate, problem: str) -> str:
        if e.used is None:
            text = self.tr("Unknown (connect to LINE)")
        elif e.limit is None:
            text = self.tr("{:,} messages").format(e.used)
        else:
            text = self.tr("{used:,} of {limit:,} messages").format(used=e.used, limit=e.limit)
        if e.offline_asof is not None:
            text += "\n" + self.tr("Last known, as of {}").format(f"{e.offline_asof:%Y-%m-%d %H:%M}")
        if problem:
            text += "\n" + problem
        return text

    def _cost(self, e: Estimate) -> str:
        if not e.cost_known:
            return self.tr("Unknown")  # the banner below says what is missing
        if not e.charges:
            return format_yen(e.extra_cost_yen) if e.plan and e.plan.allows_extra else self.tr("None")
        lines = [self.tr("{total} (tax excluded)").format(total=format_yen(e.extra_cost_yen))]
        for c in e.charges:
            lines.append(self.tr("Extra messages {first:,}–{last:,}: {count:,} × {each} = {yen}{unconfirmed}").format(
                first=c.first, last=c.last, count=c.count, each=format_yen(c.yen_each), yen=format_yen(c.yen),
                unconfirmed="" if c.confirmed else self.tr(" (unconfirmed price)")))
        return "\n".join(lines)
