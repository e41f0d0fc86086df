"""The campaigns one friend was sent, newest first, and which of their tracked links the friend clicked."""

from __future__ import annotations

from PySide6.QtCore import QLocale
from PySide6.QtWidgets import QListWidget, QWidget

from shopline.ui.operations import Latest, Operation


class FriendCampaigns(QListWidget):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setMaximumHeight(140)
        self.friend_id: int | None = None
        self.rows: list = []
        self._latest = Latest()

    def show_friend(self, friend_id: int | None) -> None:
        if friend_id != self.friend_id:
            self.clear()  # another friend: never a moment of the last one's campaigns
        self.friend_id = friend_id
        if friend_id is None:
            return

        def load(_ctx: object) -> list:
            from shopline.links.results import friend_campaigns

            return friend_campaigns(friend_id)
        Operation(self, load, success=self._latest(self._show)).run()

    def _show(self, rows: list) -> None:
        self.rows = rows
        self.clear()
        for row in rows:
            when = QLocale().toString(row.sent_at.astimezone().replace(tzinfo=None), QLocale.FormatType.ShortFormat) \
                if row.sent_at else ""
            state = self.tr("received") if row.received else self.tr("not sent yet")
            text = f"{when}  {row.name}  ({state})"
            if row.clicks:
                text += "  " + self.tr("clicked %1× %2").replace("%1", str(row.clicks)).replace(
                    "%2", " ".join(row.urls))
            self.addItem(text)
        if not rows:
            self.addItem(self.tr("No campaigns sent to this friend yet"))
