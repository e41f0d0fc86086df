"""The database's failures a shop can act on — another writer, a full disk, a read-only folder — in words.

SQLite reports them as OperationalError (peewee re-raises its own with SQLite's as the cause), and a
failed statement can be followed by a failed rollback; the whole chain is searched for what happened.
"""

from __future__ import annotations

import errno
import sqlite3
from collections.abc import Iterator
from pathlib import Path

from shopline.core.messages import ShopLineError, Text

BUSY, FULL, READONLY = "busy", "full", "readonly"

# SQLite's primary result codes (the low byte of an extended code).
_CODES = {5: BUSY, 6: BUSY, 13: FULL, 8: READONLY}
_ERRNOS = {errno.ENOSPC: FULL, errno.EDQUOT: FULL, errno.EROFS: READONLY}
_WORDS = (("database is locked", BUSY), ("database table is locked", BUSY), ("database is busy", BUSY),
          ("disk is full", FULL), ("no space left", FULL), ("readonly database", READONLY),
          ("read-only file system", READONLY))


class StoreBusy(ShopLineError):
    """Another ShopLine process holds the write lock longer than the busy timeout."""


class DiskFull(ShopLineError):
    """The disk (or the database's page limit) has no room; the transaction was rolled back."""


class StoreReadOnly(ShopLineError):
    """The data folder or file cannot be written."""


def _chain(exc: BaseException) -> Iterator[BaseException]:
    seen: set[int] = set()
    todo: list[BaseException | None] = [exc]
    while todo:
        e = todo.pop(0)
        if e is None or id(e) in seen:
            continue
        seen.add(id(e))
        yield e
        todo += [e.__cause__, e.__context__]


def kind_of(exc: BaseException) -> str | None:
    """BUSY, FULL, READONLY, or None when the error is something else."""
    for e in _chain(exc):
        code = getattr(e, "sqlite_errorcode", None)
        if isinstance(code, int) and code & 0xFF in _CODES:
            return _CODES[code & 0xFF]
        if isinstance(e, OSError) and e.errno in _ERRNOS:
            return _ERRNOS[e.errno]
        if isinstance(e, (sqlite3.Error, OSError)) or type(e).__module__ == "peewee":
            words = str(e).lower()
            for needle, kind in _WORDS:
                if needle in words:
                    return kind
    return None


def busy_text(campaign: str | None = None) -> Text:
    text = Text("ほかのShopLine（ウィンドウか別のコマンド）がデータを書き込み中です。"
                "終わるのを待ってから、もう一度試してください。",
                "Another ShopLine (the window or another command) is writing to the data. "
                "Wait for it to finish, then try again.")
    return _with_resume(text, campaign)


def full_text(folder: Path | None, campaign: str | None = None) -> Text:
    where_ja, where_en = (f"（{folder}）", f" ({folder})") if folder else ("", "")
    text = Text(f"ディスクがいっぱいです{where_ja}。データは書き込む前の状態のままです。"
                "不要なファイルを消して空きを作ってから、もう一度試してください。",
                f"The disk is full{where_en}. The data is as it was before this step. "
                "Free some space by deleting files you do not need, then try again.")
    return _with_resume(text, campaign)


def readonly_text(folder: Path | None) -> Text:
    where = str(folder) if folder else "データフォルダ"
    return Text(f"データフォルダ {where} は読み取り専用のため、書き込めません（ファイルが壊れているのではありません）。"
                "フォルダとファイルに書き込みを許可するか、書き込める場所を --data-dir で指定してください。",
                f"The data folder {folder or ''} is read-only, so ShopLine cannot write to it (the file is not "
                "damaged). Allow writing to the folder and its files, or choose a writable folder with --data-dir.")


def _with_resume(text: Text, campaign: str | None) -> Text:
    if not campaign:
        return text
    return Text(text.ja + f"配信「{campaign}」の続きは、そのあと `shopline resume {campaign}` で送れます"
                "（送信済みの友だちには二重に届きません）。",
                text.en + f" Then continue the campaign with `shopline resume {campaign}` "
                "(friends already sent to do not get it twice).")


def explain(exc: BaseException, folder: Path | None = None, campaign: str | None = None) -> ShopLineError | None:
    """The shop's sentence for a locked, full or read-only database; None for anything else."""
    kind = kind_of(exc)
    if kind == BUSY:
        return StoreBusy(busy_text(campaign))
    if kind == FULL:
        return DiskFull(full_text(folder, campaign))
    if kind == READONLY:
        return StoreReadOnly(readonly_text(folder))
    return None
