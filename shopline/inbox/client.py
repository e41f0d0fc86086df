"""The relay's HTTP API (relay/src/index.ts), over urllib3 with timeouts and no automatic retries.

The key travels only in the Authorization header; no error raised here quotes it.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from shopline.core.messages import ShopLineError, Text

DEFAULT_TIMEOUT = (5.0, 30.0)  # (connect, read) seconds
PAGE = 5000  # the relay's largest page


class RelayError(ShopLineError):
    pass


class RelayKeyRefused(RelayError):
    def __init__(self) -> None:
        super().__init__(Text(
            "中継サーバーが接続キーを受け付けませんでした。`shopline relay connect URL` でキーを入れ直すか、"
            "Cloudflare の SHOPLINE_RELAY_KEY と同じキーか確かめてください。",
            "The relay refused the key. Enter it again with `shopline relay connect URL`, or check that it is "
            "the same as SHOPLINE_RELAY_KEY on Cloudflare."))


def unreachable(url: str, reason: str) -> RelayError:
    return RelayError(Text(
        f"中継サーバー {url} に接続できませんでした（{reason}）。インターネット接続とURLを確かめて、"
        "もう一度試してください。イベントは中継サーバーに残っています。",
        f"Could not reach the relay {url} ({reason}). Check the internet connection and the URL, then try "
        "again. The events stay on the relay."))


@dataclass(frozen=True)
class Page:
    items: list[dict[str, Any]]
    cursor: int
    more: bool


class RelayClient:
    def __init__(self, url: str, key: str, *, timeout: tuple[float, float] = DEFAULT_TIMEOUT) -> None:
        import urllib3

        self.url = url.rstrip("/")
        self._headers = {"Authorization": f"Bearer {key}", "Content-Type": "application/json",
                         "User-Agent": "ShopLine"}
        # Two kept-alive connections: pull_inbox fetches the next pages while it acknowledges the last ones.
        self._pool = urllib3.PoolManager(retries=False, maxsize=2,
                                         timeout=urllib3.Timeout(connect=timeout[0], read=timeout[1]))

    def _call(self, method: str, path: str, body: Any = None) -> Any:
        import urllib3

        data = None if body is None else json.dumps(body, ensure_ascii=False).encode()
        try:
            answer = self._pool.request(method, self.url + path, body=data, headers=self._headers, redirect=False)
        except urllib3.exceptions.HTTPError as exc:
            reason = type(exc).__name__  # the exception's text may hold the request: no key, just its kind
            raise unreachable(self.url, reason) from None
        if answer.status == 401:
            raise RelayKeyRefused()
        try:
            parsed = json.loads(answer.data)
        except ValueError:
            parsed = None
        if answer.status != 200 or not isinstance(parsed, dict):
            said = parsed.get("error") if isinstance(parsed, dict) else None
            raise RelayError(Text(
                f"中継サーバー {self.url} が {answer.status} を返しました"
                + (f"（{said}）" if said else "") + "。URLがShopLineの中継サーバーか確かめてください。",
                f"The relay {self.url} answered {answer.status}" + (f" ({said})" if said else "")
                + ". Check that the URL is a ShopLine relay."))
        return parsed

    def healthy(self) -> bool:
        """`/healthz`: the relay is up and answers as a ShopLine relay (before the key is asked about)."""
        return bool(self._call("GET", "/healthz").get("ok"))

    def status(self) -> dict[str, Any]:
        return dict(self._call("GET", "/api/status"))

    def pull(self, after: int, limit: int = PAGE) -> Page:
        answer = self._call("GET", f"/api/events?after={int(after)}&limit={int(limit)}")
        return Page(list(answer.get("events", [])), int(answer.get("cursor", after)), bool(answer.get("more")))

    def ack(self, cursor: int) -> int:
        return int(self._call("POST", "/api/ack", {"cursor": int(cursor)}).get("acknowledged", 0))

    def register_links(self, links: list[dict[str, Any]]) -> int:
        return int(self._call("POST", "/api/links", {"links": links}).get("registered", 0))

    def close(self) -> None:
        self._pool.clear()

    def __enter__(self) -> RelayClient:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()
