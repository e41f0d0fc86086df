"""Scheduled (`--at`) and recurring (`--every`) sends: saved with their segment and messages, and started by
the runner when their time comes, the recipients chosen then. Each occurrence is its own campaign, with its
own aggregation unit, started once (ScheduleRun is unique per schedule and occurrence); an occurrence found
more than 24 hours late is counted as missed, not sent.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from shopline.automations.shop_time import stamp, utc, utc_now
from shopline.core.automations import MISS_AFTER, Recurrence, occurrences_between
from shopline.core.changes import Changes
from shopline.core.messages import ShopLineError, Text
from shopline.core.segments import Node, from_json, to_json, to_text
from shopline.delivery.freeze import check_name_free, default_unit, freeze
from shopline.store.automation_models import Schedule, ScheduleRun
from shopline.store.campaign_models import Campaign
from shopline.store.connection import db
from shopline.store.segment_sql import count, friend_ids_query
from shopline.store.sqlite import write_transaction

CHANGES = Changes(automations=True)


class ScheduleError(ShopLineError):
    pass


def add(name: str, tree: Node, messages: list[dict[str, Any]], *, at: dt.datetime | None = None,
        recurrence: Recurrence | None = None, text: str | None = None, unit: str | None = None,
        now: dt.datetime | None = None) -> Schedule:
    """Save a send for later; `messages` already checked (service.checked_messages)."""
    moment = now or utc_now()
    if (at is None) == (recurrence is None):
        raise ValueError("a schedule needs exactly one of at and recurrence")
    if at is not None and at <= moment:
        raise ScheduleError(Text("送信日時が過ぎています。これからの日時を指定してください。",
                                 "That time has passed: choose a time in the future."))
    check_name_free(name)
    if Schedule.get_or_none(Schedule.name == name):
        raise ScheduleError(Text(f"「{name}」という予約はすでにあります。別の名前にしてください。",
                                 f"A scheduled send named \"{name}\" already exists; choose another name."))
    return Schedule.create(name=name, segment_text=text or to_text(tree),
                           segment_tree=json.dumps(to_json(tree), ensure_ascii=False),
                           messages=json.dumps(messages, ensure_ascii=False),
                           at=stamp(at) if at else None,
                           recurrence=json.dumps(recurrence.to_json()) if recurrence else "",
                           unit=unit or "", created_at=stamp(moment))


def find(name: str) -> Schedule:
    row = Schedule.get_or_none(Schedule.name == name)
    if row is None:
        raise ScheduleError(Text(f"「{name}」という予約配信はありません。`shopline scheduled` で一覧を見られます。",
                                 f"There is no scheduled send \"{name}\"; `shopline scheduled` lists them."))
    return row


def cancel(name: str) -> Changes:
    row = find(name)
    Schedule.update(status="cancelled").where(Schedule.id == row.id).execute()
    return CHANGES


def edit(name: str, *, at: dt.datetime | None = None, recurrence: Recurrence | None = None,
         tree: Node | None = None, text: str | None = None, messages: list[dict[str, Any]] | None = None) -> Changes:
    row = find(name)
    fields: dict[Any, Any] = {}
    if at is not None:
        fields[Schedule.at] = stamp(at)
    if recurrence is not None:
        fields[Schedule.recurrence] = json.dumps(recurrence.to_json())
    if tree is not None:
        fields[Schedule.segment_tree] = json.dumps(to_json(tree), ensure_ascii=False)
        fields[Schedule.segment_text] = text or to_text(tree)
    if messages is not None:
        fields[Schedule.messages] = json.dumps(messages, ensure_ascii=False)
    if fields:
        fields[Schedule.status] = "active"
        Schedule.update(fields).where(Schedule.id == row.id).execute()
    return CHANGES


def recurrence_of(row: Schedule) -> Recurrence | None:
    return Recurrence.from_json(json.loads(row.recurrence)) if row.recurrence else None


def tree_of(row: Schedule) -> Node:
    return from_json(json.loads(row.segment_tree))


def count_for(row: Schedule) -> int:
    return count(tree_of(row))


@dataclass
class Occurrence:
    schedule: Schedule
    moment: dt.datetime
    fate: str  # send / missed
    paused: Text | None = None

    def label(self, tz: dt.tzinfo) -> Text:
        when = f"{self.moment.astimezone(tz):%Y-%m-%d %H:%M}"
        return Text(f"予約 {when}", f"scheduled {when}")


def upcoming(row: Schedule, after: dt.datetime, until: dt.datetime, tz: dt.tzinfo) -> list[dt.datetime]:
    """The schedule's moments in (after, until]."""
    rec = recurrence_of(row)
    if rec is None:
        at = utc(row.at)
        return [at] if after < at <= until else []
    return occurrences_between(rec, max(after, utc(row.created_at)), until, tz)


def due_occurrences(now: dt.datetime, tz: dt.tzinfo) -> list[Occurrence]:
    found = []
    for row in Schedule.select().where(Schedule.status == "active").order_by(Schedule.id):
        last = ScheduleRun.select(ScheduleRun.occurrence).where(ScheduleRun.schedule == row.id) \
            .order_by(ScheduleRun.occurrence.desc()).first()
        since = utc(last.occurrence) if last else utc(row.created_at) - dt.timedelta(seconds=1)
        moments = upcoming(row, since, now, tz)
        for i, moment in enumerate(moments):
            # Of several occurrences missed while the computer was off, only the latest may still go.
            late = now - moment > MISS_AFTER or i < len(moments) - 1
            found.append(Occurrence(row, moment, "missed" if late else "send"))
    return found


def _campaign_name(row: Schedule, occurrence: Occurrence, tz: dt.tzinfo) -> str:
    if recurrence_of(row) is None:
        return row.name
    return f"{row.name} {occurrence.moment.astimezone(tz):%Y-%m-%d %H:%M}"


def _unit(row: Schedule, occurrence: Occurrence, tz: dt.tzinfo) -> str:
    if recurrence_of(row) is None:
        return row.unit or default_unit(row.name)
    return f"sr{row.id}_{occurrence.moment.astimezone(tz):%Y%m%d%H%M}"


def start(occurrence: Occurrence, now: dt.datetime, tz: dt.tzinfo,
          month_allows: Callable[[int], tuple[bool, Text | None]]) -> Campaign | None:
    """Freeze the occurrence's campaign (recipients chosen now) with its ScheduleRun, in one transaction;
    None when it is missed, empty, or the month cannot take it (the schedule is then paused, with why)."""
    row = occurrence.schedule
    one_off = recurrence_of(row) is None
    if occurrence.fate == "missed":
        with write_transaction(db):
            ScheduleRun.insert(schedule=row.id, occurrence=stamp(occurrence.moment), status="missed") \
                .on_conflict_ignore().execute()
            if one_off:
                Schedule.update(status="done").where(Schedule.id == row.id).execute()
        return None
    tree = tree_of(row)
    allowed, why = month_allows(count(tree))
    if not allowed:
        occurrence.paused = why
        reason = json.dumps([why.ja, why.en] if why else [], ensure_ascii=False)
        Schedule.update(status="paused_quota", reason=reason).where(Schedule.id == row.id).execute()
        return None
    with write_transaction(db):
        key = (ScheduleRun.schedule == row.id) & (ScheduleRun.occurrence == stamp(occurrence.moment))
        if ScheduleRun.select().where(key).exists():  # started already (by another runner)
            return None
        ScheduleRun.create(schedule=row.id, occurrence=stamp(occurrence.moment), status="queued")
        campaign = freeze(_campaign_name(row, occurrence, tz), tree=to_json(tree), text=row.segment_text,
                          messages=json.loads(row.messages), friend_ids=friend_ids_query(tree),
                          unit=_unit(row, occurrence, tz))
        ScheduleRun.update(campaign=campaign.id).where(key).execute()
        if one_off:
            Schedule.update(status="done").where(Schedule.id == row.id).execute()
        if campaign.recipients == 0:
            campaign.delete_instance(recursive=True)
            return None
    return campaign


def listing() -> list[Schedule]:
    return list(Schedule.select().order_by(Schedule.status, Schedule.name))
