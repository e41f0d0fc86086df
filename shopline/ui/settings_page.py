"""The 設定 page: the window's language (kept in QSettings, used from the next start), the plan, the LINE channel."""

from __future__ import annotations

from PySide6.QtCore import QSettings
from PySide6.QtWidgets import QComboBox, QFormLayout, QLabel, QTabWidget, QVBoxLayout, QWidget

from shopline.ui.channel_page import ChannelPage
from shopline.ui.plan_box import PlanBox
from shopline.ui.preferences import LANGUAGE_KEY
from shopline.ui.relay import relay_tab
from shopline.ui.scenarios.auto_run import AutoRunSwitch

LANGUAGE_NAMES = {"ja": "日本語", "en": "English"}  # each in its own language, so either reader finds theirs


class SettingsPage(QWidget):
    def __init__(self, settings: QSettings, current_language: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._settings = settings
        self._current = current_language
        self.language = QComboBox(self)
        for code, name in LANGUAGE_NAMES.items():
            self.language.addItem(name, code)
        stored = settings.value(LANGUAGE_KEY, current_language)
        self.language.setCurrentIndex(max(0, self.language.findData(stored)))
        self.restart_note = QLabel(self.tr("The new language is used the next time ShopLine starts."), self)
        self.restart_note.setWordWrap(True)
        self.restart_note.setVisible(stored != current_language)
        general = QWidget(self)
        form = QFormLayout(general)
        form.addRow(self.tr("Language"), self.language)
        form.addRow("", self.restart_note)
        self.plan_box = PlanBox(general)
        form.addRow(self.plan_box)
        self.auto_run = AutoRunSwitch(general)
        form.addRow(self.auto_run)

        self.channel = ChannelPage(self)
        self.tabs = QTabWidget(self)
        self.tabs.addTab(general, self.tr("General"))
        self.tabs.addTab(self.channel, self.tr("Channel connection"))
        self.relay = relay_tab(self)
        self.tabs.addTab(self.relay, self.tr("Relay"))
        layout = QVBoxLayout(self)
        layout.addWidget(self.tabs)
        self.language.currentIndexChanged.connect(self._language_chosen)

    def _language_chosen(self) -> None:
        code = self.language.currentData()
        self._settings.setValue(LANGUAGE_KEY, code)
        self._settings.sync()
        self.restart_note.setVisible(code != self._current)

    def show_channel(self) -> None:
        self.tabs.setCurrentWidget(self.channel)
