"""What is due at a run: per active scenario, the friends whose next step's time has come (those who enter
now included), grouped by step and by the if/else branch, and the steps too late to send. Reads only.

Friends due for the same step at the same run go together: one campaign per (scenario, step, branch),
each step its own aggregation unit. A friend late for several steps walks through them in order.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field

from shopline.automations import scenarios
from shopline.automations.entries import Entry, new_entries
from shopline.automations.shop_time import stamp, utc
from shopline.core.automations import Fate, Scenario, fate, step_due
from shopline.core.segments import parse
from shopline.store.automation_models import Scenario as ScenarioRow
from shopline.store.connection import db
from shopline.store.segment_sql import friend_ids


@dataclass
class Walker:
    """One entry's way through the steps at this run."""

    enrolment_id: int | None  # None: enters at this run (a dry run never writes it)
    friend_id: int
    cycle: int
    entered: dt.datetime
    next_step: int


@dataclass
class StepWork:
    """Step `step` (0-based) of a scenario at this run: who gets which branch, and who is too late."""

    step: int
    sends: dict[str, list[Walker]] = field(default_factory=lambda: defaultdict(list))  # variant -> friends
    missed: list[Walker] = field(default_factory=list)
    skipped: list[Walker] = field(default_factory=list)  # an if without else, for friends outside the if


@dataclass
class ScenarioWork:
    row: ScenarioRow
    scenario: Scenario
    entries: list[Entry]
    stopping: int  # waiting friends who now match the stop segment
    steps: list[StepWork]

    def sends(self) -> int:
        return sum(len(w) for s in self.steps for w in s.sends.values())


def due_times(scenario: Scenario, walker: Walker, step: int, tz: dt.tzinfo) -> dt.datetime:
    return step_due(walker.entered, scenario.steps[step], scenario.window, tz)


def plan_scenario(row: ScenarioRow, now: dt.datetime, tz: dt.tzinfo, *, entries: list[Entry] | None = None
                  ) -> ScenarioWork:
    scenario = scenarios.load(row)
    entries = new_entries(row, scenario, now, tz) if entries is None else entries
    walkers = [Walker(eid, fid, cycle, utc(entered), step) for eid, fid, cycle, entered, step in db.execute_sql(
        "SELECT id, friend_id, cycle, entered_at, next_step FROM enrolment "
        "WHERE scenario_id = ? AND status = 'active' AND next_due_at <= ?", (row.id, stamp(now)))]
    walkers += [Walker(None, e.friend_id, e.cycle, e.entered, 0) for e in entries]
    stopping = 0
    if scenario.stop and walkers:
        stop = set(friend_ids(parse(scenario.stop)))
        stopping = sum(1 for w in walkers if w.friend_id in stop)
        walkers = [w for w in walkers if w.friend_id not in stop]
    work = [StepWork(k) for k in range(len(scenario.steps))]
    members: dict[int, set[int]] = {}
    for walker in walkers:
        for k in range(walker.next_step, len(scenario.steps)):
            step = scenario.steps[k]
            verdict = fate(due_times(scenario, walker, k, tz), now, scenario.window, tz)
            if verdict is Fate.WAIT:
                break
            if verdict is Fate.MISSED:
                work[k].missed.append(walker)
                continue
            if step.if_expr is None:
                work[k].sends[""].append(walker)
                continue
            if k not in members:
                members[k] = set(friend_ids(parse(step.if_expr)))  # evaluated when the step is due
            if walker.friend_id in members[k]:
                work[k].sends["if"].append(walker)
            elif step.else_message is not None:
                work[k].sends["else"].append(walker)
            else:
                work[k].skipped.append(walker)
    return ScenarioWork(row, scenario, entries, stopping, work)


def active_rows() -> list[ScenarioRow]:
    return list(ScenarioRow.select().where(ScenarioRow.status == "active").order_by(ScenarioRow.id))
