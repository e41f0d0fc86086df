"""Drafts as LINE message objects (messaging-api.yml: TextMessage, ImageMessage, StickerMessage,
CouponMessage), and the JSON form that saves drafts and templates in that same shape."""

from __future__ import annotations

import dataclasses
import json
from collections.abc import Sequence
from typing import Any, assert_never

from shopline.core.drafts.bubbles import Bubble, CouponBubble, Draft, ImageBubble, StickerBubble, TextBubble
from shopline.core.drafts.validate import Problem, validate
from shopline.core.messages import ShopLineError, Text

JSON_VERSION = 1
# LINE's property names per message type; the JSON form stores exactly what LINE is sent.
_FIELDS: dict[str, tuple[str, ...]] = {
    "text": ("text",),
    "image": ("originalContentUrl", "previewImageUrl"),
    "sticker": ("packageId", "stickerId"),
    "coupon": ("couponId",),
}


class DraftError(ShopLineError):
    """A draft LINE would refuse; `problems` holds each reason with its bubble."""

    def __init__(self, problems: Sequence[Problem]) -> None:
        first = problems[0]
        where = "" if first.bubble_index is None else f"{first.bubble_index + 1}: "
        super().__init__(Text(where + first.reason.ja, where + first.reason.en))
        self.problems = tuple(problems)


class DraftFormatError(ShopLineError):
    """Saved draft JSON that cannot be read back."""


def bubble_to_line(bubble: Bubble) -> dict[str, str]:
    """One bubble as a LINE message object, whether or not it is valid."""
    if isinstance(bubble, TextBubble):
        return {"type": "text", "text": bubble.text}
    if isinstance(bubble, ImageBubble):
        return {"type": "image", "originalContentUrl": bubble.original_url, "previewImageUrl": bubble.preview_url}
    if isinstance(bubble, StickerBubble):
        return {"type": "sticker", "packageId": bubble.package_id, "stickerId": bubble.sticker_id}
    if isinstance(bubble, CouponBubble):
        return {"type": "coupon", "couponId": bubble.coupon_id}
    assert_never(bubble)


def to_line(draft: Draft) -> list[dict[str, str]]:
    """The `messages` of a multicast request; raises DraftError unless the draft is valid."""
    problems = validate(draft)
    if problems:
        raise DraftError(problems)
    return [bubble_to_line(b) for b in draft.bubbles]


def _format_error(ja: str, en: str) -> DraftFormatError:
    return DraftFormatError(Text(f"保存された下書きを読めません: {ja}", f"The saved draft cannot be read: {en}"))


def bubble_from_line(message: Any) -> Bubble:
    if not isinstance(message, dict):
        raise _format_error(f"{message!r} はメッセージではありません", f"{message!r} is not a message")
    kind = message.get("type")
    if kind not in _FIELDS:
        raise _format_error(f"種類「{kind}」には対応していません", f"message type {kind!r} is not supported")
    unknown = set(message) - {"type", *_FIELDS[kind]}
    if unknown:  # refused rather than dropped: nothing the shop saved may vanish on the next save
        raise _format_error(f"知らない項目 {sorted(unknown)}", f"unknown properties {sorted(unknown)}")
    values = [v for v in (message.get(name) for name in _FIELDS[kind]) if isinstance(v, str)]
    if len(values) != len(_FIELDS[kind]):
        raise _format_error(f"「{kind}」の項目 {list(_FIELDS[kind])} は文字列が必要です",
                            f"{kind!r} needs string properties {list(_FIELDS[kind])}")
    if kind == "text":
        return TextBubble(*values)
    if kind == "image":
        return ImageBubble(*values)
    if kind == "sticker":
        return StickerBubble(*values)
    return CouponBubble(*values)


def from_line(messages: Sequence[Any]) -> Draft:
    """A draft back from LINE message objects, e.g. a campaign's messages as sent."""
    return Draft(tuple(bubble_from_line(m) for m in messages))


def to_json(draft: Draft) -> str:
    """The saved form of a draft or template, valid or not (an unfinished draft is saved too).

    A photo chosen from the shop's PC keeps its file path beside the LINE objects (never inside them: it is
    not LINE's), so a saved draft can still be uploaded later."""
    data: dict[str, Any] = {"version": JSON_VERSION, "bubbles": [bubble_to_line(b) for b in draft.bubbles]}
    local = {str(i): b.local_path for i, b in enumerate(draft.bubbles) if isinstance(b, ImageBubble) and b.local_path}
    if local:
        data["local_paths"] = local
    return json.dumps(data, ensure_ascii=False)


def from_json(text: str) -> Draft:
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise _format_error(f"JSONではありません（{exc.msg}）", f"not JSON ({exc.msg})") from exc
    if not isinstance(data, dict) or data.get("version") != JSON_VERSION or not isinstance(
            data.get("bubbles"), list):
        raise _format_error(f"version {JSON_VERSION} の下書きではありません",
                            f"not a version {JSON_VERSION} draft")
    draft = from_line(data["bubbles"])
    local = data.get("local_paths") or {}
    if not isinstance(local, dict):
        raise _format_error("写真のファイルの記録が読めません", "the photos' file paths cannot be read")
    bubbles = list(draft.bubbles)
    for key, path in local.items():
        index = int(key) if str(key).isdigit() else -1
        bubble = bubbles[index] if 0 <= index < len(bubbles) else None
        if isinstance(bubble, ImageBubble) and isinstance(path, str):
            bubbles[index] = dataclasses.replace(bubble, local_path=path)
    return Draft(tuple(bubbles))
