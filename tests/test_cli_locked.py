"""Two ShopLines at once: the second waits, then is told another one is writing — never a raw "database is locked"."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from delivery_helpers import MSG, TOKEN, VIP, exactly_once, shop

from shopline.cli import main
from shopline.core.segments import to_json
from shopline.delivery import freeze as freezing
from shopline.store.campaign_models import Campaign, Recipient
from shopline.store.errors import StoreBusy, explain

ROOT = Path(__file__).resolve().parent.parent
WAIT_MS = "300"  # how long the second writer waits here; the app waits 10 s


@contextmanager
def another_writer(folder: Path) -> Iterator[None]:
    """A second process holding the database's write lock (as a long import does) until the block ends."""
    script = textwrap.dedent(f"""
        import sys
        sys.path.insert(0, {str(ROOT)!r})
        from shopline.store.sqlite import make_database
        db = make_database(__import__("pathlib").Path({str(folder / "shopline.sqlite3")!r}))
        db.connect()
        db.execute_sql("BEGIN IMMEDIATE")
        print("locked", flush=True)
        sys.stdin.readline()
        db.execute_sql("ROLLBACK")
    """)
    holder = subprocess.Popen([sys.executable, "-c", script], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "locked"
        yield
    finally:
        assert holder.stdin is not None
        holder.stdin.close()
        holder.wait(timeout=60)


def _shopline(home: Path, *argv: str) -> subprocess.CompletedProcess:
    env = {**os.environ, "SHOPLINE_HOME": str(home), "SHOPLINE_LANG": "ja", "SHOPLINE_BUSY_TIMEOUT_MS": WAIT_MS}
    return subprocess.run([sys.executable, "-m", "shopline", *argv], cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=120)


def test_an_import_while_another_shopline_writes(store, tmp_path):
    csv_path = tmp_path / "f.csv"
    csv_path.write_text("ユーザーID,表示名\n" + "".join(f"U{i:032x},友だち{i}\n" for i in range(20)), encoding="utf-8")
    with another_writer(store):
        result = _shopline(store, "import", str(csv_path))
    assert result.returncode == 2
    assert "書き込み中" in result.stderr and "Traceback" not in result.stderr and "locked" not in result.stderr
    assert _shopline(store, "import", str(csv_path)).returncode == 0  # once the other is done, it goes


@pytest.fixture
def connected(store, fake_line, monkeypatch):
    monkeypatch.setenv("SHOPLINE_CHANNEL_TOKEN", TOKEN)
    monkeypatch.setenv("SHOPLINE_BUSY_TIMEOUT_MS", WAIT_MS)
    return fake_line


def test_a_send_stopped_by_another_writer_says_how_to_resume(connected, store, monkeypatch, capsys):
    from shopline.delivery import service

    expected = shop(1200)
    real_send = service.send
    writer = another_writer(store)

    def send_while_locked(campaign, token, **kw):
        with writer:  # the campaign is saved; then another ShopLine starts writing
            return real_send(campaign, token, **kw)

    monkeypatch.setattr(service, "send", send_while_locked)
    code = main(["send", "--segment", "VIP", "--text", "セール", "--name", "春", "--yes"])
    err = capsys.readouterr().err
    assert code == 4 and "書き込み中" in err and "shopline resume 春" in err and "Traceback" not in err
    assert Campaign.get(Campaign.name == "春").recipients == 1200
    monkeypatch.setattr(service, "send", real_send)
    assert main(["resume", "春"]) == 0
    exactly_once(connected, expected)


def test_freeze_takes_the_write_lock_before_it_reads(store, monkeypatch):
    """A deferred transaction read first and failed at its first write when another send had written."""
    shop(10)
    with another_writer(store):
        monkeypatch.setattr(freezing, "check_name_free", lambda name: None)  # the early check passed
        with pytest.raises(Exception) as caught:
            freezing.freeze("春", tree=to_json(VIP), text="VIP", messages=MSG, friend_ids=[1, 2],
                            unit="sl_test")
    assert isinstance(explain(caught.value), StoreBusy)
    assert Campaign.select().count() == 0


def test_a_name_taken_between_the_check_and_the_freeze_is_refused(store, monkeypatch):
    shop(10)
    real_check = freezing.check_name_free
    calls = []

    def first_passes_then_another_send_takes_the_name(name):
        calls.append(name)
        if len(calls) == 1:  # as three parallel `send --name 春` do
            Campaign.create(name=name, segment_tree="{}", segment_text="", messages="[]", unit="sl_other")
            return
        real_check(name)

    monkeypatch.setattr(freezing, "check_name_free", first_passes_then_another_send_takes_the_name)
    with pytest.raises(freezing.CampaignExists):
        freezing.freeze("春", tree=to_json(VIP), text="VIP", messages=MSG, friend_ids=[1, 2], unit="sl_test")
    assert Campaign.select().count() == 1 and Recipient.select().count() == 0
