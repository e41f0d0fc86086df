"""Data files bundled with ShopLine (plans, LINE's sendable stickers), read with importlib.resources."""
