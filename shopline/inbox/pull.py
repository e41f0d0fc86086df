"""`shopline inbox pull` and the window's 受信: fetch a page, apply it, then acknowledge it, until the relay is empty.

The acknowledgement comes after the page's transaction commits; if the app dies in between, the
stored cursor (and the applied event IDs) keep the next pull from applying anything twice.
"""

from __future__ import annotations

import datetime as dt
import threading
from collections.abc import Callable, Iterable

from shopline import secrets
from shopline.core.messages import ShopLineError
from shopline.inbox import relay_config, rules
from shopline.inbox.apply import ApplyResult, apply_page, stored_cursor, users_needing_profiles
from shopline.inbox.client import PAGE, RelayClient
from shopline.inbox.events import Incoming, parse_item
from shopline.line.profiles import Profile
from shopline.store import settings

Progress = Callable[[ApplyResult], None]
# Pages are applied together up to this many events: one transaction writes each hot page of the database once
# (20 commits of 5,000 rewrote the same friend pages 20 times). Still one transaction, then one acknowledgement.
APPLY_BATCH = 25_000


def _profiles(events: Iterable[Incoming], stop: threading.Event | None) -> dict[str, Profile]:
    """LINE's names and pictures for new followers, when a channel is connected; never part of the transaction."""
    users = users_needing_profiles(events)
    token = secrets.token_if_connected() if users else None
    if not token:
        return {}
    from shopline.line.config import LineClient
    from shopline.line.profiles import get_profile

    found: dict[str, Profile] = {}
    try:
        with LineClient(token) as line:
            for user in users:
                if stop is not None and stop.is_set():
                    break
                profile = get_profile(line, user, stop=stop)
                if profile is not None:
                    found[user] = profile
    except ShopLineError:  # offline or refused: the friends arrive nameless, and a later follow names them
        pass
    return found


def pull_inbox(relay: RelayClient | None = None, *, page_size: int = PAGE, progress: Progress | None = None,
               stop: threading.Event | None = None) -> ApplyResult:
    own = relay is None
    relay = relay or relay_config.client()
    try:
        cursor = stored_cursor(relay.url)
        keyword_tags = rules.matcher()
        total = ApplyResult(cursor=cursor)
        more = True
        while more and (stop is None or not stop.is_set()):
            events: list[Incoming] = []
            while more and len(events) < APPLY_BATCH:
                page = relay.pull(cursor, page_size)
                events += [parse_item(item) for item in page.items]
                cursor, more = page.cursor, page.more
            if events:
                total.add(apply_page(events, cursor, relay.url, keyword_tags, _profiles(events, stop)))
                relay.ack(cursor)  # only after the commit: a crash before it re-applies nothing
                if progress is not None:
                    progress(total)
        settings.INBOX_LAST_PULL.set(dt.datetime.now().replace(microsecond=0))  # 設定 → リレー shows it
        return total
    finally:
        if own:
            relay.close()
