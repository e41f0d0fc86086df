"""The set-based apply (shopline/inbox/page_sql.py) against the per-event walk it replaced, on random streams.

The old path is kept here, unchanged but for its name, as the reference: each random stream (out of order,
redelivered, follows and unfollows interleaved, postback tag/untag, keyword rules, clicks, profiles, friends
already in the store) is applied by both into two stores, page by page, and the stores and the results must be
the same.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import functools
import operator
import random
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from shopline.inbox.apply import (
    CURSOR_KEY,
    RELAY_KEY,
    ApplyResult,
    _already_applied,
    _rows_for,
    apply_page,
)
from shopline.inbox.events import REACTION_KINDS, Incoming, postback_tags
from shopline.inbox.rules import add_rule, matcher
from shopline.line.profiles import Profile
from shopline.store import close_store, open_store
from shopline.store.connection import db
from shopline.store.link_clicks import record_clicks
from shopline.store.models import Setting
from shopline.store.sqlite import insert_rows, update_rows, write_transaction
from shopline.store.tags import get_or_create_tags

STATUS = "status"
URL = "https://relay.example"

# ---- the reference: apply.py's per-event walk before the set-based SQL ----


@functools.lru_cache(maxsize=65_536)
def _local_second(second: int) -> dt.datetime:
    return dt.datetime.fromtimestamp(second)


@functools.lru_cache(maxsize=65_536)
def _local_text(second: int) -> str:
    return str(_local_second(second))


@functools.lru_cache(maxsize=4_096)
def _local_day(second: int) -> str:
    return _local_second(second).date().isoformat()


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


def reference_apply_page(events: Sequence[Incoming], cursor: int, relay_url: str,
               keyword_tags: Callable[[str], list[str]] = lambda text: [],
               profiles: Mapping[str, Profile] | None = None) -> ApplyResult:
    """The per-event walk apply.py used before its set-based SQL: the semantics it must keep."""
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



# ---- random streams ----

TAGS = ("VIP", "新規", "予約希望")
TEXTS = ("予約したいです", "ＹＯＹＡＫＵ please", "こんにちは", "", "vip の件", "ﾖﾔｸ 予約")
POSTBACKS = ("tag=VIP", "untag=VIP", "tag=新規&untag=VIP", "tag=VIP&untag=VIP", "menu=2", "tag=予約希望", "untag=新規")


def user(n: int) -> str:
    return f"U{n:032x}"


def stream(rng: random.Random, users: int) -> list[list[Incoming]]:
    """Pages of events: times from a narrow range (ties happen), some events redelivered in a later page or twice
    in one, follows and unfollows interleaved with messages, postbacks and clicks, users the store has and not."""
    made: list[Incoming] = []
    pages: list[list[Incoming]] = []
    for _ in range(rng.randint(1, 4)):
        page: list[Incoming] = []
        for _ in range(rng.randint(1, 30)):
            if made and rng.random() < 0.15:
                page.append(rng.choice(made))  # LINE redelivers
                continue
            n = len(made)
            uid = user(rng.randrange(users)) if rng.random() > 0.05 else None
            at = 1_760_000_000_000 + rng.randrange(12) * rng.choice((1, 500, 86_400_000))
            kind = rng.choice(("follow", "unfollow", "message", "message", "postback", "postback", "click", "other"))
            if kind == "message":
                text = rng.choice(TEXTS)
                ev = Incoming(f"E{n}", kind, uid, at, detail=text or "[sticker]", text=text)
            elif kind == "postback":
                data = rng.choice(POSTBACKS)
                add, remove = postback_tags(data)
                ev = Incoming(f"E{n}", kind, uid, at, detail=data, tags_add=add, tags_remove=remove)
            elif kind == "click":
                ev = Incoming(f"E{n}", kind, uid, at, detail="https://shop.example/", code="")
            else:
                ev = Incoming(f"E{n}", kind, uid, at)
            made.append(ev)
            page.append(ev)
        pages.append(page)
    return pages


def seed_friends(rng: random.Random, users: int) -> None:
    """Friends already in the store (from a CSV or an earlier sync), some followed with a date, some blocked,
    some nameless; some with status and tag clocks from earlier pulls."""
    rows = []
    for n in range(users):
        if rng.random() < 0.5:
            rows.append((user(n), rng.choice(("", f"友だち{n}")), rng.choice(("following", "blocked")), "csv",
                         rng.choice((None, "2025-01-02")), "unknown", "", "2025-01-01 00:00:00", "2025-01-01 00:00:00"))
    insert_rows(db, "friend", ("user_id", "display_name", "status", "source", "followed_at", "gender", "memo",
                               "created_at", "updated_at"), rows)
    ids = [r[0] for r in db.execute_sql("SELECT id FROM friend")]
    clocks = [(fid, topic, 1_760_000_000_000 + rng.randrange(12) * 500)
              for fid in ids for topic in (STATUS, "tag:VIP", "tag:新規") if rng.random() < 0.4]
    db.cursor().executemany("INSERT OR IGNORE INTO inbox_clock (friend_id, topic, at) VALUES (?, ?, ?)", clocks)
    get_or_create_tags(["VIP"])
    db.execute_sql("INSERT INTO friend_tag (friend_id, tag_id) SELECT id, (SELECT id FROM tag WHERE name = 'VIP') "
                   "FROM friend WHERE id % 3 = 0")


def profiles_for(rng: random.Random, page: list[Incoming]) -> dict[str, Profile]:
    followers = sorted({ev.user_id for ev in page if ev.kind == "follow" and ev.user_id})
    return {u: Profile(u, f"名前{u[-3:]}", rng.choice((None, "https://pic.example/a.png")), rng.choice((None, "ja")))
            for u in followers if rng.random() < 0.5}


def snapshot() -> dict[str, list[tuple]]:
    def rows(sql: str) -> list[tuple]:
        return sorted(tuple(r) for r in db.execute_sql(sql))

    return {
        "friends": rows("SELECT user_id, display_name, picture_url, language, status, source, followed_at "
                        "FROM friend"),
        "changed": rows("SELECT user_id FROM friend WHERE updated_at != '2025-01-01 00:00:00'"),
        "reactions": rows("SELECT f.user_id, r.kind, r.at, r.detail FROM reaction r "
                          "JOIN friend f ON f.id = r.friend_id"),
        "clocks": rows("SELECT f.user_id, c.topic, c.at FROM inbox_clock c JOIN friend f ON f.id = c.friend_id"),
        "tags": rows("SELECT name, colour FROM tag"),
        "links": rows("SELECT f.user_id, t.name, ft.added_at IS NULL FROM friend_tag ft "
                      "JOIN friend f ON f.id = ft.friend_id JOIN tag t ON t.id = ft.tag_id"),
        "events": rows("SELECT event_id, kind FROM inbox_event"),
        "cursor": rows(f"SELECT key, value FROM setting WHERE key IN ('{CURSOR_KEY}', '{RELAY_KEY}')"),
        "new_ids_in_order": [tuple(r) for r in db.execute_sql(
            "SELECT user_id FROM friend WHERE source = 'webhook' ORDER BY id")],
    }


Apply = Callable[..., ApplyResult]


def run(folder: Path, seed: int, apply: Apply, keywords: str) -> tuple[dict, list[ApplyResult]]:
    rng = random.Random(seed)
    users = rng.randint(1, 12)
    open_store(folder)
    try:
        seed_friends(rng, users)
        add_rule("予約", "予約希望")
        add_rule("vip", "VIP")
        rules = matcher()
        keyword_tags = rules if keywords == "sql" else (lambda text: rules(text))
        results = []
        for cursor, page in enumerate(stream(rng, users), start=1):
            results.append(apply(page, cursor, URL, keyword_tags, profiles_for(rng, page)))
        return snapshot(), results
    finally:
        close_store()


@pytest.mark.parametrize("keywords", ["sql", "python"])
@pytest.mark.parametrize("seed", range(40))
def test_the_set_based_apply_equals_the_per_event_walk(tmp_path, seed, keywords):
    expected, expected_results = run(tmp_path / "reference", seed, reference_apply_page, keywords)
    got, results = run(tmp_path / "sets", seed, apply_page, keywords)
    for key in expected:
        assert got[key] == expected[key], key
    assert [dataclasses.asdict(r) for r in results] == [dataclasses.asdict(r) for r in expected_results]


def test_the_streams_reach_every_case(tmp_path):
    """The random streams are worth their time only if they make what the semantics turn on."""
    seen: dict[str, int] = {"redelivered": 0, "untag": 0, "older_status": 0, "keyword": 0, "click_new": 0}
    for seed in range(40):
        rng = random.Random(seed)
        pages = stream(rng, rng.randint(1, 12))
        flat = [ev for page in pages for ev in page]
        seen["redelivered"] += len(flat) - len({ev.event_id for ev in flat})
        seen["untag"] += sum(bool(ev.tags_remove) for ev in flat)
        seen["keyword"] += sum("予約" in ev.text for ev in flat)
        seen["click_new"] += sum(ev.kind == "click" for ev in flat)
        seen["older_status"] += sum(1 for page in pages[1:] for ev in page if ev.kind in ("follow", "unfollow")
                                    and any(e.at > ev.at for e in pages[0]))
    assert all(count > 0 for count in seen.values()), seen


def test_postback_data_splits_as_parse_qsl_does():
    """postback_tags splits simple data itself (parse_qsl only when something needs unquoting): same answers."""
    from urllib.parse import parse_qsl

    from shopline.inbox.events import _tag

    def reference(data: str) -> tuple[tuple[str, ...], tuple[str, ...]]:
        pairs = parse_qsl(data, keep_blank_values=False) if "tag=" in data else []
        return (tuple(n for k, v in pairs if k == "tag" and (n := _tag(v)) is not None),
                tuple(n for k, v in pairs if k == "untag" and (n := _tag(v)) is not None))

    rng = random.Random(3)
    pieces = ["tag", "untag", "=", "&", "VIP", "新規", "%E6%96%B0", "+", ";", " ", "menu", "<"]
    for _ in range(3000):
        data = "".join(rng.choice(pieces) for _ in range(rng.randint(0, 9)))
        assert postback_tags(data) == reference(data), data
