"""SIGKILL in the middle of an import leaves the database exactly as it was, and intact."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from shopline.csvio.importer import import_csv
from shopline.demo import write_demo_csv
from shopline.store import close_store, db, open_store
from shopline.store.sqlite import integrity_ok

# The child imports until it has written rows inside the transaction, says so, and waits to be killed.
CHILD = textwrap.dedent("""
    import sys, time
    from shopline.csvio.importer import import_csv
    from shopline.store import db, open_store

    open_store(sys.argv[1])

    def cancelled():
        if db.connection().total_changes > 20_000:
            print("WRITING", flush=True)
            time.sleep(120)
        return False

    import_csv(sys.argv[2], cancelled=cancelled)
    print("FINISHED", flush=True)
""")


def dump():
    return {t: db.execute_sql(f'SELECT * FROM "{t}" ORDER BY 1, 2').fetchall()
            for t in ("friend", "tag", "friend_tag", "field", "field_value", "schema_version")}


@pytest.mark.skipif(not hasattr(signal, "SIGKILL"), reason="needs SIGKILL")
def test_sigkill_mid_import_leaves_the_database_unchanged(data_dir, tmp_path):
    open_store(data_dir)
    import_csv(write_demo_csv(tmp_path / "first.csv", 300, seed=7))
    before = dump()
    indexes = db.execute_sql("SELECT name FROM sqlite_master WHERE type = 'index' ORDER BY name").fetchall()
    close_store()

    big = write_demo_csv(tmp_path / "big.csv", 20_000, seed=8)
    env = {**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parent.parent)}
    child = subprocess.Popen([sys.executable, "-c", CHILD, str(data_dir), str(big)],
                             stdout=subprocess.PIPE, text=True, env=env)
    try:
        assert child.stdout.readline().strip() == "WRITING"
        child.send_signal(signal.SIGKILL)
        assert child.wait(timeout=30) == -signal.SIGKILL
    finally:
        if child.poll() is None:
            child.kill()
            child.wait()
        child.stdout.close()

    open_store(data_dir)
    try:
        assert integrity_ok(db.obj)
        assert dump() == before
        assert db.execute_sql("SELECT name FROM sqlite_master WHERE type = 'index' ORDER BY name").fetchall() == indexes
    finally:
        close_store()
