"""Clicks on tracked links, kept per campaign, friend and URL: written by the inbox in its page's transaction.

The code alone says whose link it was: the relay's click event also names a campaign and a friend, but only
the codes this store made are trusted (a code it never made, or one whose campaign was deleted, is skipped).
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterable

from shopline.store.base import db


def record_clicks(clicks: Iterable[tuple[str, str, int]]) -> int:
    """(event ID, code, time in ms since the epoch) of new click events; returns how many were kept."""
    rows = [(event_id, code, str(dt.datetime.fromtimestamp(at // 1000))) for event_id, code, at in clicks if code]
    if not rows:
        return 0
    before = db.execute_sql("SELECT total_changes()").fetchone()[0]
    db.execute_sql(
        "INSERT OR IGNORE INTO click (event_id, campaign_id, friend_id, code, url, at) "
        "SELECT json_extract(c.value, '$[0]'), l.campaign_id, l.friend_id, l.code, l.url, "
        "json_extract(c.value, '$[2]') "
        "FROM json_each(?) c JOIN tracked_link l ON l.code = json_extract(c.value, '$[1]')",
        (json.dumps(rows, ensure_ascii=False),))
    return int(db.execute_sql("SELECT total_changes()").fetchone()[0] - before)
