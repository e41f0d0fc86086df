"""What a run did (or, dry, would do): a line per campaign, and who entered, stopped or was missed per scenario."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from shopline.core.changes import Changes
from shopline.core.messages import Text
from shopline.delivery.results import RunResult


@dataclass(frozen=True)
class GroupLine:
    """One campaign of a run (or, in a dry run, one that would be)."""

    scenario: str
    label: Text  # e.g. ステップ2 (if)
    friends: int
    names: tuple[str, ...] = ()  # a dry run lists who
    result: RunResult | None = None
    campaign: str = ""


@dataclass
class RunReport:
    now: dt.datetime
    dry_run: bool
    groups: list[GroupLine] = field(default_factory=list)
    entered: dict[str, int] = field(default_factory=dict)
    stopped: dict[str, int] = field(default_factory=dict)
    missed: dict[str, int] = field(default_factory=dict)
    paused: list[tuple[str, Text]] = field(default_factory=list)
    resumed: list[str] = field(default_factory=list)
    changes: Changes = field(default_factory=Changes)

    @property
    def sent(self) -> int:
        return sum(g.result.delivered for g in self.groups if g.result)


def step_label(step: int, variant: str) -> Text:
    suffix = f" ({variant})" if variant else ""
    return Text(f"ステップ{step + 1}{suffix}", f"Step {step + 1}{suffix}")
