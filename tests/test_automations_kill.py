"""The runner across processes: kill -9 in the middle of a run, then another run; two runs at once; and a
month that cannot take a run. Nobody twice, nobody missed."""

from __future__ import annotations

import datetime as dt
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

from automation_helpers import Log, add_friend, t, text, tokyo_shop
from delivery_helpers import TOKEN, exactly_once
from fake_line.server import user_id

from shopline.automations import scenarios
from shopline.store.automation_models import Enrolment, Lease, StepSend
from shopline.store.automation_models import Scenario as ScenarioRow
from shopline.store.campaign_models import Batch, Campaign
from shopline.store.models import Friend

REPO = Path(__file__).resolve().parents[1]
WELCOME = {"name": "ご挨拶", "trigger": {"type": "friend_added"},
           "steps": [{"after": "0m", "message": text("ようこそ")}]}


def _friends(n: int, at: dt.datetime) -> list[str]:
    local = at.astimezone().replace(tzinfo=None)
    ids = [user_id(i) for i in range(n)]
    Friend.insert_many([{"user_id": u, "display_name": f"友だち{i}", "created_at": local, "updated_at": local}
                        for i, u in enumerate(ids)]).execute()
    return ids


def _run_due(data_dir, url, now: str) -> subprocess.Popen:
    env = os.environ | {"SHOPLINE_HOME": str(data_dir), "SHOPLINE_LINE_API": url,
                        "SHOPLINE_CHANNEL_TOKEN": TOKEN, "PYTHONPATH": str(REPO)}
    return subprocess.Popen([sys.executable, "-m", "shopline", "run-due", "--now", now], env=env, cwd=REPO,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def test_kill_9_mid_run_then_another_run_sends_everyone_exactly_once(store, fake_line):
    tokyo_shop()
    scenarios.save(WELCOME, now=t("2027-03-01 00:00"))
    expected = _friends(20_000, t("2027-03-01 10:00"))
    fake_line.fault(r"POST /v2/bot/message/multicast", delay=0.15, times=None)
    running = _run_due(store, fake_line.url, "2027-03-01 10:05")
    deadline = time.monotonic() + 60
    while len(fake_line.requests_to("/v2/bot/message/multicast")) < 12:
        assert running.poll() is None and time.monotonic() < deadline, running.communicate()
        time.sleep(0.005)
    os.kill(running.pid, signal.SIGKILL)
    running.wait()
    time.sleep(0.3)  # requests in flight reach LINE anyway
    assert 0 < len(fake_line.delivered) < 20_000
    assert Lease.get_or_none(Lease.name == "run-due") is not None  # the dead runner never released it
    assert Batch.select().where(Batch.status == "pending").count() > 0

    fake_line.faults.clear()
    again = _run_due(store, fake_line.url, "2027-03-01 10:07")
    out, err = again.communicate(timeout=120)
    assert again.returncode == 0, err
    exactly_once(fake_line, expected)
    assert Campaign.get().status == "done" and Lease.get_or_none(Lease.name == "run-due") is None
    assert StepSend.select().where(StepSend.status == "queued").count() == 20_000
    assert set(Enrolment.select(Enrolment.status).tuples()) == {("done",)}


def test_two_runs_at_once_send_each_step_once(store, fake_line):
    tokyo_shop()
    scenarios.save(WELCOME, now=t("2027-03-01 00:00"))
    expected = _friends(5_000, t("2027-03-01 10:00"))
    fake_line.fault(r"POST /v2/bot/message/multicast", delay=0.3, times=None)
    first, second = (_run_due(store, fake_line.url, "2027-03-01 10:05") for _ in range(2))
    outputs = [p.communicate(timeout=120) for p in (first, second)]
    assert first.returncode == 0 and second.returncode == 0, outputs
    exactly_once(fake_line, expected)
    assert Campaign.select().count() == 1


def test_a_run_the_month_cannot_take_sends_nothing_and_pauses_the_scenario(store, fake_line, monkeypatch):
    monkeypatch.setenv("SHOPLINE_CHANNEL_TOKEN", TOKEN)
    tokyo_shop()
    fake_line.quota, fake_line.total_usage = {"type": "limited", "value": 200}, 195
    scenarios.save(WELCOME, now=t("2027-03-01 00:00"))
    for n in range(10):
        add_friend(n, t("2027-03-01 10:00"))
    report = Log(fake_line).run(t("2027-03-01 10:05"))
    assert not fake_line.multicasts and Campaign.select().count() == 0
    row = ScenarioRow.get()
    assert row.status == "paused_quota" and "あと5通" in scenarios.reason_of(row).ja
    assert report.paused[0][0] == "ご挨拶"
    assert StepSend.select().count() == 0  # the friends still wait: resuming sends them if still in time
