"""One holder sends a campaign at a time: a claim (lease) in the database, across processes and PCs."""

from __future__ import annotations

import datetime as dt
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest
from delivery_helpers import MSG, TOKEN, VIP, exactly_once, shop

from shopline.delivery import service
from shopline.delivery.claims import CampaignBusy
from shopline.store.automation_models import Lease
from shopline.store.campaign_models import Campaign

REPO = Path(__file__).resolve().parents[1]


def _hold(campaign: Campaign, *, host: str, pid: int, minutes: float) -> None:
    expires = dt.datetime.now(dt.UTC) + dt.timedelta(minutes=minutes)
    Lease.insert(name=f"campaign:{campaign.id}", holder="someone-else", host=host, pid=pid,
                 expires_at=expires).on_conflict_replace().execute()


def test_a_campaign_another_pc_is_sending_is_left_alone(store, fake_line):
    expected = shop(700)
    prepared = service.prepare_send("冬", VIP, MSG, token=TOKEN)
    _hold(prepared.campaign, host="レジ横のPC", pid=4242, minutes=4)
    with pytest.raises(CampaignBusy) as refused:
        service.send(prepared.campaign, TOKEN)
    assert "レジ横のPC" in str(refused.value) and "何も送りませんでした" in str(refused.value)
    assert fake_line.requests_to("/v2/bot/message/multicast") == []

    # The other PC died without letting go: its lease runs out and the send goes on, everyone once.
    _hold(prepared.campaign, host="レジ横のPC", pid=4242, minutes=-1)
    result = service.send(Campaign.get_by_id(prepared.campaign.id), TOKEN)
    assert result.status == "done"
    exactly_once(fake_line, expected)
    assert not Lease.select().where(Lease.name == f"campaign:{prepared.campaign.id}").exists()  # released


def test_a_dead_process_on_this_machine_is_taken_over_at_once(store, fake_line):
    import socket

    expected = shop(10)
    prepared = service.prepare_send("秋", VIP, MSG, token=TOKEN)
    gone = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True, text=True)
    _hold(prepared.campaign, host=socket.gethostname(), pid=int(gone.stdout), minutes=4)
    assert service.send(prepared.campaign, TOKEN).status == "done"
    exactly_once(fake_line, expected)


def _shopline(args, data_dir, url):
    env = os.environ | {"SHOPLINE_HOME": str(data_dir), "SHOPLINE_LINE_API": url,
                        "SHOPLINE_CHANNEL_TOKEN": TOKEN, "PYTHONPATH": str(REPO)}
    return subprocess.Popen([sys.executable, "-m", "shopline", *args], env=env, cwd=REPO,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def test_two_resumes_at_once_send_everyone_once(store, fake_line):
    expected = shop(20_000)
    prepared = service.prepare_send("春", VIP, MSG, token=TOKEN)
    assert prepared.campaign.status == "ready"
    # LINE far away: 40 batches, 8 at a time, 2 s each — the second process starts well inside the first's run.
    fake_line.fault(r"POST /v2/bot/message/multicast", delay=2.0, times=None)
    first = _shopline(["resume", "春"], store, fake_line.url)
    deadline = time.monotonic() + 30
    while not fake_line.requests_to("/v2/bot/message/multicast"):
        assert first.poll() is None and time.monotonic() < deadline, first.communicate()
        time.sleep(0.01)
    second = _shopline(["resume", "春"], store, fake_line.url)
    out2, err2 = second.communicate(timeout=60)
    assert first.poll() is None, "the runs did not overlap: the test proves nothing"
    out1, err1 = first.communicate(timeout=120)
    assert first.returncode == 0, err1
    assert second.returncode == 4, (out1, err1, out2, err2)
    assert "ほかのShopLine" in err2 + out2
    assert first.returncode == 0 and "送信済み 20,000人" in out1
    exactly_once(fake_line, expected)
