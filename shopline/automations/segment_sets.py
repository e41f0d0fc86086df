"""The segments one run asks about (entry, stop, if), each read once as a bitmap and then asked by membership.

Ten scenarios often share their stop and entry segments: the bitmap engine answers each in about a millisecond
once its index is built, where asking SQL for each scenario's due friends cost a query per scenario and
segment. When the engine may not answer (inside a transaction that wrote, an expression it does not cover),
store.segment_sql answers with the SQL, once per run all the same.

A run's set is only as fresh as the run: the runner's own writes (enrolments, StepSend rows, campaigns)
are not what a segment is made of, so a set read at the start of a run holds for the whole run.
"""

from __future__ import annotations

from pyroaring import BitMap

from shopline.core.segments import parse
from shopline.store import segment_sql


class SegmentSets:
    def __init__(self) -> None:
        self._sets: dict[str, BitMap] = {}

    def __call__(self, expr: str) -> BitMap:
        """The following friends the segment holds now."""
        found = self._sets.get(expr)
        if found is None:
            found = self._sets[expr] = segment_sql.members(parse(expr))
        return found
