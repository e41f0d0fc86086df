"""Which relay the shop uses and its key.

The URL is a Setting; the key lives in the OS keyring beside the channel token (secrets.py's backend
checks apply: no file or fail keyring), never on disk. SHOPLINE_RELAY_URL and SHOPLINE_RELAY_KEY
override both for headless use.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from urllib.parse import urlsplit

from shopline import secrets
from shopline.core.messages import ShopLineError, Text
from shopline.inbox.client import RelayClient
from shopline.store.models import Setting

URL_ENV = "SHOPLINE_RELAY_URL"
KEY_ENV = "SHOPLINE_RELAY_KEY"
URL_SETTING = "relay.url"
KEYRING_USER = "relay-key"  # service "ShopLine", like the channel token's entry
LOCAL_HOSTS = ("127.0.0.1", "localhost", "::1")


class RelayNotConnected(ShopLineError):
    def __init__(self) -> None:
        super().__init__(Text(
            "中継サーバーが接続されていません。`shopline relay connect URL` でURLとキーを登録してください"
            "（作り方は relay/README.md）。",
            "No relay is connected. Register its URL and key with `shopline relay connect URL` "
            "(relay/README.md explains how to make one)."))


def _keyring_problem(exc: secrets.KeyringUnavailable) -> ShopLineError:
    return ShopLineError(Text(
        "中継サーバーのキーを安全に保存するOSのキーリングが使えません。キーリングのロックを解除するか、"
        f"自動実行では環境変数 {URL_ENV} と {KEY_ENV} を設定してください。"
        "キーを平文のファイルに保存することはしません。",
        "The OS keyring that keeps the relay key safe cannot be used. Unlock the keyring, or for automation "
        f"set the environment variables {URL_ENV} and {KEY_ENV}. The key is never saved to a plain file."))


def normal_url(url: str) -> str:
    """The relay's base URL: HTTPS, or plain HTTP only on this machine (a local test relay)."""
    url = url.strip().rstrip("/")
    parts = urlsplit(url)
    local = parts.hostname in LOCAL_HOSTS
    if parts.scheme not in ("https", "http") or not parts.hostname or (parts.scheme == "http" and not local):
        raise ShopLineError(Text(
            f"「{url}」は中継サーバーのURLとして使えません。https:// で始まるURL"
            "（例: https://shopline-relay.あなたのサブドメイン.workers.dev）を入れてください。",
            f"\"{url}\" cannot be a relay URL. Enter an https:// URL "
            "(for example https://shopline-relay.your-subdomain.workers.dev)."))
    if parts.path.endswith("/webhook"):
        url = url[: -len("/webhook")]  # the shop pasted the URL it gave LINE: the relay is its base
    return url


@dataclass(frozen=True)
class RelaySettings:
    url: str
    key: str
    from_environment: bool


def relay_settings() -> RelaySettings:
    env_url = os.environ.get(URL_ENV, "").strip()
    env_key = os.environ.get(KEY_ENV, "").strip()
    if env_url and env_key:
        return RelaySettings(normal_url(env_url), env_key, True)
    row = Setting.get_or_none(Setting.key == URL_SETTING)
    url = env_url or (row.value if row else "")
    if not url:
        raise RelayNotConnected()
    key = env_key
    if not key:
        try:
            key = secrets._keyring(lambda: next(
                (k for b in secrets._backends() if (k := b.get_password(secrets.SERVICE, KEYRING_USER))), ""))
        except secrets.KeyringUnavailable as exc:
            raise _keyring_problem(exc) from None
    if not key:
        raise RelayNotConnected()
    return RelaySettings(normal_url(url), key, bool(env_url or env_key))


def client() -> RelayClient:
    settings = relay_settings()
    return RelayClient(settings.url, settings.key)


def connect(url: str, key: str) -> dict[str, object]:
    """Check the URL and key against the relay, then keep the key in the keyring and the URL in settings."""
    url = normal_url(url)
    key = key.strip()
    if len(key) < 16:
        raise ShopLineError(Text(
            "中継サーバーのキーが短すぎます（16文字以上）。Cloudflare に設定したキーを入れてください。",
            "The relay key is too short (16 characters or more). Enter the key set on Cloudflare."))
    with RelayClient(url, key) as relay:
        status = relay.status()
    try:
        secrets._keyring(lambda: secrets._backends()[0].set_password(secrets.SERVICE, KEYRING_USER, key))
    except secrets.KeyringUnavailable as exc:
        raise _keyring_problem(exc) from None
    Setting.replace(key=URL_SETTING, value=url).execute()
    return status


def disconnect() -> str | None:
    """Forget the relay: its key leaves the keyring, its URL the settings. Returns the URL it had."""
    import keyring.errors

    row = Setting.get_or_none(Setting.key == URL_SETTING)

    def delete() -> None:
        for backend in secrets._backends():
            try:
                backend.delete_password(secrets.SERVICE, KEYRING_USER)
            except keyring.errors.PasswordDeleteError:
                pass

    try:
        secrets._keyring(delete)
    except secrets.KeyringUnavailable:
        pass  # nothing could have been stored there either
    Setting.delete().where(Setting.key == URL_SETTING).execute()
    return row.value if row else None
