"""Name folding shared by tags, fields and segment expressions.

NFKC makes full-width ＶＩＰ and half-width VIP one name, and half-width ｶﾀｶﾅ
the same as カタカナ; runs of white space (including the ideographic space)
collapse to one ASCII space so a stray double space in Excel is not a new tag.
"""

from __future__ import annotations

import re
import unicodedata

_SPACES = re.compile(r"\s+")


def fold(name: str) -> str:
    return _SPACES.sub(" ", unicodedata.normalize("NFKC", name)).strip()

