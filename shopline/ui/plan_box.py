"""設定 → 全般 → プランと今月の送信数: the shop's plan, chosen or derived from LINE, and the month so far.

The estimate panel sends the shop here when the plan is unknown; the status bar shows the
same month (month_text), so a choice made here is seen everywhere at once.
"""

from __future__ import annotations

from decimal import Decimal
from typing import TYPE_CHECKING

from PySide6.QtCore import QCoreApplication, Signal
from PySide6.QtWidgets import QComboBox, QFormLayout, QGroupBox, QLabel, QPushButton, QWidget

from shopline.core.changes import Changes
from shopline.core.estimate import Estimate, format_yen
from shopline.core.plans import plans_for
from shopline.ui.operations import Operation, show_error

if TYPE_CHECKING:  # the LINE adapter loads with the settings page, not with the status bar
    from shopline.delivery.usage import Usage

_AUTO = ""  # the combo's data for "derive the plan from LINE's quota"


def month_work(fresh: bool = False, choose: str | None = None) -> tuple[Usage, Estimate]:
    """On a worker: record a plan choice if one is given, then the month as it stands (recipients 0)."""
    from shopline import secrets
    from shopline.delivery import usage

    if choose is not None:
        usage.choose_plan(choose or None)
    month = usage.current_usage(secrets.token_if_connected() if fresh else None, fresh=fresh)
    return month, usage.verdict_for(0, month)


def month_text(est: Estimate) -> str:
    """One line for the status bar: 今月 1,200 / 上限5,000通, 今月 1,200通送信（上限なし）, or unknown.

    The send dialog's longer sentences are core.estimate.month_sentence() and cost_sentence().
    """
    if est.used is None:
        return QCoreApplication.translate("PlanBox", "This month: unknown")
    if not est.limit_known:  # neither LINE nor a chosen plan has said: not the same as no limit
        return QCoreApplication.translate("PlanBox", "This month: %1 messages (limit unknown)") \
            .replace("%1", f"{est.used:,}")
    if est.limit is None:
        return QCoreApplication.translate("PlanBox", "This month: %1 messages (no limit)") \
            .replace("%1", f"{est.used:,}")
    return QCoreApplication.translate("PlanBox", "This month: %1 of %2 messages") \
        .replace("%1", f"{est.used:,}").replace("%2", f"{est.limit:,}")


class PlanBox(QGroupBox):
    month_changed = Signal(object)  # the month's Estimate (recipients 0), after a load, a choice or a check

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(self.tr("Plan and this month"), parent)
        self.plan = QComboBox(self)
        self.plan.addItem(self.tr("Automatic (from LINE's monthly limit)"), _AUTO)
        for p in plans_for():
            label = self.tr("%1 — %2 a month, %3 free messages").replace("%1", str(p.name)) \
                .replace("%2", format_yen(Decimal(p.monthly_fee))).replace("%3", f"{p.included:,}")
            self.plan.addItem(label, p.key)
        self.month = QLabel(self)
        self.month.setWordWrap(True)
        self.check_button = QPushButton(self.tr("Ask LINE now"), self)
        form = QFormLayout(self)
        form.addRow(self.tr("Plan"), self.plan)
        form.addRow(self.tr("Now"), self.month)
        form.addRow("", self.check_button)
        self._filling = False
        self.plan.currentIndexChanged.connect(self._chosen)
        self.check_button.clicked.connect(lambda: self._run(fresh=True))

    def refresh(self) -> None:
        self._run()

    def _chosen(self) -> None:
        if not self._filling:
            self._run(choose=self.plan.currentData())

    def _run(self, *, fresh: bool = False, choose: str | None = None) -> None:
        self.check_button.setEnabled(False)
        Operation(self, lambda _ctx: month_work(fresh, choose), success=self._show, writes=choose is not None,
                  changes=Changes(settings=True) if choose is not None else None) \
            .failure(self._failed).run()

    def _failed(self, exc: BaseException) -> None:
        self.check_button.setEnabled(True)
        show_error(self, exc)

    def _show(self, answer: tuple[Usage, Estimate]) -> None:
        month, est = answer
        chosen = month.plan
        self._filling = True
        self.plan.setCurrentIndex(max(0, self.plan.findData(chosen.key if chosen else _AUTO)))
        self._filling = False
        lines = [month_text(est)]
        if chosen is None:
            lines.append(self.tr("Plan from LINE: %1").replace("%1", str(est.plan.name)) if est.plan
                         else self.tr("LINE has not told the plan yet: connect the channel, or choose it above."))
        if est.offline_asof is not None:
            lines.append(self.tr("Last known, as of %1").replace("%1", f"{est.offline_asof:%Y-%m-%d %H:%M}"))
        if month.problem:
            lines.append(self.tr("Could not ask LINE: %1").replace("%1", month.problem))
        self.month.setText("\n".join(lines))
        self.check_button.setEnabled(True)
        self.month_changed.emit(est)
