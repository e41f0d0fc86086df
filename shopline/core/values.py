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

_DATE_RE = re.compile(r"^(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})(?:[ T]\d{1,2}:\d{2}(?::\d{2})?)?$")
_KANJI_DATE_RE = re.compile(r"^(\d{4})年(\d{1,2})月(\d{1,2})日$")
# 和暦: the era's name or its initial, a year (元 = 1), then 年月日 or the separators Excel and forms use.
_ERA_DATE_RE = re.compile(r"^(明治|大正|昭和|平成|令和|[MTSHR])(元|\d{1,2})"
                          r"(?:年(\d{1,2})月(\d{1,2})日|[-/.](\d{1,2})[-/.](\d{1,2}))$", re.IGNORECASE)
# Each era's first day in the Gregorian calendar; an era ends the day before the next one starts.
_ERAS = {"明治": dt.date(1868, 10, 23), "大正": dt.date(1912, 7, 30), "昭和": dt.date(1926, 12, 25),
         "平成": dt.date(1989, 1, 8), "令和": dt.date(2019, 5, 1)}
_ERA_INITIALS = {"M": "明治", "T": "大正", "S": "昭和", "H": "平成", "R": "令和"}


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
    """YYYY-MM-DD, YYYY/M/D, YYYY.M.D, YYYY年M月D日 (a time part is ignored) or 和暦; blank is None."""
    value = fold(raw)
    if not value:
        return None
    m = _DATE_RE.match(value) or _KANJI_DATE_RE.match(value)
    if m:
        try:
            return dt.date(int(m[1]), int(m[2]), int(m[3]))
        except ValueError:
            pass
    m = _ERA_DATE_RE.match(value.replace(" ", ""))
    if m:
        return _era_date(raw, m)
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


def _era_date(raw: str, m: re.Match[str]) -> dt.date:
    """A 和暦 date read strictly: the day must fall inside the era. 平成32年 or 昭和64年2月 did not exist
    (the era had ended), so they are refused rather than carried over into the next era: a typo in
    the era is more likely than a shop meaning the Western year the overflow would land on."""
    era = _ERA_INITIALS.get(m[1].upper(), m[1])
    year = 1 if m[2] == "元" else int(m[2])
    month, day = (m[3], m[4]) if m[3] else (m[5], m[6])
    start = _ERAS[era]
    eras = list(_ERAS)
    following = _ERAS[eras[eras.index(era) + 1]] if era != eras[-1] else None
    try:
        date = dt.date(start.year + year - 1, int(month), int(day))
    except ValueError:
        date = None
    if date is None or year < 1 or date < start or (following is not None and date >= following):
        end = following - dt.timedelta(days=1) if following else None
        span_ja = f"{_ja_date(start)}から{_ja_date(end) + 'まで' if end else ''}"
        span_en = f"from {start.isoformat()}{f' to {end.isoformat()}' if end else ''}"
        raise ValueError(Text(
            f"日付「{raw}」はありません({era}は{span_ja}です)。"
            "元号・年・月日を確かめるか、2024/3/15 の形にしてください。",
            f"The date \"{raw}\" does not exist (the {era} era runs {span_en}). "
            "Check the era, year and day, or write it like 2024/3/15."))
    return date


def _ja_date(date: dt.date) -> str:
    return f"{date.year}年{date.month}月{date.day}日"  # not strftime: %-m does not exist on Windows
