"""購買データを読み込む: the friends import's dialog (file, encoding, preview, progress, cancel, report, errors
link) with what a register's export needs on top: a header combo per field, pre-filled from the aliases, and
the ID連携 field whose member numbers match customers to friends.

Every change of encoding or mapping previews the file again off the UI thread through the same
preview_purchases() the import uses, so the table, the problems with their row numbers and the match counts
say what 取り込む will do.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QColor
from PySide6.QtWidgets import QComboBox, QGridLayout, QHBoxLayout, QLabel, QVBoxLayout, QWidget

from shopline.core.changes import Changes
from shopline.core.purchase_values import REQUIRED_ROLES, ROLE_LABELS, ROLES
from shopline.purchases import link
from shopline.purchases.importer import FieldMap, PurchaseReport, import_purchases
from shopline.purchases.preview import PurchasePreview, preview_purchases
from shopline.store.base import tuples
from shopline.store.models import Field, FieldValue, Friend
from shopline.ui.import_dialog import ImportDialog, open_import_dialog
from shopline.ui.operations import Latest, Operation

_Index = QModelIndex | QPersistentModelIndex
IMPORT_CHANGES = Changes(purchases=True, friends=True)  # purchases, and the friends they attach to
_ENCODINGS = {"utf-8": "UTF-8", "utf-8-sig": "UTF-8 (BOM)", "cp932": "Shift_JIS (CP932)"}
_BAD = QColor("#c62828")


def member_field_choices() -> tuple[list[str], str]:
    """Runs on a pool thread: the friend fields that can hold member numbers, and the one linked now ("" none)."""
    names = [f.name for f in Field.select(Field.name).where(Field.kind.in_(("text", "number")))
             .order_by(Field.position, Field.id)]
    linked = link.member_field()
    return names, linked.name if linked is not None else ""


def preview_with_link(path: Path, encoding: str, mapping: FieldMap | None, member: str | None) -> PurchasePreview:
    """Runs on a pool thread: the preview, its customers counted through the ID連携 field chosen in the dialog
    (`member`; None when it is the saved one, which the preview already used) before the import saves it."""
    preview = preview_purchases(path, encoding=encoding, mapping=mapping)
    if member is None:
        return preview
    customers = sorted({str(r.values["customer"]) for r in preview.rows if r.values})
    found = {u for (u,) in tuples(Friend.select(Friend.user_id).where(Friend.user_id.in_(customers)))}
    field = Field.get_or_none(Field.name == member) if member else None
    if field is not None:
        found |= {t for (t,) in tuples(FieldValue.select(FieldValue.text_value).where(
            (FieldValue.field == field.id) & FieldValue.text_value.in_(customers)))}
    preview.matched, preview.unmatched = len(found), len(customers) - len(found)
    return preview


def preview_and_import(path: Path, encoding: str, mapping: FieldMap, member: str | None, ctx: Any) -> PurchaseReport:
    """Runs on the writer thread: ID連携 first (so the rows match through it), then the import."""
    if member is not None:
        link.set_member_field(member or None)
    return import_purchases(path, encoding=encoding, mapping=mapping, progress=ctx.progress, cancelled=ctx.cancelled)


class PurchasePreviewModel(QAbstractTableModel):
    """The file's first rows; each header says which field the column becomes; a refused row is red, its reason
    in the tooltip."""

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self.preview: PurchasePreview | None = None
        self._headers: list[str] = []

    def set_preview(self, preview: PurchasePreview | None) -> None:
        self.beginResetModel()
        self.preview = preview
        columns = preview.columns if preview is not None else {}
        self._headers = [f"{header}\n→ {str(ROLE_LABELS[role]) if role else self.tr('ignored')}"
                         for header, role in columns.items()]
        self.endResetModel()

    def rowCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008 - Qt's signature
        return 0 if parent.isValid() or self.preview is None else len(self.preview.rows)

    def columnCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008 - Qt's signature
        return 0 if parent.isValid() else len(self._headers)

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or self.preview is None:
            return None
        row = self.preview.rows[index.row()]
        if role == Qt.ItemDataRole.DisplayRole:
            return row.cells[index.column()] if index.column() < len(row.cells) else ""
        if role == Qt.ItemDataRole.ForegroundRole and row.problems:
            return _BAD
        if role == Qt.ItemDataRole.ToolTipRole and row.problems:
            return "\n".join(str(p.reason) for p in row.problems)
        return None

    def headerData(self, section: int, orientation: Qt.Orientation,
                   role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if role != Qt.ItemDataRole.DisplayRole:
            return None
        if orientation == Qt.Orientation.Horizontal:
            return self._headers[section] if 0 <= section < len(self._headers) else None
        if self.preview is not None and 0 <= section < len(self.preview.rows):
            return str(self.preview.rows[section].number)  # as Excel numbers the rows: the header is row 1
        return None


class PurchaseImportDialog(ImportDialog):
    """`report` holds the PurchaseReport once imported; `imported` is emitted when rows were read."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Import purchases"))
        self.preview: PurchasePreview | None = None
        self._latest = Latest()  # a newer mapping's preview replaces an older one still being read
        self.model = PurchasePreviewModel(self)
        self.table.setModel(self.model)
        self.fields: dict[str, QComboBox] = {}
        # Laid in a widget of their own: layouts inserted into the base's layout from Python would stay
        # Python's to delete, and be deleted twice with the dialog.
        self.mapping_box = QWidget(self)
        box = QVBoxLayout(self.mapping_box)
        box.setContentsMargins(0, 0, 0, 0)
        mapping = QGridLayout()
        box.addLayout(mapping)
        for n, role in enumerate(ROLES):
            combo = QComboBox(self.mapping_box)
            combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
            combo.setMinimumContentsLength(8)
            combo.activated.connect(lambda _i: self._remap())
            label = QLabel(str(ROLE_LABELS[role]) + ("*" if role in REQUIRED_ROLES else ""), self.mapping_box)
            label.setBuddy(combo)
            mapping.addWidget(label, n // 3, (n % 3) * 2)
            mapping.addWidget(combo, n // 3, (n % 3) * 2 + 1)
            self.fields[role] = combo
        for column in (1, 3, 5):
            mapping.setColumnStretch(column, 1)
        self.member = QComboBox(self.mapping_box)
        self.member.activated.connect(lambda _i: self._remap())
        self.member.setToolTip(self.tr("The friend field holding the member numbers the file's customer column "
                                       "gives. It is remembered for the next imports."))
        self._linked = ""
        member_row = QHBoxLayout()
        box.addLayout(member_row)
        member_row.addWidget(QLabel(self.tr("ID link: member numbers are in the friend field"), self.mapping_box))
        member_row.addWidget(self.member, 1)
        self.counts = QLabel(self)
        self.counts.setWordWrap(True)
        layout = self.layout()
        assert layout is not None
        at = layout.indexOf(self.table)  # the friends dialog's column: mapping and ID連携 go above its table
        layout.insertWidget(at, self.mapping_box)  # type: ignore[attr-defined]
        layout.insertWidget(at + 1, self.counts)  # type: ignore[attr-defined]
        self.resize(900, 640)
        self.import_button.setText(self.tr("Import"))
        Operation(self, lambda _ctx: member_field_choices(), success=self._members).run()

    def _members(self, choices: tuple[list[str], str]) -> None:
        names, self._linked = choices
        self.member.clear()
        self.member.addItem(self.tr("None (match by LINE user ID)"), "")
        for name in names:
            self.member.addItem(name, name)
        self.member.setCurrentIndex(max(0, self.member.findData(self._linked)))

    def load(self, path: Path) -> None:
        if path != self.path:
            self.preview = None  # a new file: start from the aliases' guess
        self._read(path, None if self.preview is None else self.mapping())

    def _remap(self) -> None:
        if self.path is not None:
            self._read(self.path, self.mapping())

    def mapping(self) -> FieldMap:
        """field -> header as the combos say ("" for a field not read)."""
        return {role: combo.currentData() or "" for role, combo in self.fields.items()}

    def _read(self, path: Path, mapping: FieldMap | None) -> None:
        self.path = path
        self.file_label.setText(path.name)
        self.import_button.setEnabled(False)
        self.info.setText(self.tr("Reading {name}…").format(name=path.name))
        encoding, member = self.encoding.currentData(), self._member_change()
        Operation(self, lambda _ctx: preview_with_link(path, encoding, mapping, member),
                  success=self._latest(self._previewed)).failure(self._unreadable).run()

    def _member_change(self) -> str | None:
        """The ID連携 field chosen here ("" none) when it differs from the saved one, else None."""
        chosen = self.member.currentData()
        return chosen if chosen is not None and chosen != self._linked else None

    def _previewed(self, preview: PurchasePreview) -> None:  # type: ignore[override]
        self.preview = preview
        self.model.set_preview(preview)
        self.table.resizeRowsToContents()
        for role, combo in self.fields.items():
            combo.clear()
            combo.addItem(self.tr("(not in the file)"), "")
            for header in preview.headers:
                combo.addItem(header, header)
            combo.setCurrentIndex(max(0, combo.findData(preview.mapping.get(role, ""))))
        text = self.tr("Encoding: {encoding}. The first {n} rows are shown; choose which column holds each field.")
        lines = [text.format(encoding=_ENCODINGS.get(preview.encoding, preview.encoding), n=len(preview.rows))]
        if preview.unusable is not None:
            lines.append(str(preview.unusable))
        elif preview.missing:
            names = "、".join(str(ROLE_LABELS[role]) for role in preview.missing)
            lines.append(self.tr("Choose the column for: {names}").format(names=names))
        self.info.setText("\n".join(lines))
        problems = [self.tr("Row {row}, {column}: {reason}").format(row=p.row, column=p.column or "-",
                                                                    reason=p.reason) for p in preview.problems]
        self.refused.setPlainText("\n".join(problems))
        self.refused.setVisible(bool(problems))
        self.counts.setText(self.tr("In these rows: {matched} customers are friends, {unmatched} are not yet "
                                    "(their rows are kept and attach when the friend arrives).")
                            .format(matched=preview.matched, unmatched=preview.unmatched))
        self.import_button.setEnabled(preview.unusable is None and not preview.missing)

    def _unreadable(self, exc: BaseException) -> None:
        self.preview = None
        self.model.set_preview(None)
        super()._unreadable(exc)

    def start_import(self) -> None:
        if self.path is None or self.preview is None:
            return
        path, encoding, mapping = self.path, self.encoding.currentData(), self.mapping()
        member = self._member_change()  # only a change is written
        self.refused.hide()
        self._busy(True)
        self._op = Operation(self, lambda ctx: preview_and_import(path, encoding, mapping, member, ctx),
                             success=self._done, writes=True, changes=IMPORT_CHANGES) \
            .failure(self._failed).with_progress(self._progress).run()

    def _busy(self, busy: bool) -> None:
        super()._busy(busy)
        for widget in (*self.fields.values(), self.member):
            widget.setEnabled(not busy)


def open_purchase_import(parent: QWidget, path: Path | None = None) -> PurchaseImportDialog:
    """The purchases import dialog over `parent`, with the file picker first unless a file is given."""
    dialog = open_import_dialog(parent, path, PurchaseImportDialog)
    assert isinstance(dialog, PurchaseImportDialog)
    return dialog
