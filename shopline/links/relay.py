"""Whether a campaign's links are tracked: only when the shop has connected a relay (previous issue)."""

from __future__ import annotations

from shopline.core.messages import ShopLineError
from shopline.inbox import relay_config


def tracking_relay() -> str | None:
    """The connected relay's base URL, or None: without a relay, links are sent as written."""
    try:
        return relay_config.relay_settings().url
    except ShopLineError:  # not connected, or its key cannot be read: nothing to register links on
        return None
