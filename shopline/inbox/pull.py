"""`shopline inbox pull` and the window's 受信: fetch a page, apply it, then acknowledge it, until the relay is empty.

The acknowledgement comes after the page's transaction commits; if the app dies in between, the
stored cursor (and the applied event IDs) keep the next pull from applying anything twice.
"""

from __future__ import annotations

import datetime as dt
import threading
from collections.abc import Callable, Iterable
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass

from shopline import secrets
from shopline.core.messages import ShopLineError
from shopline.inbox import relay_config, rules
from shopline.inbox.apply import ApplyResult, apply_page, stored_cursor, users_needing_profiles
from shopline.inbox.client import PAGE, RelayClient
from shopline.inbox.events import Incoming, parse_items
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


@dataclass
class _Batch:
    events: list[Incoming]
    cursor: int  # after the batch's last event
    more: bool


def _fetch(relay: RelayClient, cursor: int, page_size: int) -> _Batch:
    """Pages up to APPLY_BATCH events, parsed."""
    events: list[Incoming] = []
    more = True
    while more and len(events) < APPLY_BATCH:
        page = relay.pull(cursor, page_size)
        events += parse_items(page.items)
        cursor, more = page.cursor, page.more
    return _Batch(events, cursor, more)


def pull_inbox(relay: RelayClient | None = None, *, page_size: int = PAGE, progress: Progress | None = None,
               stop: threading.Event | None = None) -> ApplyResult:
    own = relay is None
    relay = relay or relay_config.client()
    try:
        cursor = stored_cursor(relay.url)
        keyword_tags = rules.matcher()
        total = ApplyResult(cursor=cursor)
        # The next batch is fetched on a thread while this one is applied: the relay's answers and their JSON
        # overlap SQLite's work (which lets go of the GIL), so a pull costs about the longer of the two, not the
        # sum. Fetching ahead changes nothing that is stored: the cursor and the acknowledgement still follow the
        # commits one by one. Leaving the pool waits for a fetch still on its way.
        with ThreadPoolExecutor(max_workers=1, thread_name_prefix="relay-pull") as ahead:
            upcoming: Future[_Batch] | None = ahead.submit(_fetch, relay, cursor, page_size)
            while upcoming is not None and (stop is None or not stop.is_set()):
                batch = upcoming.result()
                upcoming = (ahead.submit(_fetch, relay, batch.cursor, page_size)
                            if batch.more and (stop is None or not stop.is_set()) else None)
                if batch.events:
                    total.add(apply_page(batch.events, batch.cursor, relay.url, keyword_tags,
                                         _profiles(batch.events, stop)))
                    relay.ack(batch.cursor)  # only after the commit: a crash before it re-applies nothing
                    if progress is not None:
                        progress(total)
        settings.INBOX_LAST_PULL.set(dt.datetime.now().replace(microsecond=0))  # 設定 → リレー shows it
        return total
    finally:
        if own:
            relay.close()
