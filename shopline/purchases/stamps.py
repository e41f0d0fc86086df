"""A register's date-and-time cells read fast: a million rows hold few distinct days and times of day."""

from __future__ import annotations

from shopline.core.messages import Text
from shopline.core.purchase_values import parse_time, parse_when


class Stamps:
    """parse_when by parts: a file has a few hundred distinct days and at most 86,400 times of day, but nearly as
    many distinct stamps as rows, so the two halves of 'date time' are each looked up once. A stamp whose halves do
    not read on their own (2024-03-15T14:05, a zone suffix) is read whole."""

    def __init__(self) -> None:
        self.days: dict[str, str | None] = {}
        self.times: dict[str, str | None] = {}

    def __call__(self, raw: str) -> str | Text | None:
        if not raw or raw.isspace():
            return None
        day, _, clock = raw.partition(" ")
        date = self.days.get(day, "")
        if date == "":
            date = self.days[day] = self._day(day) if len(self.days) < 100_000 else None
        if date is not None:
            if not clock:
                return date + " 00:00:00"
            time = self.times.get(clock, "")
            if time == "":
                time = self.times[clock] = self._time(clock) if len(self.times) < 100_000 else None
            if time is not None:
                return date + " " + time
        try:
            return parse_when(raw)
        except ValueError as err:
            reason: Text = err.args[0]
            return reason

    @staticmethod
    def _day(text: str) -> str | None:
        try:
            return parse_when(text)[:10]
        except ValueError:
            return None

    @staticmethod
    def _time(text: str) -> str | None:
        try:
            hour, minute, second = parse_time(text)
        except ValueError:
            return None
        return f"{hour:02d}:{minute:02d}:{second:02d}"
