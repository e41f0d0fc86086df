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
