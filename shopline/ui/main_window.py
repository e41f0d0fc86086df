"""The window's shell: navigation on the left, one page per section, a status bar.

Pages own their widgets and their loading; the shell only switches between them,
relays "the data changed" and remembers geometry and splitters in QSettings.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import QByteArray, QEvent, QSettings, Qt
from PySide6.QtGui import QCloseEvent, QKeySequence, QUndoStack
from PySide6.QtWidgets import QLabel, QListWidget, QMainWindow, QSplitter, QStackedWidget, QWidget

from shopline.core import messages
from shopline.core.changes import EVERYTHING, Changes
from shopline.ui.app_actions import AppActions
from shopline.ui.change_bus import Follow, announce
from shopline.ui.db_watch import DatabaseWatcher
from shopline.ui.index_warmer import IndexWarmer
from shopline.ui.operations import Operation
from shopline.ui.purchases import purchases_page
from shopline.ui.relay import start_inbox_timer
from shopline.ui.scenarios import scenarios_page, start_due_timer

if TYPE_CHECKING:
    from shopline.core.estimate import Estimate
    from shopline.ui.friends_page import FriendsPage
    from shopline.ui.tags_page import TagsPage


class MainWindow(QMainWindow):
    def __init__(self, settings: QSettings | None = None) -> None:
        super().__init__()
        self.settings = settings if settings is not None else QSettings()
        self.setWindowTitle("ShopLine")
        # One undo history for the window: tagging from any page, friend edits, tag moves (Ctrl+Z / Ctrl+Shift+Z).
        self.undo_stack = QUndoStack(self)
        self.watcher = DatabaseWatcher(self)  # the `shopline` command writing while the window is open
        # Another process's commit could be anything: every page showing data follows.
        self.watcher.changed.connect(lambda: announce(EVERYTHING, self.watcher))
        # Every page is built the first time it is needed: the friends and tags pages by start(),
        # once the window is on screen, the others when first opened. Importing and building them
        # before show() kept the first window waiting on widgets nobody could see yet.
        sections: list[tuple[str, Callable[[], QWidget]]] = [
            (self.tr("Friends"), self._make_friends),
            (self.tr("Tags"), self._make_tags),
            (self.tr("Segments"), self._make_segments),
            (self.tr("Messages"), self._make_messages),
            (self.tr("Results"), self._make_history),
            (self.tr("Settings"), self._make_settings),
            (self.tr("Scenarios"), lambda: scenarios_page(self)),
            (self.tr("Purchases"), lambda: purchases_page(self)),
        ]
        self.nav = QListWidget(self)
        self.pages = QStackedWidget(self)
        self._lazy: dict[int, Callable[[], QWidget]] = {}
        for row, (title, factory) in enumerate(sections):
            self.nav.addItem(title)
            self._lazy[row] = factory
            self.pages.addWidget(QWidget(self))
        self.nav.setMinimumWidth(120)
        self.nav.setStyleSheet("QListWidget::item { padding: 8px 10px; }")  # a target a mouse cannot miss
        self.nav.setCurrentRow(0)  # before the signal is connected: start() opens it
        self.nav.currentRowChanged.connect(self._open_row)

        self.splitter = QSplitter(Qt.Orientation.Horizontal, self)
        self.splitter.addWidget(self.nav)
        self.splitter.addWidget(self.pages)
        self.splitter.setStretchFactor(1, 1)
        self.splitter.setSizes([140, 1060])
        self.setCentralWidget(self.splitter)

        for action, keys in ((self.undo_stack.createUndoAction(self, self.tr("Undo")), QKeySequence.StandardKey.Undo),
                             (self.undo_stack.createRedoAction(self, self.tr("Redo")), QKeySequence.StandardKey.Redo)):
            action.setShortcut(keys)
            self.addAction(action)  # window-wide; a focused text box still takes Ctrl+Z for its own typing
        self.app_actions = AppActions(self)  # ファイル and ヘルプ: import, export, remove the demo, from any page
        self.app_actions.demo_removed.connect(self.undo_stack.clear)  # undoing edits of deleted friends cannot work
        for action in (self.app_actions.import_action, self.app_actions.export_action):
            action.setEnabled(False)  # until start(): they need the store
        self.demo_label = QLabel(self.tr("Demo data"), self)
        self.demo_label.setToolTip(self.tr("These friends are made up by the demo shop, not your customers."))
        self.demo_label.setStyleSheet("QLabel { background: #ff9800; color: black; padding: 1px 8px; "
                                      "border-radius: 3px; }")
        self.demo_label.hide()
        self.usage_label = QLabel(self)  # this month's message usage: remembered at start, then each estimate
        self._month_shown: tuple[object, ...] = ()
        self._month_ready = False  # start() has run: the plan and estimate code may load
        self.count_label = QLabel(self)
        self.statusBar().addWidget(self.demo_label)
        self.statusBar().addPermanentWidget(self.usage_label)
        self.statusBar().addPermanentWidget(self.count_label)
        self._restore()
        # The status bar's own followers: the demo badge (friends, settings) and the month (sends, the plan).
        self.follow = Follow(self, Changes(friends=True, settings=True, campaigns=True), self._data_changed)
        self.index_warmer = IndexWarmer(self)  # the count engine's index, loaded while nobody waits for it (start())

    def start(self) -> None:
        """Build the first page and load the data; called once the window is on screen."""
        self._open_row(self.nav.currentRow())
        self.friends.reload()
        self.tags.reload()
        self._check_demo()
        self.watcher.start()
        for action in (self.app_actions.import_action, self.app_actions.export_action):
            action.setEnabled(True)
        self._month_ready = True
        self.reread_month()
        self.due_timer = start_due_timer(self)  # due automations every minute while the window is open
        self.inbox_timer = start_inbox_timer(self)  # the relay's events every minute, when one is connected
        self.index_warmer.start()

    def page_at(self, row: int) -> QWidget:
        """The page of a navigation row, built now if it has not been opened yet."""
        factory = self._lazy.pop(row, None)
        if factory is not None:
            placeholder = self.pages.widget(row)
            self.pages.insertWidget(row, factory())
            self.pages.removeWidget(placeholder)
            placeholder.deleteLater()
        return self.pages.widget(row)

    @property
    def friends(self) -> FriendsPage:
        return self.page_at(0)  # type: ignore[return-value]

    @property
    def tags(self) -> TagsPage:
        return self.page_at(1)  # type: ignore[return-value]

    @property
    def segments(self) -> QWidget:
        return self.page_at(2)

    @property
    def settings_page(self) -> QWidget:
        return self.page_at(5)

    def _open_row(self, row: int) -> None:
        self.page_at(row)
        self.pages.setCurrentIndex(row)

    def _make_friends(self) -> QWidget:
        from shopline.ui.friends_page import FriendsPage

        page = FriendsPage(self.undo_stack, self)
        page.restore_state(self.settings)
        page.connect_requested.connect(self.show_channel_settings)
        page.counts_changed.connect(self._show_counts)
        return page

    def _make_tags(self) -> QWidget:
        from shopline.ui.tags_page import TagsPage

        return TagsPage(self.undo_stack, self)

    def _make_segments(self) -> QWidget:
        from shopline.ui.segment_builder.page import SegmentBuilderPage

        page = SegmentBuilderPage(self)
        page.show_friends.connect(self._show_segment)
        return page

    def _make_messages(self) -> QWidget:
        from shopline.ui.composer.page import MessagesPage

        page = MessagesPage(self)
        page.estimate.estimated.connect(lambda answer: answer and self._month_changed(answer.estimate, refresh=False))
        return page

    def _make_settings(self) -> QWidget:
        from shopline.ui.settings_page import SettingsPage  # and with it the LINE adapter

        page = SettingsPage(self.settings, messages.language(), self)
        # Connecting a channel brings real friends in: a demo shop asks first, as an import does.
        page.channel.connect_button.clicked.disconnect(page.channel.connect_channel)
        page.channel.connect_button.clicked.connect(
            lambda: self.app_actions.into_real_data(page.channel.connect_channel))
        page.channel.refresh()
        page.plan_box.month_changed.connect(self._month_changed)
        page.plan_box.refresh()
        return page

    def _make_history(self) -> QWidget:
        from shopline.ui.results import ResultsPage  # 配信履歴 grew into 効果測定: the history is one of its tabs

        return ResultsPage(self)

    def _data_changed(self, changes: Changes, _initiator: object | None) -> None:
        if not self._month_ready:  # before start(): it reads all of this itself
            return
        if changes.touches(Changes(friends=True, settings=True)):
            self._check_demo()
        if changes.touches(Changes(campaigns=True, settings=True)):
            self.reread_month()

    def _check_demo(self) -> None:
        from shopline.store import friends as friend_store

        def show(demo: bool) -> None:
            self.demo_label.setVisible(demo)
            self.app_actions.set_demo(demo)

        Operation(self, lambda _ctx: friend_store.is_demo_shop(), success=show).run()

    def show_results(self, names: list[str]) -> None:
        """効果測定 with only these campaigns (a scenario step's, from シナリオ)."""
        self.nav.setCurrentRow(4)
        self.page_at(4).show_campaigns(names)  # type: ignore[attr-defined]

    def show_channel_settings(self) -> None:
        self.nav.setCurrentRow(self.pages.indexOf(self.settings_page))
        self.settings_page.show_channel()

    def show_usage(self, text: str) -> None:
        """The month's message usage in the status bar (e.g. "今月 1,200 / 5,000通")."""
        self.usage_label.setText(text)

    def reread_month(self) -> None:
        """Read this month's usage again (after a send, or back from a terminal where `shopline send` ran)."""
        if 5 not in self._lazy:  # 設定 is built: its month reads again too, and its answer comes here
            self.settings_page.plan_box.refresh()  # type: ignore[attr-defined]
            return
        from shopline.ui import plan_box

        Operation(self, lambda _ctx: plan_box.month_work(), success=lambda answer: self._month_changed(answer[1])).run()

    def _month_changed(self, estimate: Estimate, *, refresh: bool = True) -> None:
        from shopline.ui.plan_box import month_text

        key = (estimate.used, estimate.limit, estimate.limit_known, estimate.plan.key if estimate.plan else None)
        changed, self._month_shown = key != self._month_shown, key
        self.show_usage(month_text(estimate))
        # The composer is open and the plan or the month moved: its estimate follows. An unchanged month
        # (the window merely got the focus back) does not count the segment again.
        if refresh and changed and 3 not in self._lazy:
            self.page_at(3).estimate.refresh()  # type: ignore[attr-defined]

    def changeEvent(self, event: QEvent) -> None:
        super().changeEvent(event)
        # Back in the window: a send from the CLI, or from a dialog now closed, may have changed the month.
        if event.type() == QEvent.Type.ActivationChange and self.isActiveWindow() and self._month_ready:
            self.reread_month()

    def _show_segment(self, tree: object, title: str) -> None:
        self.friends.show_segment(tree, title)
        self.nav.setCurrentRow(self.pages.indexOf(self.friends))

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

    def closeEvent(self, event: QCloseEvent) -> None:
        self.watcher.stop()
        self.index_warmer.stop()
        self.settings.setValue("window/geometry", self.saveGeometry())
        self.settings.setValue("window/splitter", self.splitter.saveState())
        if 0 not in self._lazy:
            self.friends.save_state(self.settings)
        self.settings.sync()
        super().closeEvent(event)
