"""目標とコンバージョン: one campaign's targets and what counts as its conversion, edited beside its figures.

What is shown (the tags there are, whether any purchase data exists, the campaign's saved choice) is read
off the UI thread when a campaign is chosen; 保存 writes through the same service as `shopline results
--goal-open …`, and the page reads its figures again on the change it announces.
"""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDoubleSpinBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSpinBox,
    QWidget,
)

from shopline.core.changes import Changes
from shopline.results.conversions import Settings
from shopline.ui.operations import OpContext, Operation, show_error


@dataclass(frozen=True)
class _Loaded:
    name: str
    tags: list[str]
    purchases: bool
    settings: Settings


def _load(name: str) -> _Loaded:
    from shopline.results import conversions
    from shopline.store.campaign_models import Campaign
    from shopline.store.models import Tag

    tags = [t for (t,) in Tag.select(Tag.name).order_by(Tag.folder, Tag.name).tuples()]
    campaign = Campaign.get(Campaign.name == name)
    return _Loaded(name, tags, conversions.has_purchases(), conversions.settings_for(campaign))


class GoalEditor(QGroupBox):
    saved = Signal(str)  # the campaign whose goals were written

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setTitle(self.tr("Goals and conversions"))
        self.campaign: str | None = None
        self.tag = QComboBox(self)
        self.tag.setMinimumContentsLength(6)
        self.tag.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        self.tag.setToolTip(self.tr("A recipient who gains this tag within the days below counts as a conversion"))
        self.days = self._days()
        self.purchase = QCheckBox(self.tr("A purchase within"), self)
        self.purchase_days = self._days()
        self.purchase.toggled.connect(self.purchase_days.setEnabled)
        self.purchase_days.setEnabled(False)
        self.goals = {key: self._percent() for key in ("open_rate", "click_rate", "conversion_rate")}
        self.save_button = QPushButton(self.tr("Save"), self)
        self.save_button.clicked.connect(self.save)
        self.status = QLabel(self)
        self.status.setWordWrap(True)

        self.purchase_row = QWidget(self)
        buy = QHBoxLayout(self.purchase_row)
        buy.setContentsMargins(0, 0, 0, 0)
        buy.addWidget(self.purchase)
        buy.addWidget(self.purchase_days)
        buy.addStretch(1)
        form = QFormLayout(self)
        form.setVerticalSpacing(2)
        # Narrow rows: the editor sits between the figures and the chart on a 1024-pixel-wide window.
        form.addRow(self.tr("Tag gained"), self.tag)
        form.addRow(self.tr("within"), self.days)
        form.addRow(self.purchase_row)
        form.addRow(self.tr("Open target"), self.goals["open_rate"])
        form.addRow(self.tr("Click target"), self.goals["click_rate"])
        form.addRow(self.tr("Conversion target"), self.goals["conversion_rate"])
        form.addRow(self.status, self.save_button)
        self.purchase_row.hide()  # until purchase data exists
        self.setEnabled(False)

    def _days(self) -> QSpinBox:
        box = QSpinBox(self)
        box.setRange(1, 365)
        box.setValue(7)
        box.setSuffix(self.tr(" days"))
        return box

    def _percent(self) -> QDoubleSpinBox:
        box = QDoubleSpinBox(self)
        box.setRange(0, 100)
        box.setDecimals(1)
        box.setSuffix(" %")
        box.setSpecialValueText(self.tr("No target"))  # 0 %: a target nobody can miss is no target
        return box

    def show_campaign(self, name: str | None) -> None:
        if name != self.campaign:
            self.status.setText("")
        self.campaign = name
        if name is None:
            self.setEnabled(False)
            return

        def work(_ctx: OpContext) -> _Loaded:
            return _load(name)

        Operation(self, work, success=self._loaded).failure(lambda e: self.status.setText(str(e))).run()

    def _loaded(self, loaded: _Loaded) -> None:
        if loaded.name != self.campaign:
            return  # another campaign was chosen meanwhile
        s = loaded.settings
        self.tag.clear()
        self.tag.addItem(self.tr("(no tag)"), None)
        for name in loaded.tags:
            self.tag.addItem(name, name)
        if s.tag is not None and self.tag.findData(s.tag) < 0:
            self.tag.addItem(s.tag, s.tag)  # chosen before the tag existed: kept, not silently dropped
        self.tag.setCurrentIndex(max(self.tag.findData(s.tag), 0))
        self.days.setValue(s.days)
        # Offered once purchase data exists, or kept visible when chosen before it was removed.
        self.purchase_row.setVisible(loaded.purchases or s.purchase_days is not None)
        self.purchase.setChecked(s.purchase_days is not None)
        self.purchase_days.setValue(s.purchase_days or 7)
        for key, box in self.goals.items():
            target = getattr(s.goal, key)
            box.setValue(0 if target is None else target * 100)
        self.setEnabled(True)

    def save(self) -> None:
        name = self.campaign
        if name is None:
            return
        values: dict[str, object] = {key: (box.value() / 100 or None) for key, box in self.goals.items()}
        values.update(tag=self.tag.currentData(), days=self.days.value(),
                      purchase_days=self.purchase_days.value() if self.purchase.isChecked() else None)
        self.save_button.setEnabled(False)

        def work(_ctx: OpContext) -> Changes:
            from shopline.results.conversions import set_goal
            from shopline.store.campaign_models import Campaign

            return set_goal(Campaign.get(Campaign.name == name), **values)

        Operation(self, work, success=lambda _c: self._saved(name), writes=True, changes=Changes(insights=True)) \
            .failure(self._failed).run()

    def _saved(self, name: str) -> None:
        self.save_button.setEnabled(True)
        self.status.setText(self.tr("Saved"))
        self.saved.emit(name)

    def _failed(self, exc: BaseException) -> None:
        self.save_button.setEnabled(True)
        show_error(self, exc)
