"""Ctrl-C while LINE's Retry-After holds a personal send's pushes (waited out on the async client's event loop):
`shopline send` pauses at once, nothing more leaves, and resume reaches everyone once."""

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
PUSH = "/v2/bot/message/push"


def test_ctrl_c_during_a_retry_after_hold_pauses_a_personal_send_at_once(store, fake_line):
    expected = shop(300)
    fake_line.fault(r"POST /v2/bot/message/push", status=429, times=None, headers={"Retry-After": "120"},
                    body={"message": "The API rate limit has been exceeded. Try again later."})
    env = os.environ | {"SHOPLINE_HOME": str(store), "SHOPLINE_LINE_API": fake_line.url,
                        "SHOPLINE_CHANNEL_TOKEN": TOKEN, "PYTHONPATH": str(REPO)}
    env.pop("SHOPLINE_RELAY_URL", None)
    sending = subprocess.Popen([sys.executable, "-m", "shopline", "send", "--segment", "VIP", "--text",
                                "{表示名}様、本日限定", "--name", "夏", "--yes"], env=env, cwd=REPO,
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        deadline = time.monotonic() + 30
        while not fake_line.requests_to(PUSH):  # the first 429 holds every push (one channel, one limit)
            assert sending.poll() is None and time.monotonic() < deadline, sending.communicate()
            time.sleep(0.01)
        time.sleep(1.0)
        asked = len(fake_line.requests_to(PUSH))
        sending.send_signal(signal.SIGINT)
        # LINE asked for 120 s (the fake itself stops after 60): a pause that waited it out never comes back here.
        out, err = sending.communicate(timeout=20)
    finally:
        if sending.poll() is None:
            sending.kill()
            sending.communicate()
    assert sending.returncode == 4, err
    assert "shopline resume 夏" in err and "Traceback" not in err
    assert len(fake_line.requests_to(PUSH)) == asked and not fake_line.delivered
    assert Campaign.get().status == "paused"
    assert Batch.select().where(Batch.status == "pending").count() == 300

    fake_line.faults.clear()
    resumed = subprocess.run([sys.executable, "-m", "shopline", "resume", "夏"], env=env, cwd=REPO,
                             capture_output=True, text=True, timeout=60)
    assert resumed.returncode == 0, resumed.stderr
    exactly_once(fake_line, expected)
