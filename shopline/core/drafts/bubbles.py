"""The bubbles a shop composes, and the draft that holds them: plain data, checked by validate.py.

Bubbles accept anything so the editor can hold a half-typed draft; validate() says what is wrong
and to_line() refuses to turn an invalid draft into LINE messages.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

MAX_BUBBLES = 5
MAX_TEXT_LENGTH = 5000
MAX_URL_LENGTH = 2000


def text_length(text: str) -> int:
    """Characters as LINE counts them for the 5,000 limit.

    Counted in UTF-16 code units, so an emoji outside the BMP counts twice: the stricter reading
    of LINE's limit, which refuses here rather than at LINE. The editor's counter uses this too.
    """
    return len(text.encode("utf-16-le", "surrogatepass")) // 2  # a stray surrogate from a paste still counts


@dataclass(frozen=True)
class TextBubble:
    text: str


@dataclass(frozen=True)
class ImageBubble:
    original_url: str  # HTTPS, JPEG or PNG, up to 10 MB
    preview_url: str  # HTTPS, JPEG or PNG, up to 1 MB
    local_path: str = ""  # the photo on the shop's PC it came from; never sent to LINE (it cannot fetch it)


@dataclass(frozen=True)
class StickerBubble:
    package_id: str
    sticker_id: str


@dataclass(frozen=True)
class CouponBubble:
    coupon_id: str  # made through /v2/bot/coupon


Bubble = TextBubble | ImageBubble | StickerBubble | CouponBubble


@dataclass(frozen=True)
class Draft:
    """One message as LINE counts it: 1 to 5 bubbles sent together."""

    bubbles: tuple[Bubble, ...] = ()

    def moved(self, source: int, target: int) -> Draft:
        """The draft with the bubble at `source` dragged to position `target`."""
        items = list(self.bubbles)
        items.insert(target, items.pop(source))
        return replace(self, bubbles=tuple(items))
