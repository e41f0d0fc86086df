"""The scheduled and recurring sends still to come, as the window lists them: name, next time, recurrence,
segment, and the estimate service's answer for the segment as it counts now (recipients are chosen when the
send goes, so this is what it would be today)."""

from __future__ import annotations

import dataclasses
import datetime as dt
from dataclasses import dataclass

from shopline.automations import schedules
from shopline.automations.shop_time import shop_tz, utc, utc_now
from shopline.core.changes import Changes
from shopline.core.estimate import Estimate
from shopline.core.messages import Text
from shopline.store.automation_models import Schedule

HORIZON = dt.timedelta(days=370)  # a yearly recurrence's next time is within it


@dataclass(frozen=True)
class Pending:
    name: str
    next_time: dt.datetime | None  # in the shop's time; None: none left
    recurrence: Text | None  # None: a one-off send
    segment: str
    estimate: Estimate


def pending(token: str | None = None, now: dt.datetime | None = None) -> list[Pending]:
    """The active scheduled sends, soonest first; `token` lets the estimate ask LINE for the month's figures
    (None: the remembered ones)."""
    from shopline.delivery import usage

    moment = now or utc_now()
    tz = shop_tz()
    month = usage.current_usage(token)
    found = []
    for row in Schedule.select().where(Schedule.status == "active").order_by(Schedule.name):
        rec = schedules.recurrence_of(row)
        moments = [utc(row.at)] if rec is None and row.at else schedules.upcoming(row, moment, moment + HORIZON, tz)
        found.append(Pending(row.name, moments[0].astimezone(tz) if moments else None,
                             rec.describe() if rec else None, row.segment_text,
                             usage.estimate_for(schedules.tree_of(row), usage=month)))
    far = dt.datetime.max.replace(tzinfo=dt.UTC)
    return sorted(found, key=lambda p: p.next_time or far)


def reschedule(name: str, when: dt.datetime, now: dt.datetime | None = None) -> Changes:
    """Move a send: a one-off one to `when` (naive, the shop's time); a recurring one to `when`'s clock time,
    its day and period kept."""
    row = schedules.find(name)
    rec = schedules.recurrence_of(row)
    if rec is not None:
        return schedules.edit(name, recurrence=dataclasses.replace(rec, at=dt.time(when.hour, when.minute)))
    at = when.replace(second=0, microsecond=0, tzinfo=shop_tz())
    if at <= (now or utc_now()):
        raise schedules.ScheduleError(Text("その日時は過ぎています。これからの日時を指定してください。",
                                           "That time has passed: choose a time in the future."))
    return schedules.edit(name, at=at)
