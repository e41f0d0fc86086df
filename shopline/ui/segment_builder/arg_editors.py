"""The arguments of a purchase condition as widgets: purchases(item=..., days=...), spent(days=...),
days_since(FIELD).

A days box at 0 says 全期間 and drops the argument, an empty item means any item: the same conditions the
text form writes without them. The date fields days_since can read are the built-in 友だち追加日 and the
shop's own date fields, read off the UI thread when the row is built; the item box completes the names of
the items the shop sells, read the same way.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QComboBox, QCompleter, QHBoxLayout, QLineEdit, QSpinBox, QWidget

from shopline.core.segments import Compare
from shopline.core.segments.fields import Args, Value
from shopline.store.models import Field
from shopline.ui.operations import Latest, Operation

# The arguments the builder edits with widgets; received/clicked keep theirs in the text form.
EDITED = {"purchases": ("days", "item"), "spent": ("days",), "days_since": ("field",)}
DAYS_TOP = 100_000


RECENT_LINES = 50_000  # item names are offered from the latest purchase lines: a million would take seconds


def item_names() -> list[str]:
    """Runs on a pool thread: the items of the latest purchase lines, the most bought first, for the item box's
    completer (a condition matches an item's exact name, so picking it beats typing it)."""
    from shopline.store.base import db

    rows = db.execute_sql(
        "SELECT item FROM purchase WHERE rowid > (SELECT coalesce(max(rowid), 0) FROM purchase) - ? AND item != '' "
        "GROUP BY item ORDER BY count(*) DESC, item LIMIT 2000", (RECENT_LINES,)).fetchall()
    return [item for (item,) in rows]


def date_field_names() -> list[str]:
    """Runs on a pool thread: the shop's own date fields, in the order the friends table shows them."""
    return [f.name for f in Field.select(Field.name).where(Field.kind == "date").order_by(Field.position, Field.id)]


class ArgEditors(QWidget):
    """edited(args) when the shop owner changes an argument; show_args() follows the model."""

    def __init__(self, leaf: Compare, edited: Callable[[Args], None], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._edited = edited
        self._args: dict[str, Value] = dict(leaf.args)
        self._latest = Latest()
        self.days: QSpinBox | None = None
        self.item: QLineEdit | None = None
        self.field: QComboBox | None = None
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        params = EDITED.get(leaf.name, ())
        if "field" in params:
            self.field = QComboBox(self)
            self.field.setToolTip(self.tr("The date to count the days from"))
            self.field.activated.connect(lambda _i: self._commit("field", self.field.currentData()))
            layout.addWidget(self.field)
            self._fill_fields([])
            Operation(self, lambda _ctx: date_field_names(), success=self._latest(self._fill_fields)).run()
        if "item" in params:
            self.item = QLineEdit(self)
            self.item.setPlaceholderText(self.tr("Any item"))
            self.item.setToolTip(self.tr("Count only this item (its exact name); empty counts every order"))
            self.item.setMinimumWidth(90)
            self.item.editingFinished.connect(lambda: self._commit("item", self.item.text().strip()))
            layout.addWidget(self.item)
            # Without the names the box still takes what is typed: a failed read is no reason to interrupt.
            Operation(self, lambda _ctx: item_names(), success=self._latest(self._offer_items)
                      ).failure(lambda _exc: None).run()
        if "days" in params:
            self.days = QSpinBox(self)
            self.days.setRange(0, DAYS_TOP)
            self.days.setSpecialValueText(self.tr("All time"))
            self.days.setPrefix(self.tr("last "))
            self.days.setSuffix(self.tr(" days"))
            self.days.setToolTip(self.tr("Only the last N days; 0 means all time"))
            self.days.setKeyboardTracking(False)  # one undo step when the number is typed, not one per digit
            self.days.valueChanged.connect(lambda v: self._commit("days", v))
            layout.addWidget(self.days)
        self.show_args(leaf.args)

    def _fill_fields(self, custom: list[str]) -> None:
        assert self.field is not None
        self.field.blockSignals(True)
        self.field.clear()
        self.field.addItem(self.tr("Friend added"), "followed_at")
        for name in custom:
            self.field.addItem(name, name)
        self.field.blockSignals(False)
        self.show_args(tuple(self._args.items()))

    def _offer_items(self, names: list[str]) -> None:
        assert self.item is not None
        completer = QCompleter(names, self.item)
        completer.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        completer.setFilterMode(Qt.MatchFlag.MatchContains)  # パン finds あんパン and パン・オ・ショコラ
        completer.activated.connect(lambda text: self._commit("item", text))
        self.item.setCompleter(completer)

    def show_args(self, args: Args) -> None:
        self._args = dict(args)
        for widget in (self.days, self.item, self.field):
            if widget is not None:
                widget.blockSignals(True)
        if self.days is not None:
            self.days.setValue(int(self._args.get("days", 0)))
        if self.item is not None:
            self.item.setText(str(self._args.get("item", "")))
        if self.field is not None:
            name = str(self._args.get("field", "followed_at"))
            if self.field.findData(name) < 0:  # written in the text form: birthday, or a field not loaded yet
                self.field.addItem(name, name)
            self.field.setCurrentIndex(self.field.findData(name))
        for widget in (self.days, self.item, self.field):
            if widget is not None:
                widget.blockSignals(False)

    def _commit(self, key: str, value: Value | None) -> None:
        args = dict(self._args)
        if value in (None, "", 0):  # 全期間, any item: the argument is left out
            args.pop(key, None)
        else:
            args[key] = value
        if args != self._args:
            self._edited(tuple(args.items()))
