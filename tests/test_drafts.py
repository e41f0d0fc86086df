"""Drafts: bubbles, LINE's rules with reasons, LINE message objects checked against LINE's OpenAPI
document, and the saved JSON form."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from shopline.core import messages
from shopline.core.drafts import (
    MAX_TEXT_LENGTH,
    CouponBubble,
    Draft,
    DraftError,
    DraftFormatError,
    ImageBubble,
    StickerBubble,
    TextBubble,
    from_json,
    from_line,
    is_sendable,
    sticker_package,
    sticker_packages,
    text_length,
    to_json,
    to_line,
    validate,
)

SPEC = Path(__file__).resolve().parent / "line_openapi" / "messaging-api.yml"
IMG = ImageBubble("https://example.com/a.jpg", "https://example.com/a-preview.jpg")
FULL = Draft((TextBubble("セール開催中！"), IMG, StickerBubble("446", "1988"), CouponBubble("01JABCDEF")))


def reasons(bubble):
    """The reasons one bubble is refused, in both languages."""
    return [(p.reason.ja, p.reason.en) for p in validate(Draft((bubble,)))]


def only_reason(bubble):
    (found,) = reasons(bubble)
    return found


# --- LINE message objects ------------------------------------------------------------------------

def test_to_line_is_exactly_lines_shape():
    assert to_line(FULL) == [
        {"type": "text", "text": "セール開催中！"},
        {"type": "image", "originalContentUrl": "https://example.com/a.jpg",
         "previewImageUrl": "https://example.com/a-preview.jpg"},
        {"type": "sticker", "packageId": "446", "stickerId": "1988"},
        {"type": "coupon", "couponId": "01JABCDEF"},
    ]


@pytest.fixture(scope="module")
def line_schema():
    import openapi_schema_validator as validator_mod  # test dependency, through openapi-core
    import yaml

    assert SPEC.is_file(), f"LINE's OpenAPI document is vendored at {SPEC}"
    components = yaml.safe_load(SPEC.read_text(encoding="utf-8"))["components"]

    def check(schema_name, instance):
        schema = {"$ref": f"#/components/schemas/{schema_name}", "components": components}
        validator_mod.OAS30Validator(schema, format_checker=validator_mod.oas30_format_checker).validate(instance)

    check.mapping = components["schemas"]["Message"]["discriminator"]["mapping"]
    return check


def test_messages_validate_against_lines_openapi(line_schema):
    generated = to_line(FULL)
    for message in generated:
        line_schema("Message", message)
        # The discriminator picks the concrete schema; jsonschema does not follow it on its own.
        line_schema(line_schema.mapping[message["type"]].rsplit("/", 1)[-1], message)
    line_schema("MulticastRequest", {"to": ["U" + "0" * 32], "messages": generated,
                                     "customAggregationUnits": ["spring_sale"]})


def test_the_schema_check_has_teeth(line_schema):
    from jsonschema.exceptions import ValidationError
    with pytest.raises(ValidationError):
        line_schema("ImageMessage", {"type": "image", "originalContentUrl": "https://example.com/a.jpg"})
    with pytest.raises(ValidationError):
        line_schema("MulticastRequest", {"to": ["U" + "0" * 32], "messages": to_line(FULL) * 2})


def test_to_line_refuses_an_invalid_draft():
    with pytest.raises(DraftError) as info:
        to_line(Draft((TextBubble("ok"), TextBubble(""))))
    assert [p.bubble_index for p in info.value.problems] == [1]
    assert info.value.text.ja.startswith("2: ")


# --- validation: drafts --------------------------------------------------------------------------

def test_a_valid_draft_has_no_problems():
    assert validate(FULL) == []
    assert validate(Draft((TextBubble("a"),) * 5)) == []


def test_no_bubbles():
    (problem,) = validate(Draft())
    assert problem.bubble_index is None and "吹き出しがありません" in problem.reason.ja
    assert "no bubbles" in problem.reason.en


def test_six_bubbles():
    (problem,) = validate(Draft((TextBubble("a"),) * 6))
    assert problem.bubble_index == 5  # the first bubble past the fifth is at fault
    assert "5つまで" in problem.reason.ja and "at most 5" in problem.reason.en


def test_problems_name_their_bubble():
    draft = Draft((TextBubble("ok"), TextBubble(" "), StickerBubble("1", "1")))
    assert [p.bubble_index for p in validate(draft)] == [1, 2]


# --- validation: text ----------------------------------------------------------------------------

@pytest.mark.parametrize("text", ["", " ", "\n\t　"])
def test_empty_text(text):
    assert only_reason(TextBubble(text)) == ("テキストが空です。", "The text is empty.")


def test_text_length_boundary():
    assert reasons(TextBubble("あ" * MAX_TEXT_LENGTH)) == []
    ja, en = only_reason(TextBubble("あ" * (MAX_TEXT_LENGTH + 1)))
    assert "5,001文字" in ja and "5,000文字以内" in ja and "at most 5,000" in en


def test_emoji_count_as_line_counts_them():
    assert text_length("😀") == 2 and text_length("あa") == 2 and text_length("\ud800") == 1
    assert reasons(TextBubble("😀" * 2500)) == []
    assert reasons(TextBubble("😀" * 2500 + "a"))


# --- validation: images --------------------------------------------------------------------------

@pytest.mark.parametrize("url", ["http://example.com/a.jpg", "HTTP://example.com/a.jpg", "ftp://example.com/a.jpg"])
def test_non_https_image(url):
    ja, en = only_reason(ImageBubble(url, "https://example.com/p.jpg"))
    assert "https://" in ja and "HTTPS" in ja and "must start with https://" in en


@pytest.mark.parametrize("url", ["example.com/a.jpg", "https://", "https:///a.jpg", "https://exa mple.com/a.jpg",
                                 "https://[::1/a.jpg", "javascript:alert(1)", "https://example.com/\x07"])
def test_bad_image_url(url):
    ja, en = only_reason(ImageBubble(url, "https://example.com/p.jpg"))
    assert "正しいURLではありません" in ja and "not a valid URL" in en


def test_empty_and_too_long_image_urls():
    assert only_reason(ImageBubble("", "https://example.com/p.jpg")) == (
        "画像のURLが空です。", "The image URL is empty.")
    long_url = "https://example.com/" + "a" * 1981
    assert len(long_url) == 2001
    ja, en = only_reason(ImageBubble(long_url, "https://example.com/p.jpg"))
    assert "2,001文字" in ja and "at most 2,000" in en
    assert reasons(ImageBubble(long_url[:-1], "https://example.com/p.jpg")) == []


def test_preview_url_is_checked_too():
    ja, en = only_reason(ImageBubble("https://example.com/a.jpg", "http://example.com/p.jpg"))
    assert ja.startswith("プレビュー画像") and en.startswith("The preview URL")
    assert len(reasons(ImageBubble("http://a.example/x", " "))) == 2


# --- validation: stickers and coupons ------------------------------------------------------------

def test_bundled_sticker_list():
    ids = {p.package_id for p in sticker_packages()}
    assert {"446", "789", "6136", "6325", "6359", "6362", "6370", "6632", "8515", "8522", "8525",
            "11537", "11538", "11539"} <= ids
    moon = sticker_package("446")
    assert moon is not None and (moon.first, moon.last) == (1988, 2027) and len(moon.sticker_ids) == 40
    assert moon.title.ja == "ムーン スペシャル" and moon.title.en == "Moon: Special Edition"
    assert all(p.first <= p.last and p.title.ja and p.title.en for p in sticker_packages())


def test_sticker_range_edges():
    assert is_sendable("11537", "52002734") and is_sendable("11537", "52002773")
    assert not is_sendable("11537", "52002733") and not is_sendable("11537", "52002774")
    assert reasons(StickerBubble("11539", "52114149")) == []


def test_unknown_sticker_package():
    ja, en = only_reason(StickerBubble("1", "1"))
    assert "パッケージ「1」" in ja and "cannot be sent through the Messaging API" in en


@pytest.mark.parametrize("sticker_id", ["1", "1987", "2028", "", "１９８８", "19 88", "abc"])
def test_unknown_sticker_in_a_known_package(sticker_id):
    ja, en = only_reason(StickerBubble("446", sticker_id))
    assert "パッケージ「446」にありません" in ja and "is not in package \"446\"" in en


@pytest.mark.parametrize("coupon_id", ["", "  "])
def test_missing_coupon_id(coupon_id):
    assert only_reason(CouponBubble(coupon_id)) == ("クーポンIDがありません。", "The coupon ID (couponId) is missing.")


def test_reasons_follow_the_language():
    (problem,) = validate(Draft((TextBubble(""),)))
    messages.set_language("en")
    try:
        assert str(problem.reason) == "The text is empty."
    finally:
        messages.set_language("ja")
    assert str(problem.reason) == "テキストが空です。"


# --- saved form ----------------------------------------------------------------------------------

def test_json_round_trip():
    assert from_json(to_json(FULL)) == FULL
    unfinished = Draft((TextBubble(""), ImageBubble("http://x", ""), StickerBubble("9", "9"), CouponBubble("")))
    assert from_json(to_json(unfinished)) == unfinished  # an unfinished draft is saved as it is
    assert from_json(to_json(Draft())) == Draft()
    assert "セール開催中！" in to_json(FULL)  # readable in the database, not \\u-escaped


def test_campaign_messages_read_back():
    assert from_line(to_line(FULL)) == FULL


@pytest.mark.parametrize("text", [
    "not json",
    "[]",
    '{"version": 2, "bubbles": []}',
    '{"version": 1}',
    '{"version": 1, "bubbles": [1]}',
    '{"version": 1, "bubbles": [{"type": "video", "originalContentUrl": "https://x"}]}',
    '{"version": 1, "bubbles": [{"type": "text"}]}',
    '{"version": 1, "bubbles": [{"type": "text", "text": 5}]}',
    '{"version": 1, "bubbles": [{"type": "text", "text": "a", "quickReply": {}}]}',
])
def test_unreadable_saved_drafts(text):
    with pytest.raises(DraftFormatError) as info:
        from_json(text)
    assert info.value.text.ja.startswith("保存された下書きを読めません")
    assert info.value.text.en.startswith("The saved draft cannot be read")


def test_moving_a_bubble():
    a, b, c = TextBubble("a"), TextBubble("b"), TextBubble("c")
    assert Draft((a, b, c)).moved(0, 2) == Draft((b, c, a))
    assert Draft((a, b, c)).moved(2, 0) == Draft((c, a, b))


def test_a_photo_from_the_pc_keeps_its_file_path_in_the_saved_draft():
    photo = ImageBubble("", "", local_path="C:/Users/shop/Pictures/新作ケーキ.jpg")
    draft = Draft((TextBubble("新作です"), photo))
    saved = to_json(draft)
    assert from_json(saved) == draft
    assert from_json(saved).bubbles[1].local_path.endswith("新作ケーキ.jpg")
    assert "local_path" not in json.dumps(json.loads(saved)["bubbles"])  # never inside the LINE objects
    with pytest.raises(DraftError, match="パソコンの中"):  # and it still cannot be sent as it is
        to_line(draft)
