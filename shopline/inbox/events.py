"""What a pulled relay item means for the shop: pure parsing, no store.

A postback whose data holds `tag=NAME` or `untag=NAME` (query-string form, so `tag=VIP&untag=新規` works)
adds or removes ShopLine tags; rich menus and buttons carry such data.
"""

from __future__ import annotations

import gc
import re
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any
from urllib.parse import parse_qsl

from shopline.core.messages import ShopLineError
from shopline.core.tags import validate_tag_name

USER_ID = re.compile(r"U[0-9a-f]{32}")
DETAIL_MAX = 300  # Reaction.detail's size: enough for keyword rules' purposes, bounded for 100k friends

# What each kind does: status events change following/blocked; reactions are kept as the latest reaction.
STATUS_KINDS = ("follow", "unfollow")
REACTION_KINDS = ("message", "postback", "click")


@dataclass(slots=True)  # not frozen: a frozen dataclass's __init__ costs ~2x, and 100k arrive per pull
class Incoming:
    event_id: str
    kind: str  # follow / unfollow / message / postback / click / other
    user_id: str | None  # None when the event names no LINE user we keep (groups, rooms, odd sources)
    at: int  # LINE's timestamp (or the click's time), milliseconds since the epoch
    detail: str = ""  # message text, postback data, clicked URL
    text: str = ""  # the whole message text, for keyword rules
    tags_add: tuple[str, ...] = ()
    tags_remove: tuple[str, ...] = ()
    code: str = ""  # a click's tracked-link code (shopline.links), which says the campaign and the friend


def _tag(name: str) -> str | None:
    try:
        return validate_tag_name(name)
    except ShopLineError:  # a rich menu's typo must not stop the inbox: the postback is still a reaction
        return None


def postback_tags(data: str) -> tuple[tuple[str, ...], tuple[str, ...]]:
    if "tag=" not in data:  # most postbacks are menus: no parsing for them
        return (), ()
    add: list[str] = []
    remove: list[str] = []
    if "%" in data or "+" in data:
        pairs = parse_qsl(data, keep_blank_values=False)
    else:  # nothing to unquote: parse_qsl's own splitting (on "&", pairs without "=" or a value dropped), ~10x faster
        pairs = [(key, value) for key, eq, value in (part.partition("=") for part in data.split("&")) if eq and value]
    for key, value in pairs:
        name = _tag(value)
        if name is None:
            continue
        if key == "tag":
            add.append(name)
        elif key == "untag":
            remove.append(name)
    return tuple(add), tuple(remove)


_HEX = "0123456789abcdef"


def _user(source: Any) -> str | None:
    user = source.get("userId") if type(source) is dict else None
    # USER_ID's test without the regex engine (100k a pull): U, then 32 characters all lowercase hex.
    if type(user) is str and len(user) == 33 and user[0] == "U" and not user[1:].strip(_HEX):
        return user
    return None


def parse_item(item: dict[str, Any]) -> Incoming:
    """One item of the relay's /api/events answer: {"id", "kind", "cursor", "receivedAt", "event"}.

    100,000 arrive in a pull: exact type tests instead of isinstance, and Incoming built positionally."""
    event_id = str(item.get("id", ""))
    event = item.get("event")
    if type(event) is not dict:
        event = {}
    at = event.get("timestamp")
    if type(at) is not int:
        at = int(item.get("receivedAt") or 0)
    if item.get("kind") == "click":
        friend = event.get("friend")
        user = friend if isinstance(friend, str) and USER_ID.fullmatch(friend) else None
        return Incoming(event_id, "click", user, at, str(event.get("url", ""))[:DETAIL_MAX], "", (), (),
                        str(event.get("code", ""))[:64])
    kind = event.get("type")
    user = _user(event.get("source"))
    if user is None:
        return Incoming(event_id, "other", None, at)
    if kind == "message":
        message = event.get("message")
        if type(message) is not dict:
            message = {}
        text = message.get("text", "") if message.get("type") == "text" else ""
        if type(text) is not str:
            text = ""
        detail = text or f"[{message.get('type', 'message')}]"
        return Incoming(event_id, "message", user, at, detail[:DETAIL_MAX], text)
    if kind == "postback":
        postback = event.get("postback")
        data = postback.get("data", "") if type(postback) is dict else ""
        if type(data) is not str:
            data = ""
        add, remove = postback_tags(data)
        return Incoming(event_id, "postback", user, at, data[:DETAIL_MAX], "", add, remove)
    if kind == "follow" or kind == "unfollow":
        return Incoming(event_id, kind, user, at)
    return Incoming(event_id, "other", user, at)


@contextmanager
def cyclic_gc_paused() -> Iterator[None]:
    """Python's cycle collector off while a page's events are parsed or applied: 25,000 events make some 100,000
    containers, none in a cycle, and every 700 of them set off a collection that walks the young objects (and
    now and then the whole heap, the pulled JSON included): ~10% of the apply's CPU for no garbage found. Paused,
    they are walked once, by the collection owed when it is back on.
    Left as it was on the way out, so a caller that paused it (or another thread's page) keeps its own setting."""
    was_on = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_on:
            gc.enable()


def parse_items(items: Iterable[dict[str, Any]]) -> list[Incoming]:
    """parse_item over a page of the relay's answer, the cycle collector paused."""
    with cyclic_gc_paused():
        return [parse_item(item) for item in items]
