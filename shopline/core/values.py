"""Normalisers for the values a shop types into Excel: IDs, genders, dates, statuses.

Each returns the canonical value or raises ValueError whose args[0] is a Text
saying what was wrong, so CSV import can report it with the row number.
"""

from __future__ import annotations

import datetime as dt
import re

from shopline.core.folding import fold
from shopline.core.messages import Text

USER_ID_RE = re.compile(r"^U[0-9a-f]{32}$")

GENDERS = ("female", "male", "other", "unknown")
_GENDER_ALIASES = {
    "female": "female", "f": "female", "女性": "female", "女": "female",
    "male": "male", "m": "male", "男性": "male", "男": "male",
    "other": "other", "その他": "other",
    "unknown": "unknown", "未回答": "unknown", "不明": "unknown", "": "unknown",
}
GENDER_LABELS_JA = {"female": "女性", "male": "男性", "other": "その他", "unknown": "未回答"}

STATUSES = ("following", "blocked", "unfollowed")
_STATUS_ALIASES = {
    "following": "following", "友だち": "following", "友達": "following", "": "following",
    "blocked": "blocked", "ブロック": "blocked",
    "unfollowed": "unfollowed", "解除": "unfollowed", "友だち解除": "unfollowed",
}
STATUS_LABELS_JA = {"following": "友だち", "blocked": "ブロック", "unfollowed": "友だち解除"}

_DATE_RE = re.compile(r"^(\d{4})[-/](\d{1,2})[-/](\d{1,2})(?:[ T]\d{1,2}:\d{2}(?::\d{2})?)?$")


def parse_user_id(raw: str) -> str:
    value = raw.strip()
    if not USER_ID_RE.match(value):
        raise ValueError(Text(
            f"ユーザーID「{value}」の形式が違います(「U」に続く32文字の英数字 0-9 a-f)。",
            f"The user ID \"{value}\" is not valid (\"U\" followed by 32 characters 0-9 a-f)."))
    return value


def parse_gender(raw: str) -> str:
    key = fold(raw).lower()
    if key in _GENDER_ALIASES:
        return _GENDER_ALIASES[key]
    raise ValueError(Text(
        f"性別「{raw}」が分かりません。女性・男性・その他・未回答のどれかにしてください。",
        f"Unknown gender \"{raw}\". Use female, male, other or unknown."))


def parse_status(raw: str) -> str:
    key = fold(raw).lower()
    if key in _STATUS_ALIASES:
        return _STATUS_ALIASES[key]
    raise ValueError(Text(
        f"状態「{raw}」が分かりません。「友だち」か「ブロック」にしてください。",
        f"Unknown status \"{raw}\". Use following or blocked."))


def parse_date(raw: str) -> dt.date | None:
    """YYYY-MM-DD, YYYY/MM/DD or YYYY/M/D (a time part is ignored); blank is None."""
    value = fold(raw)
    if not value:
        return None
    m = _DATE_RE.match(value)
    if m:
        try:
            return dt.date(int(m[1]), int(m[2]), int(m[3]))
        except ValueError:
            pass
    raise ValueError(Text(
        f"日付「{raw}」が読めません。2024-03-15 や 2024/3/15 の形にしてください。",
        f"Cannot read the date \"{raw}\". Write it like 2024-03-15 or 2024/3/15."))


def parse_number(raw: str) -> float | None:
    value = fold(raw).replace(",", "")
    if not value:
        return None
    try:
        return float(value)
    except ValueError:
        raise ValueError(Text(f"「{raw}」は数値ではありません。", f"\"{raw}\" is not a number.")) from None
