"""Scenarios in the store: save (import or edit), export, list, pause, resume, delete.

Editing a scenario keeps the friends already in it: each keeps their entry time and the steps already
sent or missed, and goes on by position with the edited steps (the next step is the first one not yet
done, timed from their entry again, so a step now more than 24 hours past is counted missed). Steps
removed from the end leave their friends done.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from shopline.automations.shop_time import shop_tz, stamp, utc, utc_now
from shopline.core.automations import Scenario, ScenarioError, scenario_from_json, scenario_to_json, step_due
from shopline.core.changes import Changes
from shopline.core.folding import fold
from shopline.core.messages import Text
from shopline.core.segments import HasTag, SegmentError, parse
from shopline.core.segments.errors import closest
from shopline.store.automation_models import Enrolment, Step
from shopline.store.automation_models import Scenario as ScenarioRow
from shopline.store.connection import db
from shopline.store.models import Field
from shopline.store.segments import resolve
from shopline.store.sqlite import update_rows, write_transaction

AUTOMATIONS = Changes(automations=True)


@dataclass(frozen=True)
class Saved:
    scenario: Scenario
    row: ScenarioRow
    created: bool
    changes: Changes = AUTOMATIONS


def unit_for(scenario_id: int, number: int) -> str:
    return f"sc{scenario_id}_s{number}"


def check_names(scenario: Scenario) -> None:
    """Every tag and field the scenario names must exist (with the nearest name suggested), as a send's do."""
    try:
        for expr in scenario.segments():
            resolve(parse(expr))
        if scenario.trigger.type == "tag_added":
            assert scenario.trigger.tag is not None
            resolve(HasTag(scenario.trigger.tag))
    except SegmentError as exc:
        raise ScenarioError(Text(f"「{scenario.name}」: {exc.text.ja}",
                                 f"\"{scenario.name}\": {exc.text.en}")) from None
    _check_placeholders(scenario)
    if scenario.trigger.type == "date" and scenario.trigger.field != "birthday":
        name = fold(scenario.trigger.field or "")
        if not Field.select().where((Field.name == name) & (Field.kind == "date")).exists():
            dates = [n for (n,) in Field.select(Field.name).where(Field.kind == "date").tuples()]
            near = closest(name, ["birthday", *dates])
            hint = (f"「{near}」ですか?", f" Did you mean \"{near}\"?") if near else ("", "")
            raise ScenarioError(Text(
                f"日付の項目「{name}」はありません。birthday か日付型の友だち情報の項目を指定してください。{hint[0]}",
                f"There is no date field \"{name}\": use birthday or a custom date field.{hint[1]}"))


def _check_placeholders(scenario: Scenario) -> None:
    """A step's {会員ランク} must name a field the shop has: such a step is pushed to each friend with their own
    value (send_together's personal groups), and an unknown name would leave every friend without one."""
    from shopline.delivery.personal import placeholder_problems

    for number, step in enumerate(scenario.steps, start=1):
        for messages in (step.message, step.else_message or ()):
            for _index, reason in placeholder_problems(list(messages))[:1]:
                raise ScenarioError(Text(f"「{scenario.name}」ステップ{number}: {reason.ja}",
                                         f"\"{scenario.name}\" step {number}: {reason.en}"))


def load(row: ScenarioRow) -> Scenario:
    return scenario_from_json(json.loads(row.body))


def find(name: str) -> ScenarioRow:
    row = ScenarioRow.get_or_none(ScenarioRow.name == name.strip())
    if row is None:
        near = closest(name.strip(), (n for (n,) in ScenarioRow.select(ScenarioRow.name).tuples()))
        hint = (f"「{near}」ですか?", f" Did you mean \"{near}\"?") if near else ("", "")
        raise ScenarioError(Text(f"シナリオ「{name}」はありません。`shopline scenarios list` で一覧を見られます。"
                                 f"{hint[0]}",
                                 f"There is no scenario \"{name}\"; `shopline scenarios list` lists them.{hint[1]}"))
    return row


def save(data: Mapping[str, Any] | Scenario, *, previous_name: str | None = None,
         now: dt.datetime | None = None) -> Saved:
    """Create a scenario, or replace the one named `previous_name` (or of the same name)."""
    scenario = data if isinstance(data, Scenario) else scenario_from_json(data)
    check_names(scenario)
    body = json.dumps(scenario_to_json(scenario), ensure_ascii=False)
    moment = now or utc_now()
    with write_transaction(db):
        row = ScenarioRow.get_or_none(ScenarioRow.name == (previous_name or scenario.name).strip())
        if previous_name and scenario.name != previous_name and ScenarioRow.get_or_none(
                ScenarioRow.name == scenario.name):
            raise ScenarioError(Text(f"シナリオ「{scenario.name}」はすでにあります。別の名前にしてください。",
                                     f"A scenario named \"{scenario.name}\" already exists; choose another name."))
        created = row is None
        if row is None:
            row = ScenarioRow.create(name=scenario.name, body=body, active_since=moment)
        else:
            ScenarioRow.update(name=scenario.name, body=body, updated_at=dt.datetime.now().replace(microsecond=0)) \
                .where(ScenarioRow.id == row.id).execute()
            row = ScenarioRow.get_by_id(row.id)
        Step.delete().where((Step.scenario == row.id) & (Step.number > len(scenario.steps))).execute()
        for number in range(1, len(scenario.steps) + 1):
            Step.insert(scenario=row.id, number=number, unit=unit_for(row.id, number)).on_conflict_ignore().execute()
        if not created:
            _retime(row.id, scenario)
    return Saved(scenario, row, created)


def _retime(scenario_id: int, scenario: Scenario) -> None:
    """Waiting friends' next due times under the edited steps (by position, from their entry)."""
    tz = shop_tz()
    rows = list(Enrolment.select(Enrolment.id, Enrolment.entered_at, Enrolment.next_step)
                .where((Enrolment.scenario == scenario_id) & (Enrolment.status == "active")).tuples())
    updates = []
    for eid, entered, step in rows:
        if step >= len(scenario.steps):
            updates.append(("done", None, eid))
        else:
            due = step_due(utc(entered), scenario.steps[step], scenario.window, tz)
            updates.append(("active", stamp(due), eid))  # the runner compares stored times as text
    update_rows(db, "enrolment", ["status", "next_due_at"], "id", updates)


def import_file(path: Path) -> list[Saved]:
    """One scenario object, or a list of them."""
    try:
        data = json.loads(path.read_text(encoding="utf-8-sig"))
    except (OSError, ValueError) as exc:
        raise ScenarioError(Text(f"{path} を読めません: {exc}", f"Cannot read {path}: {exc}")) from None
    items = data if isinstance(data, list) else [data]
    with db.atomic():  # all or nothing
        return [save(item) for item in items]


def export(name: str) -> dict[str, Any]:
    return scenario_to_json(load(find(name)))


def all_rows() -> Iterator[ScenarioRow]:
    return iter(ScenarioRow.select().order_by(ScenarioRow.name))


def set_status(name: str, status: str, reason: Text | None = None) -> Changes:
    row = find(name)
    ScenarioRow.update(status=status, reason=json.dumps([reason.ja, reason.en], ensure_ascii=False) if reason else "") \
        .where(ScenarioRow.id == row.id).execute()
    return AUTOMATIONS


def pause(name: str) -> Changes:
    return set_status(name, "paused")


def resume(name: str) -> Changes:
    return set_status(name, "active")


def delete(name: str) -> Changes:
    row = find(name)
    row.delete_instance(recursive=True)
    return AUTOMATIONS


def reason_of(row: ScenarioRow) -> Text | None:
    if not row.reason:
        return None
    ja, en = json.loads(row.reason)
    return Text(ja, en)
