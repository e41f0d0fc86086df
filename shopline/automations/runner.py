"""`run_due`: send everything due now through the delivery engine, and exit.

    report = run_due(now, dry_run=False, token=token)

In order, under the lease (one runner at a time, across processes and PCs):
1. resume automation campaigns a crash or a lost connection left pending (same retry keys);
2. per active scenario: write who enters and who stops, then step by step, freeze each group of friends due
   for the same step and branch into one campaign, in one transaction with their StepSend rows and their
   enrolments moved on (a crash leaves either all of it or none), and send it with the engine;
3. scheduled and recurring sends whose time has come, each occurrence its own campaign.

Before anything of an automation is frozen, the month is asked whether it can take it: one that would cross
the plan's hard limit sends nothing and is paused with the reason. A dry run writes nothing and sends nothing.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
import threading
import time
from collections.abc import Callable
from contextlib import ExitStack

from shopline.automations import lease, schedules
from shopline.automations.dry_run import fill_dry_run
from shopline.automations.freeze_groups import Group, campaign_name, freeze_groups
from shopline.automations.passes import Queued, in_passes
from shopline.automations.plan import ScenarioWork, StepWork, Walker, active_rows, due_times, plan_scenario
from shopline.automations.run_report import GroupLine, RunReport, step_label
from shopline.automations.segment_sets import SegmentSets
from shopline.automations.send_together import TogetherEngine
from shopline.automations.shop_time import shop_tz, stamp, utc, utc_now
from shopline.core.changes import Changes
from shopline.core.estimate import Status
from shopline.core.messages import ShopLineError, Text
from shopline.delivery import service
from shopline.delivery.engine import Engine
from shopline.delivery.line_sender import LineSender
from shopline.delivery.personal import is_personal_campaign
from shopline.delivery.push_engine import send_personal
from shopline.delivery.results import RunResult
from shopline.delivery.resume import prepare_resume
from shopline.delivery.usage import Usage, current_usage, verdict_for
from shopline.store.automation_models import Scenario as ScenarioRow
from shopline.store.automation_models import ScheduleRun, StepSend
from shopline.store.campaign_models import Batch, Campaign
from shopline.store.connection import db
from shopline.store.sqlite import write_transaction

CHUNK = 5000
SEND_CONCURRENCY = 2  # requests in flight for a resumed campaign: mostly one or two batches
TOGETHER_CONCURRENCY = service.CONCURRENCY  # the run's campaigns together: as many in flight as one big send
RENEW_EVERY = 60.0  # seconds between renewals of the run's lease while sending (its TTL is 10 minutes)
LATE_TEXT = "24時間以上遅れたため送りませんでした"
Sender = Callable[[Campaign], RunResult]


def run_due(now: dt.datetime | None = None, *, dry_run: bool = False, token: str | None = None,
            sender: Sender | None = None, names_shown: int = 20) -> RunReport:
    """sender: sends a frozen campaign (default: the delivery service with `token`)."""
    now = (now or utc_now()).astimezone(dt.UTC).replace(microsecond=0)
    report = RunReport(now, dry_run)
    if dry_run:
        fill_dry_run(report, names_shown)
        return report
    if sender is None and token is None:
        raise ValueError("run_due needs a token or a sender to send")
    with lease.held() as holder, ExitStack() as stack:
        line = None
        if sender is None:
            assert token is not None
            line = stack.enter_context(LineSender(token, concurrency=TOGETHER_CONCURRENCY))
            sender = _engine_sender(line, token)
        run = _Run(report, sender, holder, token, line)
        run.resume_pending()
        for row in active_rows():
            run.scenario(row)
        run.freeze_all()
        run.schedules()
        run.flush()
    report.changes = Changes(automations=True, campaigns=bool(report.groups or report.resumed))
    return report


def _engine_sender(line: LineSender, token: str) -> Sender:
    """One campaign at a time (a resumed one, or a personal one by push), over the run's one LINE client for
    multicasts; the month was asked once, before anything was frozen."""
    def send(campaign: Campaign) -> RunResult:
        if is_personal_campaign(campaign):
            return send_personal(campaign, token)
        return Engine(line, concurrency=SEND_CONCURRENCY).run(campaign)
    return send


class _Run:
    def __init__(self, report: RunReport, sender: Sender, holder: str, token: str | None,
                 line: LineSender | None = None) -> None:
        self.report, self.sender, self.holder, self.token = report, sender, holder, token
        self.line = line  # the run's LINE client: the run's own campaigns go out together over it
        self.works: list[ScenarioWork] = []
        self._renewed = time.monotonic()
        self.now = report.now
        self.tz = shop_tz()
        self._usage: Usage | None = None
        self._spent = 0
        self._planned = 0  # friends this run has decided to send to (scenarios) or frozen (schedules), not yet sent
        self.queued: list[Queued] = []
        self._lock = threading.Lock()
        self.sets = SegmentSets()  # the run's entry, stop and if segments, each read once

    # The month: asked once per run, then our own sends of this run are added.
    def month_allows(self, friends: int) -> tuple[bool, Text | None]:
        if friends == 0:
            return True, None
        if self._usage is None:
            self._usage = current_usage(self.token, fresh=True)
        usage = self._usage
        if usage.used is not None:  # what this run sent, and what it froze to send: LINE has not counted them yet
            usage = dataclasses.replace(usage, used=usage.used + self._spent + self._planned)
        estimate = verdict_for(friends, usage)
        if estimate.status is Status.BLOCKED:
            lines = [*estimate.reasons[:1], *estimate.ways_out]
            return False, Text("\n".join(t.ja for t in lines), "\n".join(t.en for t in lines))
        return True, None

    def send(self, campaign: Campaign) -> RunResult:
        lease.renew(self.holder)
        try:
            result = self.sender(campaign)
        except service.QuotaExceeded as exc:
            result = RunResult("paused_quota", 0, 0, campaign.recipients, exc.text)
        with self._lock:
            self._spent += result.delivered
        lease.renew(self.holder)
        return result

    def resume_pending(self) -> None:
        """Campaigns of automations left pending: resumed with their keys, or, never tried and more than
        24 hours old, given up (their steps counted as missed) rather than sent late."""
        ours = StepSend.select(StepSend.campaign).where(StepSend.campaign.is_null(False))
        runs = ScheduleRun.select(ScheduleRun.campaign).where(ScheduleRun.campaign.is_null(False))
        pending = Campaign.select().where(
            (Campaign.status.in_(["ready", "sending", "paused"]) & (Campaign.id.in_(ours) | Campaign.id.in_(runs)))
            # A scenario's paused by LINE's answer (a refused token, the month's limit) paused the scenario: once
            # the shop resumes it, its frozen campaigns go on with their keys (LINE pauses them again if need be).
            | (Campaign.status.in_(["paused_token", "paused_quota"]) & Campaign.id.in_(ours))).order_by(Campaign.id)
        paused = {r.id for r in ScenarioRow.select(ScenarioRow.id).where(ScenarioRow.status != "active")}
        for campaign in pending:
            owner = StepSend.select(StepSend.scenario).where(StepSend.campaign == campaign.id).first()
            if owner is not None and owner.scenario_id in paused:
                continue
            tried = campaign.batches.where(Batch.first_attempt_at.is_null(False)).exists()
            if not tried and self.now - _frozen_for(campaign) > dt.timedelta(hours=24):
                self._give_up(campaign)
                continue
            prepare_resume(campaign, skip_uncertain=True)  # keys LINE forgot: not sent, never twice
            result = self.send(campaign)
            self.report.resumed.append(campaign.name)
            self.report.groups.append(GroupLine(campaign.name, Text("再開", "resumed"), campaign.recipients,
                                                result=result, campaign=campaign.name))

    def _give_up(self, campaign: Campaign) -> None:
        with write_transaction(db):
            Batch.update(status="failed", last_message=LATE_TEXT, done_at=utc_now()) \
                .where((Batch.campaign == campaign.id) & (Batch.status == "pending")).execute()
            StepSend.update(status="missed").where(StepSend.campaign == campaign.id).execute()
            Campaign.update(status="failed", last_error=LATE_TEXT).where(Campaign.id == campaign.id).execute()

    def scenario(self, row: ScenarioRow) -> None:
        entered = self._enter(row)
        stopped = self._stop(row)
        work = plan_scenario(row, self.now, self.tz, entries=[], sets=self.sets)
        name = row.name
        self.report.entered[name] = entered
        self.report.stopped[name] = stopped
        self.report.missed[name] = 0
        allowed, why = self.month_allows(work.sends())
        if not allowed:
            assert why is not None
            ScenarioRow.update(status="paused_quota", reason=json.dumps([why.ja, why.en], ensure_ascii=False)) \
                .where(ScenarioRow.id == row.id).execute()
            self.report.paused.append((name, why))
            return
        self._planned += work.sends()
        self.works.append(work)

    def freeze_all(self) -> None:
        """Every step of every scenario of the run, recorded and frozen in one write transaction (freeze_groups:
        a statement per table, not per campaign): a crash leaves all of the run's groups or none."""
        due: list[tuple[ScenarioWork, StepWork, str, list[Walker]]] = []
        with write_transaction(db):
            for work in self.works:
                name = work.row.name
                for step in work.steps:
                    self.report.missed[name] += self._close(work, step, step.missed, "missed")
                    self._close(work, step, step.skipped, "skipped")
                    for variant, walkers in step.sends.items():
                        claimed = self._unsent(work.row.id, step.step, self._claim(work.row.id, walkers, step.step))
                        if claimed:
                            # Moved on now: the friend's next step, due at this run too, finds them there.
                            self._advance(work, claimed, step.step)
                            due.append((work, step, variant, claimed))
            groups = [self._group(*d) for d in due]
            campaigns = freeze_groups(groups)
            sent_to = self._recipients([c for c in campaigns if c is not None])
            for (work, step, variant, claimed), group, campaign in zip(due, groups, campaigns, strict=True):
                got = sent_to.get(campaign.id, set()) if campaign is not None else set()
                # Friends who left (blocked, unfollowed) or lack a value their text needs are not sent: skipped.
                self._step_rows(work, [w for w in claimed if w.friend_id in got], step.step, "queued", variant,
                                campaign.id if campaign is not None else None)
                self._step_rows(work, [w for w in claimed if w.friend_id not in got], step.step, "skipped", variant)
                if campaign is not None:
                    self.queued.append(Queued(step.step, work.row.id, work.row.name, step_label(step.step, variant),
                                               campaign, frozenset(got), personal=group.personal))

    def _group(self, work: ScenarioWork, step: StepWork, variant: str, walkers: list[Walker]) -> Group:
        sid, number = work.row.id, step.step + 1
        definition = work.scenario.steps[step.step]
        messages = list(definition.else_message if variant == "else" and definition.else_message
                        else definition.message)
        label = step_label(step.step, variant)
        return Group(campaign_name(work.row.name, label.ja, self.now, self.tz),
                     f"シナリオ「{work.row.name}」{label.ja}", messages,
                     f"sc{sid}_s{number}" + ("e" if variant == "else" else ""), [w.friend_id for w in walkers])

    @staticmethod
    def _recipients(campaigns: list[Campaign]) -> dict[int, set[int]]:
        found: dict[int, set[int]] = {c.id: set() for c in campaigns}
        if campaigns:
            for cid, fid in db.execute_sql("SELECT campaign_id, friend_id FROM recipient WHERE campaign_id IN "
                                           "(SELECT value FROM json_each(?))", (json.dumps(list(found)),)):
                found[cid].add(fid)
        return found

    @staticmethod
    def _unsent(sid: int, step: int, walkers: list[Walker]) -> list[Walker]:
        """The walkers whose step has no StepSend row yet: each (scenario, step, friend, cycle) goes at most once."""
        if not walkers:
            return walkers
        had = set(db.execute_sql(
            "SELECT s.friend_id, s.cycle FROM json_each(?) j CROSS JOIN step_send s ON s.scenario_id = ? "
            "AND s.step = ? AND s.friend_id = j.value", (json.dumps([w.friend_id for w in walkers]), sid, step + 1)))
        return [w for w in walkers if (w.friend_id, w.cycle) not in had] if had else walkers

    def _enter(self, row: ScenarioRow) -> int:
        from shopline.automations import scenarios
        from shopline.automations.entries import new_entries, remember_seen
        from shopline.core.automations import step_due

        scenario = scenarios.load(row)
        entries = new_entries(row, scenario, self.now, self.tz, self.sets)
        remember_seen(row.id, self.now)
        if not entries:
            return 0
        first = scenario.steps[0]
        rows = [(row.id, e.friend_id, e.cycle, stamp(e.entered), "active", 0,
                 stamp(step_due(e.entered, first, scenario.window, self.tz))) for e in entries]
        with write_transaction(db):
            cursor = db.cursor()
            for i in range(0, len(rows), CHUNK):
                cursor.executemany(
                    "INSERT OR IGNORE INTO enrolment (scenario_id, friend_id, cycle, entered_at, status, next_step, "
                    "next_due_at) VALUES (?, ?, ?, ?, ?, ?, ?)", rows[i:i + CHUNK])
        return len(entries)

    def _stop(self, row: ScenarioRow) -> int:
        from shopline.automations import scenarios
        from shopline.core.segments import parse
        from shopline.store.segment_sql import compile_tree

        scenario = scenarios.load(row)
        if not scenario.stop:
            return 0
        sql, params = compile_tree(parse(scenario.stop), "f.id AS id")
        # Driven from the segment's friends through the (scenario, friend) index, not from every waiting friend.
        cursor = db.execute_sql(
            "UPDATE enrolment SET status = 'stopped', next_due_at = NULL WHERE id IN (SELECT e.id FROM "
            f"({sql}) s CROSS JOIN enrolment e INDEXED BY enrolment_scenario_id_friend_id_cycle "
            "ON e.scenario_id = ? AND e.friend_id = s.id AND e.status = 'active')",
            (*params, row.id))
        return cursor.rowcount

    def _claim(self, sid: int, walkers: list[Walker], step: int) -> list[Walker]:
        """The walkers whose entry still waits at this step (another runner may have moved them on).
        By primary key: the (scenario, status) index would make SQLite walk every waiting friend per chunk."""
        by_id = {w.enrolment_id: w for w in walkers if w.enrolment_id is not None}
        by_key = {(w.friend_id, w.cycle): w for w in walkers if w.enrolment_id is None}
        claimed: list[Walker] = []
        ids = list(by_id)
        for i in range(0, len(ids), CHUNK):
            chunk = ids[i:i + CHUNK]
            rows = db.execute_sql(
                f"SELECT id FROM enrolment WHERE id IN ({', '.join('?' * len(chunk))}) AND next_step = ? "
                "AND status = 'active'", (*chunk, step)).fetchall()
            claimed += [by_id[eid] for (eid,) in rows]
        if by_key:  # entered at this run (the dry run's walkers carry no id): found by friend and cycle
            for eid, fid, cycle in db.execute_sql(
                    "SELECT id, friend_id, cycle FROM enrolment WHERE scenario_id = ? AND next_step = ? "
                    "AND status = 'active' AND entered_at IS NOT NULL", (sid, step)).fetchall():
                walker = by_key.get((fid, cycle))
                if walker is not None:
                    walker.enrolment_id = eid
                    claimed.append(walker)
        return claimed

    def _advance(self, work: ScenarioWork, walkers: list[Walker], step: int) -> None:
        last = step + 1 >= len(work.scenario.steps)
        rows = []
        for w in walkers:
            w.next_step = step + 1
            due = None if last else stamp(due_times(work.scenario, w, step + 1, self.tz))
            rows.append(("done" if last else "active", step + 1, due, w.enrolment_id))
        db.cursor().executemany(
            "UPDATE enrolment SET status = ?, next_step = ?, next_due_at = ? WHERE id = ?", rows)

    def _step_rows(self, work: ScenarioWork, walkers: list[Walker], step: int, status: str,
                   variant: str, campaign: int | None = None) -> None:
        at = stamp(self.now)
        rows = []
        for w in walkers:
            due = w.dues.get(step)  # the stored text of a friend's next step needs no parsing and stamping again
            text = due if isinstance(due, str) else stamp(due or due_times(work.scenario, w, step, self.tz))
            rows.append((work.row.id, step + 1, w.friend_id, w.cycle, status, variant, text, at, campaign))
        # A plain INSERT: a row already there would mean a second send of the step, and fails the whole run.
        db.cursor().executemany(
            "INSERT INTO step_send (scenario_id, step, friend_id, cycle, status, variant, due_at, at, campaign_id) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)", rows)

    def _close(self, work: ScenarioWork, step: StepWork, walkers: list[Walker], status: str) -> int:
        """Steps that will not be sent (too late, or an if without else): recorded, and the friends move on."""
        if not walkers:
            return 0
        with write_transaction(db):
            claimed = self._unsent(work.row.id, step.step, self._claim(work.row.id, walkers, step.step))
            self._step_rows(work, claimed, step.step, status, "")
            self._advance(work, claimed, step.step)
        return len(claimed)

    def schedules(self) -> None:
        for occurrence in schedules.due_occurrences(self.now, self.tz):
            campaign = schedules.start(occurrence, self.now, self.tz, self.month_allows)
            if campaign is None:
                if occurrence.paused is not None:
                    self.report.paused.append((occurrence.schedule.name, occurrence.paused))
                continue
            self._planned += campaign.recipients
            self.queued.append(Queued(0, None, occurrence.schedule.name, occurrence.label(self.tz), campaign))

    def flush(self) -> None:
        """Send what this run froze. Over the run's LINE client, the campaigns go out together (send_together:
        one stream of multicasts at the pace of one big campaign), in passes only where a friend has two steps
        due at this run, so their step 1 goes before their step 2. A sender given by the caller gets them one
        at a time, in the same order."""
        for group in in_passes(self.queued):
            together = [q for q in group if self.line is not None and not q.personal]
            if together:
                assert self.line is not None
                engine = TogetherEngine(self.line, concurrency=TOGETHER_CONCURRENCY)
                results = engine.run_many([q.campaign for q in together], tick=self._renew)
                for queued in together:
                    result = results[queued.campaign.id]
                    with self._lock:
                        self._spent += result.delivered
                    self._sent(queued, result)
            for queued in group:
                if queued not in together:
                    self._sent(queued, self.send(queued.campaign))

    def _renew(self) -> None:
        if time.monotonic() - self._renewed >= RENEW_EVERY:
            lease.renew(self.holder)
            self._renewed = time.monotonic()

    def _sent(self, queued: Queued, result: RunResult) -> None:
        if queued.scenario_id is not None and result.status in ("paused_quota", "paused_token"):
            why = result.message or Text("一時停止しました。", "Paused.")
            ScenarioRow.update(status=result.status, reason=json.dumps([why.ja, why.en], ensure_ascii=False)) \
                .where(ScenarioRow.id == queued.scenario_id).execute()
            self.report.paused.append((queued.owner, why))
        self.report.groups.append(GroupLine(queued.owner, queued.label, queued.campaign.recipients, result=result,
                                            campaign=queued.campaign.name))


def _frozen_for(campaign: Campaign) -> dt.datetime:
    """The moment (on the run's clock, which --now may set) the campaign's step or occurrence was due."""
    step = StepSend.select(StepSend.at).where(StepSend.campaign == campaign.id).first()
    if step is not None:
        return utc(step.at)
    run = ScheduleRun.select(ScheduleRun.occurrence).where(ScheduleRun.campaign == campaign.id).first()
    return utc(run.occurrence) if run is not None else utc(campaign.created_at.astimezone())


__all__ = ["GroupLine", "RunReport", "ShopLineError", "run_due"]
