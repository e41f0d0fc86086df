"""The one database of the running process: opened at start-up, handed to models through a proxy."""

from __future__ import annotations

from pathlib import Path

from peewee import DatabaseError, DatabaseProxy

from shopline import paths
from shopline.core.messages import ShopLineError, Text

db = DatabaseProxy()
_folder: Path | None = None


class StoreUnavailable(ShopLineError):
    """The data file cannot be opened: another program holds it, or it is damaged."""


def open_store(folder: Path | str | None = None, *, migrate: bool = True) -> Path:
    """Open (creating or migrating) the database in the data folder; returns the folder."""
    global _folder
    from shopline.store import schema
    from shopline.store.sqlite import make_database

    close_store()
    _folder = paths.data_dir(folder)
    path = paths.db_path(_folder)
    database = make_database(path)
    db.initialize(database)
    try:
        database.connect(reuse_if_open=True)
        if migrate:
            schema.ensure_schema(_folder)
    except DatabaseError as exc:  # SQLite's own words ("file is not a database") mean little to a shop
        backups = _folder / "backups"
        close_store()
        raise StoreUnavailable(Text(
            f"データファイル {path} を開けませんでした（{exc}）。ほかのShopLineが開いていれば閉じてから、"
            f"もう一度試してください。ファイルが壊れている場合は、{backups} にある一番新しい写しを "
            f"{path.name} という名前でコピーして戻せます。",
            f"Could not open the data file {path} ({exc}). If another ShopLine has it open, close that one "
            f"and try again. If the file is damaged, copy the newest file in {backups} back as {path.name}."
        )) from exc
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
