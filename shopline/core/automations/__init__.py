"""Automations in pure Python: scenarios (step delivery), their JSON form, and what is due at a time t.

    scenario = scenario_from_json(data)          # ScenarioError with a sentence, or a checked Scenario
    due = step_due(entry, scenario.steps[1], scenario.window, tz)
    fate(due, now, scenario.window, tz)          # WAIT, SEND or MISSED

Nothing here reads a clock: every function takes the moment it judges.
"""

from shopline.core.automations.clock import (
    MISS_AFTER,
    Fate,
    fate,
    in_window,
    next_open,
    occurrence,
    parse_clock,
    parse_delay,
    step_due,
)
from shopline.core.automations.model import (
    TRIGGER_TYPES,
    Scenario,
    ScenarioError,
    Step,
    Trigger,
    scenario_from_json,
    scenario_to_json,
)
from shopline.core.automations.recurrence import Recurrence, occurrences_between, recurrence_from_args

__all__ = [
    "MISS_AFTER", "TRIGGER_TYPES", "Fate", "Recurrence", "Scenario", "ScenarioError", "Step", "Trigger",
    "fate", "in_window", "next_open", "occurrence", "occurrences_between", "parse_clock", "parse_delay",
    "recurrence_from_args", "scenario_from_json", "scenario_to_json", "step_due",
]
