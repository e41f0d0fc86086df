"""Whether another connection wrote to the database since we last looked (SQLite's PRAGMA data_version).

The window keeps one of these to notice the `shopline` command, or a second window, changing the
shop: reading the number costs microseconds and takes no lock a writer waits on. It has a connection
of its own because the number only moves for commits made by *other* connections. SQLite-only, like
store/sqlite.py; a shared database server would notify instead.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path


class DataVersion:
    def __init__(self, path: Path) -> None:
        # A short timeout: a poll that finds the file busy just says "no change yet" and looks again.
        self._connection = sqlite3.connect(str(path), timeout=0.05, check_same_thread=False,
                                           isolation_level=None)
        self._last = self._read()

    def _read(self) -> int:
        return int(self._connection.execute("PRAGMA data_version").fetchone()[0])

    def changed(self) -> bool:
        """True when some other connection has committed since the last call (or since opening)."""
        try:
            now = self._read()
        except sqlite3.OperationalError:
            return False
        changed, self._last = now != self._last, now
        return changed

    def close(self) -> None:
        self._connection.close()


def watch_open_store() -> DataVersion:
    """A watch over the database the process has open (store.open_store)."""
    from shopline import paths
    from shopline.store.connection import data_folder

    return DataVersion(paths.db_path(data_folder()))
