"""`run-due --dry-run`: who would get what now, planned as a real run plans it, with nothing written or sent."""

from __future__ import annotations

import json

from shopline.automations import schedules
from shopline.automations.plan import active_rows, plan_scenario
from shopline.automations.run_report import GroupLine, RunReport, step_label
from shopline.automations.segment_sets import SegmentSets
from shopline.automations.shop_time import shop_tz
from shopline.store.connection import db


def fill_dry_run(report: RunReport, names_shown: int) -> None:
    tz = shop_tz()
    sets = SegmentSets()
    for row in active_rows():
        work = plan_scenario(row, report.now, tz, sets=sets)
        report.entered[row.name] = len(work.entries)
        report.stopped[row.name] = work.stopping
        report.missed[row.name] = sum(len(s.missed) for s in work.steps)
        for step in work.steps:
            for variant, walkers in step.sends.items():
                ids = [w.friend_id for w in walkers[:names_shown]]
                names = dict(db.execute_sql("SELECT id, display_name FROM friend WHERE id IN (SELECT value FROM "
                                            "json_each(?))", (json.dumps(ids),)))
                report.groups.append(GroupLine(row.name, step_label(step.step, variant), len(walkers),
                                               tuple(names.get(i, "") for i in ids)))
    for occurrence in schedules.due_occurrences(report.now, tz):
        if occurrence.fate == "send":
            report.groups.append(GroupLine(occurrence.schedule.name, occurrence.label(tz),
                                           schedules.count_for(occurrence.schedule)))
