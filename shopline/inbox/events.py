"""What a pulled relay item means for the shop: pure parsing, no store.

A postback whose data holds `tag=NAME` or `untag=NAME` (query-string form, so `tag=VIP&untag=新規` works)
adds or removes ShopLine tags; rich menus and buttons carry such data.
"""

from __future__ import annotations

import re
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
    for key, value in parse_qsl(data, keep_blank_values=False):
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
    """One item of the relay's /api/events answer: {"id", "kind", "cursor", "receivedAt", "event"}."""
    event_id = str(item.get("id", ""))
    event = item.get("event") if isinstance(item.get("event"), dict) else {}
    at = event.get("timestamp")
    if not isinstance(at, int):
        at = int(item.get("receivedAt") or 0)
    if item.get("kind") == "click":
        friend = event.get("friend")
        user = friend if isinstance(friend, str) and USER_ID.fullmatch(friend) else None
        return Incoming(event_id, "click", user, at, detail=str(event.get("url", ""))[:DETAIL_MAX],
                        code=str(event.get("code", ""))[:64])
    kind = event.get("type")
    user = _user(event.get("source"))
    if kind in STATUS_KINDS and user:
        return Incoming(event_id, kind, user, at)
    if kind == "message" and user:
        message = event.get("message") if isinstance(event.get("message"), dict) else {}
        text = message.get("text", "") if message.get("type") == "text" else ""
        text = text if isinstance(text, str) else ""
        detail = text or f"[{message.get('type', 'message')}]"
        return Incoming(event_id, "message", user, at, detail=detail[:DETAIL_MAX], text=text)
    if kind == "postback" and user:
        postback = event.get("postback") if isinstance(event.get("postback"), dict) else {}
        data = postback.get("data", "")
        data = data if isinstance(data, str) else ""
        add, remove = postback_tags(data)
        return Incoming(event_id, "postback", user, at, detail=data[:DETAIL_MAX], tags_add=add, tags_remove=remove)
    return Incoming(event_id, "other", user, at)
