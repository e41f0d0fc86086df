"""The one database of the running process: opened at start-up, handed to models through a proxy."""

from __future__ import annotations

import os
from pathlib import Path

from peewee import DatabaseError

from shopline import paths
from shopline.core.messages import ShopLineError, Text
from shopline.store import backups, dialect, errors, schema
from shopline.store.base import db

__all__ = ["StoreUnavailable", "close_store", "data_folder", "db", "open_store"]
_folder: Path | None = None


class StoreUnavailable(ShopLineError):
    """The data file cannot be opened: another program holds it, or it is damaged."""


def open_store(folder: Path | str | None = None, *, migrate: bool = True) -> Path:
    """Open (creating or migrating) the database in the data folder; returns the folder."""
    global _folder
    close_store()
    _folder = paths.data_dir(folder)
    path = paths.db_path(_folder)
    database = dialect.open_database(path)
    db.initialize(database)
    try:
        database.connect(reuse_if_open=True)
        if migrate:
            schema.ensure_schema(_folder)
    except (DatabaseError, OSError) as exc:  # SQLite's own words ("file is not a database") mean little to a shop
        where = _folder
        close_store()
        raise _explain_open_failure(exc, where, path) from exc
    return _folder


def _explain_open_failure(exc: BaseException, folder: Path, path: Path) -> ShopLineError:
    explained = errors.explain(exc, folder)
    if explained is None and not (os.access(folder, os.W_OK) and (not path.exists() or os.access(path, os.W_OK))):
        explained = errors.StoreReadOnly(errors.readonly_text(folder))
    if explained is not None:
        return explained
    if isinstance(exc, OSError):
        return StoreUnavailable(Text(
            f"データフォルダ {folder} を使えませんでした（{exc.strerror or exc}）。"
            "フォルダがあって書き込めるか確かめるか、--data-dir で別の場所を指定してください。",
            f"Could not use the data folder {folder} ({exc.strerror or exc}). Check that it exists and can be "
            "written to, or choose another folder with --data-dir."))
    good = backups.newest_verified(folder)
    if good is not None:
        restore = Text(f"ファイルが壊れている場合は、確認済みのバックアップ {good} を {path.name} という名前で"
                       f"コピーして戻せます。",
                       f"If the file is damaged, copy the checked backup {good} back as {path.name}.")
    else:
        restore = Text(f"ファイルが壊れている場合、{folder / 'backups'} に使えるバックアップはありません。"
                       "CSVの書き出しがあれば、新しいデータフォルダに読み込み直してください。",
                       f"If the file is damaged, there is no usable backup in {folder / 'backups'}; "
                       "import your latest CSV export into a new data folder.")
    return StoreUnavailable(Text(
        f"データファイル {path} を開けませんでした（{exc}）。ほかのShopLineが開いていれば閉じてから、"
        f"もう一度試してください。{restore.ja}",
        f"Could not open the data file {path} ({exc}). If another ShopLine has it open, close that one "
        f"and try again. {restore.en}"))


def data_folder() -> Path:
    if _folder is None:
        raise RuntimeError("open_store() has not been called")
    return _folder


def close_store() -> None:
    global _folder
    from shopline.store.bitmaps import engine

    engine.reset()  # the count engine's own connection too: Windows cannot delete or replace an open file
    if db.obj is not None and not db.obj.is_closed():
        db.obj.close()
    _folder = None
