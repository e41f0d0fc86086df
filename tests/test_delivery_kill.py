"""SIGKILL `shopline send` mid-send; `shopline resume` then completes it with every friend exactly once.

The fake LINE lives in this test process, so its record of who got what survives the
kill; requests in flight at the kill are still accepted by it, as LINE would.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

from delivery_helpers import TOKEN, exactly_once, shop

from shopline.store.campaign_models import Batch, Campaign

REPO = Path(__file__).resolve().parents[1]


def _shopline(args, data_dir, url, **kw):
    env = os.environ | {"SHOPLINE_HOME": str(data_dir), "SHOPLINE_LINE_API": url,
                        "SHOPLINE_CHANNEL_TOKEN": TOKEN, "PYTHONPATH": str(REPO)}
    return subprocess.Popen([sys.executable, "-m", "shopline", *args], env=env, cwd=REPO,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, **kw)


def test_sigkill_mid_send_then_resume_sends_everyone_exactly_once(store, fake_line):
    expected = shop(20_000)
    fake_line.fault(r"POST /v2/bot/message/multicast", delay=0.15, times=None)  # LINE far away
    sending = _shopline(["send", "--segment", "VIP", "--text", "本日限定", "--name", "夏", "--yes"],
                        store, fake_line.url)
    deadline = time.monotonic() + 30
    while len(fake_line.requests_to("/v2/bot/message/multicast")) < 12:
        assert sending.poll() is None and time.monotonic() < deadline, sending.communicate()
        time.sleep(0.005)
    os.kill(sending.pid, signal.SIGKILL)
    sending.wait()
    time.sleep(0.3)  # the requests in flight reach LINE anyway

    campaign = Campaign.get(Campaign.name == "夏")
    assert campaign.status == "sending" and campaign.recipients == 20_000
    tried = Batch.select().where(Batch.first_attempt_at.is_null(False))
    assert Batch.select().where(Batch.status == "pending").count() > 0 and tried.count() >= 12
    assert 0 < len(fake_line.delivered) < 20_000

    fake_line.faults.clear()
    resumed = _shopline(["resume", "夏"], store, fake_line.url)
    out, err = resumed.communicate(timeout=60)
    assert resumed.returncode == 0, err
    assert "送信済み 20,000人" in out
    exactly_once(fake_line, expected)
    statuses = {status for (status,) in Batch.select(Batch.last_status).tuples()}
    assert 409 in statuses and statuses <= {200, 409}  # in flight at the kill: LINE had them
    assert Campaign.get_by_id(campaign.id).status == "done"
