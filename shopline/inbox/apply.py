"""Applying a page of pulled events to the store, exactly once.

One write transaction holds the events' effects, their InboxEvent rows and the new cursor: a crash
before the commit leaves none of them, after it all of them, so an event is never applied twice even
when the acknowledgement to the relay never went out (the next pull starts after the stored cursor,
and an event ID seen before is skipped if the relay serves it again).

Per friend, a later event wins over an earlier one by LINE's timestamp, not by arrival: the time of
the latest status event and of the latest change to each tag is kept in InboxClock, and an older
event arriving afterwards changes nothing there (a reaction keeps only the newest of its kind).

The effects are worked out set-based in SQL (page_sql.py): the page goes into TEMP tables in one executemany and
each kind of effect is a statement or two, so 100,000 events cost about what writing their effects costs. New
friends (created_at, source webhook, followed_at) and new tag links (added_at) are what the automations' runner
reads as friend_added and tag_added triggers.
"""

from __future__ import annotations

import datetime as dt
import json
import operator
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass

from shopline.core.changes import Changes
from shopline.inbox import page_sql
from shopline.inbox.events import Incoming, cyclic_gc_paused
from shopline.inbox.rules import Matcher
from shopline.line.profiles import Profile
from shopline.store import write_log
from shopline.store.connection import db
from shopline.store.dialect.sqlite import insert_ignore_rows, insert_rows, write_transaction
from shopline.store.link_clicks import record_clicks
from shopline.store.models import Setting
from shopline.store.tags import get_or_create_tags

CURSOR_KEY = "inbox.cursor"
RELAY_KEY = "inbox.relay"  # the relay the cursor belongs to: another relay's queue starts from its beginning


@dataclass
class ApplyResult:
    applied: int = 0  # new events whose effects are now in the store
    duplicates: int = 0  # events applied before (LINE redelivered, or the relay served them again)
    new_friends: int = 0
    following: int = 0  # friends whose status became following
    blocked: int = 0
    reactions: int = 0
    tagged: int = 0  # (friend, tag) pairs added
    untagged: int = 0
    tags_created: int = 0
    clicks: int = 0  # clicks on tracked links kept for their campaign (shopline.links)
    cursor: int = 0

    def add(self, other: ApplyResult) -> None:
        for name in self.__dataclass_fields__:
            if name != "cursor":
                setattr(self, name, getattr(self, name) + getattr(other, name))
        self.cursor = other.cursor

    @property
    def changes(self) -> Changes:
        friends = bool(self.new_friends or self.following or self.blocked or self.reactions
                       or self.tagged or self.untagged)
        return Changes(friends=friends, tags=bool(self.tagged or self.untagged or self.tags_created),
                       campaigns=bool(self.clicks))


def _rows_for(sql: str, values: Sequence[str] | Sequence[int]) -> list[tuple]:
    """`sql` with `?` bound to the values as one JSON array (`IN (SELECT value FROM json_each(?))`): one cached
    statement whatever the number of values, instead of IN-lists cut to SQLite's variable limit."""
    return list(db.execute_sql(sql, (json.dumps(list(values)),))) if values else []


def stored_cursor(relay_url: str) -> int:
    rows = dict(Setting.select(Setting.key, Setting.value).where(Setting.key.in_([CURSOR_KEY, RELAY_KEY])).tuples())
    if rows.get(RELAY_KEY) != relay_url:
        return 0
    return int(rows.get(CURSOR_KEY) or 0)


def _already_applied(ids: list[str]) -> set[str]:
    return {r[0] for r in _rows_for(
        "SELECT event_id FROM inbox_event WHERE event_id IN (SELECT value FROM json_each(?))", ids)}


def _record_new(unique: dict[str, Incoming], stamp: str) -> list[Incoming]:
    """Stores the page's event IDs and returns the events not applied before, in arrival order. Usually none was:
    one INSERT OR IGNORE of them all then says so by its count, and only a page with a redelivery is looked up
    first (the savepoint takes back the insert that skipped some)."""
    columns = ("event_id", "kind", "applied_at")
    with db.atomic() as savepoint:
        if insert_ignore_rows(db, "inbox_event", columns, [(eid, ev.kind, stamp) for eid, ev in unique.items()]) \
                == len(unique):
            return list(unique.values())
        savepoint.rollback()
    seen = _already_applied(list(unique))
    fresh = [ev for eid, ev in unique.items() if eid not in seen]
    insert_rows(db, "inbox_event", columns, [(ev.event_id, ev.kind, stamp) for ev in fresh])
    return fresh


_BY_TIME = operator.attrgetter("at")


@dataclass
class _PageRows:
    users: dict[str, int]  # LINE user ID -> the page's number for it, numbered in insertion order
    events: list[tuple]
    ops: list[tuple]


def _page_rows(fresh: Iterable[Incoming], keyword_tags: Callable[[str], list[str]]) -> _PageRows:
    """The rows of page_sql's inbox_uid, inbox_page and inbox_op: events numbered in LINE's time order (a stable
    sort, so ties keep their arrival order), only those that can change a friend. The only Python per event left."""
    form = keyword_tags.form if isinstance(keyword_tags, Matcher) else None
    users: dict[str, int] = {}
    events: list[tuple] = []
    ops: list[tuple] = []
    number = users.setdefault
    for seq, ev in enumerate(sorted(fresh, key=_BY_TIME)):
        user_id, kind, at = ev.user_id, ev.kind, ev.at
        if user_id is None or kind == "other":
            continue
        user = number(user_id, len(users))
        if kind == "follow" or kind == "unfollow":
            events.append((seq, user, kind, at, "", None))
            continue
        text = ev.text
        events.append((seq, user, kind, at, ev.detail, form(text) if form is not None and text else None))
        if ev.tags_add or ev.tags_remove:
            ops.extend((seq, page_sql.ADD, user, at, name, 1) for name in ev.tags_add)
            ops.extend((seq, page_sql.REMOVE, user, at, name, 0) for name in ev.tags_remove)
        if form is None and text:  # a plain text -> tags function: asked here instead of in SQL
            ops.extend((seq, page_sql.KEYWORD, user, at, name, 1) for name in keyword_tags(text))
    return _PageRows(users, events, ops)


def apply_page(events: Sequence[Incoming], cursor: int, relay_url: str,
               keyword_tags: Callable[[str], list[str]] = lambda text: [],
               profiles: Mapping[str, Profile] | None = None) -> ApplyResult:
    """Apply one page of events and move the cursor to `cursor`, all in one transaction."""
    result = ApplyResult(cursor=cursor)
    stamp = str(dt.datetime.now().replace(microsecond=0))
    with cyclic_gc_paused(), write_transaction(db):
        unique: dict[str, Incoming] = {}
        for ev in events:
            unique.setdefault(ev.event_id, ev)
        fresh = _record_new(unique, stamp)
        result.duplicates = len(events) - len(fresh)
        result.applied = len(fresh)
        rows = _page_rows(fresh, keyword_tags)
        rules = keyword_tags.pairs if isinstance(keyword_tags, Matcher) else ()
        named = [(uid, p.display_name, p.picture_url, p.language) for uid, p in (profiles or {}).items()]
        # The friends the page makes, follows, blocks and tags are named for the count index once known.
        with write_log.touching(later=True) as touched, page_sql.PageTables() as page:
            page.load(list(rows.users), rows.events, rows.ops, rules, named)
            result.new_friends, result.following, result.blocked = page.friends(stamp)
            result.reactions = page.reactions()
            names = page.tag_names(keywords=bool(rules))
            if names:
                before = db.execute_sql("SELECT count(*) FROM tag").fetchone()[0]
                get_or_create_tags(names)
                result.tags_created = db.execute_sql("SELECT count(*) FROM tag").fetchone()[0] - before
                result.tagged, result.untagged = page.tags()
            touched.friends.update(page.friend_ids())
        result.clicks = record_clicks((ev.event_id, ev.code, ev.at) for ev in fresh if ev.kind == "click")
        Setting.replace_many([{"key": CURSOR_KEY, "value": str(cursor)},
                              {"key": RELAY_KEY, "value": relay_url}]).execute()
    return result


def users_needing_profiles(events: Iterable[Incoming]) -> list[str]:
    """Users a follow names who are new to the store or still nameless: LINE is asked before the transaction."""
    users = sorted({ev.user_id for ev in events if ev.kind == "follow" and ev.user_id})
    named = {r[0] for r in _rows_for("SELECT user_id FROM friend WHERE user_id IN (SELECT value FROM json_each(?)) "
                                     "AND display_name != ''", users)}
    return [u for u in users if u not in named]
