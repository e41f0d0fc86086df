"""LINE's rules for the bubbles of a multicast, with the reason and the bubble at fault."""

from __future__ import annotations

from dataclasses import dataclass
from typing import assert_never
from urllib.parse import urlsplit

from shopline.core.drafts.bubbles import (
    MAX_BUBBLES,
    MAX_TEXT_LENGTH,
    MAX_URL_LENGTH,
    Bubble,
    CouponBubble,
    Draft,
    ImageBubble,
    StickerBubble,
    TextBubble,
    text_length,
)
from shopline.core.drafts.stickers import sticker_package
from shopline.core.messages import Text


@dataclass(frozen=True)
class Problem:
    bubble_index: int | None  # None: the draft as a whole
    reason: Text


def _url(url: str, ja_what: str, en_what: str) -> Text | None:
    if not url.strip():
        return Text(f"{ja_what}のURLが空です。", f"The {en_what} URL is empty.")
    shown = url if len(url) <= 60 else url[:57] + "..."
    bad = Text(f"{ja_what}のURL「{shown}」は正しいURLではありません。",
               f"The {en_what} URL \"{shown}\" is not a valid URL.")
    if any(ch.isspace() or ord(ch) < 0x20 for ch in url):
        return bad
    try:
        parts = urlsplit(url)
        host = parts.hostname
    except ValueError:  # e.g. an unclosed [IPv6] bracket
        return bad
    if parts.scheme and parts.scheme.lower() != "https" and parts.netloc:
        return Text(f"{ja_what}のURLは https:// で始めてください。LINEはHTTPSの画像しか送れません。",
                    f"The {en_what} URL must start with https://: LINE only sends images over HTTPS.")
    if parts.scheme.lower() != "https" or not host:
        return bad
    if len(url) > MAX_URL_LENGTH:
        return Text(f"{ja_what}のURLは{len(url):,}文字です。{MAX_URL_LENGTH:,}文字以内にしてください。",
                    f"The {en_what} URL has {len(url):,} characters; use at most {MAX_URL_LENGTH:,}.")
    return None


def _bubble(bubble: Bubble) -> list[Text]:
    if isinstance(bubble, TextBubble):
        if not bubble.text.strip():
            return [Text("テキストが空です。", "The text is empty.")]
        n = text_length(bubble.text)
        if n > MAX_TEXT_LENGTH:
            return [Text(f"テキストが{n:,}文字あります。{MAX_TEXT_LENGTH:,}文字以内にしてください。",
                         f"The text has {n:,} characters; use at most {MAX_TEXT_LENGTH:,}.")]
        return []
    if isinstance(bubble, ImageBubble):
        if bubble.local_path and not bubble.original_url.strip():
            return [Text("この写真はまだパソコンの中にあり、LINEからは見えません。写真をウェブに置き、"
                         "その https:// で始まるアドレスを入れてから送信してください。",
                         "This photo is still only on your PC, where LINE cannot see it. Put it on the web "
                         "and enter its https:// address before sending.")]
        found = (_url(bubble.original_url, "画像", "image"), _url(bubble.preview_url, "プレビュー画像", "preview"))
        return [t for t in found if t is not None]
    if isinstance(bubble, StickerBubble):
        package = sticker_package(bubble.package_id)
        if package is None:
            return [Text(f"スタンプのパッケージ「{bubble.package_id}」はMessaging APIで送れません。"
                         "一覧から選んでください。",
                         f"Sticker package \"{bubble.package_id}\" cannot be sent through the Messaging API; "
                         "pick one from the list.")]
        if not package.has(bubble.sticker_id):
            return [Text(f"スタンプ「{bubble.sticker_id}」はパッケージ「{package.package_id}」にありません。",
                         f"Sticker \"{bubble.sticker_id}\" is not in package \"{package.package_id}\".")]
        return []
    if isinstance(bubble, CouponBubble):
        if not bubble.coupon_id.strip():
            return [Text("クーポンIDがありません。", "The coupon ID (couponId) is missing.")]
        return []
    assert_never(bubble)


def validate(draft: Draft) -> list[Problem]:
    """Every problem LINE would refuse the draft for; an empty list means it may be sent."""
    problems: list[Problem] = []
    count = len(draft.bubbles)
    if count == 0:
        problems.append(Problem(None, Text("吹き出しがありません。1つ以上追加してください。",
                                           "There are no bubbles: add at least one.")))
    elif count > MAX_BUBBLES:
        problems.append(Problem(MAX_BUBBLES, Text(
            f"吹き出しは{MAX_BUBBLES}つまでです（今は{count}つ）。{MAX_BUBBLES + 1}つ目から後を消してください。",
            f"A message holds at most {MAX_BUBBLES} bubbles (this one has {count}); "
            f"remove bubble {MAX_BUBBLES + 1} and after.")))
    for index, bubble in enumerate(draft.bubbles):
        problems.extend(Problem(index, reason) for reason in _bubble(bubble))
    return problems

