"""The empty state: a shop with no friends yet is offered a CSV import or the demo shop."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt, QUrl, Signal
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import (
    QFileDialog,
    QLabel,
    QMessageBox,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from shopline.ui.progress_dialog import run_with_progress

DEMO_FRIENDS = 2000
SHOWN_REFUSED = 20  # the errors CSV holds them all; the dialog shows the first ones


class WelcomePage(QWidget):
    data_changed = Signal()  # friends were imported or the demo shop was loaded

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.report_box: QMessageBox | None = None
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
        self.connect_button.setEnabled(False)
        self.connect_button.setToolTip(self.tr("Available in the next version"))
        self.import_button = QPushButton(self.tr("Import CSV"), self)
        self.import_button.setToolTip(self.tr("A CSV exported from LINE Official Account Manager or Excel"))
        self.demo_button = QPushButton(self.tr("Open demo shop"), self)
        self.demo_button.setToolTip(self.tr("{n:,} made-up friends with tags, clearly marked as demo data")
                                    .format(n=DEMO_FRIENDS))
        self.import_button.clicked.connect(self.choose_csv)
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

    def choose_csv(self) -> None:
        path, _ = QFileDialog.getOpenFileName(
            self, self.tr("Import CSV"), str(Path.home()), self.tr("CSV files (*.csv);;All files (*)"))
        if path:
            self.start_import(Path(path))

    def start_import(self, path: Path) -> None:
        from shopline.csvio.importer import import_csv  # not needed until the shop asks for it

        run_with_progress(
            self, self.tr("Importing {name}…").format(name=path.name),
            lambda ctx: import_csv(path, progress=ctx.progress, cancelled=ctx.cancelled),
            self._imported)

    def open_demo(self) -> None:
        from shopline.demo import load_demo

        run_with_progress(
            self, self.tr("Creating the demo shop…"),
            lambda ctx: load_demo(n=DEMO_FRIENDS, progress=ctx.progress, cancelled=ctx.cancelled),
            lambda _report: self.data_changed.emit())

    def _imported(self, report: Any) -> None:
        box = QMessageBox(self)
        box.setWindowTitle(self.tr("Import finished"))
        box.setIcon(QMessageBox.Icon.Warning if report.refused else QMessageBox.Icon.Information)
        box.setText(str(report.summary()))
        lines = [self.tr("Row {row}, {column}: {reason}").format(row=e.row, column=e.column or "-", reason=e.reason)
                 for e in report.refused[:SHOWN_REFUSED]]
        if len(report.refused) > SHOWN_REFUSED:
            lines.append(self.tr("… and {n} more").format(n=len(report.refused) - SHOWN_REFUSED))
        if report.errors_path:
            lines += ["", self.tr("The refused rows and their reasons were written to:"), str(report.errors_path)]
            errors_file = box.addButton(self.tr("Open the errors file"), QMessageBox.ButtonRole.ActionRole)
            errors_file.clicked.connect(
                lambda: QDesktopServices.openUrl(QUrl.fromLocalFile(str(report.errors_path))))
        box.setInformativeText("\n".join(lines))
        box.addButton(QMessageBox.StandardButton.Ok)
        self.report_box = box
        box.open()  # not exec(): the friends list refreshes behind the report
        if report.imported:
            self.data_changed.emit()
