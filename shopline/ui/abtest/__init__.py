"""A/B tests in the window: made from the composer (create_dialog), followed and finished on 効果測定 (panel)."""

from shopline.ui.abtest.create_dialog import ABTestDialog
from shopline.ui.abtest.panel import ABTestPanel

__all__ = ["ABTestDialog", "ABTestPanel"]
