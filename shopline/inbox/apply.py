"""Applying a page of pulled events to the store, exactly once.

One write transaction holds the events' effects, their InboxEvent rows and the new cursor: a crash
before the commit leaves none of them, after it all of them, so an event is never applied twice even
when the acknowledgement to the relay never went out (the next pull starts after the stored cursor,
and an event ID seen before is skipped if the relay serves it again).

Per friend, a later event wins over an earlier one by LINE's timestamp, not by arrival: the time of
the latest status event and of the latest change to each tag is kept in InboxClock, and an older
event arriving afterwards changes nothing there (a reaction keeps only the newest of its kind).
"""

from __future__ import annotations

import datetime as dt
import functools
import json
import operator
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field

from shopline.core.changes import Changes
from shopline.inbox.events import REACTION_KINDS, Incoming
from shopline.line.profiles import Profile
from shopline.store.connection import db
from shopline.store.link_clicks import record_clicks
from shopline.store.models import Setting
from shopline.store.sqlite import insert_rows, update_rows, write_transaction
from shopline.store.tags import get_or_create_tags

CURSOR_KEY = "inbox.cursor"
RELAY_KEY = "inbox.relay"  # the relay the cursor belongs to: another relay's queue starts from its beginning
STATUS = "status"


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


_NO_CLOCK: dict[str, int] = {}  # shared, never written: most friends have no tag clock


@dataclass(slots=True)  # 25,000 a page: slots and shared empty dicts keep each cheap to make
class _Friend:
    """One friend's state while a page is worked out; written once at the end."""

    friend_id: int | None  # None: to be created
    status: str | None  # as stored (None for a new friend)
    followed_at: str | None
    status_at: int = -1  # the status clock, from the store
    new_status: str | None = None
    new_followed_at: str | None = None
    reactions: dict[str, tuple[int, str]] | None = None  # kind -> (time, detail), made on the first one
    tag_clock: dict[str, int] = field(default_factory=lambda: _NO_CLOCK)  # from the store; replaced, not written
    tag_ops: dict[str, tuple[int, bool]] | None = None  # name -> (time, add?), made on the first one


@functools.lru_cache(maxsize=65_536)  # a busy minute's events share their seconds
def _local_second(second: int) -> dt.datetime:
    return dt.datetime.fromtimestamp(second)


@functools.lru_cache(maxsize=65_536)
def _local_text(second: int) -> str:
    """Reaction.at as stored ('YYYY-MM-DD HH:MM:SS', local), made once per second of the page."""
    return str(_local_second(second))


@functools.lru_cache(maxsize=4_096)
def _local_day(second: int) -> str:
    return _local_second(second).date().isoformat()


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


def _load_friends(user_ids: list[str]) -> dict[str, _Friend]:
    found: dict[str, _Friend] = {}
    for friend_id, user_id, status, followed_at in _rows_for(
            "SELECT id, user_id, status, followed_at FROM friend WHERE user_id IN (SELECT value FROM json_each(?))",
            user_ids):
        found[user_id] = _Friend(friend_id, status, followed_at)
    by_id = {f.friend_id: f for f in found.values()}
    for friend_id, topic, at in _rows_for(
            "SELECT friend_id, topic, at FROM inbox_clock WHERE friend_id IN (SELECT value FROM json_each(?))",
            list(by_id)):
        state = by_id[friend_id]
        if topic == STATUS:
            state.status_at = at
        else:
            if state.tag_clock is _NO_CLOCK:
                state.tag_clock = {}
            state.tag_clock[topic[4:]] = at
    return found


def _tag_op(state: _Friend, name: str, at: int, add: bool) -> None:
    ops = state.tag_ops
    if ops is None:
        ops = state.tag_ops = {}
    latest = ops[name][0] if name in ops else state.tag_clock.get(name, -1)
    if at >= latest:
        ops[name] = (at, add)


_BY_TIME = operator.attrgetter("at")


def _work_out(events: Iterable[Incoming], friends: dict[str, _Friend],
              keyword_tags: Callable[[str], list[str]]) -> None:
    """Each event's effect on its friend's state, oldest first: the order LINE's timestamps say."""
    get = friends.get
    for ev in sorted(events, key=_BY_TIME):
        user, kind, at = ev.user_id, ev.kind, ev.at
        if user is None:
            continue
        state = get(user)
        if state is None:
            if kind == "click" or kind == "other":
                continue  # a click names a friend the app registered; one we do not know is no new friend
            state = friends[user] = _Friend(None, None, None)
        if kind == "follow" or kind == "unfollow":
            day = _local_day(at // 1000) if kind == "follow" else None
            if at >= state.status_at:
                state.status_at = at
                state.new_status = "following" if kind == "follow" else "blocked"
                if day and (state.status != "following" or not state.followed_at):
                    state.new_followed_at = day
            elif day and not (state.followed_at or state.new_followed_at):
                state.new_followed_at = day  # an older follow still says since when
        elif kind in REACTION_KINDS:
            reactions = state.reactions
            if reactions is None:
                state.reactions = {kind: (at, ev.detail)}
            else:
                latest = reactions.get(kind)
                if latest is None or at >= latest[0]:
                    reactions[kind] = (at, ev.detail)
            for name in ev.tags_add:
                _tag_op(state, name, at, True)
            if ev.text:
                for name in keyword_tags(ev.text):
                    _tag_op(state, name, at, True)
            for name in ev.tags_remove:
                _tag_op(state, name, at, False)


def _create_friends(friends: dict[str, _Friend], profiles: Mapping[str, Profile], stamp: str) -> int:
    new = [(uid, s) for uid, s in friends.items() if s.friend_id is None]
    if not new:
        return 0
    rows = []
    for user_id, state in new:
        profile = profiles.get(user_id)
        rows.append((user_id, profile.display_name if profile else "", profile.picture_url if profile else None,
                     profile.language if profile else None, state.new_status or "following", "webhook",
                     state.new_followed_at, "unknown", "", stamp, stamp))
    insert_rows(db, "friend", ("user_id", "display_name", "picture_url", "language", "status", "source",
                               "followed_at", "gender", "memo", "created_at", "updated_at"), rows)
    for friend_id, user_id in _rows_for(
            "SELECT id, user_id FROM friend WHERE user_id IN (SELECT value FROM json_each(?))", [u for u, _ in new]):
        friends[user_id].friend_id = friend_id
    return len(new)


def _update_friends(friends: dict[str, _Friend], profiles: Mapping[str, Profile], stamp: str,
                    result: ApplyResult) -> None:
    changed = []
    for s in friends.values():
        if s.status is None:  # created just now, already as it should be
            if s.new_status == "blocked":
                result.blocked += 1
            continue
        status = s.new_status or s.status
        if status != s.status or (s.new_followed_at and s.new_followed_at != s.followed_at):
            changed.append((status, s.new_followed_at or s.followed_at, stamp, s.friend_id))
            if status != s.status:
                result.following += status == "following"
                result.blocked += status == "blocked"
    update_rows(db, "friend", ("status", "followed_at", "updated_at"), "id", changed)
    named = [(p.display_name, p.picture_url, p.language, stamp, friends[uid].friend_id)
             for uid, p in profiles.items() if uid in friends and friends[uid].status is not None]
    if named:  # an existing friend with no name yet (met first through a message) gets LINE's
        db.cursor().executemany(
            "UPDATE friend SET display_name = ?, picture_url = coalesce(?, picture_url), "
            "language = coalesce(?, language), updated_at = ? WHERE id = ? AND display_name = ''", named)


def _write_reactions_and_clocks(friends: dict[str, _Friend]) -> int:
    reactions = []
    clocks = []
    for s in friends.values():
        if s.reactions is not None:
            for kind, (at, detail) in s.reactions.items():
                reactions.append((s.friend_id, kind, _local_text(at // 1000), detail))
        if s.new_status is not None:
            clocks.append((s.friend_id, STATUS, s.status_at))
        if s.tag_ops is not None:
            clocks.extend((s.friend_id, "tag:" + name, at) for name, (at, _add) in s.tag_ops.items())
    db.cursor().executemany(
        "INSERT INTO reaction (friend_id, kind, at, detail) VALUES (?, ?, ?, ?) "
        "ON CONFLICT (friend_id, kind) DO UPDATE SET at = excluded.at, detail = excluded.detail "
        "WHERE excluded.at >= reaction.at", reactions)
    db.cursor().executemany(
        "INSERT INTO inbox_clock (friend_id, topic, at) VALUES (?, ?, ?) "
        "ON CONFLICT (friend_id, topic) DO UPDATE SET at = excluded.at WHERE excluded.at > inbox_clock.at", clocks)
    return len(reactions)


def _write_tags(friends: dict[str, _Friend], result: ApplyResult) -> None:
    tagging = [(s.friend_id, s.tag_ops) for s in friends.values() if s.tag_ops]
    names = {name for _, ops in tagging for name in ops}
    if not names:
        return
    before = db.execute_sql("SELECT count(*) FROM tag").fetchone()[0]
    tag_ids = get_or_create_tags(names)
    result.tags_created = db.execute_sql("SELECT count(*) FROM tag").fetchone()[0] - before
    add = [(fid, tag_ids[n]) for fid, ops in tagging for n, (_, on) in ops.items() if on]
    remove = [(fid, tag_ids[n]) for fid, ops in tagging for n, (_, on) in ops.items() if not on]
    cursor = db.cursor()
    cursor.executemany("INSERT OR IGNORE INTO friend_tag (friend_id, tag_id) VALUES (?, ?)", add)
    result.tagged = cursor.rowcount if cursor.rowcount >= 0 else len(add)
    cursor.executemany("DELETE FROM friend_tag WHERE friend_id = ? AND tag_id = ?", remove)
    result.untagged = cursor.rowcount if cursor.rowcount >= 0 else len(remove)


def apply_page(events: Sequence[Incoming], cursor: int, relay_url: str,
               keyword_tags: Callable[[str], list[str]] = lambda text: [],
               profiles: Mapping[str, Profile] | None = None) -> ApplyResult:
    """Apply one page of events and move the cursor to `cursor`, all in one transaction."""
    result = ApplyResult(cursor=cursor)
    stamp = str(dt.datetime.now().replace(microsecond=0))
    with write_transaction(db):
        unique: dict[str, Incoming] = {}
        for ev in events:
            unique.setdefault(ev.event_id, ev)
        seen = _already_applied(list(unique))
        fresh = [ev for eid, ev in unique.items() if eid not in seen]
        result.duplicates = len(events) - len(fresh)
        result.applied = len(fresh)
        friends = _load_friends(sorted({ev.user_id for ev in fresh if ev.user_id}))
        _work_out(fresh, friends, keyword_tags)
        result.new_friends = _create_friends(friends, profiles or {}, stamp)
        _update_friends(friends, profiles or {}, stamp, result)
        result.reactions = _write_reactions_and_clocks(friends)
        _write_tags(friends, result)
        result.clicks = record_clicks((ev.event_id, ev.code, ev.at) for ev in fresh if ev.kind == "click")
        insert_rows(db, "inbox_event", ("event_id", "kind", "applied_at"),
                    [(ev.event_id, ev.kind, stamp) for ev in fresh])
        Setting.replace_many([{"key": CURSOR_KEY, "value": str(cursor)},
                              {"key": RELAY_KEY, "value": relay_url}]).execute()
    return result


def users_needing_profiles(events: Iterable[Incoming]) -> list[str]:
    """Users a follow names who are new to the store or still nameless: LINE is asked before the transaction."""
    users = sorted({ev.user_id for ev in events if ev.kind == "follow" and ev.user_id})
    named = {r[0] for r in _rows_for("SELECT user_id FROM friend WHERE user_id IN (SELECT value FROM json_each(?)) "
                                     "AND display_name != ''", users)}
    return [u for u in users if u not in named]
