"""効果測定 in the window: the campaigns' results, the account's trend, the cross table, and 配信履歴 inside."""

from shopline.ui.results.page import ResultsPage

__all__ = ["ResultsPage"]
