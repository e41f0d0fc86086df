"""SIGKILL `shopline send --text "{表示名}様…"` mid-send; `shopline resume` then reaches every friend once,
each with their own text (the fake LINE checks every push against its friend)."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path

from delivery_helpers import TOKEN, shop

from shopline.store.campaign_models import Batch, Campaign

REPO = Path(__file__).resolve().parents[1]


def _shopline(args, data_dir, url):
    env = os.environ | {"SHOPLINE_HOME": str(data_dir), "SHOPLINE_LINE_API": url,
                        "SHOPLINE_CHANNEL_TOKEN": TOKEN, "PYTHONPATH": str(REPO)}
    env.pop("SHOPLINE_RELAY_URL", None)
    return subprocess.Popen([sys.executable, "-m", "shopline", *args], env=env, cwd=REPO,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def test_sigkill_mid_personal_send_then_resume_sends_everyone_once(store, fake_line):
    expected = shop(3000)
    fake_line.expected_texts = {u: [f"友だち{i}様、本日限定です"] for i, u in enumerate(expected)}
    fake_line.fault(r"POST /v2/bot/message/push", delay=0.1, times=None)  # LINE far away
    sending = _shopline(["send", "--segment", "VIP", "--text", "{表示名}様、本日限定です", "--name", "夏", "--yes"],
                        store, fake_line.url)
    deadline = time.monotonic() + 60
    while len(fake_line.requests_to("/v2/bot/message/push")) < 400:
        assert sending.poll() is None and time.monotonic() < deadline, sending.communicate()
        time.sleep(0.005)
    os.kill(sending.pid, signal.SIGKILL)
    sending.wait()
    time.sleep(0.3)  # the requests in flight reach LINE anyway

    campaign = Campaign.get(Campaign.name == "夏")
    assert campaign.status == "sending" and campaign.recipients == 3000
    assert Batch.select().where(Batch.status == "pending").count() > 0
    assert 0 < len(fake_line.delivered) < 3000

    fake_line.faults.clear()
    resumed = _shopline(["resume", "夏"], store, fake_line.url)
    out, err = resumed.communicate(timeout=120)
    assert resumed.returncode == 0, err
    assert "送信済み 3,000人" in out
    assert fake_line.delivered == Counter({u: 1 for u in expected})
    statuses = {status for (status,) in Batch.select(Batch.last_status).tuples()}
    assert 409 in statuses and statuses <= {200, 409}  # accepted before the kill, not yet journaled: LINE had them
    assert Campaign.get_by_id(campaign.id).status == "done"


def test_cli_lists_friends_without_a_value_before_asking(store, fake_line):
    shop(3)
    from shopline.store.models import Friend

    Friend.update(display_name="").where(Friend.id == 2).execute()
    run = _shopline(["send", "--segment", "VIP", "--text", "{表示名}様", "--name", "名無し", "--yes"],
                    store, fake_line.url)
    out, err = run.communicate(timeout=60)
    assert run.returncode == 1 and "{表示名}" in err and "1人" in err
    assert Campaign.select().count() == 0 and not fake_line.requests_to("/v2/bot/message/push")
    fine = _shopline(["send", "--segment", "VIP", "--text", "{表示名}様", "--name", "名無し", "--yes",
                      "--skip-missing"], store, fake_line.url)
    out, err = fine.communicate(timeout=60)
    assert fine.returncode == 0, err
    assert "送信済み 2人" in out and len(fake_line.delivered) == 2


def test_a_scheduled_send_refuses_placeholders_rather_than_sending_them_as_written(store, fake_line):
    shop(2)
    run = _shopline(["send", "--segment", "VIP", "--text", "{表示名}様", "--name", "予約", "--at", "2099-01-01 10:00"],
                    store, fake_line.url)
    _out, err = run.communicate(timeout=60)
    assert run.returncode != 0 and "予約配信" in err
    from shopline.store.automation_models import Schedule

    assert Schedule.select().count() == 0 and Campaign.select().count() == 0
