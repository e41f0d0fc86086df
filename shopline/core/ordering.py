"""The order a person expects names in: キャンペーン_2024年2月 before キャンペーン_2024年10月."""

from __future__ import annotations

import re

_DIGITS = re.compile(r"(\d+)")


def natural_key(name: str) -> tuple[tuple[int, int | str], ...]:
    """Runs of digits compare as numbers, the rest as text (case-folded), so 1月 < 2月 < 10月."""
    return tuple((0, int(part)) if part.isdigit() else (1, part.casefold())
                 for part in _DIGITS.split(name) if part)
