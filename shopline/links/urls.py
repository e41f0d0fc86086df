"""The https:// URLs of a text, and the codes of their short links; pure, no store or network.

A URL runs over printable ASCII and ends at a space or the first non-ASCII character (Japanese text
usually follows a URL with no space), minus trailing punctuation a sentence puts after it; the same
rule LINE's chat applies closely enough that what turns blue is what gets tracked.
"""

from __future__ import annotations

import base64
import os
import re
from collections.abc import Callable, Mapping

_URL = re.compile(r"https://[!-~]+", re.IGNORECASE)
_TRAILING = ".,;:!?'\")]}>"
CODE_BYTES = 9  # 12 characters of [A-Za-z0-9_-]: 2^72 codes, so nobody finds another friend's link by guessing
LINK_PREFIX = "link:"  # how a friend's short link for a URL is kept among the personal values


def _trim(url: str) -> str:
    while url and url[-1] in _TRAILING:
        if url[-1] == ")" and url.count("(") >= url.count(")"):
            break  # https://ja.wikipedia.org/wiki/X_(Y) keeps its own parenthesis
        url = url[:-1]
    return url


def find_urls(text: str) -> list[str]:
    """The distinct https:// URLs in the text, in order of first appearance."""
    found: dict[str, None] = {}
    for match in _URL.finditer(text):
        url = _trim(match.group(0))
        if len(url) > len("https://"):
            found.setdefault(url, None)
    return list(found)


def replace_urls(text: str, short: Callable[[str], str | None]) -> str:
    """Each URL replaced by short(url), or kept when that is None."""
    def swap(match: re.Match[str]) -> str:
        whole = match.group(0)
        url = _trim(whole)
        new = short(url) if len(url) > len("https://") else None
        return whole if new is None else new + whole[len(url):]
    return _URL.sub(swap, text)


def with_links(text: str, values: Mapping[str, str | None]) -> str:
    """The text with every URL that has a short link among `values` (LINK_PREFIX + url) replaced by it."""
    if "https://" not in text.lower():
        return text
    return replace_urls(text, lambda url: values.get(LINK_PREFIX + url))


def new_code() -> str:
    return base64.urlsafe_b64encode(os.urandom(CODE_BYTES)).decode()


def new_codes(count: int) -> list[str]:
    """`count` codes from one os.urandom call. CODE_BYTES is a multiple of 3, so each code is its own 12
    characters of the whole encoding, with no padding between them."""
    size = CODE_BYTES * 4 // 3
    raw = base64.urlsafe_b64encode(os.urandom(CODE_BYTES * count)).decode()
    return [raw[at:at + size] for at in range(0, size * count, size)]


def short_url(relay_url: str, code: str) -> str:
    return f"{relay_url.rstrip('/')}/r/{code}"
