"""RFM: recency, frequency and monetary value, each scored 1-5 by quintile over the friends who bought.

A score is 1 + floor(5 * below / n), where `below` counts the friends with a strictly worse value: tied
friends share a score, so the hundred friends who bought exactly once all have the same F, and a score
never depends on the order rows happen to come in. Recency ranks the last purchase's time (later is
better), so it needs no clock: the scores change only when purchases do.

Groups, the first rule that holds (README, 購買):
  休眠 (dormant)        R = 1
  休眠予備軍 (at risk)   R = 2
  優良 (best)           R >= 4 and F >= 4
  新規 (new)            F = 1 (the fewest orders) and R >= 3
  安定 (steady)         everyone else who bought
"""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TypeVar

from shopline.core.messages import Text

GROUPS: dict[str, Text] = {
    "best": Text("優良", "best"),
    "steady": Text("安定", "steady"),
    "new": Text("新規", "new"),
    "at_risk": Text("休眠予備軍", "at risk"),
    "dormant": Text("休眠", "dormant"),
}
_T = TypeVar("_T", int, str, float)


def quintiles(values: Sequence[_T]) -> list[int]:
    """Each value's score 1-5 (higher value, higher score); ties share the lowest score of their run."""
    ordered = sorted(values)
    n = len(ordered)
    return [1 + (5 * bisect_left(ordered, v)) // n for v in values]


def group(r: int, f: int) -> str:
    if r == 1:
        return "dormant"
    if r == 2:
        return "at_risk"
    if r >= 4 and f >= 4:
        return "best"
    if f == 1 and r >= 3:
        return "new"
    return "steady"


@dataclass(frozen=True)
class Score:
    r: int
    f: int
    m: int
    group: str


def score(last: Sequence[str], orders: Sequence[int], spent: Sequence[int]) -> list[Score]:
    """Scores for friends given as parallel lists of last purchase time (sortable text), orders and yen."""
    rs, fs, ms = quintiles(last), quintiles(orders), quintiles(spent)
    return [Score(r, f, m, group(r, f)) for r, f, m in zip(rs, fs, ms, strict=True)]


def group_code(raw: str) -> str | None:
    """The group's code for its code or either label (優良, best, at risk, 休眠予備軍), or None."""
    key = raw.strip().lower().replace(" ", "_")
    for code, label in GROUPS.items():
        if key in (code, label.ja, label.en.replace(" ", "_")):
            return code
    return None
