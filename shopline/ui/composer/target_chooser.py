"""Who receives the message: every friend, a saved segment, or a condition typed in the segments' text form."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QComboBox, QHBoxLayout, QLabel, QLineEdit, QWidget

from shopline.core.segments import Compare, Node, Not, Or
from shopline.store.segments import get_segment, parse_checked
from shopline.ui.composer.estimate_panel import Resolve

_TEXT = "\x00text"  # the combo entry for a typed condition; no segment name holds a NUL
_ALL = "\x00all"  # the combo entry for every friend

# Every friend: the segment language has no "everyone", so a condition that holds for each friend
# (gender is female, or it is not; a friend without a gender passes the second half). Counts and
# sends add "following" themselves, so this is every following friend and nobody blocked.
EVERYONE: Node = Or((Compare("gender", "=", "female"), Not(Compare("gender", "=", "female"))))


class TargetChooser(QWidget):
    changed = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.combo = QComboBox(self)
        self.combo.setMinimumContentsLength(16)
        self.text = QLineEdit(self)
        self.text.setPlaceholderText(self.tr("e.g. VIP AND region = 東京都"))
        self.text.hide()
        self.set_segments([])
        self.combo.currentIndexChanged.connect(self._chosen)
        self.text.textChanged.connect(lambda _text: self.changed.emit())
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(QLabel(self.tr("Recipients:"), self))
        layout.addWidget(self.combo)
        layout.addWidget(self.text, 1)

    def set_segments(self, names: list[str]) -> None:
        """Fill the list, keeping the shop's choice when it is still there."""
        keep = self.combo.currentData()
        self.combo.blockSignals(True)
        self.combo.clear()
        self.combo.addItem(self.tr("Choose a segment…"), None)
        self.combo.addItem(self.tr("All friends"), _ALL)
        for name in names:
            self.combo.addItem(name, name)
        self.combo.addItem(self.tr("Type a condition…"), _TEXT)
        at = self.combo.findData(keep) if keep is not None else 0
        self.combo.setCurrentIndex(max(at, 0))
        self.combo.blockSignals(False)
        self.text.setVisible(self.combo.currentData() == _TEXT)
        if keep is not None and at < 0:
            self.changed.emit()  # the chosen segment was deleted meanwhile

    def choose(self, name: str) -> None:
        self.combo.setCurrentIndex(self.combo.findData(name))

    def choose_all(self) -> None:
        self.combo.setCurrentIndex(self.combo.findData(_ALL))

    def choose_text(self, text: str) -> None:
        self.combo.setCurrentIndex(self.combo.findData(_TEXT))
        self.text.setText(text)

    def label(self) -> str:
        data = self.combo.currentData()
        if data == _ALL:
            return self.tr("All friends")
        return self.text.text().strip() if data == _TEXT else str(data or "")

    def segment_text(self) -> str | None:
        """How the campaign records its recipients when the tree's own text would not read well."""
        return self.tr("All friends") if self.combo.currentData() == _ALL else None

    def resolver(self) -> Resolve | None:
        """What the estimate runs on its worker to get the tree; None when nothing is chosen."""
        data = self.combo.currentData()
        if data == _TEXT:
            text = self.text.text().strip()
            return (lambda: parse_checked(text)) if text else None
        if data is None:
            return None
        if data == _ALL:
            return lambda: EVERYONE
        name = str(data)
        return lambda: get_segment(name).tree

    def _chosen(self) -> None:
        self.text.setVisible(self.combo.currentData() == _TEXT)
        self.changed.emit()
