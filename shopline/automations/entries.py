"""Who enters a scenario at a run: per trigger, the friends not yet in it (or allowed back in), with the
moment they entered. Reads only: the runner writes them, a dry run just lists them."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterable
from dataclasses import dataclass

from shopline.automations.segment_sets import SegmentSets
from shopline.automations.shop_time import local_naive_to_utc, stamp, utc
from shopline.core.automations import Scenario
from shopline.core.automations.clock import date_entries, local_midnight, month_days_for
from shopline.core.folding import fold
from shopline.core.segments import parse
from shopline.store.automation_models import Scenario as ScenarioRow
from shopline.store.connection import db
from shopline.store.models import Field, Setting, Tag
from shopline.store.segment_sql import compile_tree

# How far back a date trigger looks for entries a run did not see (the computer was off): past the
# longest step and the 24 hours a late step may still go, nothing could be sent anyway.
MAX_LOOKBACK_DAYS = 60
SEEN_MARGIN = dt.timedelta(hours=1)
ID_MARGIN = 1000  # friend rows looked at again below the last run's highest id: cheap, and never wrong


@dataclass(frozen=True)
class Entry:
    friend_id: int
    cycle: int
    entered: dt.datetime  # aware UTC


def _blocked_by(scenario: Scenario, now: dt.datetime, entry_column: str) -> tuple[str, list[object]]:
    """SQL (on friend id column `f`) true when an enrolment keeps this friend out."""
    if scenario.reenter_after_days is None:
        return "EXISTS (SELECT 1 FROM enrolment e WHERE e.scenario_id = ? AND e.friend_id = {f})", []
    cutoff = stamp(now - dt.timedelta(days=scenario.reenter_after_days))
    return ("EXISTS (SELECT 1 FROM enrolment e WHERE e.scenario_id = ? AND e.friend_id = {f} AND "
            "(e.status = 'active' OR datetime(e.entered_at) > datetime(?) "
            f"OR datetime(e.entered_at) >= datetime({entry_column})))", [cutoff])


_NEXT_CYCLE = "(SELECT COALESCE(MAX(e.cycle) + 1, 0) FROM enrolment e WHERE e.scenario_id = ? AND e.friend_id = {f})"


def _keep(entries: Iterable[Entry], scenario: Scenario, sets: SegmentSets) -> list[Entry]:
    found = list(entries)
    if found and scenario.entry:
        allowed = sets(scenario.entry)
        found = [e for e in found if e.friend_id in allowed]
    return found


def seen_key(scenario_id: int) -> str:
    return f"automations.entries_seen.{scenario_id}"


def entries_seen(scenario_id: int) -> dt.datetime | None:
    """The latest run that looked for new friends and tags: later runs look from a little before it."""
    row = Setting.get_or_none(Setting.key == seen_key(scenario_id))
    return utc(row.value) if row and row.value else None


def remember_seen(scenario_id: int, now: dt.datetime) -> None:
    seen = entries_seen(scenario_id)
    if seen is None or now > seen:
        Setting.replace(key=seen_key(scenario_id), value=stamp(now)).execute()
    last = db.execute_sql("SELECT COALESCE(MAX(id), 0) FROM friend").fetchone()[0]
    Setting.replace(key=f"automations.friends_seen.{scenario_id}", value=str(last)).execute()


def friends_seen(scenario_id: int) -> int:
    """The highest friend id the last run had seen: a new friend's row comes after it (ids only grow while a
    writer holds the lock, and the run reads committed rows)."""
    row = Setting.get_or_none(Setting.key == f"automations.friends_seen.{scenario_id}")
    return int(row.value) if row and row.value.isdigit() else 0


def new_entries(row: ScenarioRow, scenario: Scenario, now: dt.datetime, tz: dt.tzinfo,
                sets: SegmentSets | None = None) -> list[Entry]:
    """sets: the run's segments (the entry segment is asked of it), a fresh one when not given."""
    sets = sets or SegmentSets()
    since = utc(row.active_since)
    if now < since:
        return []
    seen = entries_seen(row.id)
    if seen is not None and scenario.trigger.type in ("friend_added", "tag_added", "date"):
        # A friend or a tag written while the last run looked may carry a time just before it: a margin.
        since = max(since, min(seen, now) - SEEN_MARGIN)
    kind = scenario.trigger.type
    if kind == "friend_added":
        return _keep(_friend_added(row.id, since, now, max(friends_seen(row.id) - ID_MARGIN, 0)), scenario, sets)
    if kind == "tag_added":
        return _keep(_tag_added(row.id, scenario, since, now), scenario, sets)
    if kind == "segment":
        return _keep(_segment(row.id, scenario, now), scenario, sets)
    return _keep(_dates(row.id, scenario, since, now, tz), scenario, sets)


def _friend_added(sid: int, since: dt.datetime, now: dt.datetime, after_id: int) -> list[Entry]:
    # created_at is the machine's local time, naive (first-wave rows); followed_at a date. A friend imported
    # from an old CSV is new to ShopLine but not a new friend: an earlier followed_at keeps them out. A friend
    # the relay's inbox made (source 'webhook') is new when LINE sent their follow, however late it was pulled
    # (followed_at is that event's day), and not when only a message or postback named them.
    local_since = since.astimezone().replace(tzinfo=None)
    local_now = now.astimezone().replace(tzinfo=None)
    sql = ("SELECT f.id, f.created_at FROM friend f WHERE f.id > ? AND f.status = 'following' AND f.created_at >= ? "
           "AND f.created_at <= ? AND (CASE WHEN f.source = 'webhook' THEN f.followed_at IS NOT NULL "
           "ELSE f.followed_at IS NULL OR f.followed_at >= ? END) "
           "AND NOT EXISTS (SELECT 1 FROM enrolment e WHERE e.scenario_id = ? AND e.friend_id = f.id)")
    rows = db.execute_sql(sql, (after_id, local_since.isoformat(sep=" "), local_now.isoformat(sep=" "),
                                local_since.date().isoformat(), sid))
    return [Entry(fid, 0, local_naive_to_utc(_naive(created))) for fid, created in rows]


def _naive(value: object) -> dt.datetime:
    return value if isinstance(value, dt.datetime) else dt.datetime.fromisoformat(str(value))


def _tag_added(sid: int, scenario: Scenario, since: dt.datetime, now: dt.datetime) -> list[Entry]:
    tag = Tag.get_or_none(Tag.name == fold(scenario.trigger.tag or ""))
    if tag is None:
        return []
    blocked, extra = _blocked_by(scenario, now, "ft.added_at")
    # added_at is SQLite's CURRENT_TIMESTAMP: UTC, naive text; compared through datetime() on both sides.
    sql = (f"SELECT ft.friend_id, ft.added_at, {_NEXT_CYCLE.format(f='ft.friend_id')} FROM friend_tag ft "
           "JOIN friend f ON f.id = ft.friend_id WHERE ft.tag_id = ? AND f.status = 'following' "
           "AND datetime(ft.added_at) >= datetime(?) AND datetime(ft.added_at) <= datetime(?) "
           f"AND NOT {blocked.format(f='ft.friend_id')}")
    rows = db.execute_sql(sql, (sid, tag.id, stamp(since), stamp(now), sid, *extra))
    return [Entry(fid, cycle, utc(str(added))) for fid, added, cycle in rows]


def _segment(sid: int, scenario: Scenario, now: dt.datetime) -> list[Entry]:
    inner, params = compile_tree(parse(scenario.trigger.expr or ""), "f.id AS id")
    blocked, extra = _blocked_by(scenario, now, "?")
    sql = (f"SELECT s.id, {_NEXT_CYCLE.format(f='s.id')} FROM ({inner}) s "
           f"WHERE NOT {blocked.format(f='s.id')}")
    entry_param = [stamp(now)] if scenario.reenter_after_days is not None else []
    rows = db.execute_sql(sql, (sid, *params, sid, *extra, *entry_param))
    return [Entry(fid, cycle, now) for fid, cycle in rows]


def _dates(sid: int, scenario: Scenario, since: dt.datetime, now: dt.datetime, tz: dt.tzinfo) -> list[Entry]:
    trigger = scenario.trigger
    longest = max(s.after for s in scenario.steps) + dt.timedelta(days=2)
    first = max(since.astimezone(tz).date(), now.astimezone(tz).date() - min(longest, dt.timedelta(
        days=MAX_LOOKBACK_DAYS)))
    last = now.astimezone(tz).date()
    if trigger.field == "birthday":
        source = "SELECT f.id, f.birthday FROM friend f WHERE f.status = 'following' AND f.birthday IS NOT NULL"
        column, params = "f.birthday", []
    else:
        field = Field.get_or_none((Field.name == fold(trigger.field or "")) & (Field.kind == "date"))
        if field is None:
            return []
        source = ("SELECT fv.friend_id, fv.text_value FROM field_value fv JOIN friend f ON f.id = fv.friend_id "
                  "WHERE fv.field_id = ? AND f.status = 'following' AND fv.text_value != ''")
        column, params = "fv.text_value", [field.id]
    if trigger.yearly:
        keys = sorted(month_days_for(trigger.offset_days, first, last))
        where = f" AND substr({column}, 6, 5) IN ({', '.join('?' * len(keys))})"
        params += keys
    else:
        shift = dt.timedelta(days=trigger.offset_days)
        where = f" AND {column} BETWEEN ? AND ?"
        params += [(first - shift).isoformat(), (last - shift).isoformat()]
    found: list[Entry] = []
    for fid, raw in db.execute_sql(source + where, params):
        try:
            date = raw if isinstance(raw, dt.date) else dt.date.fromisoformat(str(raw)[:10])
        except ValueError:
            continue
        for cycle, day in date_entries(date, trigger.offset_days, trigger.yearly, first, last):
            found.append(Entry(fid, cycle, local_midnight(day, tz).astimezone(dt.UTC)))
    if not found:
        return found
    # Only the candidates' enrolments: a yearly scenario holds every friend who ever had a birthday in it.
    candidates = json.dumps(sorted({e.friend_id for e in found}))
    had = set(db.execute_sql(
        "SELECT e.friend_id, e.cycle FROM json_each(?) j CROSS JOIN enrolment e INDEXED BY "
        "enrolment_scenario_id_friend_id_cycle ON e.scenario_id = ? AND e.friend_id = j.value",
        (candidates, sid)).fetchall())
    return [e for e in found if (e.friend_id, e.cycle) not in had]
