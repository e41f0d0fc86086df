"""LINE's stickers the Messaging API may send, from the bundled shopline/resources/stickers.json."""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import cache
from importlib import resources

from shopline.core.messages import Text


@dataclass(frozen=True)
class StickerPackage:
    package_id: str
    title: Text
    first: int  # sticker IDs run from first to last, inclusive
    last: int

    @property
    def sticker_ids(self) -> tuple[str, ...]:
        return tuple(str(n) for n in range(self.first, self.last + 1))

    def has(self, sticker_id: str) -> bool:
        return sticker_id.isascii() and sticker_id.isdigit() and self.first <= int(sticker_id) <= self.last


@cache
def sticker_packages() -> tuple[StickerPackage, ...]:
    text = resources.files("shopline.resources").joinpath("stickers.json").read_text(encoding="utf-8")
    return tuple(
        StickerPackage(package_id=p["package_id"],
                       title=Text(p["title"].get("ja", p["title"]["en"]), p["title"]["en"]),
                       first=int(p["first"]), last=int(p["last"]))
        for p in json.loads(text)["packages"])


def sticker_package(package_id: str) -> StickerPackage | None:
    return next((p for p in sticker_packages() if p.package_id == package_id), None)


def is_sendable(package_id: str, sticker_id: str) -> bool:
    package = sticker_package(package_id)
    return package is not None and package.has(sticker_id)
