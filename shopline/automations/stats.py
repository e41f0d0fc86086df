"""What the shop sees of a scenario: who entered, waits at each step, was sent each step, stopped or missed;
a preview of the next days ("who gets what, when"); and what automations will spend of the month."""

from __future__ import annotations

import calendar
import datetime as dt
import json
from collections import Counter
from dataclasses import dataclass

from peewee import fn

from shopline.automations import scenarios, schedules
from shopline.automations.shop_time import shop_tz, stamp, utc, utc_now
from shopline.core.automations import Scenario, step_due
from shopline.core.automations.clock import next_open
from shopline.core.results import SharedUnit, together
from shopline.results.figures import unit_figures
from shopline.store.automation_models import Enrolment, Schedule, StepSend
from shopline.store.automation_models import Scenario as ScenarioRow
from shopline.store.connection import db
from shopline.store.segment_sql import count

JST = dt.timezone(dt.timedelta(hours=9))  # LINE's month turns in Japan time (delivery/usage.py)


@dataclass(frozen=True)
class StepStats:
    number: int
    waiting: int
    sent: int
    missed: int
    skipped: int
    unit: str
    campaigns: tuple[str, ...] = ()  # the step's campaigns (one per run and branch), newest first: its results
    whole: SharedUnit | None = None  # LINE's figures for the step's sends (both branches), as last fetched


@dataclass(frozen=True)
class ScenarioStats:
    name: str
    status: str
    entered: int
    active: int
    done: int
    stopped: int
    missed: int
    steps: tuple[StepStats, ...]


def scenario_stats(row: ScenarioRow) -> ScenarioStats:
    scenario = scenarios.load(row)
    states = Counter(dict(Enrolment.select(Enrolment.status, fn.COUNT(Enrolment.id))
                          .where(Enrolment.scenario == row.id).group_by(Enrolment.status).tuples()))
    waiting = dict(Enrolment.select(Enrolment.next_step, fn.COUNT(Enrolment.id))
                   .where((Enrolment.scenario == row.id) & (Enrolment.status == "active"))
                   .group_by(Enrolment.next_step).tuples())
    sends = Counter({(step, status): n for step, status, n in
                     StepSend.select(StepSend.step, StepSend.status, fn.COUNT(StepSend.id))
                     .where(StepSend.scenario == row.id).group_by(StepSend.step, StepSend.status).tuples()})
    units = [scenarios.unit_for(row.id, k + 1) for k in range(len(scenario.steps))]
    # A step's campaigns share its aggregation unit (its else branch: the unit with "e"); the campaign table is
    # small beside StepSend, so they are found by unit rather than through every friend's StepSend row.
    campaigns: dict[str, list[str]] = {}
    for unit, name in db.execute_sql(
            "SELECT unit, name FROM campaign WHERE unit IN (SELECT value FROM json_each(?)) ORDER BY id DESC",
            (json.dumps([u + e for u in units for e in ("", "e")]),)):
        campaigns.setdefault(unit.removesuffix("e"), []).append(name)
    wholes = unit_figures([u + e for u in units for e in ("", "e")])
    steps = tuple(StepStats(k + 1, waiting.get(k, 0), sends[(k + 1, "queued")], sends[(k + 1, "missed")],
                            sends[(k + 1, "skipped")], units[k], tuple(campaigns.get(units[k], ())),
                            together([wholes[u] for u in (units[k], units[k] + "e") if u in wholes]))
                  for k in range(len(scenario.steps)))
    return ScenarioStats(row.name, row.status, sum(states.values()), states["active"], states["done"],
                         states["stopped"], sum(s.missed for s in steps), steps)


@dataclass(frozen=True)
class Upcoming:
    when: dt.datetime  # aware, shop's zone
    step: int  # 1-based
    friends: int
    message: str  # the first bubble's text, or its type


def _describe(messages: tuple[dict, ...] | list[dict]) -> str:
    first = messages[0]
    return str(first.get("text") or first.get("type"))


def timeline(row: ScenarioRow, days: int = 30, now: dt.datetime | None = None) -> list[Upcoming]:
    """Friends already in the scenario, step by step over the next `days`, by the hour their step is due
    (friends who will enter meanwhile are not known yet)."""
    scenario = scenarios.load(row)
    now = now or utc_now()
    until = now + dt.timedelta(days=days)
    tz = shop_tz()
    slots: Counter[tuple[dt.datetime, int]] = Counter()
    rows = db.execute_sql("SELECT entered_at, next_step FROM enrolment WHERE scenario_id = ? AND status = 'active'",
                          (row.id,))
    for entered, step in rows:
        entry = utc(entered)
        for k in range(step, len(scenario.steps)):
            due = max(step_due(entry, scenario.steps[k], scenario.window, tz), next_open(now, scenario.window, tz))
            if due > until:
                break
            slots[(due.astimezone(tz).replace(minute=0, second=0), k + 1)] += 1
    return [Upcoming(when, step, n, _describe(scenario.steps[step - 1].message))
            for (when, step), n in sorted(slots.items())]


def _month_end(now: dt.datetime) -> dt.datetime:
    local = now.astimezone(JST)
    last = calendar.monthrange(local.year, local.month)[1]
    return local.replace(day=last, hour=23, minute=59, second=59)


def _scenario_use(scenario: Scenario, scenario_id: int, now: dt.datetime, end: dt.datetime, tz: dt.tzinfo) -> int:
    total = 0
    for entered, step in db.execute_sql(
            "SELECT entered_at, next_step FROM enrolment WHERE scenario_id = ? AND status = 'active' "
            "AND next_due_at <= ?", (scenario_id, stamp(end))):
        entry = utc(entered)
        for k in range(step, len(scenario.steps)):
            if step_due(entry, scenario.steps[k], scenario.window, tz) > end:
                break
            total += 1
    return total


def expected_automation_use(now: dt.datetime | None = None) -> int:
    """Messages scheduled, recurring and scenario sends are expected to use for the rest of LINE's month:
    friends already waiting in scenarios and each send's segment as it counts now (new friends not known)."""
    now = now or utc_now()
    end = _month_end(now)
    tz = shop_tz()
    total = 0
    for row in ScenarioRow.select().where(ScenarioRow.status == "active"):
        total += _scenario_use(scenarios.load(row), row.id, now, end, tz)
    for schedule in Schedule.select().where(Schedule.status == "active"):
        moments = schedules.upcoming(schedule, now, end, tz)
        if moments:
            total += len(moments) * count(schedules.tree_of(schedule))
    return total


@dataclass(frozen=True)
class Details:
    body: dict
    stats: ScenarioStats
    reason: object  # Text | None: why it is paused, when not by the shop
    upcoming: list[Upcoming]


def overview() -> list[ScenarioStats]:
    return [scenario_stats(row) for row in scenarios.all_rows()]


def details(name: str, days: int = 30) -> Details:
    row = scenarios.find(name)
    return Details(scenarios.export(name), scenario_stats(row), scenarios.reason_of(row), timeline(row, days))


def anything_active() -> bool:
    """Whether a run could have anything to do (the window's timer asks before it needs the token)."""
    return ScenarioRow.select().where(ScenarioRow.status == "active").exists() or \
        Schedule.select().where(Schedule.status == "active").exists()
