"""Where the shop's data lives: --data-dir, then SHOPLINE_HOME, then the platform's user data folder."""

from __future__ import annotations

import os
from pathlib import Path

from platformdirs import user_data_dir

DB_FILENAME = "shopline.sqlite3"


def data_dir(explicit: str | os.PathLike[str] | None = None) -> Path:
    if explicit:
        path = Path(explicit)
    elif os.environ.get("SHOPLINE_HOME"):
        path = Path(os.environ["SHOPLINE_HOME"])
    else:
        path = Path(user_data_dir("ShopLine", appauthor=False))
    path = path.expanduser().resolve()
    try:
        path.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        from shopline.core.messages import ShopLineError, Text

        raise ShopLineError(Text(
            f"データフォルダ {path} を作れませんでした（{exc.strerror or exc}）。"
            "書き込める場所を --data-dir で指定してください。",
            f"Could not create the data folder {path} ({exc.strerror or exc}). "
            "Choose a folder you can write to with --data-dir.")) from None
    if not path.is_dir():
        from shopline.core.messages import ShopLineError, Text

        raise ShopLineError(Text(f"{path} はフォルダではありません。データフォルダを --data-dir で指定してください。",
                                 f"{path} is not a folder. Choose the data folder with --data-dir."))
    return path


def db_path(folder: Path) -> Path:
    return folder / DB_FILENAME


def backups_dir(folder: Path) -> Path:
    path = folder / "backups"
    path.mkdir(exist_ok=True)
    return path


def exports_dir(folder: Path) -> Path:
    path = folder / "exports"
    path.mkdir(exist_ok=True)
    return path


def _same(a: Path, b: Path) -> bool:
    try:
        return a.exists() and b.exists() and os.path.samefile(a, b)
    except OSError:
        return False


def is_store_file(folder: Path, target: Path) -> bool:
    """Whether writing `target` would overwrite the database, its -wal/-shm/-journal, or a backup.

    Symlinks are resolved; samefile catches another spelling of the same file on a case-insensitive
    disk (macOS, Windows), and the names are also compared case-folded for files not there yet.
    """
    target = Path(os.path.abspath(target.expanduser()))
    resolved = target.resolve()
    database = db_path(folder)
    guarded = [database] + [database.with_name(database.name + s) for s in ("-wal", "-shm", "-journal")]
    backups = folder / "backups"
    for candidate in (target, resolved):
        for path in guarded:
            if _same(candidate, path) or (
                    _same(candidate.parent, path.parent) and candidate.name.casefold() == path.name.casefold()):
                return True
        for parent in candidate.parents:
            if _same(parent, backups):
                return True
    return False


def demo_dir(shop_folder: Path) -> Path:
    """The demo shop's own folder beside the shop's: made-up friends never share a database with real ones."""
    return shop_folder.with_name(shop_folder.name + "-demo")
