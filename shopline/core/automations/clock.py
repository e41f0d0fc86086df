"""Time for automations: delays, clock times, the quiet-hours window, and whether a due step is still worth sending.

Every moment here is an aware datetime; `tz` is the shop's time zone. A step is judged on the
local clock of the shop, never of the machine that happens to run it.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
from enum import StrEnum
from typing import TYPE_CHECKING

from shopline.core.messages import ShopLineError, Text

if TYPE_CHECKING:
    from shopline.core.automations.model import Step

# A step found more than this late (the computer was off) is skipped and counted, never sent a week late.
MISS_AFTER = dt.timedelta(hours=24)
_DELAY = re.compile(r"^\s*(\d{1,5})\s*([mhd])\s*$")
_CLOCK = re.compile(r"^\s*(\d{1,2}):(\d{2})\s*$")
_UNITS = {"m": "minutes", "h": "hours", "d": "days"}

Window = tuple[dt.time, dt.time] | None


class TimeFormatError(ShopLineError):
    pass


def parse_delay(text: str) -> dt.timedelta:
    """'30m', '2h', '1d' (and '0m'): the delay from entry."""
    match = _DELAY.match(str(text))
    if not match:
        raise TimeFormatError(Text(
            f"待ち時間「{text}」が読めません。30m(分)、2h(時間)、1d(日)のように書いてください。",
            f"The delay \"{text}\" cannot be read: write it like 30m (minutes), 2h (hours) or 1d (days)."))
    return dt.timedelta(**{_UNITS[match.group(2)]: int(match.group(1))})


def format_delay(delay: dt.timedelta) -> str:
    minutes = int(delay.total_seconds() // 60)
    if minutes and minutes % 1440 == 0:
        return f"{minutes // 1440}d"
    if minutes and minutes % 60 == 0:
        return f"{minutes // 60}h"
    return f"{minutes}m"


def parse_clock(text: str) -> dt.time:
    """'10:00' -> 10:00; refuses 24:00 and 9:60."""
    match = _CLOCK.match(str(text))
    if not match or int(match.group(1)) > 23 or int(match.group(2)) > 59:
        raise TimeFormatError(Text(f"時刻「{text}」が読めません。10:00 のように24時間制で書いてください。",
                                   f"The time \"{text}\" cannot be read: write it like 10:00 (24-hour clock)."))
    return dt.time(int(match.group(1)), int(match.group(2)))


def format_clock(value: dt.time) -> str:
    return f"{value.hour:02d}:{value.minute:02d}"


def _at(day: dt.date, clock: dt.time, tz: dt.tzinfo) -> dt.datetime:
    return dt.datetime.combine(day, clock, tzinfo=tz)


def in_window(moment: dt.datetime, window: Window, tz: dt.tzinfo) -> bool:
    """Inside [start, end) on the shop's clock; a window like 22:00-02:00 runs past midnight."""
    if window is None:
        return True
    start, end = window
    clock = moment.astimezone(tz).time()
    if start <= end:
        return start <= clock < end
    return clock >= start or clock < end


def next_open(moment: dt.datetime, window: Window, tz: dt.tzinfo) -> dt.datetime:
    """`moment` itself when the window is open then; otherwise the next opening (a night step waits for morning)."""
    if window is None or in_window(moment, window, tz):
        return moment
    local = moment.astimezone(tz)
    opening = _at(local.date(), window[0], tz)
    if opening <= local:
        opening = _at(local.date() + dt.timedelta(days=1), window[0], tz)
    return opening


def step_due(entry: dt.datetime, step: Step, window: Window, tz: dt.tzinfo) -> dt.datetime:
    """When `step` is due for a friend who entered at `entry`: the delay, then the step's clock time on the
    day the delay ends (the next day if that time has passed), then the window's next opening.
    A delay in whole days counts calendar days on the shop's clock."""
    due = entry + step.after
    if step.at is not None:
        if _whole_days(step.after):
            # "1d at 10:00" is the next calendar day at 10:00, whatever the hour the friend entered;
            # only a step that would land before the entry itself ("0d" at a passed time) moves on a day.
            day = entry.astimezone(tz).date() + dt.timedelta(days=step.after.days)
            local = entry.astimezone(tz)
        else:
            local = due.astimezone(tz)
            day = local.date()
        moved = _at(day, step.at, tz)
        if moved < local:
            moved = _at(day + dt.timedelta(days=1), step.at, tz)
        due = moved
    return next_open(due, window, tz)


def _whole_days(delay: dt.timedelta) -> bool:
    return delay.seconds == 0 and delay.microseconds == 0


class Fate(StrEnum):
    WAIT = "wait"
    SEND = "send"
    MISSED = "missed"


def fate(due: dt.datetime, now: dt.datetime, window: Window, tz: dt.tzinfo) -> Fate:
    """What a run at `now` does with a step due at `due`."""
    if now < due:
        return Fate.WAIT
    if now - due > MISS_AFTER:
        return Fate.MISSED
    if not in_window(now, window, tz):
        return Fate.WAIT  # late, and the shop's hours are over: it waits for the morning (if still in time)
    return Fate.SEND


def occurrence(month: int, day: int, year: int) -> dt.date:
    """The date's occurrence in `year`: a 29 February falls on the 28th in a common year (still the birth month)."""
    return dt.date(year, month, min(day, calendar.monthrange(year, month)[1]))


def date_entries(date: dt.date, offset_days: int, yearly: bool, since: dt.date,
                 until: dt.date) -> list[tuple[int, dt.date]]:
    """(cycle, entry day) of a date trigger with entry days in [since, until]. The cycle is the year of the
    occurrence (a birthday on 3 January with offset -7 enters on 27 December for the next year's cycle);
    a one-off date has cycle 0."""
    shift = dt.timedelta(days=offset_days)
    if not yearly:
        day = date + shift
        return [(0, day)] if since <= day <= until else []
    found = []
    for year in range(since.year - 1, until.year + 2):
        day = occurrence(date.month, date.day, year) + shift
        if since <= day <= until:
            found.append((year, day))
    return found


def month_days_for(offset_days: int, since: dt.date, until: dt.date) -> set[str]:
    """'MM-DD' of the dates whose yearly entry day falls in [since, until]: a cheap filter before date_entries."""
    keys: set[str] = set()
    day = since
    while day <= until:
        date = day - dt.timedelta(days=offset_days)
        keys.add(date.strftime("%m-%d"))
        if date.month == 2 and date.day == 28 and not calendar.isleap(date.year):
            keys.add("02-29")
        day += dt.timedelta(days=1)
    return keys


def local_midnight(day: dt.date, tz: dt.tzinfo) -> dt.datetime:
    return _at(day, dt.time(0, 0), tz)
