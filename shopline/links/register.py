"""Putting a campaign's tracked links on the relay, in bulk, before its first message leaves.

The relay takes up to 10,000 links and 1 MB per request and overwrites a code it already has, so
registering again after a crash or a lost answer is harmless. A link is marked registered only after
the relay said so; the send starts only when none of the campaign's links is left unregistered.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import FIRST_COMPLETED, Future, ThreadPoolExecutor, wait

from shopline.core.messages import ShopLineError, Text
from shopline.inbox import relay_config
from shopline.inbox.client import RelayClient
from shopline.store.campaign_models import Campaign
from shopline.store.connection import db

MAX_LINKS = 10_000  # the relay's MAX_LINKS_PER_REQUEST
MAX_BYTES = 900_000  # under the relay's 1 MB body, with room for the JSON around the links
WORKERS = 4  # requests in flight: the relay's database writes one request at a time anyway


class LinksNotRegistered(ShopLineError):
    def __init__(self, reason: Text) -> None:
        super().__init__(Text(
            f"追跡リンクを中継サーバーに登録できなかったため、まだ何も送っていません（{reason.ja}）。"
            "接続を確かめてから、配信を再開してください。",
            f"Nothing was sent: the tracked links could not be registered on the relay ({reason.en}). "
            "Check the connection, then resume the campaign."))


def unregistered(campaign: Campaign) -> int:
    return int(db.execute_sql("SELECT count(*) FROM tracked_link WHERE campaign_id = ? AND registered = 0",
                              (campaign.id,)).fetchone()[0])


def _chunks(rows: Iterable[tuple[str, str, str]], label: str) -> Iterator[list[dict[str, str]]]:
    """The relay's link objects, cut under its count and size limits. The size is an upper bound worked out
    without encoding: URLs are printable ASCII (links.urls), where only a quote or a backslash is escaped."""
    chunk: list[dict[str, str]] = []
    size = 0
    fixed = 64 + len(label)  # the keys, quotes and commas, and the label
    for code, url, user_id in rows:
        length = fixed + len(code) + len(user_id) + 2 * len(url)
        if chunk and (len(chunk) >= MAX_LINKS or size + length > MAX_BYTES):
            yield chunk
            chunk, size = [], 0
        chunk.append({"code": code, "url": url, "campaign": label, "friend": user_id})
        size += length
    if chunk:
        yield chunk


def register_links(campaign: Campaign, relay: RelayClient | None = None,
                   progress: Callable[[int, int], None] | None = None) -> int:
    """Register every unregistered link of the campaign; returns how many. LinksNotRegistered if the relay fails.

    Chunks go out as they are read, WORKERS at a time, so reading the next one overlaps the relay's writes."""
    total = unregistered(campaign)
    if not total:
        return 0
    own = relay is None
    try:
        client = relay or relay_config.client()
    except ShopLineError as exc:
        raise LinksNotRegistered(exc.text) from None
    # The campaign's id as its label: the app finds the campaign by the code; a short label keeps requests small.
    rows = list(db.execute_sql(
        "SELECT l.code, l.url, f.user_id FROM tracked_link l JOIN friend f ON f.id = l.friend_id "
        "WHERE l.campaign_id = ? AND l.registered = 0", (campaign.id,)))
    done = 0
    in_flight: dict[Future[int], list[dict[str, str]]] = {}

    def settle(finished: set[Future[int]]) -> None:
        nonlocal done
        for future in finished:
            chunk = in_flight.pop(future)
            future.result()  # the relay's refusal, raised here
            # Only this thread writes: each chunk is marked once the relay has it.
            db.execute_sql("UPDATE tracked_link SET registered = 1 WHERE code IN (SELECT value FROM json_each(?))",
                           (json.dumps([r["code"] for r in chunk]),))
            done += len(chunk)
            if progress is not None:
                progress(done, total)

    try:
        with ThreadPoolExecutor(WORKERS, thread_name_prefix="links") as pool:
            for chunk in _chunks(rows, str(campaign.id)):
                if len(in_flight) >= WORKERS:
                    settle(wait(in_flight, return_when=FIRST_COMPLETED).done)
                in_flight[pool.submit(client.register_links, chunk)] = chunk
            while in_flight:
                settle(wait(in_flight, return_when=FIRST_COMPLETED).done)
    except ShopLineError as exc:
        raise LinksNotRegistered(exc.text) from None
    finally:
        if own:
            client.close()
    return done
