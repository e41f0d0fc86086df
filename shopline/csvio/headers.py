"""Column names: the English and Japanese headers a shop may use, and the ones export writes."""

from __future__ import annotations

import re
from dataclasses import dataclass

from shopline.core.folding import fold

# Known columns in export order, each with the header export writes (Japanese) and its aliases.
COLUMNS: dict[str, tuple[str, ...]] = {
    "line_user_id": ("ユーザーID", "user_id", "userid", "line_id", "lineユーザーid", "友だちid"),
    "display_name": ("表示名", "name", "名前", "氏名", "lineの表示名"),
    "gender": ("性別", "sex"),
    "birthday": ("誕生日", "birth_date", "birthdate", "生年月日"),
    "region": ("地域", "prefecture", "都道府県", "住所(都道府県)"),
    "followed_at": ("友だち追加日", "友達追加日", "追加日", "friend_added", "added_at"),
    "status": ("状態", "ステータス", "友だち状態"),
    "tags": ("タグ", "tag"),
    "memo": ("メモ", "note", "notes", "備考"),
    "picture_url": ("プロフィール画像", "picture", "画像url"),
    "language": ("言語", "lang"),
}
# The columns our own errors CSV adds (the source row, the reason); ignored when the fixed file comes back.
ROW_HEADER = "行番号"
REASON_HEADER = "エラー理由"

_SEPARATORS = re.compile(r"[\s_\-・]+")


def _key(header: str) -> str:
    return _SEPARATORS.sub("_", fold(header).lower()).strip("_")


_ALIASES = {_key(a): column for column, aliases in COLUMNS.items() for a in (column, *aliases)}
_IGNORED_KEYS = {_key(ROW_HEADER), _key(REASON_HEADER)}


def export_header(column: str) -> str:
    return COLUMNS[column][0]


@dataclass(frozen=True)
class Column:
    """What one CSV column means: a known column, a custom field, or nothing (ignored)."""

    index: int
    header: str
    known: str | None = None  # a key of COLUMNS
    field: str | None = None  # a custom field's (folded) name

    @property
    def target(self) -> str | None:
        return self.known or self.field


def map_headers(headers: list[str]) -> list[Column]:
    """Known aliases first; every other named column becomes a custom field, so nothing is dropped."""
    columns = []
    for i, header in enumerate(headers):
        key = _key(header)
        if key in _ALIASES:
            columns.append(Column(i, header, known=_ALIASES[key]))
        elif key in _IGNORED_KEYS:
            columns.append(Column(i, header))
        elif fold(header):
            columns.append(Column(i, header, field=fold(header)))
        else:
            # A column without a header still carries data; give it a name the shop can find.
            columns.append(Column(i, header, field=f"列{i + 1}"))
    return columns


def duplicates(columns: list[Column]) -> list[str]:
    """Targets named by more than one column: the file is ambiguous about which one wins."""
    seen: dict[str, int] = {}
    for c in columns:
        if c.target:
            seen[c.target] = seen.get(c.target, 0) + 1
    return [t for t, n in seen.items() if n > 1]
