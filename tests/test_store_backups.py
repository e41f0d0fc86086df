"""Backups are written under a temporary name, checked, then named: a failed one is never "today's backup"."""

from __future__ import annotations

import datetime as dt
import sqlite3
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from shopline.core.messages import ShopLineError
from shopline.store import backups, close_store, db, open_store, schema
from shopline.store.connection import StoreUnavailable
from shopline.store.dialect import sqlite as sqlite_dialect
from shopline.store.dialect.sqlite import copy_database
from shopline.store.models import Friend

ROOT = Path(__file__).resolve().parent.parent


def _full_copy(source, target: Path) -> None:
    """The real backup API into a database that runs out of room after two pages: SQLITE_FULL."""
    dest = sqlite3.connect(str(target))
    dest.execute("PRAGMA max_page_count = 2")
    try:
        source.connection().backup(dest)
    finally:
        dest.close()


def _files(folder: Path) -> list[str]:
    return sorted(p.name for p in (folder / "backups").iterdir()) if (folder / "backups").exists() else []


def _shop(folder: Path, friends: int = 50) -> None:
    open_store(folder)
    Friend.insert_many([{"user_id": f"U{i:032x}", "display_name": f"友だち{i}"} for i in range(friends)]).execute()
    close_store()
    (folder / "backups").mkdir(exist_ok=True)
    for p in (folder / "backups").glob("*"):
        p.unlink()


def test_a_full_disk_during_the_daily_backup_warns_and_the_shop_works(data_dir, monkeypatch, capsys):
    from shopline.cli import main

    _shop(data_dir)
    monkeypatch.setattr(sqlite_dialect, "copy_database", _full_copy)
    assert main(["friends"]) == 0
    captured = capsys.readouterr()
    assert "ディスクがいっぱい" in captured.err and "今日のバックアップを作れませんでした" in captured.err
    assert "Traceback" not in captured.err and "友だち1" in captured.out
    assert _files(data_dir) == []  # nothing half-written left behind, so the next start tries again
    monkeypatch.setattr(sqlite_dialect, "copy_database", copy_database)
    open_store(data_dir)
    daily = list((data_dir / "backups").glob("*-daily.sqlite3"))
    assert len(daily) == 1 and backups.verify(daily[0]) is None
    with sqlite3.connect(daily[0]) as con:
        assert con.execute("SELECT COUNT(*) FROM friend").fetchone()[0] == 50
    close_store()


def test_a_kill_during_the_first_backup_of_the_day_leaves_no_backup_that_counts(data_dir):
    _shop(data_dir, friends=3000)
    script = textwrap.dedent(f"""
        import os, signal, sqlite3, sys
        sys.path.insert(0, {str(ROOT)!r})
        from shopline.store import open_store
        from shopline.store.dialect import sqlite as sqlite_dialect

        def killed_halfway(source, target):
            dest = sqlite3.connect(str(target))
            source.connection().backup(dest, pages=1, progress=lambda *a: os.kill(os.getpid(), signal.SIGKILL))

        sqlite_dialect.copy_database = killed_halfway
        open_store({str(data_dir)!r})
    """)
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, timeout=120)
    assert result.returncode == -9
    assert not list((data_dir / "backups").glob("*.sqlite3"))  # only the temporary name can be left
    open_store(data_dir)  # the next start makes the real one, and clears the leftover
    names = _files(data_dir)
    assert len(names) == 1 and names[0].endswith("-daily.sqlite3")
    assert backups.verify(data_dir / "backups" / names[0]) is None
    close_store()


def test_an_empty_backup_left_by_an_older_version_is_replaced(data_dir):
    _shop(data_dir)
    today = dt.date.today().strftime("%Y%m%d")
    empty = data_dir / "backups" / f"shopline-{today}-000001-daily.sqlite3"
    empty.write_bytes(b"")
    empty.with_name(empty.name + "-journal").write_bytes(b"\0" * 512)
    open_store(data_dir)
    close_store()
    assert not empty.exists()
    [good] = (data_dir / "backups").glob("*-daily.sqlite3")
    assert backups.verify(good) is None


def test_the_restore_advice_names_only_a_checked_backup(data_dir):
    _shop(data_dir)
    open_store(data_dir)
    good = schema.backup(data_dir, "daily")
    close_store()
    newer = data_dir / "backups" / "shopline-29991231-235959-daily.sqlite3"
    newer.write_bytes(b"SQLite format 3\x00" + b"\0" * 1000)  # looks like one, holds nothing
    (data_dir / "shopline.sqlite3").write_bytes(b"not a database " * 100)
    with pytest.raises(StoreUnavailable) as caught:
        open_store(data_dir)
    said = str(caught.value)
    assert str(good) in said and newer.name not in said


def test_no_usable_backup_is_said_so(data_dir):
    (data_dir / "shopline.sqlite3").write_bytes(b"not a database " * 100)
    (data_dir / "backups").mkdir()
    (data_dir / "backups" / "shopline-20240101-000000-daily.sqlite3").write_bytes(b"")
    with pytest.raises(StoreUnavailable) as caught:
        open_store(data_dir)
    assert "使えるバックアップはありません" in str(caught.value)


def test_no_migration_without_a_checked_backup(data_dir, monkeypatch):
    _shop(data_dir)
    nxt = schema.SCHEMA_VERSION + 1
    ran = []
    monkeypatch.setattr(schema, "SCHEMA_VERSION", nxt)
    monkeypatch.setitem(schema.MIGRATIONS, nxt, lambda: ran.append(nxt))
    monkeypatch.setattr(sqlite_dialect, "copy_database", _full_copy)
    with pytest.raises(ShopLineError) as caught:
        open_store(data_dir)
    assert "ディスクがいっぱい" in str(caught.value) and "データはそのまま" in str(caught.value)
    assert ran == [] and _files(data_dir) == []
    monkeypatch.setattr(schema, "SCHEMA_VERSION", nxt - 1)
    open_store(data_dir)
    assert schema.current_version() == nxt - 1 and Friend.select().count() == 50
    assert db.execute_sql("PRAGMA integrity_check").fetchone()[0] == "ok"
    close_store()
