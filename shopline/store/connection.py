"""The one database of the running process: opened at start-up, handed to models through a proxy."""

from __future__ import annotations

from pathlib import Path

from peewee import DatabaseProxy

from shopline import paths

db = DatabaseProxy()
_folder: Path | None = None


def open_store(folder: Path | str | None = None, *, migrate: bool = True) -> Path:
    """Open (creating or migrating) the database in the data folder; returns the folder."""
    global _folder
    from shopline.store import schema
    from shopline.store.sqlite import make_database

    close_store()
    _folder = paths.data_dir(folder)
    database = make_database(paths.db_path(_folder))
    db.initialize(database)
    database.connect(reuse_if_open=True)
    if migrate:
        schema.ensure_schema(_folder)
    return _folder


def data_folder() -> Path:
    if _folder is None:
        raise RuntimeError("open_store() has not been called")
    return _folder


def close_store() -> None:
    global _folder
    if db.obj is not None and not db.obj.is_closed():
        db.obj.close()
    _folder = None
