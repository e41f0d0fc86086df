"""Placeholders: parsing, rendering with every kind of value, fallbacks, literal braces, unknown names."""

from __future__ import annotations

import pytest

from shopline.core.drafts import MAX_TEXT_LENGTH, text_length
from shopline.core.placeholders import (
    DISPLAY_NAME,
    is_personal,
    literal,
    missing,
    parse,
    problems,
    render,
)

RANK = "field:会員ランク"


def test_display_name_in_both_spellings_and_a_field():
    template = parse("お誕生日おめでとうございます、{表示名}様。{name}さんは{会員ランク}会員です")
    assert [p.key for p in template.placeholders] == [DISPLAY_NAME, DISPLAY_NAME, RANK]
    assert render(template, {DISPLAY_NAME: "花子", RANK: "ゴールド"}) == \
        "お誕生日おめでとうございます、花子様。花子さんはゴールド会員です"


def test_names_are_folded_like_field_names():
    assert parse("{ 会員ランク }").placeholders[0].key == RANK
    assert parse("{ＮＡＭＥ}").placeholders[0].key == DISPLAY_NAME


def test_fallback_for_a_missing_or_blank_value():
    template = parse("{表示名|お客様}へ")
    assert render(template, {}) == "お客様へ"
    assert render(template, {DISPLAY_NAME: "  "}) == "お客様へ"
    assert render(template, {DISPLAY_NAME: "太郎"}) == "太郎へ"
    assert missing(template, {}) == []


def test_empty_fallback_is_a_fallback():
    template = parse("こんにちは{表示名|}!")
    assert render(template, {}) == "こんにちは!" and missing(template, {}) == []


def test_missing_value_without_fallback_is_reported_not_rendered_silently():
    template = parse("{表示名}様、{会員ランク}特典")
    assert [p.key for p in missing(template, {DISPLAY_NAME: "太郎"})] == [RANK]
    assert [p.key for p in missing(template, {DISPLAY_NAME: "", RANK: None})] == [DISPLAY_NAME, RANK]
    assert missing(template, {DISPLAY_NAME: "太郎", RANK: "金"}) == []


@pytest.mark.parametrize("value", ["{表示名}", "{{x}}", "a|b", "}", "{", "\\1", "😀👨‍👩‍👧", "名前\n改行"])
def test_a_value_is_printed_as_it_is_never_interpreted(value):
    assert render(parse("[{表示名}]"), {DISPLAY_NAME: value}) == f"[{value}]"


def test_emoji_values_count_as_line_counts_them():
    text = render(parse("{表示名}"), {DISPLAY_NAME: "😀" * 10})
    assert text_length(text) == 20


def test_a_very_long_value_renders_whole_and_is_measurable():
    text = render(parse("{表示名}様"), {DISPLAY_NAME: "長" * 6000})
    assert len(text) == 6001 and text_length(text) > MAX_TEXT_LENGTH


def test_doubled_braces_are_literal_and_lone_braces_stay():
    assert literal("{{表示名}} は } と { のまま") == "{表示名} は } と { のまま"
    assert not is_personal("{{表示名}}")
    assert render(parse("{{{表示名}}}"), {DISPLAY_NAME: "花"}) == "{花}"
    assert not is_personal("価格 { } と {|x}")


def test_plain_text_is_not_personal_and_unchanged():
    assert not is_personal("春のセールのお知らせです https://example.com/?a=1")
    assert literal("春のセール") == "春のセール"


def test_unknown_field_is_a_problem_with_the_nearest_name():
    found = problems("{会員ランタ}様 {表示名} {誕生月}", ["会員ランク", "地域"])
    assert len(found) == 2
    assert "{会員ランタ}" in found[0].ja and "会員ランク" in found[0].ja and "{{" in found[0].ja
    assert "{誕生月}" in found[1].en
    assert problems("{表示名}{name}{会員ランク|一般}", ["会員ランク"]) == []


def test_placeholder_positions_point_at_the_braces():
    text = "ab{表示名|x}cd"
    p = parse(text).placeholders[0]
    assert text[p.start:p.end] == "{表示名|x}" and p.fallback == "x"
