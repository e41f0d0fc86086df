"""Bilingual sentences for errors raised below the UI.

The UI translates its own strings with Qt's tr(); the layers under it cannot
import Qt, so their errors carry both languages and the caller picks one.
"""

from __future__ import annotations

import os
from dataclasses import dataclass

_language = "en" if os.environ.get("SHOPLINE_LANG", "").lower().startswith("en") else "ja"


def set_language(lang: str) -> None:
    global _language
    _language = "en" if lang.lower().startswith("en") else "ja"


def language() -> str:
    return _language


@dataclass(frozen=True)
class Text:
    ja: str
    en: str

    def __str__(self) -> str:
        return self.en if _language == "en" else self.ja

    def format(self, **kw: object) -> Text:
        return Text(self.ja.format(**kw), self.en.format(**kw))


class ShopLineError(Exception):
    """An error whose message a shop owner can read, in the current language."""

    def __init__(self, text: Text) -> None:
        super().__init__(text.ja)
        self.text = text

    def __str__(self) -> str:
        return str(self.text)
