"""The window's own preferences in QSettings (the shop's data settings live in the database)."""

LANGUAGE_KEY = "ui/language"  # "ja" or "en"; applied at the next start
