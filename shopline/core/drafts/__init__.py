"""Message drafts: bubbles, LINE's rules for them, and their LINE and saved JSON forms."""

from shopline.core.drafts.bubbles import (
    MAX_BUBBLES,
    MAX_TEXT_LENGTH,
    Bubble,
    CouponBubble,
    Draft,
    ImageBubble,
    StickerBubble,
    TextBubble,
    text_length,
)
from shopline.core.drafts.stickers import StickerPackage, is_sendable, sticker_package, sticker_packages
from shopline.core.drafts.to_line import DraftError, DraftFormatError, from_json, from_line, to_json, to_line
from shopline.core.drafts.validate import Problem, validate

__all__ = [
    "MAX_BUBBLES", "MAX_TEXT_LENGTH", "Bubble", "CouponBubble", "Draft", "DraftError", "DraftFormatError",
    "ImageBubble", "Problem", "StickerBubble", "StickerPackage", "TextBubble", "from_json", "from_line",
    "is_sendable", "sticker_package", "sticker_packages", "text_length", "to_json", "to_line", "validate",
]
