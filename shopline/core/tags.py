"""Tag name rules: what a tag may be called, with a reason when it may not."""

from __future__ import annotations

import unicodedata

from shopline.core.folding import fold
from shopline.core.messages import ShopLineError, Text

MAX_TAG_LENGTH = 40
_ALLOWED_PUNCT = {" ", "_", "-", "ー", "・", "々", "〆", "〇", "ヶ"}


class TagNameError(ShopLineError):
    pass


def _allowed(ch: str) -> bool:
    if ch in _ALLOWED_PUNCT:
        return True
    cat = unicodedata.category(ch)
    # Letters (incl. kana and kanji) and digits in any script; everything else,
    # emoji (So), control (Cc), format (Cf) and punctuation, is refused.
    return cat[0] == "L" or cat == "Nd" or cat == "Mn" or cat == "Mc"


def validate_tag_name(raw: str) -> str:
    """Return the folded name, or raise TagNameError saying why it is refused."""
    name = fold(raw)
    if not name:
        raise TagNameError(Text("タグ名が空です。1文字以上入力してください。",
                                "The tag name is empty. Type at least one character."))
    if len(name) > MAX_TAG_LENGTH:
        raise TagNameError(Text(
            f"タグ名「{name[:20]}…」は{len(name)}文字です。{MAX_TAG_LENGTH}文字以内にしてください。",
            f"The tag name \"{name[:20]}…\" has {len(name)} characters; use at most {MAX_TAG_LENGTH}."))
    for ch in name:
        if not _allowed(ch):
            shown = ch if unicodedata.category(ch)[0] not in "CZ" else f"U+{ord(ch):04X}"
            raise TagNameError(Text(
                f"タグ名「{name}」に使えない文字「{shown}」があります。"
                "文字・数字・スペース・「_」「-」だけが使えます。",
                f"The tag name \"{name}\" contains \"{shown}\", which is not allowed. "
                "Use letters, digits, spaces, \"_\" and \"-\" only."))
    return name


def split_tags(cell: str) -> list[str]:
    """Split a CSV tags cell on ';' (and the full-width '；' Excel users type)."""
    return [part for part in (p.strip() for p in cell.replace("；", ";").split(";")) if part]
