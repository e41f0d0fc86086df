"""Errors a shop owner can act on: where the expression goes wrong, or which name is unknown."""

from __future__ import annotations

import difflib
from collections.abc import Iterable

from shopline.core.messages import ShopLineError, Text


class SegmentError(ShopLineError):
    """Anything wrong with a segment: its text, its JSON, a value, a name."""


class SegmentSyntaxError(SegmentError):
    """The text cannot be read; position is the 1-based character where it goes wrong."""

    def __init__(self, text: Text, position: int) -> None:
        super().__init__(Text(f"{text.ja} ({position}文字目)", f"{text.en} (at character {position})"))
        self.position = position


class UnknownNameError(SegmentError):
    """A tag or field the shop does not have; suggestion is the closest existing name, if any."""

    def __init__(self, kind: str, name: str, suggestion: str | None) -> None:
        label = _KINDS[kind]
        ja = f"{label.ja}「{name}」はありません。"
        en = f"There is no {label.en} \"{name}\"."
        if suggestion is not None:
            ja += f"「{suggestion}」ですか?"
            en += f" Did you mean \"{suggestion}\"?"
        super().__init__(Text(ja, en))
        self.kind, self.name, self.suggestion = kind, name, suggestion


_KINDS = {"tag": Text("タグ", "tag"), "field": Text("項目", "field")}


def closest(name: str, candidates: Iterable[str]) -> str | None:
    """The candidate nearest to name, ignoring case (VIPP -> VIP, Vip -> VIP), or None if none is close."""
    by_key: dict[str, str] = {}
    for candidate in candidates:
        by_key.setdefault(candidate.lower(), candidate)
    found = difflib.get_close_matches(name.lower(), list(by_key), n=1, cutoff=0.6)
    return by_key[found[0]] if found else None
