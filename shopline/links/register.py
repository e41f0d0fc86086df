"""Putting a campaign's tracked links on the relay, in bulk, before its first message leaves.

The relay takes up to 10,000 links and 1 MB per request and overwrites a code it already has, so
registering again after a crash or a lost answer is harmless. A link is marked registered only after
the relay said so; the send starts only when none of the campaign's links is left unregistered.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from typing import Any

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


def _chunks(rows: list[dict[str, Any]]) -> Iterator[list[dict[str, Any]]]:
    chunk: list[dict[str, Any]] = []
    size = 0
    for row in rows:
        length = len(json.dumps(row, ensure_ascii=False).encode()) + 1
        if chunk and (len(chunk) >= MAX_LINKS or size + length > MAX_BYTES):
            yield chunk
            chunk, size = [], 0
        chunk.append(row)
        size += length
    if chunk:
        yield chunk


def register_links(campaign: Campaign, relay: RelayClient | None = None,
                   progress: Callable[[int, int], None] | None = None) -> int:
    """Register every unregistered link of the campaign; returns how many. LinksNotRegistered if the relay fails."""
    rows = [{"code": code, "url": url, "campaign": campaign.name[:128], "friend": user_id}
            for code, url, user_id in db.execute_sql(
                "SELECT l.code, l.url, f.user_id FROM tracked_link l JOIN friend f ON f.id = l.friend_id "
                "WHERE l.campaign_id = ? AND l.registered = 0", (campaign.id,))]
    if not rows:
        return 0
    own = relay is None
    try:
        relay = relay or relay_config.client()
    except ShopLineError as exc:
        raise LinksNotRegistered(exc.text) from None
    done = 0
    try:
        with ThreadPoolExecutor(WORKERS, thread_name_prefix="links") as pool:
            chunks = list(_chunks(rows))
            for chunk, _ in zip(chunks, pool.map(lambda c: relay.register_links(c), chunks), strict=True):
                # Only this thread writes: each chunk is marked once the relay has it.
                db.execute_sql("UPDATE tracked_link SET registered = 1 WHERE code IN (SELECT value FROM json_each(?))",
                               (json.dumps([r["code"] for r in chunk]),))
                done += len(chunk)
                if progress is not None:
                    progress(done, len(rows))
    except ShopLineError as exc:
        raise LinksNotRegistered(exc.text) from None
    finally:
        if own:
            relay.close()
    return done
