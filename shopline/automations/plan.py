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
from shopline.automations.segment_sets import SegmentSets
from shopline.automations.shop_time import stamp, utc
from shopline.core.automations import MISS_AFTER, Fate, Scenario, Step, in_window, step_due
from shopline.store.automation_models import Scenario as ScenarioRow
from shopline.store.connection import db

# A step with a clock time in whole days can fall up to a day before entry + delay ("1d at 10:00" for an entry
# at 15:00 is 19 hours later; a day of a summer-time change is an hour longer or shorter), never earlier. Any
# other step is due at entry + delay or later (the window only moves it on).
EARLIEST = dt.timedelta(hours=26)


def earliest(step: Step) -> dt.timedelta:
    """How much before entry + delay the step can be due."""
    whole_days = step.after.seconds == 0 and step.after.microseconds == 0
    return EARLIEST if step.at is not None and whole_days else dt.timedelta(0)


class Walker:
    """One entry's way through the steps at this run. Its stored times stay text until something needs them as
    times: most due friends are decided by comparing their stored due time with the run's as text."""

    __slots__ = ("_due", "_entered", "cycle", "dues", "enrolment_id", "friend_id", "next_step")

    def __init__(self, enrolment_id: int | None, friend_id: int, cycle: int, entered: dt.datetime | str,
                 next_step: int, due: dt.datetime | str | None = None) -> None:
        self.enrolment_id = enrolment_id  # None: enters at this run (a dry run never writes it)
        self.friend_id = friend_id
        self.cycle = cycle
        self._entered = entered
        self.next_step = next_step
        self._due = due  # the stored due time of next_step
        self.dues: dict[int, dt.datetime | str] = {}  # step -> due, as worked out (or stored) at this run

    @property
    def entered(self) -> dt.datetime:
        if not isinstance(self._entered, dt.datetime):
            self._entered = _time(self._entered)
        return self._entered

    @property
    def due(self) -> dt.datetime | None:
        if self._due is not None and not isinstance(self._due, dt.datetime):
            self._due = _time(self._due)
        return self._due

    def due_for(self, step: int) -> dt.datetime | None:
        found = self.dues.get(step)
        return found if found is None or isinstance(found, dt.datetime) else _time(found)


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


def plan_scenario(row: ScenarioRow, now: dt.datetime, tz: dt.tzinfo, *, entries: list[Entry] | None = None,
                  sets: SegmentSets | None = None) -> ScenarioWork:
    """sets: the run's segments, read once per run and shared by its scenarios (a fresh one when not given)."""
    sets = sets or SegmentSets()
    scenario = scenarios.load(row)
    entries = new_entries(row, scenario, now, tz, sets) if entries is None else entries
    stop = sets(scenario.stop) if scenario.stop else None
    stopping = 0
    steps = scenario.steps
    work = [StepWork(k) for k in range(len(steps))]
    open_now = in_window(now, scenario.window, tz)  # the same for every friend: asked once
    missed_before = stamp(now - MISS_AFTER)
    # entered <= reach[k] exactly when entered + after - earliest <= now: step k may be due, by its delay alone.
    reach = [stamp(now - step.after + earliest(step)) for step in steps]
    branch = {k: sets(step.if_expr) for k, step in enumerate(steps) if step.if_expr is not None}
    branch_of = {k: ("if", "else" if steps[k].else_message is not None else None) for k in branch}

    def place(walker: Walker, k: int, verdict: Fate) -> bool:
        """Put the walker's step k where it belongs; False when it waits (and so do its later steps)."""
        if verdict is Fate.WAIT:
            return False
        if verdict is Fate.MISSED:
            work[k].missed.append(walker)
        elif k not in branch:
            work[k].sends[""].append(walker)
        else:
            yes, no = branch_of[k]
            if walker.friend_id in branch[k]:
                work[k].sends[yes].append(walker)
            elif no is not None:
                work[k].sends[no].append(walker)
            else:
                work[k].skipped.append(walker)
        return True

    def walk_on(walker: Walker, first: int) -> None:
        """Later steps, for a friend late for several: worked out as times (few friends get here)."""
        for k in range(first, len(steps)):
            if walker.entered + steps[k].after - earliest(steps[k]) > now:
                return  # cannot be due yet, whatever its clock time: no time zone arithmetic for most friends
            due = due_times(scenario, walker, k, tz)
            walker.dues[k] = due
            if not place(walker, k, _fate(due, now, open_now)):
                return

    last = len(steps) - 1
    # Whether the stored due time is over 24 hours past, and whether a later step may be due too, are asked
    # of SQLite beside the due query, as text, as the query's own `next_due_at <= ?` is: stamp() writes them.
    further = f"CASE next_step {' '.join(f'WHEN {k} THEN ?' for k in range(last))} ELSE '' END" if last else "''"
    for eid, fid, cycle, entered, k, due, late, more in db.execute_sql(
            "SELECT id, friend_id, cycle, entered_at, next_step, next_due_at, next_due_at < ?, "
            f"entered_at <= {further} FROM enrolment "
            "WHERE scenario_id = ? AND status = 'active' AND next_due_at <= ?",
            (missed_before, *reach[1:], row.id, stamp(now))):
        if stop is not None and fid in stop:
            stopping += 1
            continue
        if k > last or not (late or open_now):
            continue  # waits for the window to open, and so do its later steps
        walker = Walker(eid, fid, cycle, entered, k, due)
        walker.dues[k] = due  # stored when the friend moved on: the window and clock time already applied
        place(walker, k, Fate.MISSED if late else Fate.SEND)
        if more:
            walk_on(walker, k + 1)
    for entry in entries:
        if stop is not None and entry.friend_id in stop:
            stopping += 1
            continue
        walk_on(Walker(None, entry.friend_id, entry.cycle, entry.entered, 0), 0)
    return ScenarioWork(row, scenario, entries, stopping, work)


def active_rows() -> list[ScenarioRow]:
    return list(ScenarioRow.select().where(ScenarioRow.status == "active").order_by(ScenarioRow.id))
