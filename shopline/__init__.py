"""ShopLine: a shop's LINE friends, tags and segment sends, kept on its own computer."""

__version__ = "0.1.0"
APP_NAME = "ShopLine"
