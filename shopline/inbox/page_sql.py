"""A page of pulled events applied as a few set-based statements over TEMP tables, inside the caller's transaction.

The page is loaded once (an executemany) into inbox_page, its rows numbered `seq` in LINE's time order (ties
in arrival order), so "the later event wins" is max(seq) per friend and kind and every comparison of two events
is one of their seq. Times become the store's local text in SQL (datetime(..., 'localtime'), the same C library
localtime as Python's fromtimestamp), only for the rows written. Then, per effect kind, a statement or two:

- inbox_user: one row per LINE user of the page with the stored friend, status clock, and the page's latest
  status event, latest and earliest follow, and first event that makes a friend (a click names a friend the app
  registered: one still unknown at the click's time is no new friend);
- new friends by INSERT ... SELECT, changed statuses by UPDATE ... FROM;
- reactions: the latest of each kind per friend, kept unless the stored one is newer;
- tags: postback tag=/untag= operations (inbox_op, from Python: few) and keyword rules matched by instr() over
  the messages' match-form texts; per friend and tag the latest operation wins unless the stored tag clock is
  newer.

What the statements do equals the old per-event walk (kept as the reference in tests/test_inbox_sets.py).
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence

from shopline.store.connection import db

_TABLES = {
    "inbox_page": "seq INTEGER PRIMARY KEY, uid INTEGER NOT NULL, kind TEXT NOT NULL, at INTEGER NOT NULL, "
                  "detail TEXT, folded TEXT",
    "inbox_op": "seq INTEGER NOT NULL, sub INTEGER NOT NULL, uid INTEGER NOT NULL, at INTEGER NOT NULL, "
                "name TEXT NOT NULL, adds INTEGER NOT NULL",
    "inbox_uid": "uid INTEGER PRIMARY KEY, user_id TEXT NOT NULL, friend_id INTEGER, status TEXT, followed_at TEXT",
    "inbox_rule": "word TEXT NOT NULL, tag TEXT NOT NULL",
    "inbox_profile": "user_id TEXT PRIMARY KEY, display_name TEXT, picture_url TEXT, language TEXT",
    "inbox_user": "uid INTEGER PRIMARY KEY, user_id TEXT NOT NULL, friend_id INTEGER, existed INTEGER NOT NULL, "
                  "status TEXT, followed_at TEXT, clock INTEGER NOT NULL, first_seq INTEGER, status_kind TEXT, "
                  "status_at INTEGER, follow_at INTEGER, follow_day TEXT, first_follow_day TEXT, new_status TEXT, "
                  "new_followed_at TEXT",
    "inbox_latest": "seq INTEGER PRIMARY KEY",
    "inbox_final": "friend_id INTEGER NOT NULL, name TEXT NOT NULL, at INTEGER NOT NULL, adds INTEGER NOT NULL, "
                   "PRIMARY KEY (friend_id, name)",
}

# Sub-order of the operations one event makes, as the per-event walk made them: its postback adds, then its
# keyword adds, then its removes (so "tag=A&untag=A" ends untagged).
ADD, KEYWORD, REMOVE = 0, 1, 2

# A status event older than the stored clock changes nothing; a follow says since when unless the friend was
# already following with a date, and an older follow still dates a friend who has no date yet. Only a user with a
# status event in the page can change, so only theirs is the clock looked up for (a third of a page's users).
_USERS = """
INSERT INTO inbox_user (uid, user_id, friend_id, existed, status, followed_at, clock, first_seq, status_kind,
                        status_at, follow_at, follow_day, first_follow_day, new_status, new_followed_at)
SELECT *,
  CASE WHEN status_at >= clock THEN CASE status_kind WHEN 'follow' THEN 'following' ELSE 'blocked' END END,
  CASE WHEN follow_at >= clock AND (status IS NOT 'following' OR coalesce(followed_at, '') = '') THEN follow_day
       WHEN coalesce(followed_at, '') = '' THEN first_follow_day END
FROM (
SELECT g.uid, i.user_id, i.friend_id, i.friend_id IS NOT NULL, i.status, i.followed_at, coalesce(c.at, -1) AS clock,
       g.first_seq, s.kind AS status_kind, s.at AS status_at,
       fl.at AS follow_at, date(fl.at / 1000, 'unixepoch', 'localtime') AS follow_day,
       date(ff.at / 1000, 'unixepoch', 'localtime') AS first_follow_day
FROM (SELECT uid,
             min(seq) FILTER (WHERE kind IN ('follow', 'unfollow', 'message', 'postback')) AS first_seq,
             max(seq) FILTER (WHERE kind IN ('follow', 'unfollow')) AS status_seq,
             max(seq) FILTER (WHERE kind = 'follow') AS follow_seq,
             min(seq) FILTER (WHERE kind = 'follow') AS first_follow_seq
      FROM inbox_page GROUP BY uid) g
JOIN inbox_uid i ON i.uid = g.uid
LEFT JOIN inbox_clock c ON g.status_seq IS NOT NULL AND c.friend_id = i.friend_id AND c.topic = 'status'
LEFT JOIN inbox_page s ON s.seq = g.status_seq
LEFT JOIN inbox_page fl ON fl.seq = g.follow_seq
LEFT JOIN inbox_page ff ON ff.seq = g.first_follow_seq
WHERE i.friend_id IS NOT NULL OR g.first_seq IS NOT NULL)
"""

# The page's users as one JSON array (its index is the page's number for the user: no executemany), each with
# the stored friend's id, status and date when there is one.
_UIDS = ("INSERT INTO inbox_uid (uid, user_id, friend_id, status, followed_at) "
         "SELECT j.key, j.value, f.id, f.status, f.followed_at "
         "FROM json_each(?) j LEFT JOIN friend f ON f.user_id = j.value")

_CREATE = """
INSERT INTO friend (user_id, display_name, picture_url, language, status, source, followed_at, gender, memo,
                    created_at, updated_at)
SELECT u.user_id, coalesce(p.display_name, ''), p.picture_url, p.language, coalesce(u.new_status, 'following'),
       'webhook', u.new_followed_at, 'unknown', '', ?1, ?1
FROM inbox_user u LEFT JOIN inbox_profile p ON p.user_id = u.user_id
WHERE u.friend_id IS NULL ORDER BY u.first_seq
"""

_CHANGED = ("u.existed AND ((u.new_status IS NOT NULL AND u.new_status IS NOT u.status) "
            "OR (u.new_followed_at IS NOT NULL AND u.new_followed_at IS NOT u.followed_at))")

_UPDATE = f"""
UPDATE friend SET status = coalesce(u.new_status, u.status), followed_at = coalesce(u.new_followed_at, u.followed_at),
                  updated_at = ?
FROM inbox_user u WHERE friend.id = u.friend_id AND {_CHANGED}
"""

# An existing friend with no name yet (met first through a message) gets LINE's.
_NAME = """
UPDATE friend SET display_name = p.display_name, picture_url = coalesce(p.picture_url, friend.picture_url),
                  language = coalesce(p.language, friend.language), updated_at = ?
FROM inbox_profile p JOIN inbox_user u ON u.user_id = p.user_id
WHERE friend.id = u.friend_id AND u.existed AND friend.display_name = ''
"""

_UPSERT_CLOCK = " ON CONFLICT (friend_id, topic) DO UPDATE SET at = excluded.at WHERE excluded.at > inbox_clock.at"

_STATUS_CLOCK = ("INSERT INTO inbox_clock (friend_id, topic, at) "
                 "SELECT friend_id, 'status', status_at FROM inbox_user WHERE new_status IS NOT NULL" + _UPSERT_CLOCK)

_LATEST = """
INSERT INTO inbox_latest (seq)
SELECT max(p.seq) FROM inbox_page p JOIN inbox_user u ON u.uid = p.uid
WHERE p.kind IN ('message', 'postback', 'click') AND (u.existed OR p.seq >= u.first_seq)
GROUP BY p.uid, p.kind
"""

_REACTIONS = """
INSERT INTO reaction (friend_id, kind, at, detail)
SELECT u.friend_id, p.kind, datetime(p.at / 1000, 'unixepoch', 'localtime'), p.detail
FROM inbox_latest l JOIN inbox_page p ON p.seq = l.seq JOIN inbox_user u ON u.uid = p.uid WHERE true
ON CONFLICT (friend_id, kind) DO UPDATE SET at = excluded.at, detail = excluded.detail WHERE excluded.at >= reaction.at
"""

_KEYWORDS = f"""
INSERT INTO inbox_op (seq, sub, uid, at, name, adds)
SELECT p.seq, {KEYWORD}, p.uid, p.at, r.tag, 1
FROM inbox_page p JOIN inbox_rule r ON instr(p.folded, r.word) > 0 WHERE p.folded IS NOT NULL
"""

_FINAL = """
INSERT OR REPLACE INTO inbox_final (friend_id, name, at, adds)
SELECT u.friend_id, o.name, o.at, o.adds
FROM (SELECT uid, name, at, adds,
             row_number() OVER (PARTITION BY uid, name ORDER BY seq DESC, sub DESC) AS n FROM inbox_op) o
JOIN inbox_user u ON u.uid = o.uid
LEFT JOIN inbox_clock c ON c.friend_id = u.friend_id AND c.topic = 'tag:' || o.name
WHERE o.n = 1 AND o.at >= coalesce(c.at, -1)
"""

_TAG = ("INSERT OR IGNORE INTO friend_tag (friend_id, tag_id) "
        "SELECT x.friend_id, t.id FROM inbox_final x JOIN tag t ON t.name = x.name WHERE x.adds")
_UNTAG = ("DELETE FROM friend_tag WHERE (friend_id, tag_id) IN "
          "(SELECT x.friend_id, t.id FROM inbox_final x JOIN tag t ON t.name = x.name WHERE NOT x.adds)")
_TAG_CLOCK = ("INSERT INTO inbox_clock (friend_id, topic, at) "
              "SELECT friend_id, 'tag:' || name, at FROM inbox_final WHERE true" + _UPSERT_CLOCK)


def _scalar(sql: str, params: Sequence[object] = ()) -> int:
    return int(db.execute_sql(sql, params).fetchone()[0] or 0)


class PageTables:
    """The page's TEMP tables for the length of one apply (created empty, dropped after)."""

    def __enter__(self) -> PageTables:
        for name, columns in _TABLES.items():
            db.execute_sql(f"DROP TABLE IF EXISTS temp.{name}")
            db.execute_sql(f"CREATE TEMP TABLE {name} ({columns})")
        return self

    def __exit__(self, *exc_info: object) -> None:
        for name in _TABLES:
            db.execute_sql(f"DROP TABLE IF EXISTS temp.{name}")

    def load(self, users: Sequence[str], events: Iterable[tuple], ops: Iterable[tuple],
             rules: Iterable[tuple[str, str]], profiles: Iterable[tuple]) -> None:
        """users: LINE's user IDs, numbered by their place (the page's own numbers, so grouping and joining go by
        integers); events: (seq, uid, kind, at, detail, folded); ops: (seq, sub, uid, at, name, adds);
        rules: (word, tag); profiles: (user_id, display_name, picture_url, language)."""
        db.execute_sql(_UIDS, (json.dumps(list(users)),))
        cursor = db.cursor()
        cursor.executemany("INSERT INTO inbox_page VALUES (?, ?, ?, ?, ?, ?)", events)
        cursor.executemany("INSERT INTO inbox_op VALUES (?, ?, ?, ?, ?, ?)", ops)
        cursor.executemany("INSERT INTO inbox_rule VALUES (?, ?)", rules)
        cursor.executemany("INSERT INTO inbox_profile VALUES (?, ?, ?, ?)", profiles)

    def friends(self, stamp: str) -> tuple[int, int, int]:
        """Creates the page's new friends and moves the others' status; returns (new, following, blocked)."""
        db.execute_sql(_USERS)
        following = _scalar(f"SELECT count(*) FROM inbox_user u WHERE {_CHANGED} AND u.new_status IS NOT u.status "
                            "AND u.new_status = 'following'")
        blocked = _scalar(f"SELECT count(*) FROM inbox_user u WHERE ({_CHANGED} AND u.new_status IS NOT u.status "
                          "AND u.new_status = 'blocked') OR (NOT u.existed AND u.new_status = 'blocked')")
        new = db.execute_sql(_CREATE, (stamp,)).rowcount
        if new:
            db.execute_sql("UPDATE inbox_user SET friend_id = (SELECT f.id FROM friend f WHERE f.user_id = "
                           "inbox_user.user_id) WHERE friend_id IS NULL")
        db.execute_sql(_UPDATE, (stamp,))
        if _scalar("SELECT count(*) FROM inbox_profile"):
            db.execute_sql(_NAME, (stamp,))
        db.execute_sql(_STATUS_CLOCK)
        return new, following, blocked

    def reactions(self) -> int:
        db.execute_sql(_LATEST)
        db.execute_sql(_REACTIONS)
        return _scalar("SELECT count(*) FROM inbox_latest")

    def tag_names(self, keywords: bool) -> list[str]:
        """The tags whose latest operation wins over the stored clock (to be made before tagging)."""
        if keywords:
            db.execute_sql(_KEYWORDS)
        db.execute_sql(_FINAL)
        return [r[0] for r in db.execute_sql("SELECT DISTINCT name FROM inbox_final")]

    def friend_ids(self) -> list[int]:
        """Every friend this page's statements may have written: its users, and whoever its tag operations hit."""
        return [r[0] for r in db.execute_sql(
            "SELECT friend_id FROM inbox_user WHERE friend_id IS NOT NULL UNION "
            "SELECT friend_id FROM inbox_final WHERE friend_id IS NOT NULL")]

    def tags(self) -> tuple[int, int]:
        """Adds and removes the winning operations' tags and moves their clocks; returns (tagged, untagged)."""
        tagged = db.execute_sql(_TAG).rowcount
        untagged = db.execute_sql(_UNTAG).rowcount
        db.execute_sql(_TAG_CLOCK)
        return max(tagged, 0), max(untagged, 0)
