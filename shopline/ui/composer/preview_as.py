""""Preview as": the phone shows the draft as a chosen friend (or a random one) of the recipients will see it.

The friends and their values are read off the UI thread (Operation); the page renders the draft with
the values this widget holds, and the note says which placeholders that friend has no value for.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QComboBox, QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from shopline.ui.composer.editor_base import ERROR_STYLE
from shopline.ui.operations import Latest, Operation

Resolve = Callable[[], Any]  # the recipients' segment tree, worked out on the worker


class PreviewAs(QWidget):
    changed = Signal()  # `values` now belong to another friend, or to nobody (as written)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.values: dict[str, str | None] | None = None  # None: the draft as written
        self._resolve: Resolve | None = None
        self._messages: Callable[[], list[dict[str, Any]]] = list
        self._latest_friends, self._latest_values = Latest(), Latest()
        self.combo = QComboBox(self)
        self.combo.setMinimumContentsLength(12)
        self.combo.addItem(self.tr("As written"), None)
        self.random_button = QPushButton(self.tr("Random friend"), self)
        self.random_button.setEnabled(False)
        self.note = QLabel(self)
        self.note.setWordWrap(True)
        self.note.setStyleSheet(ERROR_STYLE)
        self.note.hide()
        row = QHBoxLayout()
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(QLabel(self.tr("Preview as:"), self))
        row.addWidget(self.combo, 1)
        row.addWidget(self.random_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(row)
        layout.addWidget(self.note)
        self.combo.currentIndexChanged.connect(self._chosen)
        self.random_button.clicked.connect(self.pick_random)

    def set_source(self, resolve: Resolve | None, messages: Callable[[], list[dict[str, Any]]]) -> None:
        """The recipients (to list and pick from) and the draft's messages (whose placeholders to fill)."""
        self._resolve, self._messages = resolve, messages
        self.random_button.setEnabled(resolve is not None)
        if resolve is None:
            self._set_friends([])
            return

        def load(_ctx: object) -> list[tuple[int, str]]:
            from shopline.delivery.personal_preview import preview_friends

            return preview_friends(resolve())
        Operation(self, load, success=self._latest_friends(self._set_friends)).failure(lambda _exc: None).run()

    def _set_friends(self, friends: list[tuple[int, str]]) -> None:
        keep = self.combo.currentData()
        self.combo.blockSignals(True)
        self.combo.clear()
        self.combo.addItem(self.tr("As written"), None)
        for friend_id, name in friends:
            self.combo.addItem(name, friend_id)
        at = self.combo.findData(keep) if keep is not None else 0
        self.combo.setCurrentIndex(max(at, 0))
        self.combo.blockSignals(False)
        if keep is not None and at < 0:
            self._chosen()

    def pick_random(self) -> None:
        resolve = self._resolve
        if resolve is None:
            return

        def pick(_ctx: object) -> tuple[int, str] | None:
            from shopline.delivery.personal_preview import random_friend

            return random_friend(resolve())
        Operation(self, pick, success=self._picked).failure(lambda _exc: None).run()

    def _picked(self, friend: tuple[int, str] | None) -> None:
        if friend is None:
            return
        at = self.combo.findData(friend[0])
        if at < 0:
            self.combo.addItem(friend[1], friend[0])
            at = self.combo.count() - 1
        if at == self.combo.currentIndex():
            self._chosen()
        self.combo.setCurrentIndex(at)

    def refresh(self) -> None:
        """The draft changed: its placeholders may need values this friend's were not read for."""
        if self.combo.currentData() is not None:
            self._chosen()

    def _chosen(self) -> None:
        friend_id = self.combo.currentData()
        if friend_id is None:
            self._show(None)
            return
        messages = self._messages()

        def load(_ctx: object) -> dict[str, str | None]:
            from shopline.delivery.personal_preview import preview_values

            return preview_values(int(friend_id), messages)
        Operation(self, load, success=self._latest_values(self._show)).failure(lambda _exc: None).run()

    def _show(self, values: dict[str, str | None] | None) -> None:
        if values != self.values:
            self.values = values
            self.changed.emit()

    def set_missing(self, labels: list[str]) -> None:
        self.note.setText(self.tr("This friend has no value for %1: the text cannot be sent to them as it is.")
                          .replace("%1", "、".join(labels)) if labels else "")
        self.note.setVisible(bool(labels))
