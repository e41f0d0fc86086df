"""The 47 prefectures in JIS order; LINE's narrowcast area codes are jp_01..jp_47 in the same order."""

from __future__ import annotations

from shopline.core.folding import fold

PREFECTURES: tuple[str, ...] = (
    "北海道", "青森県", "岩手県", "宮城県", "秋田県", "山形県", "福島県",
    "茨城県", "栃木県", "群馬県", "埼玉県", "千葉県", "東京都", "神奈川県",
    "新潟県", "富山県", "石川県", "福井県", "山梨県", "長野県", "岐阜県",
    "静岡県", "愛知県", "三重県", "滋賀県", "京都府", "大阪府", "兵庫県",
    "奈良県", "和歌山県", "鳥取県", "島根県", "岡山県", "広島県", "山口県",
    "徳島県", "香川県", "愛媛県", "高知県", "福岡県", "佐賀県", "長崎県",
    "熊本県", "大分県", "宮崎県", "鹿児島県", "沖縄県",
)

_BY_SHORT = {p if p == "北海道" else p[:-1]: p for p in PREFECTURES}


def normalise_prefecture(raw: str) -> str | None:
    """東京 / 東京都 / jp_13 -> 東京都; None when it names no prefecture."""
    value = fold(raw)
    if value in PREFECTURES:
        return value
    if value in _BY_SHORT:
        return _BY_SHORT[value]
    if value.lower().startswith("jp_") and value[3:].isdigit() and 1 <= int(value[3:]) <= 47:
        return PREFECTURES[int(value[3:]) - 1]
    return None


def area_code(prefecture: str) -> str:
    return f"jp_{PREFECTURES.index(prefecture) + 1:02d}"
