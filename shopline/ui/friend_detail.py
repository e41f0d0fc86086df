"""The detail pane beside the friends table: one friend's details, custom fields, tags and memo, editable.

Changes are collected until 保存 (Save) and go onto the window's undo stack as one
command; a tag added or removed here is its own command, like a drop on the tag panel.
A friend is read on a pool thread and shown when the answer is back; only the newest
request's answer is shown, so clicking quickly down the table never shows a friend the
shop has already left. Every write runs through the commands (off the UI thread).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from PySide6.QtCore import QLocale, Qt, Signal
from PySide6.QtGui import QUndoStack
from PySide6.QtWidgets import (
    QComboBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPlainTextEdit,
    QPushButton,
    QScrollArea,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from shopline.core.prefectures import PREFECTURES
from shopline.store import friend_edit, friends
from shopline.store.friend_edit import Edit, FriendDetails
from shopline.store.friends import FriendRow
from shopline.ui.friend_campaigns import FriendCampaigns
from shopline.ui.friends_model import FriendsModel
from shopline.ui.operations import Latest, Operation
from shopline.ui.purchases.timeline import PurchaseTimeline
from shopline.ui.tag_list import TAG_ID_ROLE, TagRow, swatch
from shopline.ui.undo_commands import EditFriendCommand, TagFriendsCommand

if TYPE_CHECKING:
    from shopline.inbox.reactions import ReactionRow


@dataclass(frozen=True)
class Loaded:
    """One friend as the pane shows them: the editable details and the table's row (status, since)."""

    details: FriendDetails
    row: FriendRow | None


def _load(friend_id: int) -> Loaded | None:
    """Runs on a pool thread."""
    details = friend_edit.details(friend_id)
    return Loaded(details, friends.rows([friend_id]).get(friend_id)) if details is not None else None


class FriendDetail(QWidget):
    shown = Signal()  # a friend read off the UI thread is on screen (or the pane was emptied)

    def __init__(self, model: FriendsModel, undo: QUndoStack, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._model, self._undo = model, undo
        self._friend: FriendDetails | None = None
        self._row: FriendRow | None = None
        # The editors' texts when 保存 was pressed, until the write is back: then the form shows the
        # stored values (a birthday typed 1990/4/1 comes back 1990-04-01) and looks saved again.
        self._saving: tuple[object, ...] | None = None
        self.name = QLabel(self)
        self.name.setWordWrap(True)
        font = self.name.font()
        font.setPointSizeF(font.pointSizeF() * 1.3)
        font.setBold(True)
        self.name.setFont(font)
        self.hint = QLabel(self.tr("Select a friend to see the details."), self)
        self.hint.setWordWrap(True)

        self.editors: dict[str, QLineEdit | QComboBox | QPlainTextEdit] = {
            "display_name": QLineEdit(self), "gender": QComboBox(self), "birthday": QLineEdit(self),
            "region": QComboBox(self), "memo": QPlainTextEdit(self)}
        genders = {"unknown": self.tr("Not given"), "female": self.tr("Female"), "male": self.tr("Male"),
                   "other": self.tr("Other")}
        for key, label in genders.items():
            self.editors["gender"].addItem(label, key)
        self.editors["region"].addItems(["", *PREFECTURES])
        self.editors["birthday"].setPlaceholderText("1990-04-01")
        self.editors["memo"].setMaximumHeight(110)
        self._values = {key: QLabel(self) for key in ("user_id", "followed_at", "status")}
        for value in self._values.values():
            value.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            # A 33-character user ID cannot wrap; without this it would set the pane's minimum width.
            value.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        self.custom: dict[int, QLineEdit] = {}
        self._custom_form = QFormLayout()

        self.tag_list = QListWidget(self)
        self.tag_list.setMaximumHeight(120)
        # The latest message, postback and click from the relay, read off the UI thread (reactions.py).
        self.reactions = QListWidget(self)
        self.reactions.setMaximumHeight(80)
        self.reactions.setWordWrap(True)
        self._reaction_kinds = {"message": self.tr("Message"), "postback": self.tr("Button"),
                                "click": self.tr("Link click")}
        self._latest_reactions = Latest()
        self._latest_details = Latest()
        self._reactions_for: int | None = None
        self.remove_tag_button = QPushButton(self.tr("Remove tag"), self)
        self.add_tag_box = QComboBox(self)
        # Sized to a few characters, not to the longest tag name, so the pane stays narrow.
        self.add_tag_box.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        self.add_tag_box.setMinimumContentsLength(6)
        self.add_tag_button = QPushButton(self.tr("Add tag"), self)
        self.error = QLabel(self)
        self.error.setWordWrap(True)
        self.error.setStyleSheet("color: #c62828;")
        self.save_button = QPushButton(self.tr("Save"), self)
        self.revert_button = QPushButton(self.tr("Revert"), self)

        form = QFormLayout()
        form.addRow(self.tr("Name"), self.editors["display_name"])
        form.addRow(self.tr("User ID"), self._values["user_id"])
        form.addRow(self.tr("Gender"), self.editors["gender"])
        form.addRow(self.tr("Birthday"), self.editors["birthday"])
        form.addRow(self.tr("Region"), self.editors["region"])
        form.addRow(self.tr("Friend since"), self._values["followed_at"])
        form.addRow(self.tr("Status"), self._values["status"])
        # Two rows, so the pane's narrowest width is one button beside a short box, not three widgets.
        remove_row = QHBoxLayout()
        remove_row.addStretch(1)
        remove_row.addWidget(self.remove_tag_button)
        tag_buttons = QHBoxLayout()
        tag_buttons.addWidget(self.add_tag_box, 1)
        tag_buttons.addWidget(self.add_tag_button)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(self.revert_button)
        buttons.addWidget(self.save_button)

        self._form = QWidget(self)
        column = QVBoxLayout(self._form)
        column.setContentsMargins(0, 0, 0, 0)
        column.addLayout(form)
        column.addLayout(self._custom_form)
        column.addWidget(QLabel(self.tr("Tags"), self))
        column.addWidget(self.tag_list)
        column.addLayout(remove_row)
        column.addLayout(tag_buttons)
        column.addWidget(QLabel(self.tr("Reactions"), self))
        column.addWidget(self.reactions)
        self.campaigns = FriendCampaigns(self)  # received and clicked (shopline.links.results)
        column.addWidget(QLabel(self.tr("Campaigns"), self))
        column.addWidget(self.campaigns)
        column.addWidget(QLabel(self.tr("Memo"), self))
        column.addWidget(self.editors["memo"])
        column.addWidget(self.error)
        column.addLayout(buttons)
        self.purchases = PurchaseTimeline(self)
        column.addWidget(self.purchases)
        column.addStretch(1)
        scroll = QScrollArea(self)
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QScrollArea.Shape.NoFrame)
        scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        scroll.setWidget(self._form)
        layout = QVBoxLayout(self)
        layout.addWidget(self.name)
        layout.addWidget(self.hint)
        layout.addWidget(scroll, 1)
        self._scroll = scroll

        for editor in self.editors.values():
            signal = editor.currentIndexChanged if isinstance(editor, QComboBox) else editor.textChanged
            signal.connect(self._update_buttons)
        self.save_button.clicked.connect(self.save)
        self.revert_button.clicked.connect(self._revert)
        self.add_tag_button.clicked.connect(self.add_tag)
        self.remove_tag_button.clicked.connect(self.remove_tag)
        self.tag_list.currentRowChanged.connect(lambda _row: self._update_buttons())
        self.show_friend(None)

    # --- showing ----------------------------------------------------------------------

    def show_friend(self, row: int | None) -> None:
        if row is None:
            self._latest_details.forget()
            self._fill(None)
            return
        friend_id = self._model.friend_id(row)
        self._read(friend_id, self._fill)

    def _read(self, friend_id: int, then: Callable[[Loaded | None], None]) -> None:
        Operation(self, lambda _ctx: _load(friend_id), success=self._latest_details(then)).run()

    def _revert(self) -> None:
        if self._friend is not None:
            self._fill(Loaded(self._friend, self._row))

    def friend_id(self) -> int | None:
        return self._friend.id if self._friend is not None else None

    def reload(self) -> None:
        """After a command changed the data: show it, keeping what the shop is typing."""
        if self._friend is not None:
            self._read(self._friend.id, self._reloaded)

    def _reloaded(self, loaded: Loaded | None) -> None:
        saved, self._saving = self._saving == self._snapshot(), None
        if loaded is not None and not saved and (self.edit().values or self.edit().custom):
            # What the shop is typing stays; everything around it (tags, purchases, campaigns,
            # reactions) is read again, since the change that brought us here may be any of those.
            self._friend, self._row = loaded.details, loaded.row
            self._fill_tags()
            self.purchases.show_friend(loaded.details.id)
            self.campaigns.show_friend(loaded.details.id)
            self._load_reactions(loaded.details.id)
            self.shown.emit()
        else:
            self._fill(loaded)

    def set_tags_available(self, rows: list[TagRow]) -> None:
        self.add_tag_box.clear()
        for tag_id, name, _folder, colour, _count in rows:
            self.add_tag_box.addItem(swatch(colour), name, tag_id)

    def _fill(self, loaded: Loaded | None) -> None:
        details = loaded.details if loaded is not None else None
        if details is None or self._friend is None or details.id != self._friend.id:
            self._saving = None
        self._friend = details
        self._row = loaded.row if loaded is not None else None
        self.purchases.show_friend(details.id if details is not None else None)
        self.campaigns.show_friend(details.id if details is not None else None)
        self.hint.setVisible(details is None)
        self._scroll.setVisible(details is not None)
        self.error.clear()
        self.name.setText(details.values["display_name"] if details else "")
        if details is None:
            self.shown.emit()
            return
        entry = self._row
        self._values["user_id"].setText(details.user_id)
        for key in ("followed_at", "status"):
            self._values[key].setText(self._model.display(entry, key) if entry else "")
        for key, editor in self.editors.items():
            value = details.values[key]
            if isinstance(editor, QComboBox):
                editor.setCurrentIndex(max(0, editor.findData(value) if key == "gender" else editor.findText(value)))
            else:
                editor.setPlainText(value) if isinstance(editor, QPlainTextEdit) else editor.setText(value)
        self._fill_custom(details)
        self._fill_tags()
        self._load_reactions(details.id)
        self._update_buttons()
        self.shown.emit()

    def _load_reactions(self, friend_id: int) -> None:
        from shopline.inbox.reactions import latest_reactions

        if friend_id != self._reactions_for:  # another friend: not a moment of the last one's reactions
            self.reactions.clear()
        self._reactions_for = friend_id
        Operation(self, lambda _ctx: latest_reactions(friend_id),
                  success=self._latest_reactions(self._show_reactions)).run()

    def _show_reactions(self, rows: list[ReactionRow]) -> None:
        self.reactions.clear()
        for row in rows:
            when = QLocale().toString(row.at, QLocale.FormatType.ShortFormat)
            self.reactions.addItem(f"{when}  {self._reaction_kinds.get(row.kind, row.kind)}  {row.detail}")
        if not rows:
            self.reactions.addItem(self.tr("None yet"))

    def _fill_custom(self, details: FriendDetails) -> None:
        if [c.field_id for c in details.custom] != list(self.custom):
            while self._custom_form.rowCount():
                self._custom_form.removeRow(0)
            self.custom = {}
            for value in details.custom:
                editor = QLineEdit(self)
                editor.textChanged.connect(self._update_buttons)
                self.custom[value.field_id] = editor
                self._custom_form.addRow(value.name, editor)
        for value in details.custom:
            self.custom[value.field_id].setText(value.text)

    def _fill_tags(self) -> None:
        self.tag_list.clear()
        for tag_id, name, colour in self._friend.tags if self._friend else []:
            item = QListWidgetItem(swatch(colour), name)
            item.setData(TAG_ID_ROLE, tag_id)
            self.tag_list.addItem(item)
        self._update_buttons()

    # --- editing ----------------------------------------------------------------------

    def _text(self, key: str) -> str:
        editor = self.editors[key]
        if isinstance(editor, QComboBox):
            return editor.currentData() if key == "gender" else editor.currentText()
        return editor.toPlainText() if isinstance(editor, QPlainTextEdit) else editor.text()

    def _snapshot(self) -> tuple[object, ...]:
        return (self._friend.id if self._friend else None, *(self._text(k) for k in self.editors),
                *(e.text() for e in self.custom.values()))

    def edit(self) -> Edit:
        """What the shop changed in the editors, compared with the stored friend."""
        if self._friend is None:
            return Edit({}, {})
        values = {k: self._text(k) for k in self.editors if self._text(k) != self._friend.values[k]}
        stored = {c.field_id: c.text for c in self._friend.custom}
        custom = {fid: e.text() for fid, e in self.custom.items() if e.text() != stored.get(fid, "")}
        return Edit(values, custom)

    def _update_buttons(self) -> None:
        edit = self.edit()
        # Saving: what the editors hold is on its way to the database, not a change still to save.
        dirty = bool(edit.values or edit.custom) and self._saving != self._snapshot()
        self.save_button.setEnabled(dirty)
        self.revert_button.setEnabled(dirty)
        self.remove_tag_button.setEnabled(self.tag_list.currentItem() is not None)
        self.add_tag_button.setEnabled(self._friend is not None and self.add_tag_box.count() > 0)

    def save(self) -> None:
        edit = self.edit()
        if self._friend is None or not (edit.values or edit.custom):
            return
        try:
            friend_edit.check(edit, {c.field_id: c.kind for c in self._friend.custom})
        except ValueError as exc:
            self.error.setText(str(exc.args[0]))  # the reason, beside the button, while the text stays
            return
        self.error.clear()
        name = edit.values.get("display_name", self._friend.values["display_name"])
        self._saving = self._snapshot()
        self._update_buttons()
        self._undo.push(EditFriendCommand(self._undo, self._friend.id, name, edit))

    def add_tag(self) -> None:
        if self._friend is None or self.add_tag_box.currentIndex() < 0:
            return
        tag_id = self.add_tag_box.currentData()
        if all(tag_id != t[0] for t in self._friend.tags):
            self._undo.push(TagFriendsCommand(self._undo, [self._friend.id], tag_id,
                                              self.add_tag_box.currentText()))

    def remove_tag(self) -> None:
        item = self.tag_list.currentItem()
        if self._friend is not None and item is not None:
            self._undo.push(TagFriendsCommand(self._undo, [self._friend.id], item.data(TAG_ID_ROLE),
                                              item.text(), untag=True))
