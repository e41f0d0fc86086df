"""The empty state: a shop with no friends yet is offered the LINE channel, a CSV import or the demo shop."""

from __future__ import annotations

import sys
from pathlib import Path

from PySide6.QtCore import QProcess, Qt, Signal
from PySide6.QtWidgets import QDialog, QLabel, QPushButton, QVBoxLayout, QWidget

from shopline.core.changes import Changes
from shopline.ui.operations import OpContext
from shopline.ui.progress_dialog import run_with_progress

DEMO_FRIENDS = 2000
DEMO_CHANGES = Changes(friends=True, tags=True, fields=True, settings=True, purchases=True, automations=True)


class WelcomePage(QWidget):
    connect_requested = Signal()  # チャネルを接続: the window opens 設定 → チャネル接続

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.import_dialog: QDialog | None = None
        title = QLabel(self.tr("Welcome to ShopLine"), self)
        font = title.font()
        font.setPointSizeF(font.pointSizeF() * 1.8)
        font.setBold(True)
        title.setFont(font)
        intro = QLabel(self.tr(
            "Manage your LINE official account's friends and tags on this computer.\n"
            "Start by bringing in your friends, or try the app with a demo shop."), self)
        intro.setWordWrap(True)

        self.connect_button = QPushButton(self.tr("Connect channel"), self)
        self.connect_button.setToolTip(self.tr("Paste your channel access token and bring in your friends from LINE"))
        self.import_button = QPushButton(self.tr("Import CSV"), self)
        self.import_button.setToolTip(self.tr("A CSV exported from LINE Official Account Manager or Excel"))
        self.demo_button = QPushButton(self.tr("Open demo shop"), self)
        self.demo_button.setToolTip(self.tr("{n:,} made-up friends with tags, in a window and a data folder of "
                                            "their own: your shop's data stays empty until you add to it")
                                    .format(n=DEMO_FRIENDS))
        self.import_button.clicked.connect(lambda: self.open_import())
        self.connect_button.clicked.connect(self.connect_requested)
        self.demo_button.clicked.connect(self.open_demo)

        box = QWidget(self)
        box.setFixedWidth(520)
        column = QVBoxLayout(box)
        column.addWidget(title)
        column.addWidget(intro)
        column.addSpacing(16)
        for button in (self.connect_button, self.import_button, self.demo_button):
            button.setMinimumHeight(40)
            column.addWidget(button)
        layout = QVBoxLayout(self)
        layout.addStretch(1)
        layout.addWidget(box, 0, Qt.AlignmentFlag.AlignHCenter)
        layout.addStretch(2)

    def open_import(self, path: Path | None = None) -> None:
        """The import dialog, with the file picker first unless a file is given."""
        from shopline.ui.import_dialog import open_import_dialog  # csvio is not needed until the shop asks for it

        self.import_dialog = open_import_dialog(self, path)

    def open_demo(self) -> bool:
        """The demo shop in a second window on its own data folder, so it never mixes with the shop's data."""
        from shopline.store.connection import data_folder

        command = demo_command(data_folder())
        started = launch_detached(command)
        if not started:
            from PySide6.QtWidgets import QMessageBox

            QMessageBox.warning(self, "ShopLine", self.tr(
                "The demo shop could not be started. Try again, or start ShopLine with --demo."))
        return started

    def fill_with_demo_if_empty(self) -> None:
        """In the demo's own window (--demo): make the demo shop the first time that folder is opened."""
        run_with_progress(self, self.tr("Creating the demo shop…"), _fill_demo, lambda _report: None,
                          changes=DEMO_CHANGES)


def _fill_demo(ctx: OpContext) -> object:
    from shopline.demo import load_demo
    from shopline.store.friends import friend_count

    if friend_count() > 0:  # the demo folder was opened before: keep what the shop did in it
        return None
    return load_demo(n=DEMO_FRIENDS, progress=ctx.progress, cancelled=ctx.cancelled)


def demo_command(shop_folder: Path) -> list[str]:
    """How to start ShopLine on the demo folder beside `shop_folder`: the frozen app, or this Python."""
    if getattr(sys, "frozen", False):
        return [sys.executable, "--demo", "--data-dir", str(shop_folder)]
    return [sys.executable, "-m", "shopline.ui", "--demo", "--data-dir", str(shop_folder)]


def launch_detached(command: list[str]) -> bool:
    started, _pid = QProcess.startDetached(command[0], command[1:])
    return bool(started)
