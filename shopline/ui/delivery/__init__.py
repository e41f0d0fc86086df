"""Delivery in the window: the send dialog (estimate, confirmation, progress, test send) and 配信履歴."""

from shopline.ui.delivery.history_page import HistoryPage
from shopline.ui.delivery.send_dialog import SendDialog

__all__ = ["HistoryPage", "SendDialog"]
