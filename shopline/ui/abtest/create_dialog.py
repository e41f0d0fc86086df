"""The composer's A/B test: this message against templates, split at random, shown before anything is sent.

The groups' sizes, the seed and the difference they can detect are worked out off the UI thread as the
shop changes the share or the metric. 「テストを作成」 checks the messages and freezes the groups (on the
LINE queue: it asks LINE to validate the messages and the month's quota); 「各パターンを送る」 sends them.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDoubleSpinBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QProgressBar,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from shopline.core import absplit
from shopline.core.changes import Changes
from shopline.core.segments import Node
from shopline.ui.delivery.common import token_or_none
from shopline.ui.operations import LINE_QUEUE, Latest, OpContext, Operation

NO_VARIANT = ""


def _templates(_ctx: OpContext) -> list[str]:
    from shopline.store.templates import list_templates

    return [t.name for t in list_templates()]


class ABTestDialog(QDialog):
    def __init__(self, parent: QWidget | None, name: str, tree: Node, messages: list[dict[str, Any]],
                 segment_text: str = "") -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("A/B test"))
        self.tree, self.messages, self.segment_text = tree, messages, segment_text
        self.seed = absplit.new_seed()
        self.created: str | None = None  # the test's name once created
        self.result: Any = None  # the send's result once it answered
        self._latest = Latest()
        self._op: Operation | None = None
        self.name_edit = QLineEdit(name, self)
        self.variant_a = QLabel(self.tr("A: this message"), self)
        self.variant_combos = [QComboBox(self) for _ in range(absplit.MAX_VARIANTS - 1)]
        self.hold_back = QCheckBox(self.tr("Test on part of the segment and keep the rest for the winner"), self)
        self.hold_back.setChecked(True)
        self.share = QSpinBox(self)
        self.share.setRange(1, 99)
        self.share.setValue(20)
        self.share.setSuffix("%")
        self.metric = QComboBox(self)
        for label, key in ((self.tr("Click rate"), "click"), (self.tr("Open rate"), "open"),
                           (self.tr("Conversion rate (a tag within N days)"), "conversion")):
            self.metric.addItem(label, key)
        self.tag = QLineEdit(self)
        self.tag.setPlaceholderText(self.tr("Tag that counts as a conversion, e.g. 購入済み"))
        self.days = QSpinBox(self)
        self.days.setRange(1, 365)
        self.days.setValue(7)
        self.usual = QDoubleSpinBox(self)
        self.usual.setRange(0.1, 99.9)
        self.usual.setDecimals(1)
        self.usual.setSuffix("%")
        self.usual.setValue(3.0)
        self.groups = QLabel(self)
        self.groups.setWordWrap(True)
        self.detectable = QLabel(self)
        self.detectable.setWordWrap(True)
        self.status = QLabel(self)
        self.status.setWordWrap(True)
        self.progress = QProgressBar(self)
        self.progress.hide()
        self.create_button = QPushButton(self.tr("Create test"), self)
        self.send_button = QPushButton(self.tr("Send the variants"), self)
        self.send_button.setEnabled(False)
        self.close_button = QPushButton(self.tr("Close"), self)
        self._build()
        self.create_button.clicked.connect(self.create_test)
        self.send_button.clicked.connect(self.send_variants)
        self.close_button.clicked.connect(self.reject)
        for signal in (self.share.valueChanged, self.usual.valueChanged, self.hold_back.toggled):
            signal.connect(self.update_preview)
        for combo in self.variant_combos:
            combo.currentIndexChanged.connect(self.update_preview)
        self.metric.currentIndexChanged.connect(self._metric_changed)
        Operation(self, _templates, success=self._templates_loaded).run()
        self._metric_changed()

    def _build(self) -> None:
        form = QFormLayout()
        form.addRow(self.tr("Test name"), self.name_edit)
        form.addRow(self.tr("Variants"), self.variant_a)
        for index, combo in enumerate(self.variant_combos):
            form.addRow(f"{absplit.variant_key(index + 1)}:", combo)
        share_row = QHBoxLayout()
        share_row.addWidget(self.hold_back, 1)
        share_row.addWidget(self.share)
        form.addRow(self.tr("Who is tested"), share_row)
        form.addRow(self.tr("Compare"), self.metric)
        conversion = QHBoxLayout()
        conversion.addWidget(self.tag, 1)
        conversion.addWidget(self.days)
        form.addRow(self.tr("Conversion"), conversion)
        form.addRow(self.tr("Usual rate"), self.usual)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        for button in (self.create_button, self.send_button, self.close_button):
            buttons.addWidget(button)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.groups)
        layout.addWidget(self.detectable)
        layout.addWidget(self.status)
        layout.addWidget(self.progress)
        layout.addLayout(buttons)

    def _templates_loaded(self, names: list[str]) -> None:
        for index, combo in enumerate(self.variant_combos):
            combo.clear()
            if index > 0 or not names:
                combo.addItem(self.tr("(none)"), NO_VARIANT)
            for name in names:
                combo.addItem(self.tr("Template: %1").replace("%1", name), name)
        if not names:
            self.status.setText(self.tr("Save the other variants as templates first (Templates, on the left of "
                                        "the Messages page)."))
        self.update_preview()

    def chosen_templates(self) -> list[str]:
        return [combo.currentData() for combo in self.variant_combos if combo.currentData()]

    def test_share(self) -> int:
        return self.share.value() if self.hold_back.isChecked() else 100

    def metric_key(self) -> str:
        return str(self.metric.currentData())

    def _metric_changed(self) -> None:
        conversion = self.metric_key() == "conversion"
        self.tag.setEnabled(conversion)
        self.days.setEnabled(conversion)
        metric = self.metric_key()

        def work(_ctx: OpContext) -> float | None:
            from shopline.abtests.usual import usual_rate

            return usual_rate(metric)

        Operation(self, work, success=self._usual_loaded).run()

    def _usual_loaded(self, rate: float | None) -> None:
        if rate is not None and 0 < rate < 1:
            self.usual.setValue(round(rate * 100, 1))  # the preview follows through valueChanged
        self.update_preview()

    def update_preview(self) -> None:
        self.share.setEnabled(self.hold_back.isChecked())
        count = 1 + len(self.chosen_templates())
        self.create_button.setEnabled(count >= absplit.MIN_VARIANTS and self.created is None)
        if count < absplit.MIN_VARIANTS:
            self.groups.setText(self.tr("Choose at least one template to test against this message."))
            self.detectable.clear()
            return
        tree, share, metric, seed, usual = self.tree, self.test_share(), self.metric_key(), self.seed, \
            self.usual.value() / 100

        def work(_ctx: OpContext) -> Any:
            from shopline.abtests.create import preview

            return preview(tree, count, share=share, metric=metric, seed=seed, usual=usual)

        Operation(self, work, success=self._latest(self._show_preview)).run()

    def _show_preview(self, plan: Any) -> None:
        self.groups.setText(str(plan.groups_text()))
        self.detectable.setText(str(plan.detectable) if plan.detectable is not None else "")

    def create_test(self) -> None:
        token = token_or_none()
        if token is None:
            self.status.setText(self.tr("Connect a LINE channel first (Settings)."))
            return
        from shopline.abtests.create import VariantSpec

        variants: list[Any] = [VariantSpec(self.tr("This message"), self.messages)]
        names = self.chosen_templates()
        name, share, metric, seed = self.name_edit.text(), self.test_share(), self.metric_key(), self.seed
        usual, tag, days, text = self.usual.value() / 100, self.tag.text() or None, self.days.value(), \
            self.segment_text or None

        def work(_ctx: OpContext) -> Any:
            from shopline.abtests.create import create_test
            from shopline.store.templates import get_template

            specs = variants + [VariantSpec(n, get_template(n).draft) for n in names]
            return create_test(name, self.tree, specs, text=text, share=share, metric=metric, seed=seed,
                               token=token, usual=usual, conversion_tag=tag, conversion_days=days)

        self.create_button.setEnabled(False)
        self.status.setText(self.tr("Checking the messages and freezing the groups…"))
        Operation(self, work, success=self._created, job=LINE_QUEUE, changes=Changes(campaigns=True),
                  title=self.tr("A/B test")).failure(self._create_failed).run()

    def _created(self, created: Any) -> None:
        self.created = created.test.name
        self.name_edit.setEnabled(False)
        self.groups.setText(str(created.preview.groups_text()))
        self.status.setText(self.tr("Created. Nothing has been sent yet: press Send the variants when ready."))
        self.send_button.setEnabled(True)

    def _create_failed(self, exc: BaseException) -> None:
        self.status.setText(str(exc))
        self.update_preview()

    def send_variants(self) -> None:
        token, name = token_or_none(), self.created
        if token is None or name is None:
            return

        def work(ctx: OpContext) -> Any:
            from shopline.abtests.send import send_variants

            return send_variants(name, token, cancelled=ctx.cancelled,
                                 progress=lambda _key, p: ctx.progress(p.friends_done, p.friends_total))

        self.send_button.setEnabled(False)
        self.progress.setValue(0)
        self.progress.show()
        self._op = Operation(self, work, success=self._sent, job=LINE_QUEUE, changes=Changes(campaigns=True),
                             title=self.tr("A/B test")).failure(self._send_failed).with_progress(self._progress)
        self._op.run()

    def _progress(self, done: int, total: int) -> None:
        self.progress.setMaximum(max(total, 1))
        self.progress.setValue(done)

    def _sent(self, result: Any) -> None:
        self.result = result
        self.progress.hide()
        text = self.tr("Sent: %1 / not sent: %2 / pending: %3").replace("%1", f"{result.delivered:,}") \
            .replace("%2", f"{result.failed:,}").replace("%3", f"{result.pending:,}")
        if result.message is not None:
            text += "\n" + str(result.message)
        if result.pending:
            self.send_button.setEnabled(True)  # pressing again continues with the same retry keys
        self.status.setText(text + "\n" + self.tr("Results are on the Results page, A/B tests tab."))

    def _send_failed(self, exc: BaseException) -> None:
        self.progress.hide()
        self.send_button.setEnabled(True)
        self.status.setText(str(exc))

    def reject(self) -> None:
        if self._op is not None:
            self._op.cancel()  # a send stops between batches; the rest stays pending for the results page
        super().reject()
