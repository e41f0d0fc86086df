"""The 24-hour retry-key rule compares instants, whatever the machine's time zone did in between.

Each side runs in its own process with its own TZ, as when the shop's PC changes zone (a trip,
a reinstall) or DST changes between sending and resuming.
"""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from pathlib import Path

from shopline.delivery.freeze import freeze
from shopline.store.campaign_models import Batch, Campaign
from shopline.store.connection import db
from shopline.store.models import Friend

REPO = Path(__file__).resolve().parents[1]


def _in_zone(tz: str, data_dir: Path, code: str) -> str:
    script = f"from shopline.store import open_store\nopen_store({str(data_dir)!r})\n" + textwrap.dedent(code)
    env = os.environ | {"TZ": tz, "PYTHONPATH": str(REPO)}
    done = subprocess.run([sys.executable, "-c", script], env=env, cwd=REPO, capture_output=True, text=True,
                          timeout=60)
    assert done.returncode == 0, done.stderr
    return done.stdout.strip()


def _campaign(n: int = 500) -> Campaign:
    Friend.insert_many([{"user_id": f"U{i:032x}"} for i in range(n)]).execute()
    return freeze("夏", tree={"tag": "VIP"}, text="VIP", messages=[{"type": "text", "text": "x"}],
                  friend_ids=Friend.select(Friend.id))


UNCERTAIN_AT = """
    import datetime as dt
    from shopline.delivery.resume import uncertain_batches
    from shopline.store.campaign_models import Campaign
    at = {at}
    print(sum(b.size for b in uncertain_batches(Campaign.get(), at)))
"""


def test_sent_in_tokyo_resumed_30_hours_later_in_utc_is_uncertain(store):
    _campaign()
    _in_zone("Asia/Tokyo", store, """
        from shopline.delivery.journal import Journal
        from shopline.store.campaign_models import Batch, Campaign
        Journal(Campaign.get()).before_first_attempt(Batch.get())
    """)
    # The resuming process's own clock, 30 hours on: a naive local reading, as a caller would pass it.
    assert _in_zone("UTC", store, UNCERTAIN_AT.format(at="dt.datetime.now() + dt.timedelta(hours=30)")) == "500"
    assert _in_zone("UTC", store, UNCERTAIN_AT.format(at="dt.datetime.now() + dt.timedelta(hours=22)")) == "0"


def test_times_are_stored_as_utc_instants(store):
    _campaign()
    _in_zone("Asia/Tokyo", store, """
        from shopline.delivery.journal import Journal
        from shopline.store.campaign_models import Batch, Campaign
        Journal(Campaign.get()).before_first_attempt(Batch.get())
    """)
    (raw,) = db.execute_sql("SELECT first_attempt_at FROM batch").fetchone()
    assert raw.endswith("+00:00")
    assert Batch.get().first_attempt_at.utcoffset().total_seconds() == 0


def test_old_naive_local_times_across_new_yorks_dst_change(store):
    """Rows from before times were UTC hold New York wall-clock times; they are read as such."""
    _campaign()
    # 2026-10-31 23:30 EDT (03:30 UTC on 1 November), as the old code wrote it. Clocks fall back that night.
    db.execute_sql("UPDATE batch SET first_attempt_at = '2026-10-31 23:30:00'")
    check = UNCERTAIN_AT.format(at="dt.datetime(2026, 11, 1, 23, 0)")  # EST: 24 h 30 min later, 23 h 30 on the wall
    assert _in_zone("America/New_York", store, check) == "500"
    # Spring forward: 2026-03-07 23:30 EST, then 22:50 EDT the next day is 22 h 20 min, not the wall's 23 h 20.
    db.execute_sql("UPDATE batch SET first_attempt_at = '2026-03-07 23:30:00'")
    assert _in_zone("America/New_York", store, UNCERTAIN_AT.format(at="dt.datetime(2026, 3, 8, 22, 50)")) == "0"
    assert _in_zone("America/New_York", store, UNCERTAIN_AT.format(at="dt.datetime(2026, 3, 9, 0, 40)")) == "500"
