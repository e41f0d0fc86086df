"""Automations in the store: scenarios and their steps, who entered and what each was sent, scheduled and
recurring sends, and the lease that lets one runner at a time send.

Times written here are aware UTC (stored with +00:00), as the delivery journal's are: the window,
`shopline run-due` from the OS scheduler and a second PC compare them across processes.

StepSend's (scenario, step, friend, cycle) uniqueness is what makes "each step at most once per entry"
hold, as Recipient's (campaign, friend) does for campaigns. The cycle is 0 for a friend's first entry;
a yearly date trigger uses the year, a re-entry (reenter_after_days) the next number.
"""

from __future__ import annotations

from peewee import CharField, DateTimeField, ForeignKeyField, IntegerField, TextField

from shopline.store.campaign_models import Campaign
from shopline.store.models import BaseModel, Friend, now


class Scenario(BaseModel):
    STATUSES = ("active", "paused", "paused_quota")
    name = CharField(max_length=60, unique=True)
    body = TextField()  # the JSON form (core.automations.scenario_to_json)
    status = CharField(max_length=16, default="active")
    reason = TextField(default="")  # why it is paused, for the shop (ja and en as JSON), when not by the shop
    active_since = DateTimeField()  # friends who appear, or tags added, after this enter
    created_at = DateTimeField(default=now)
    updated_at = DateTimeField(default=now)


class Step(BaseModel):
    """One step of a scenario as it is now, by position (1-based); its own aggregation unit."""

    scenario = ForeignKeyField(Scenario, backref="step_rows", on_delete="CASCADE", index=False)
    number = IntegerField()
    unit = CharField(max_length=30)  # customAggregationUnits: sc<scenario id>_s<number>

    class Meta:
        indexes = ((("scenario", "number"), True),)


class Enrolment(BaseModel):
    """A friend's entry into a scenario: when, which step comes next and when it is due."""

    scenario = ForeignKeyField(Scenario, on_delete="CASCADE", index=False)
    friend = ForeignKeyField(Friend, on_delete="CASCADE", index=False)
    cycle = IntegerField(default=0)
    entered_at = DateTimeField()
    status = CharField(max_length=10, default="active")  # active / done / stopped
    next_step = IntegerField(default=0)  # 0-based position of the next step
    next_due_at = DateTimeField(null=True)  # when it is due (window applied); None once done or stopped

    class Meta:
        indexes = (
            (("scenario", "friend", "cycle"), True),
            (("scenario", "status", "next_due_at"), False),  # the runner's question: who is due now
        )


class StepSend(BaseModel):
    """What became of one step for one entry: queued (frozen into a campaign), missed, or skipped."""

    scenario = ForeignKeyField(Scenario, on_delete="CASCADE", index=False)
    step = IntegerField()  # 1-based position, as Step.number
    friend = ForeignKeyField(Friend, on_delete="CASCADE", index=False)
    cycle = IntegerField(default=0)
    status = CharField(max_length=8)  # queued / missed / skipped
    variant = CharField(max_length=4, default="")  # "if" / "else" / "" (a step without if)
    due_at = DateTimeField()
    campaign = ForeignKeyField(Campaign, null=True, on_delete="SET NULL")
    at = DateTimeField()

    class Meta:
        indexes = ((("scenario", "step", "friend", "cycle"), True),)


class Schedule(BaseModel):
    """A campaign to send later (`at`), or again and again (`recurrence`); recipients are chosen when it goes."""

    name = CharField(max_length=80, unique=True)
    segment_text = TextField()
    segment_tree = TextField()  # JSON
    messages = TextField()  # JSON list of LINE message objects, checked when scheduled
    at = DateTimeField(null=True)  # one-off: when
    recurrence = TextField(default="")  # JSON (core.automations.Recurrence), "" for a one-off
    unit = CharField(max_length=30, default="")  # one-off: the campaign's unit ("" = automatic)
    status = CharField(max_length=16, default="active")  # active / done / cancelled / paused_quota
    reason = TextField(default="")
    created_at = DateTimeField()  # recurrences count from here


class ScheduleRun(BaseModel):
    """One occurrence of a schedule: sent (its own campaign and aggregation unit) or missed, once."""

    schedule = ForeignKeyField(Schedule, backref="runs", on_delete="CASCADE", index=False)
    occurrence = DateTimeField()
    status = CharField(max_length=8)  # queued / missed
    campaign = ForeignKeyField(Campaign, null=True, on_delete="SET NULL")

    class Meta:
        indexes = ((("schedule", "occurrence"), True),)


class Lease(BaseModel):
    """Who may send due automations now; expires if the holder dies without releasing it."""

    name = CharField(max_length=32, primary_key=True)
    holder = CharField(max_length=36)
    host = CharField(max_length=255, default="")
    pid = IntegerField(default=0)
    expires_at = DateTimeField()


AUTOMATION_MODELS: list[type[BaseModel]] = [Scenario, Step, Enrolment, StepSend, Schedule, ScheduleRun, Lease]
