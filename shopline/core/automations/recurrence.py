"""Recurring sends: every day, week or month at a clock time, and the occurrences between two moments."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from shopline.core.automations.clock import TimeFormatError, format_clock, occurrence, parse_clock
from shopline.core.messages import ShopLineError, Text

EVERY = ("day", "week", "month")


@dataclass(frozen=True)
class Recurrence:
    every: str  # day / week / month
    at: dt.time
    day: int | None = None  # month: day of the month (31 = the last day in shorter months); week: 1 = Monday

    def describe(self) -> Text:
        clock = format_clock(self.at)
        if self.every == "month":
            return Text(f"毎月{self.day}日 {clock}", f"monthly on day {self.day} at {clock}")
        if self.every == "week":
            names = "月火水木金土日"
            en = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
            assert self.day is not None
            return Text(f"毎週{names[self.day - 1]}曜 {clock}", f"weekly on {en[self.day - 1]} at {clock}")
        return Text(f"毎日 {clock}", f"daily at {clock}")

    def to_json(self) -> dict[str, object]:
        return {"every": self.every, "at": format_clock(self.at), "day": self.day}

    @classmethod
    def from_json(cls, data: dict[str, object]) -> Recurrence:
        day = data.get("day")
        return recurrence_from_args(str(data["every"]), str(data["at"]), day if isinstance(day, int) else None)


def recurrence_from_args(every: str, at: str | None, day: int | None) -> Recurrence:
    if every not in EVERY:
        raise ShopLineError(Text("--every は day、week、month のどれかにしてください。",
                                 "--every must be day, week or month."))
    try:
        clock = parse_clock(at or "10:00")
    except TimeFormatError as exc:
        raise ShopLineError(exc.text) from None
    if every == "month":
        day = day or 1
        if not 1 <= day <= 31:
            raise ShopLineError(Text("--day は1〜31にしてください。", "--day must be 1 to 31."))
    elif every == "week":
        day = day or 1
        if not 1 <= day <= 7:
            raise ShopLineError(Text("毎週の --day は1(月曜)〜7(日曜)にしてください。",
                                     "For weekly sends --day must be 1 (Monday) to 7 (Sunday)."))
    else:
        day = None
    return Recurrence(every, clock, day)


def _on(day: dt.date, rec: Recurrence, tz: dt.tzinfo) -> dt.datetime | None:
    if rec.every == "week" and day.isoweekday() != rec.day:
        return None
    if rec.every == "month":
        assert rec.day is not None
        if day != occurrence(day.month, rec.day, day.year):
            return None
    return dt.datetime.combine(day, rec.at, tzinfo=tz)


def occurrences_between(rec: Recurrence, after: dt.datetime, until: dt.datetime, tz: dt.tzinfo) -> list[dt.datetime]:
    """Occurrences in (after, until], on the shop's clock."""
    found = []
    day = after.astimezone(tz).date()
    last = until.astimezone(tz).date()
    while day <= last:
        moment = _on(day, rec, tz)
        if moment is not None and after < moment <= until:
            found.append(moment)
        day += dt.timedelta(days=1)
    return found
