"""Copies of the database in backups/: before every migration and once a day.

A copy is written under a temporary name, checked, and only then given its real name, so a
kill or a full disk halfway never leaves an empty "today's backup" that stops the real one
and that the restore advice would point to.
"""

from __future__ import annotations

import datetime as dt
import logging
import os
import sqlite3
from pathlib import Path

from peewee import Database, DatabaseError

from shopline import paths
from shopline.core.messages import Text
from shopline.store import dialect

KEEP_DAILY = 10
PARTIAL = ".partial"  # a copy being written; never matches *.sqlite3
_MAGIC = b"SQLite format 3\x00"
_log = logging.getLogger(__name__)
_notices: list[Text] = []


class BackupFailed(Exception):
    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


def take_notices() -> list[Text]:
    """Warnings from opening the store (a daily backup that failed), for the CLI or the window to show once."""
    taken = list(_notices)
    _notices.clear()
    return taken


def _remove(path: Path) -> None:
    for p in (path, path.with_name(path.name + "-journal"), path.with_name(path.name + "-wal"),
              path.with_name(path.name + "-shm")):
        p.unlink(missing_ok=True)


def _table_count(con: sqlite3.Connection) -> int:
    return int(con.execute("SELECT COUNT(*) FROM sqlite_master WHERE type = 'table'").fetchone()[0])


def verify(path: Path, tables: int | None = None) -> str | None:
    """None when the file is a whole, readable database (with `tables` tables); otherwise why not."""
    try:
        if path.stat().st_size < 512 or path.open("rb").read(16) != _MAGIC:
            return "empty or not a database"
        if path.with_name(path.name + "-journal").exists():
            return "left half-written"
        con = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        try:
            result = con.execute("PRAGMA integrity_check").fetchone()[0]
            if result != "ok":
                return f"integrity check: {result}"
            found = _table_count(con)
            if found == 0 or (tables is not None and found != tables):
                return f"{found} tables"
        finally:
            con.close()
    except (OSError, sqlite3.Error) as exc:
        return str(exc)
    return None


def backup(database: Database, folder: Path, reason: str) -> Path:
    """A verified copy named shopline-YYYYMMDD-HHMMSS-<reason>.sqlite3; raises BackupFailed, leaving nothing."""
    part: Path | None = None
    try:
        directory = paths.backups_dir(folder)
        for stale in directory.glob(f"*{PARTIAL}*"):  # from a copy that was killed
            stale.unlink(missing_ok=True)
        target = directory / f"shopline-{dt.datetime.now():%Y%m%d-%H%M%S}-{reason}.sqlite3"
        part = target.with_name(target.name + PARTIAL)
        dialect.copy_database(database, part)
        tables = dialect.table_count(database)
        problem = verify(part, tables)
        if problem:
            raise BackupFailed(problem)
        os.replace(part, target)
    except BackupFailed:
        if part is not None:
            _remove(part)
        raise
    except (OSError, sqlite3.Error, DatabaseError) as exc:
        if part is not None:
            _remove(part)
        raise BackupFailed(str(exc)) from exc
    _prune(directory)
    return target


def daily_backup(database: Database, folder: Path) -> Path | None:
    """Today's copy unless a good one exists; a failure is noted as a warning and the shop works on."""
    today = f"shopline-{dt.date.today():%Y%m%d}"
    try:
        todays = [p for p in paths.backups_dir(folder).glob(f"{today}*.sqlite3")]
    except OSError:
        todays = []
    for p in todays:
        if _looks_whole(p):
            return None
        _remove(p)  # left by a copy made before copies were checked: it would be restored as an empty shop
    try:
        return backup(database, folder, reason="daily")
    except BackupFailed as exc:
        from shopline.store import errors

        full = errors.kind_of(exc) == errors.FULL
        _log.warning("daily backup failed: %s", exc.reason)
        _notices.append(Text(
            ("ディスクがいっぱいのため、" if full else "")
            + f"今日のバックアップを作れませんでした（{exc.reason}）。ShopLineはこのまま使えます。"
            + ("空きを作ると、" if full else "") + "次に起動したときにもう一度作ります。",
            ("The disk is full, so " if full else "")
            + f"today's backup could not be made ({exc.reason}). ShopLine works as usual; "
            + ("once there is free space, " if full else "") + "it tries again the next time it starts."))
        return None


def _looks_whole(path: Path) -> bool:
    """Cheap enough for every start: a header, a size, and no journal left by a killed copy."""
    try:
        with path.open("rb") as f:
            head = f.read(16)
        return (head == _MAGIC and path.stat().st_size >= 512
                and not path.with_name(path.name + "-journal").exists())
    except OSError:
        return False


def newest_verified(folder: Path) -> Path | None:
    """The newest backup that opens and passes the integrity check: the only one the restore advice may name."""
    directory = folder / "backups"
    if not directory.is_dir():
        return None
    candidates = sorted(directory.glob("shopline-*.sqlite3"), key=lambda p: p.name[9:24], reverse=True)
    for path in candidates:
        if verify(path) is None:
            return path
    return None


def _prune(folder: Path) -> None:
    daily = sorted(folder.glob("shopline-*-daily.sqlite3"))
    for old in daily[:-KEEP_DAILY]:
        old.unlink(missing_ok=True)
