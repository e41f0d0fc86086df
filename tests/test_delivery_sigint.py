"""Ctrl-C during LINE's Retry-After: `shopline send` pauses at once, and nothing more leaves."""

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
MULTICAST = "/v2/bot/message/multicast"


def ctrl_c_during_a_hold(store, fake_line, endpoint: str, text: str, pending: int) -> None:
    """`shopline send` held by a 429 asking for 120 s on `endpoint`, interrupted once its first requests are in:
    it must pause at once with `pending` batches left and nothing delivered, and resume must reach everyone once."""
    fake_line.fault(f"POST {endpoint}", status=429, times=None, headers={"Retry-After": "120"},
                    body={"message": "The API rate limit has been exceeded. Try again later."})
    env = os.environ | {"SHOPLINE_HOME": str(store), "SHOPLINE_LINE_API": fake_line.url,
                        "SHOPLINE_CHANNEL_TOKEN": TOKEN, "PYTHONPATH": str(REPO)}
    env.pop("SHOPLINE_RELAY_URL", None)
    sending = subprocess.Popen([sys.executable, "-m", "shopline", "send", "--segment", "VIP", "--text", text,
                                "--name", "夏", "--yes"], env=env, cwd=REPO, stdout=subprocess.PIPE,
                               stderr=subprocess.PIPE, text=True)
    try:
        deadline = time.monotonic() + 30
        while not fake_line.requests_to(endpoint):  # the first 429 holds every request (one channel, one limit)
            assert sending.poll() is None and time.monotonic() < deadline, sending.communicate()
            time.sleep(0.01)
        time.sleep(1.0)
        asked = len(fake_line.requests_to(endpoint))
        sending.send_signal(signal.SIGINT)
        # LINE asked for 120 s (the fake itself stops after 60): a pause that waited it out never comes back here.
        _out, err = sending.communicate(timeout=20)
    finally:
        if sending.poll() is None:
            sending.kill()
            sending.communicate()
    assert sending.returncode == 4, err
    assert "shopline resume 夏" in err and "Traceback" not in err
    assert len(fake_line.requests_to(endpoint)) == asked and not fake_line.delivered
    assert Campaign.get().status == "paused"
    assert Batch.select().where(Batch.status == "pending").count() == pending

    fake_line.faults.clear()
    resumed = subprocess.run([sys.executable, "-m", "shopline", "resume", "夏"], env=env, cwd=REPO,
                             capture_output=True, text=True, timeout=60)
    assert resumed.returncode == 0, resumed.stderr


def test_ctrl_c_during_a_retry_after_hold_pauses_at_once(store, fake_line):
    expected = shop(1500)
    ctrl_c_during_a_hold(store, fake_line, MULTICAST, "本日限定", pending=3)
    exactly_once(fake_line, expected)
