"""The friend search column: name, user ID and memo folded once when written, so a search folds only its words.

Folding both sides (NFKC, then case folding) lets "AB" find a stored "ＡＢ" and "ｶﾌｪ" find "カフェ".
Triggers keep the column right whoever writes the friend table (import, sync, edits), through
the SQL function every connection of the app registers (store/dialect/sqlite.py).
"""

from __future__ import annotations

import unicodedata

from peewee import Database, DatabaseProxy

from shopline.core.folding import fold

COLUMN = "search_text"
FUNCTION = "shopline_search_text"
SEPARATOR = "\ue000"  # a private-use character: no folded word contains it, so a word never spans two columns

_SOURCE = f"{FUNCTION}(NEW.display_name, NEW.user_id, NEW.memo)"
TRIGGER_NAMES = ("friend_search_insert", "friend_search_update")
_TRIGGERS = (
    f"""CREATE TRIGGER IF NOT EXISTS friend_search_insert AFTER INSERT ON friend BEGIN
        UPDATE friend SET {COLUMN} = {_SOURCE} WHERE id = NEW.id; END""",
    f"""CREATE TRIGGER IF NOT EXISTS friend_search_update AFTER UPDATE OF display_name, user_id, memo ON friend
        BEGIN UPDATE friend SET {COLUMN} = {_SOURCE} WHERE id = NEW.id; END""",
)


def fold_word(text: str) -> str:
    return unicodedata.normalize("NFKC", fold(text).casefold())


def search_text(display_name: str | None, user_id: str | None, memo: str | None) -> str:
    return SEPARATOR.join(fold_word(part or "") for part in (display_name, user_id, memo))


def install(database: Database | DatabaseProxy) -> None:
    """Add the column, fill it for the friends already stored, and keep it filled from now on."""
    columns = [c.name for c in database.get_columns("friend")]
    if COLUMN not in columns:
        database.execute_sql(f"ALTER TABLE friend ADD COLUMN {COLUMN} TEXT NOT NULL DEFAULT ''")
    refold(database)
    for sql in _TRIGGERS:
        database.execute_sql(sql)


def refold(database: Database | DatabaseProxy, after_rowid: int = 0) -> None:
    database.execute_sql(f"UPDATE friend SET {COLUMN} = {FUNCTION}(display_name, user_id, memo) "
                         "WHERE rowid > ?", (after_rowid,))
