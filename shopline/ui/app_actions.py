"""The window's menus: what the shop can do from any page (import, export, remove the demo, about).

Once a shop has friends the welcome page is gone, so importing, exporting and taking the demo
out live here, always reachable. The demo is never mixed into real data silently: bringing real
friends into a demo shop (a CSV, a LINE channel) asks first whether to remove the demo.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QDialog, QFileDialog, QMainWindow, QMessageBox

from shopline import APP_NAME
from shopline.core.changes import Changes
from shopline.ui.operations import Operation

if TYPE_CHECKING:
    from shopline.csvio.exporter import ExportReport
    from shopline.demo import DemoData

STATUS_MS = 10_000  # how long a "done" line stays in the status bar


# The demo shop's friends, tags, fields, purchases, sample scenario and its mark in the settings.
DEMO_CHANGES = Changes(friends=True, tags=True, fields=True, settings=True, purchases=True, automations=True)


class AppActions(QObject):
    """The ファイル and ヘルプ menus of a main window, and the work behind them."""

    demo_removed = Signal()

    def __init__(self, window: QMainWindow) -> None:
        super().__init__(window)
        self._window = window
        self.import_dialog: QDialog | None = None
        self.question: QMessageBox | None = None  # the open question, for tests to answer with a click
        self.export_report: ExportReport | None = None

        self.import_action = QAction(self.tr("Import CSV…"), window)
        self.import_action.setShortcut(QKeySequence.StandardKey.Open)
        self.import_action.setStatusTip(self.tr("Add or update friends from a CSV file"))
        self.export_action = QAction(self.tr("Export CSV…"), window)
        self.export_action.setShortcut(QKeySequence(Qt.Modifier.CTRL | Qt.Key.Key_E))
        self.export_action.setStatusTip(self.tr("Write all friends, their tags and fields to a CSV file"))
        self.remove_demo_action = QAction(self.tr("Remove demo data…"), window)
        self.remove_demo_action.setStatusTip(self.tr("Delete the demo shop's made-up friends, tags and fields"))
        self.remove_demo_action.setEnabled(False)  # until the window knows this is a demo shop
        self.quit_action = QAction(self.tr("Quit"), window)
        self.quit_action.setShortcut(QKeySequence.StandardKey.Quit)
        self.about_action = QAction(self.tr("About ShopLine"), window)

        self.file_menu = window.menuBar().addMenu(self.tr("&File"))
        for action in (self.import_action, self.export_action):
            self.file_menu.addAction(action)
        self.file_menu.addSeparator()
        self.file_menu.addAction(self.remove_demo_action)
        self.file_menu.addSeparator()
        self.file_menu.addAction(self.quit_action)
        self.help_menu = window.menuBar().addMenu(self.tr("&Help"))
        self.help_menu.addAction(self.about_action)

        self.import_action.triggered.connect(lambda: self.import_csv())
        self.export_action.triggered.connect(self.export_csv)
        self.remove_demo_action.triggered.connect(self.remove_demo)
        self.quit_action.triggered.connect(window.close)
        self.about_action.triggered.connect(self.about)

    def set_demo(self, demo: bool) -> None:
        self.remove_demo_action.setEnabled(demo)

    def _status(self, text: str) -> None:
        self._window.statusBar().showMessage(text, STATUS_MS)

    # --- real data into a demo shop -------------------------------------------------------

    def into_real_data(self, go: Callable[[], None]) -> None:
        """Run `go` (an import, connecting a channel) once the shop has said what happens to a demo shop."""
        from shopline.store.friends import is_demo_shop

        Operation(self._window, lambda _ctx: is_demo_shop(),
                  success=lambda demo: self._ask_about_demo(go) if demo else go()).run()

    def _ask_about_demo(self, go: Callable[[], None]) -> None:
        box = QMessageBox(QMessageBox.Icon.Question, APP_NAME, self.tr(
            "The demo data is in this shop now. Remove the demo before bringing in your friends?"),
            QMessageBox.StandardButton.NoButton, self._window)
        box.setInformativeText(self.tr("If you keep it, the made-up friends stay mixed with your real ones."))
        remove = box.addButton(self.tr("Remove demo, then import"), QMessageBox.ButtonRole.AcceptRole)
        keep = box.addButton(self.tr("Import as it is"), QMessageBox.ButtonRole.DestructiveRole)
        cancel = box.addButton(QMessageBox.StandardButton.Cancel)
        box.setDefaultButton(remove)
        box.setEscapeButton(cancel)
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)

        def answered(_result: int) -> None:
            clicked = box.clickedButton()
            self.question = None
            if clicked is remove:
                self._remove_demo_now(then=go)
            elif clicked is keep:
                go()

        box.finished.connect(answered)
        self.question = box
        box.open()

    # --- import ---------------------------------------------------------------------------

    def import_csv(self, path: Path | None = None) -> None:
        self.into_real_data(lambda: self._open_import(path))

    def _open_import(self, path: Path | None) -> None:
        from shopline.ui.import_dialog import open_import_dialog  # csvio is not needed until the shop asks for it

        self.import_dialog = open_import_dialog(self._window, path)

    # --- export ---------------------------------------------------------------------------

    def export_csv(self) -> None:
        from shopline.store.connection import data_folder

        folder = data_folder() / "exports"
        folder.mkdir(parents=True, exist_ok=True)
        utf8 = self.tr("CSV, UTF-8 (Excel opens it; keeps every character) (*.csv)")
        sjis = self.tr("CSV, Shift_JIS (for older software) (*.csv)")
        start = folder / f"{self.tr('friends')}_{dt.date.today():%Y%m%d}.csv"
        chosen, kind = QFileDialog.getSaveFileName(self._window, self.tr("Export CSV"), str(start),
                                                   f"{utf8};;{sjis}", utf8)
        if not chosen:
            return
        path = Path(chosen) if Path(chosen).suffix else Path(chosen).with_suffix(".csv")
        encoding = "cp932" if kind == sjis else "utf-8-sig"
        self.export_action.setEnabled(False)
        self._status(self.tr("Exporting friends to {name}…").format(name=path.name))

        def work(_ctx: Any) -> ExportReport:
            from shopline.csvio.exporter import export_csv

            return export_csv(path, encoding=encoding)

        Operation(self._window, work, success=self._exported).failure(self._export_failed).run()

    def _exported(self, report: ExportReport) -> None:
        self.export_report = report
        self.export_action.setEnabled(True)
        self._status(self.tr("Exported %n friend(s) to {path}", "", report.rows).format(path=report.path))

    def _export_failed(self, exc: BaseException) -> None:
        from shopline.ui.operations import show_error

        self.export_action.setEnabled(True)
        self._window.statusBar().clearMessage()
        show_error(self._window, exc)

    # --- the demo -------------------------------------------------------------------------

    def remove_demo(self) -> None:
        from shopline.demo import demo_data

        Operation(self._window, lambda _ctx: demo_data(), success=self._confirm_removal).run()

    def _confirm_removal(self, found: DemoData) -> None:
        if found.empty:
            self.set_demo(False)
            self._status(self.tr("There is no demo data in this shop."))
            return
        text = self.tr("Remove the demo shop? %n made-up friend(s) are deleted, with the demo's tags and fields "
                       "({tags} tags, {fields} fields), its {purchases} purchase lines and its paused sample "
                       "scenario ({scenarios}). Friends, tags, fields, purchases and scenarios you added yourself "
                       "stay.", "", found.friends).format(tags=len(found.tags), fields=len(found.fields),
                                                          purchases=f"{found.purchases:,}", scenarios=found.scenarios)
        box = QMessageBox(QMessageBox.Icon.Question, self.tr("Remove demo data"), text,
                          QMessageBox.StandardButton.NoButton, self._window)
        remove = box.addButton(self.tr("Remove demo data"), QMessageBox.ButtonRole.DestructiveRole)
        cancel = box.addButton(QMessageBox.StandardButton.Cancel)
        box.setDefaultButton(cancel)
        box.setEscapeButton(cancel)
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)

        def answered(_result: int) -> None:
            self.question = None
            if box.clickedButton() is remove:
                self._remove_demo_now()

        box.finished.connect(answered)
        self.question = box
        box.open()

    def _remove_demo_now(self, then: Callable[[], None] | None = None) -> None:
        from shopline.demo import remove_demo

        def removed(gone: DemoData) -> None:
            self.set_demo(False)
            self._status(self.tr("Removed the demo: %n made-up friend(s).", "", gone.friends))
            self.demo_removed.emit()
            if then is not None:
                then()

        Operation(self._window, lambda _ctx: remove_demo(), success=removed, writes=True, changes=DEMO_CHANGES).run()

    # --- help -----------------------------------------------------------------------------

    def about(self) -> None:
        from shopline import __version__

        QMessageBox.about(self._window, self.tr("About ShopLine"), self.tr(
            "ShopLine {version}\nFriends, tags and messages of your LINE Official Account, on this computer.")
            .format(version=__version__))

