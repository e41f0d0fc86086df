"""The fake LINE's insight endpoints (insight.yml): per-unit statistics and the account's followers per day.

Tests script what LINE knows in `fake.insight` (an InsightData): figures per aggregation unit, with
None for LINE's under-20 nulls, and per day the followers answer, `unready` until a test says otherwise.
Requests and answers are checked against insight.yml like every other route; a 429 is a Fault.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from fake_line.routes import Answer, route

if TYPE_CHECKING:
    from fake_line.server import FakeLine, Recorded

MAX_SPAN_DAYS = 30


@dataclass
class InsightData:
    units: dict[str, dict] = field(default_factory=dict)  # unit -> {"overview": .., "messages": .., "clicks": ..}
    followers: dict[str, dict] = field(default_factory=dict)  # yyyyMMdd -> the answer; missing: unready
    asked: list[tuple[str, str, str]] = field(default_factory=list)  # (unit, from, to) per request

    def set_unit(self, unit: str, *, impressions: int | None, clicks: int | None,
                 urls: list[tuple[str, int | None, int | None]] = ()) -> None:
        """A unit's figures as LINE answers them: None is LINE's null (fewer than 20 users)."""
        self.units[unit] = {
            "overview": {"uniqueImpression": impressions, "uniqueClick": clicks, "uniqueMediaPlayed": None,
                         "uniqueMediaPlayed100Percent": None},
            "messages": [{"seq": 1, "impression": impressions, "uniqueImpression": impressions}],
            "clicks": [{"seq": 1, "url": url, "click": click, "uniqueClick": unique, "uniqueClickOfRequest": unique}
                       for url, click, unique in urls],
        }

    def set_day(self, day: dt.date, followers: int, targeted: int, blocks: int) -> None:
        self.followers[day.strftime("%Y%m%d")] = {"status": "ready", "followers": followers,
                                                  "targetedReaches": targeted, "blocks": blocks}


def _date(text: str) -> dt.date | None:
    try:
        return dt.datetime.strptime(text, "%Y%m%d").date()
    except ValueError:
        return None


@route("GET", "/v2/bot/insight/message/event/aggregation")
def statistics_per_unit(fake: FakeLine, request: Recorded, match: re.Match) -> Answer:
    unit = request.query["customAggregationUnit"][0]
    start, end = request.query["from"][0], request.query["to"][0]
    first, last = _date(start), _date(end)
    if first is None or last is None or last < first or (last - first).days > MAX_SPAN_DAYS:
        return 400, {"message": "The request body has 1 error(s)",
                     "details": [{"message": "to must be within 30 days from from", "property": "to"}]}, {}
    with fake._lock:
        fake.insight.asked.append((unit, start, end))
    body = fake.insight.units.get(unit) or {
        "overview": {"uniqueImpression": None, "uniqueClick": None, "uniqueMediaPlayed": None,
                     "uniqueMediaPlayed100Percent": None}, "messages": [], "clicks": []}
    return 200, body, {}


@route("GET", "/v2/bot/insight/followers")
def followers_on(fake: FakeLine, request: Recorded, match: re.Match) -> Answer:
    day = request.query.get("date", [""])[0]
    return 200, dict(fake.insight.followers.get(day) or {"status": "unready"}), {}
