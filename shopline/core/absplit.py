"""Splitting a segment at random for an A/B test: reproducible from a recorded seed, pure Python.

The friends are sorted first and shuffled with random.Random(seed), whose Mersenne Twister and
shuffle give the same order on every Python since 3.2: the seed written with the test is enough
to show anyone how the groups came about. The first `test share` of the shuffled friends are split
evenly (sizes differ by at most one) among the variants; the rest are held back for the winner.
"""

from __future__ import annotations

import random
import secrets
from collections.abc import Iterable
from dataclasses import dataclass

MIN_VARIANTS = 2
MAX_VARIANTS = 4
LETTERS = "ABCD"


@dataclass(frozen=True)
class Split:
    seed: int
    groups: tuple[tuple[int, ...], ...]  # one per variant, A first
    held_back: tuple[int, ...]  # kept for the winner; empty when everyone is tested

    @property
    def sizes(self) -> tuple[int, ...]:
        return tuple(len(g) for g in self.groups)

    @property
    def tested(self) -> int:
        return sum(self.sizes)


def new_seed() -> int:
    """A fresh seed, small enough to read out and type back (`--seed`)."""
    return secrets.randbelow(2**31)


def variant_key(index: int) -> str:
    return LETTERS[index]


def test_count(total: int, share: int) -> int:
    """How many of `total` friends are tested at `share` percent (100: all of them)."""
    if not 1 <= share <= 100:
        raise ValueError("the test share is a percentage from 1 to 100")
    return total if share == 100 else round(total * share / 100)


def split(friend_ids: Iterable[int], variants: int, *, share: int = 100, seed: int) -> Split:
    """The friends shuffled by `seed`, the first `share` percent dealt evenly into `variants` groups."""
    if not MIN_VARIANTS <= variants <= MAX_VARIANTS:
        raise ValueError(f"an A/B test has {MIN_VARIANTS} to {MAX_VARIANTS} variants")
    order = sorted(set(friend_ids))
    random.Random(seed).shuffle(order)
    tested = test_count(len(order), share)
    base, extra = divmod(tested, variants)
    groups: list[tuple[int, ...]] = []
    start = 0
    for index in range(variants):
        size = base + (1 if index < extra else 0)
        groups.append(tuple(sorted(order[start:start + size])))
        start += size
    return Split(seed, tuple(groups), tuple(sorted(order[tested:])))
