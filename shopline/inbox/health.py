"""Is the relay there, does it take the key, and where the app stands with it: for 設定 → リレー and scripts.

`check` asks the relay's /healthz (no key needed), then its authenticated status, and says in a sentence
what worked; `state` is what the settings show: which relay, the last pull, how many events wait.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from shopline.core.messages import ShopLineError, Text
from shopline.inbox import relay_config
from shopline.inbox.apply import stored_cursor
from shopline.inbox.client import RelayClient
from shopline.store import settings


@dataclass(frozen=True)
class ConnectionCheck:
    url: str
    waiting: int  # events on the relay not yet applied to this store

    @property
    def sentence(self) -> Text:
        return Text(f"中継サーバー {self.url} は動いていて、キーも正しいです（取り込み待ち {self.waiting:,} 件）。",
                    f"The relay {self.url} is up and accepted the key ({self.waiting:,} events waiting).")


@dataclass(frozen=True)
class RelayState:
    url: str | None  # None: no relay connected
    from_environment: bool
    last_pull: dt.datetime | None
    waiting: int | None  # None when the relay could not be asked
    problem: str  # why the relay could not be asked, as a sentence for the shop


def _waiting(url: str, status: dict[str, object]) -> int:
    """Events after this store's cursor: the relay's own count of unacknowledged events would include what
    another data folder pulled from the same relay and not yet acknowledged."""
    last = status.get("last")
    if not isinstance(last, int):
        pending = status.get("pending", 0)
        return int(pending) if isinstance(pending, int) else 0
    return max(0, last - stored_cursor(url))


def check(url: str, key: str) -> ConnectionCheck:
    """Reachability first (so a wrong URL is not reported as a wrong key), then the key."""
    url = relay_config.normal_url(url)
    with RelayClient(url, key.strip()) as relay:
        if not relay.healthy():
            raise ShopLineError(Text(
                f"{url} はShopLineの中継サーバーとして応答しませんでした。URLを確かめてください。",
                f"{url} did not answer as a ShopLine relay. Check the URL."))
        status = relay.status()
    return ConnectionCheck(url, _waiting(url, status))


def check_connected() -> ConnectionCheck:
    current = relay_config.relay_settings()
    return check(current.url, current.key)


def state(ask_relay: bool = True) -> RelayState:
    """What 設定 → リレー shows. Never raises for a relay that is down: the problem is part of the answer."""
    last_pull = settings.INBOX_LAST_PULL.get()
    try:
        current = relay_config.relay_settings()
    except relay_config.RelayNotConnected:
        return RelayState(None, False, last_pull, None, "")
    except ShopLineError as exc:  # the keyring cannot be read: no relay as far as this machine can tell
        return RelayState(None, False, last_pull, None, str(exc))
    if not ask_relay:
        return RelayState(current.url, current.from_environment, last_pull, None, "")
    try:
        with RelayClient(current.url, current.key) as relay:
            waiting: int | None = _waiting(current.url, relay.status())
        problem = ""
    except ShopLineError as exc:
        waiting, problem = None, str(exc)
    return RelayState(current.url, current.from_environment, last_pull, waiting, problem)
