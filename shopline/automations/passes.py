"""The campaigns one run froze, and the passes they are sent in: a friend due for two steps gets the first first."""

from __future__ import annotations

from dataclasses import dataclass

from shopline.core.messages import Text
from shopline.store.campaign_models import Campaign


@dataclass
class Queued:
    wave: int  # the step's position: a friend's step 1 goes out before their step 2 of the same run
    scenario_id: int | None  # None: a scheduled send
    owner: str
    label: Text
    campaign: Campaign
    friends: frozenset[int] = frozenset()  # a scenario step's friends: their earlier steps of this run go first
    personal: bool = False  # pushed one friend at a time (placeholders), not multicast


def in_passes(queued: list[Queued]) -> list[list[Queued]]:
    """The run's campaigns in passes: a campaign goes in the pass after every campaign of an earlier step of its
    scenario it shares a friend with (a friend late for two steps gets step 1 before step 2), else in the first."""
    ordered = sorted(queued, key=lambda q: q.wave)
    level: list[int] = []
    for i, later in enumerate(ordered):
        level.append(max((level[j] + 1 for j, earlier in enumerate(ordered[:i])
                          if later.scenario_id is not None and earlier.scenario_id == later.scenario_id
                          and earlier.wave < later.wave
                          and not later.friends.isdisjoint(earlier.friends)), default=0))
    return [[q for q, n in zip(ordered, level, strict=True) if n == p] for p in range(max(level, default=-1) + 1)]
