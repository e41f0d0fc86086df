"""Which URLs of a text are tracked, and how a friend's short links replace them."""

from __future__ import annotations

from shopline.links.urls import LINK_PREFIX, find_urls, new_code, replace_urls, short_url, with_links


def test_urls_end_at_spaces_japanese_text_and_sentence_punctuation():
    text = ("詳しくはhttps://example.com/a?b=1&c=2をご覧ください。https://example.com/b. "
            "(https://example.com/c) https://ja.wikipedia.org/wiki/X_(Y) http://plain.example.com https://")
    assert find_urls(text) == ["https://example.com/a?b=1&c=2", "https://example.com/b", "https://example.com/c",
                               "https://ja.wikipedia.org/wiki/X_(Y)"]


def test_the_same_url_twice_is_one_link():
    assert find_urls("https://a.example/x と https://a.example/x") == ["https://a.example/x"]


def test_replacing_keeps_what_follows_each_url():
    values = {LINK_PREFIX + "https://a.example/x": "https://r.example/r/AAA"}
    assert with_links("見て https://a.example/x! と https://b.example/", values) == \
        "見て https://r.example/r/AAA! と https://b.example/"
    assert replace_urls("(https://a.example/x)", lambda url: "S") == "(S)"


def test_codes_are_url_safe_and_distinct():
    codes = {new_code() for _ in range(1000)}
    assert len(codes) == 1000 and all(len(c) == 12 and c.replace("-", "").replace("_", "").isalnum() for c in codes)
    assert short_url("https://relay.example/", "abc") == "https://relay.example/r/abc"
