"""The detail pane beside the friends table: one friend's fields, tags and memo (read-only for now)."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFormLayout, QLabel, QSizePolicy, QVBoxLayout, QWidget

from shopline.ui.friends_model import FriendsModel


class FriendDetail(QWidget):
    def __init__(self, model: FriendsModel, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._model = model
        self.name = QLabel(self)
        self.name.setWordWrap(True)
        font = self.name.font()
        font.setPointSizeF(font.pointSizeF() * 1.3)
        font.setBold(True)
        self.name.setFont(font)
        self.hint = QLabel(self.tr("Select a friend to see the details."), self)
        self.hint.setWordWrap(True)
        self._values: dict[str, QLabel] = {}
        form = QFormLayout()
        labels = {
            "user_id": self.tr("User ID"), "gender": self.tr("Gender"), "birthday": self.tr("Birthday"),
            "region": self.tr("Region"), "followed_at": self.tr("Friend since"), "status": self.tr("Status"),
            "tags": self.tr("Tags"), "memo": self.tr("Memo"),
        }
        for key, label in labels.items():
            value = QLabel(self)
            value.setWordWrap(True)
            value.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            # A 33-character user ID cannot wrap; without this it would set the pane's minimum width.
            value.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
            self._values[key] = value
            form.addRow(label, value)
        self._form = QWidget(self)
        self._form.setLayout(form)
        layout = QVBoxLayout(self)
        layout.addWidget(self.name)
        layout.addWidget(self.hint)
        layout.addWidget(self._form)
        layout.addStretch(1)
        self.show_friend(None)

    def show_friend(self, row: int | None) -> None:
        entry = self._model.friend(row) if row is not None else None
        self.hint.setVisible(entry is None)
        self._form.setVisible(entry is not None)
        self.name.setText(entry[0].display_name if entry else "")
        if entry is None:
            return
        friend, tags = entry
        for key, label in self._values.items():
            label.setText(", ".join(name for name, _ in tags) if key == "tags" else self._model.display(friend, key))
