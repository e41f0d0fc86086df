"""CSVを読み込む: a preview of the first rows with the detected encoding and what each column becomes,
then the import behind a progress bar with cancel, then the per-row report and a link to the errors file.

Reading the preview and importing both run off the UI thread; the preview is re-read
when the shop overrides the encoding.
"""

from __future__ import annotations

import html
from pathlib import Path
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt, QUrl, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QPlainTextEdit,
    QProgressBar,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from shopline.core.changes import Changes
from shopline.core.messages import ShopLineError
from shopline.csvio.importer import CsvPreview, ImportReport, import_csv, preview_csv
from shopline.ui.operations import Operation, show_error

SHOWN_REFUSED = 200  # the errors CSV holds them all; the dialog lists the first ones
_Index = QModelIndex | QPersistentModelIndex


class PreviewModel(QAbstractTableModel):
    """The file's first rows; each header says what the column becomes (a known column, a field, ignored)."""

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._headers: list[str] = []
        self._rows: list[list[str]] = []
        self._known = {
            "line_user_id": self.tr("User ID"), "display_name": self.tr("Name"), "gender": self.tr("Gender"),
            "birthday": self.tr("Birthday"), "region": self.tr("Region"), "followed_at": self.tr("Friend since"),
            "status": self.tr("Status"), "tags": self.tr("Tags"), "memo": self.tr("Memo"),
            "picture_url": self.tr("Picture"), "language": self.tr("Language")}

    def set_preview(self, preview: CsvPreview) -> None:
        self.beginResetModel()
        new = set(preview.new_fields)
        self._headers = [f"{c.header}\n→ {self.target(c.known, c.field, c.field in new)}" for c in preview.columns]
        self._rows = preview.rows
        self.endResetModel()

    def target(self, known: str | None, field: str | None, new: bool) -> str:
        if known:
            return self._known.get(known, known)
        if field:
            return (self.tr("new field “{name}”") if new else self.tr("field “{name}”")).format(name=field)
        return self.tr("ignored")

    def rowCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008 - Qt's signature
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008 - Qt's signature
        return 0 if parent.isValid() else len(self._headers)

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or role != Qt.ItemDataRole.DisplayRole:
            return None
        row = self._rows[index.row()]
        return row[index.column()] if index.column() < len(row) else ""

    def headerData(self, section: int, orientation: Qt.Orientation,
                   role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if role != Qt.ItemDataRole.DisplayRole:
            return None
        if orientation == Qt.Orientation.Horizontal:
            return self._headers[section] if 0 <= section < len(self._headers) else None
        return str(section + 2)  # as Excel numbers the rows: the header is row 1


# A friends CSV adds and updates friends, their tags and custom fields.
IMPORT_CHANGES = Changes(friends=True, tags=True, fields=True)


class ImportDialog(QDialog):
    imported = Signal()  # friends were written

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Import CSV"))
        self.resize(860, 560)
        self.path: Path | None = None
        self.report: ImportReport | None = None
        self._op: Operation | None = None
        self.file_label = QLabel(self.tr("No file chosen"), self)
        self.choose_button = QPushButton(self.tr("Choose file…"), self)
        self.encoding = QComboBox(self)
        for key, label in (("auto", self.tr("Detect")), ("utf-8", "UTF-8"), ("cp932", "Shift_JIS (CP932)")):
            self.encoding.addItem(label, key)
        self.info = QLabel(self)
        self.info.setWordWrap(True)
        self.model = PreviewModel(self)
        self.table = QTableView(self)
        self.table.setModel(self.model)
        self.table.horizontalHeader().setDefaultSectionSize(130)
        self.progress = QProgressBar(self)
        self.progress.hide()
        self.summary = QLabel(self)
        self.summary.setWordWrap(True)
        self.errors_link = QLabel(self)
        self.errors_link.setOpenExternalLinks(True)
        self.errors_link.setTextInteractionFlags(Qt.TextInteractionFlag.TextBrowserInteraction)
        self.refused = QPlainTextEdit(self)
        self.refused.setReadOnly(True)
        self.refused.setMaximumHeight(120)
        self.refused.hide()
        self.buttons = QDialogButtonBox(self)
        self.import_button = self.buttons.addButton(self.tr("Import"), QDialogButtonBox.ButtonRole.AcceptRole)
        self.cancel_button = self.buttons.addButton(QDialogButtonBox.StandardButton.Cancel)
        self.close_button = self.buttons.addButton(QDialogButtonBox.StandardButton.Close)
        self.import_button.setEnabled(False)
        self.cancel_button.hide()

        top = QHBoxLayout()
        top.addWidget(self.file_label, 1)
        top.addWidget(self.choose_button)
        top.addWidget(QLabel(self.tr("Encoding"), self))
        top.addWidget(self.encoding)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.info)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.progress)
        layout.addWidget(self.summary)
        layout.addWidget(self.errors_link)
        layout.addWidget(self.refused)
        layout.addWidget(self.buttons)

        self.choose_button.clicked.connect(self.choose)
        self.encoding.currentIndexChanged.connect(lambda _i: self.path and self.load(self.path))
        self.import_button.clicked.connect(self.start_import)
        self.cancel_button.clicked.connect(self._cancel)
        self.close_button.clicked.connect(self.reject)

    def choose(self) -> None:
        start = str(self.path.parent if self.path else Path.home())
        path, _ = QFileDialog.getOpenFileName(self, self.tr("Import CSV"), start,
                                              self.tr("CSV files (*.csv);;All files (*)"))
        if path:
            self.load(Path(path))

    def load(self, path: Path) -> None:
        """Read the file's first rows off the UI thread and show what the import would make of them."""
        self.path = path
        self.file_label.setText(path.name)
        self.import_button.setEnabled(False)
        self.info.setText(self.tr("Reading {name}…").format(name=path.name))
        encoding = self.encoding.currentData()
        Operation(self, lambda _ctx: preview_csv(path, encoding=encoding), success=self._previewed) \
            .failure(self._unreadable).run()

    def _previewed(self, preview: CsvPreview) -> None:
        self.model.set_preview(preview)
        self.table.resizeRowsToContents()
        names = {"utf-8": "UTF-8", "utf-8-sig": "UTF-8 (BOM)", "cp932": "Shift_JIS (CP932)"}
        text = self.tr("Encoding: {encoding}. The first {n} rows are shown; each column header says what it becomes.")
        lines = [text.format(encoding=names.get(preview.encoding, preview.encoding), n=len(preview.rows))]
        if preview.new_fields:
            lines.append(self.tr("New fields will be made for: {names}").format(names="、".join(preview.new_fields)))
        self.info.setText("\n".join(lines))
        self.import_button.setEnabled(True)

    def _unreadable(self, exc: BaseException) -> None:
        self.model.set_preview(CsvPreview("", [], [], []))
        self.info.setText(str(exc) if isinstance(exc, ShopLineError) else self.tr("This file cannot be read."))
        if not isinstance(exc, ShopLineError):
            show_error(self, exc)

    def start_import(self) -> None:
        if self.path is None:
            return
        path, encoding = self.path, self.encoding.currentData()
        self._busy(True)
        self._op = Operation(
            self, lambda ctx: import_csv(path, encoding=encoding, progress=ctx.progress, cancelled=ctx.cancelled),
            success=self._done, writes=True, changes=IMPORT_CHANGES) \
            .failure(self._failed).with_progress(self._progress).run()

    def _progress(self, done: int, total: int) -> None:
        self.progress.setRange(0, max(total, 1))
        self.progress.setValue(min(done, max(total, 1)))

    def _cancel(self) -> None:
        if self._op is not None:
            self._op.cancel()
            self.cancel_button.setEnabled(False)

    def _busy(self, busy: bool) -> None:
        self.progress.setVisible(busy)
        self.progress.setRange(0, 0)  # moving until the first count arrives
        self.cancel_button.setVisible(busy)
        self.cancel_button.setEnabled(busy)
        for widget in (self.import_button, self.choose_button, self.encoding, self.close_button):
            widget.setEnabled(not busy)

    def _failed(self, exc: BaseException) -> None:
        self._op = None
        self._busy(False)
        if isinstance(exc, ShopLineError):
            self.summary.setText(str(exc))  # cancelled (nothing changed), or a file that cannot be used
        else:
            show_error(self, exc)

    def _done(self, report: ImportReport) -> None:
        self._op = None
        self._busy(False)
        self.report = report
        self.import_button.setEnabled(False)  # imported: a second click would only update the same rows
        self.summary.setText(str(report.summary()))
        lines = [self.tr("Row {row}, {column}: {reason}").format(row=e.row, column=e.column or "-", reason=e.reason)
                 for e in report.refused[:SHOWN_REFUSED]]
        if report.refused_count > SHOWN_REFUSED:
            lines.append(self.tr("… and {n} more").format(n=report.refused_count - SHOWN_REFUSED))
        self.refused.setPlainText("\n".join(lines))
        self.refused.setVisible(bool(lines))
        if report.errors_path:
            url = QUrl.fromLocalFile(str(report.errors_path)).toString()
            self.errors_link.setText(self.tr("The refused rows and their reasons: <a href=\"{url}\">{path}</a>")
                                     .format(url=html.escape(url), path=html.escape(str(report.errors_path))))
        if report.imported:
            self.imported.emit()


def open_import_dialog(parent: QWidget, path: Path | None = None,
                       kind: type[ImportDialog] | None = None) -> ImportDialog:
    """An import dialog (the friends' unless `kind` names another) over `parent`, with the file picker first
    unless a file is given."""
    dialog = (kind or ImportDialog)(parent)
    dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    dialog.open()
    if path is None:
        dialog.choose()
    else:
        dialog.load(path)
    return dialog
