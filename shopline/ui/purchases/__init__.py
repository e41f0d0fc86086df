"""Purchases in the window: a friend's timeline and totals, and the RFM overview."""

from PySide6.QtWidgets import QWidget


def purchases_page(parent: QWidget) -> QWidget:
    """Built when first opened, as the window's other pages are."""
    from shopline.ui.purchases.page import PurchasesPage

    return PurchasesPage(parent)
