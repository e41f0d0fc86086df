"""A friend's latest reactions (message, postback, click), newest first, as the friend detail lists them."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from shopline.store.connection import db


@dataclass(frozen=True)
class ReactionRow:
    kind: str  # message / postback / click
    at: dt.datetime  # the event's local time
    detail: str  # message text, postback data, clicked URL


def latest_reactions(friend_id: int, limit: int = 5) -> list[ReactionRow]:
    rows = db.execute_sql("SELECT kind, at, detail FROM reaction WHERE friend_id = ? ORDER BY at DESC LIMIT ?",
                          (friend_id, limit))
    return [ReactionRow(kind, at if isinstance(at, dt.datetime) else dt.datetime.fromisoformat(str(at)), detail or "")
            for kind, at, detail in rows]
