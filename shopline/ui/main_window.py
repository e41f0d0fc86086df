"""The window's shell: navigation on the left, one page per section, a status bar.

Pages own their widgets and their loading; the shell only switches between them,
relays "the data changed" and remembers geometry and splitters in QSettings.
"""

from __future__ import annotations

from PySide6.QtCore import QByteArray, QSettings, Qt
from PySide6.QtGui import QCloseEvent
from PySide6.QtWidgets import QLabel, QListWidget, QMainWindow, QSplitter, QStackedWidget, QWidget

from shopline.ui.friends_page import FriendsPage
from shopline.ui.tag_list import TagList


class MainWindow(QMainWindow):
    def __init__(self, settings: QSettings | None = None) -> None:
        super().__init__()
        self.settings = settings if settings is not None else QSettings()
        self.setWindowTitle("ShopLine")
        self.friends = FriendsPage(self)
        self.tags = TagList(self)
        sections = [
            (self.tr("Friends"), self.friends),
            (self.tr("Tags"), self.tags),
            (self.tr("Segments"), self._coming_soon()),
            (self.tr("Messages"), self._coming_soon()),
            (self.tr("Delivery history"), self._coming_soon()),
            (self.tr("Settings"), self._coming_soon()),
        ]
        self.nav = QListWidget(self)
        self.pages = QStackedWidget(self)
        for title, page in sections:
            self.nav.addItem(title)
            self.pages.addWidget(page)
        self.nav.setMinimumWidth(120)
        self.nav.setStyleSheet("QListWidget::item { padding: 8px 10px; }")  # a target a mouse cannot miss
        self.nav.currentRowChanged.connect(self.pages.setCurrentIndex)
        self.nav.setCurrentRow(0)

        self.splitter = QSplitter(Qt.Orientation.Horizontal, self)
        self.splitter.addWidget(self.nav)
        self.splitter.addWidget(self.pages)
        self.splitter.setStretchFactor(1, 1)
        self.splitter.setSizes([140, 1060])
        self.setCentralWidget(self.splitter)

        self.count_label = QLabel(self)
        self.statusBar().addPermanentWidget(self.count_label)
        self.friends.counts_changed.connect(self._show_counts)
        self.friends.data_changed.connect(self.tags.reload)
        self._restore()

    def start(self) -> None:
        """Load the data; called once the window is on screen, so the queries never delay it."""
        self.friends.reload()
        self.tags.reload()

    def _coming_soon(self) -> QWidget:
        label = QLabel(self.tr("This page comes in a later version."), self)
        label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        return label

    def _show_counts(self, listed: int, total: int) -> None:
        if listed == total:
            self.count_label.setText(self.tr("%Ln friend(s)", "", total))
        else:
            self.count_label.setText(self.tr("{listed:,} of {total:,} friends").format(listed=listed, total=total))

    def _restore(self) -> None:
        geometry = self.settings.value("window/geometry")
        if not (isinstance(geometry, QByteArray) and self.restoreGeometry(geometry)):
            self.resize(1200, 760)
        splitter = self.settings.value("window/splitter")
        if isinstance(splitter, QByteArray):
            self.splitter.restoreState(splitter)
        self.friends.restore_state(self.settings)

    def closeEvent(self, event: QCloseEvent) -> None:
        self.settings.setValue("window/geometry", self.saveGeometry())
        self.settings.setValue("window/splitter", self.splitter.saveState())
        self.friends.save_state(self.settings)
        self.settings.sync()
        super().closeEvent(event)
