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
from shopline.automations.entries import Entry, members, new_entries
from shopline.automations.shop_time import stamp, utc
from shopline.core.automations import MISS_AFTER, Fate, Scenario, in_window, step_due
from shopline.store.automation_models import Scenario as ScenarioRow
from shopline.store.connection import db

# A step with a clock time in whole days can fall up to a day before entry + delay ("1d at 10:00" for an entry
# at 15:00 is 19 hours later), never earlier.
EARLIEST = dt.timedelta(days=1)


@dataclass
class Walker:
    """One entry's way through the steps at this run."""

    enrolment_id: int | None  # None: enters at this run (a dry run never writes it)
    friend_id: int
    cycle: int
    entered: dt.datetime
    next_step: int
    due: dt.datetime | None = None  # the stored due time of next_step
    dues: dict[int, dt.datetime] = field(default_factory=dict)  # step -> due, as worked out at this run


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


def _time(value: object) -> dt.datetime:
    """A stored time; ours are aware ISO text, read by the C parser alone (thousands of rows per run)."""
    if isinstance(value, str) and value.endswith("+00:00"):
        return dt.datetime.fromisoformat(value)
    return utc(value)  # type: ignore[arg-type]


def _fate(due: dt.datetime, now: dt.datetime, open_now: bool) -> Fate:
    """core.automations.fate, with the window's answer for `now` worked out once per scenario."""
    if now < due:
        return Fate.WAIT
    if now - due > MISS_AFTER:
        return Fate.MISSED
    return Fate.SEND if open_now else Fate.WAIT


def due_times(scenario: Scenario, walker: Walker, step: int, tz: dt.tzinfo) -> dt.datetime:
    return step_due(walker.entered, scenario.steps[step], scenario.window, tz)


def plan_scenario(row: ScenarioRow, now: dt.datetime, tz: dt.tzinfo, *, entries: list[Entry] | None = None
                  ) -> ScenarioWork:
    scenario = scenarios.load(row)
    entries = new_entries(row, scenario, now, tz) if entries is None else entries
    walkers = [Walker(eid, fid, cycle, _time(entered), step, _time(due)) for eid, fid, cycle, entered, step, due in
               db.execute_sql("SELECT id, friend_id, cycle, entered_at, next_step, next_due_at FROM enrolment "
                              "WHERE scenario_id = ? AND status = 'active' AND next_due_at <= ?",
                              (row.id, stamp(now)))]
    walkers += [Walker(None, e.friend_id, e.cycle, e.entered, 0) for e in entries]
    stopping = 0
    if scenario.stop and walkers:
        # Asked for the due friends only, by primary key (faster here than the segment inside the due query).
        stop = members(scenario.stop, (w.friend_id for w in walkers), stamp(now))
        stopping = sum(1 for w in walkers if w.friend_id in stop)
        walkers = [w for w in walkers if w.friend_id not in stop]
    work = [StepWork(k) for k in range(len(scenario.steps))]
    matching: dict[int, set[int]] = {}
    open_now = in_window(now, scenario.window, tz)  # the same for every friend: asked once
    for walker in walkers:
        for k in range(walker.next_step, len(scenario.steps)):
            step = scenario.steps[k]
            if k == walker.next_step and walker.due is not None:
                due = walker.due  # stored when the friend moved on: the window and clock time already applied
            elif walker.entered + step.after - EARLIEST > now:
                break  # cannot be due yet, whatever its clock time: no time zone arithmetic for most friends
            else:
                due = due_times(scenario, walker, k, tz)
            walker.dues[k] = due
            verdict = _fate(due, now, open_now)
            if verdict is Fate.WAIT:
                break
            if verdict is Fate.MISSED:
                work[k].missed.append(walker)
                continue
            if step.if_expr is None:
                work[k].sends[""].append(walker)
                continue
            if k not in matching:  # evaluated when the step is due, for the friends due at this run
                matching[k] = members(step.if_expr, (w.friend_id for w in walkers), stamp(now))
            if walker.friend_id in matching[k]:
                work[k].sends["if"].append(walker)
            elif step.else_message is not None:
                work[k].sends["else"].append(walker)
            else:
                work[k].skipped.append(walker)
    return ScenarioWork(row, scenario, entries, stopping, work)


def active_rows() -> list[ScenarioRow]:
    return list(ScenarioRow.select().where(ScenarioRow.status == "active").order_by(ScenarioRow.id))
