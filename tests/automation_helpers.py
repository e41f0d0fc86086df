"""A shop on the Tokyo clock, friends added at chosen moments, and a log of who got which text when."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from zoneinfo import ZoneInfo

from fake_line.server import TOKEN, user_id

from shopline.automations.runner import run_due
from shopline.automations.shop_time import set_shop_tz
from shopline.store.models import Friend, FriendTag, Tag

TOKYO = ZoneInfo("Asia/Tokyo")


def t(text: str) -> dt.datetime:
    return dt.datetime.strptime(text, "%Y-%m-%d %H:%M").replace(tzinfo=TOKYO)


def text(body: str) -> list[dict]:
    return [{"type": "text", "text": body}]


def tokyo_shop(*tags: str) -> None:
    set_shop_tz("Asia/Tokyo")
    for name in tags:
        Tag.get_or_create(name=name)


def add_friend(n: int, at: dt.datetime, *tags: str, **fields) -> Friend:
    """A friend ShopLine first saw at `at` (created_at is the machine's local time, naive, as sync writes it)."""
    local = at.astimezone().replace(tzinfo=None)
    friend = Friend.create(user_id=user_id(n), display_name=f"友だち{n}", created_at=local, updated_at=local,
                           **fields)
    for name in tags:
        tag_at(friend, name, at)
    return friend


def tag_at(friend: Friend, name: str, at: dt.datetime) -> None:
    tag, _ = Tag.get_or_create(name=name)
    FriendTag.insert(friend=friend.id, tag=tag.id,
                     added_at=at.astimezone(dt.UTC).replace(tzinfo=None)).execute()


class Log:
    """Runs the runner on a simulated clock; `got[user] -> [(local time, text)]`."""

    def __init__(self, fake) -> None:
        self.fake = fake
        self.seen = 0
        self.got: dict[str, list[tuple[str, str]]] = defaultdict(list)
        self.reports = []

    def run(self, now: dt.datetime, **kw):
        report = run_due(now, token=TOKEN, **kw)
        self.reports.append(report)
        for body in self.fake.multicasts[self.seen:]:
            for uid in body["to"]:
                for message in body["messages"]:
                    self.got[uid].append((f"{now.astimezone(TOKYO):%m-%d %H:%M}", message.get("text", "")))
        self.seen = len(self.fake.multicasts)
        return report

    def every(self, start: dt.datetime, end: dt.datetime, minutes: int = 30) -> None:
        now = start
        while now <= end:
            self.run(now)
            now += dt.timedelta(minutes=minutes)
