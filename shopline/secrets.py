"""The channel access token in the OS keyring, and which channel is connected.

connect(), disconnect() and check_token() are what the settings page and
`shopline connect`/`disconnect` call.

One keyring entry per channel (service "ShopLine", username = the bot's user ID).
The Setting table records which channel is connected, by ID and name: never the token.
SHOPLINE_CHANNEL_TOKEN overrides the keyring for headless automation. There is no
plaintext fallback: without a usable keyring the shop gets KeyringUnavailable.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass
from typing import TypeVar

from shopline.core.messages import ShopLineError, Text
from shopline.line.bot_info import BotInfo, get_bot_info
from shopline.line.config import LineClient
from shopline.store.models import Setting

SERVICE = "ShopLine"
TOKEN_ENV = "SHOPLINE_CHANNEL_TOKEN"
_CHANNEL_KEYS = {
    "user_id": "line.channel.user_id",
    "basic_id": "line.channel.basic_id",
    "display_name": "line.channel.display_name",
}

T = TypeVar("T")


class KeyringUnavailable(ShopLineError):
    def __init__(self, reason: str) -> None:
        super().__init__(
            Text(
                "チャネルアクセストークンを安全に保存するOSのキーリングが使えません ({reason})。"
                "次のどれかを行ってください: キーリングがロックされていればロックを解除する / "
                "Linuxでは Secret Service 対応のキーリング (GNOME Keyring や KWallet) を"
                "インストールして起動する / "
                "自動実行では環境変数 SHOPLINE_CHANNEL_TOKEN にトークンを設定する。"
                "トークンを平文のファイルに保存することはしません。",
                "The OS keyring that keeps the channel access token safe cannot be used ({reason}). "
                "Do one of these: unlock the keyring if it is locked / on Linux, install and start a "
                "Secret Service keyring (GNOME Keyring or KWallet) / for automation, put the token in the "
                "environment variable SHOPLINE_CHANNEL_TOKEN. The token is never saved to a plain file.",
            ).format(reason=reason)
        )


class NotConnected(ShopLineError):
    def __init__(self) -> None:
        super().__init__(
            Text(
                "LINEチャネルが接続されていません。設定 → チャネル接続、または `shopline connect` で"
                "チャネルアクセストークンを登録してください。",
                "No LINE channel is connected. Register the channel access token in Settings → "
                "Channel connection, or with `shopline connect`.",
            )
        )


@dataclass(frozen=True)
class ConnectedChannel:
    user_id: str
    basic_id: str
    display_name: str


def _keyring(action: Callable[[], T]) -> T:
    import keyring.errors

    try:
        return action()
    except keyring.errors.KeyringLocked:
        raise KeyringUnavailable("locked / ロック中") from None
    except keyring.errors.NoKeyringError:
        raise KeyringUnavailable("no keyring / キーリングなし") from None
    except Exception as exc:  # any backend (D-Bus, Windows, macOS) failing means the same to the shop
        raise KeyringUnavailable(type(exc).__name__) from None


def store_token(channel_id: str, token: str) -> None:
    import keyring

    _keyring(lambda: keyring.set_password(SERVICE, channel_id, token))


def load_token(channel_id: str) -> str | None:
    import keyring

    return _keyring(lambda: keyring.get_password(SERVICE, channel_id))


def delete_token(channel_id: str) -> None:
    """Remove the channel's entry; an entry already gone is not an error."""
    import keyring
    import keyring.errors

    def delete() -> None:
        try:
            keyring.delete_password(SERVICE, channel_id)
        except keyring.errors.PasswordDeleteError:
            pass

    _keyring(delete)


def connected_channel() -> ConnectedChannel | None:
    rows = dict(
        Setting.select(Setting.key, Setting.value).where(Setting.key.in_(list(_CHANNEL_KEYS.values()))).tuples()
    )
    if not rows.get(_CHANNEL_KEYS["user_id"]):
        return None
    return ConnectedChannel(**{field: rows.get(key, "") for field, key in _CHANNEL_KEYS.items()})


def remember_channel(channel: ConnectedChannel) -> None:
    rows = [{"key": key, "value": getattr(channel, field)} for field, key in _CHANNEL_KEYS.items()]
    Setting.replace_many(rows).execute()


def forget_channel() -> None:
    Setting.delete().where(Setting.key.in_(list(_CHANNEL_KEYS.values()))).execute()


def token_if_connected() -> str | None:
    """The token, or None when no channel is connected or the keyring cannot be read: callers then work offline."""
    try:
        return channel_token()
    except (NotConnected, KeyringUnavailable):
        return None


def channel_token() -> str:
    """The token to use now: SHOPLINE_CHANNEL_TOKEN if set, else the connected channel's keyring entry."""
    from_env = os.environ.get(TOKEN_ENV, "").strip()
    if from_env:
        return from_env
    channel = connected_channel()
    token = load_token(channel.user_id) if channel else None
    if not token:
        raise NotConnected()
    return token


def check_token(token: str) -> BotInfo:
    """Ask LINE who the token belongs to (`GET /v2/bot/info`); stores nothing."""
    with LineClient(token.strip()) as client:
        return get_bot_info(client)


def connect(token: str) -> BotInfo:
    """Check the token, then keep it in the keyring, replacing any channel connected before."""
    token = token.strip()
    info = check_token(token)
    previous = connected_channel()
    store_token(info.user_id, token)
    if previous and previous.user_id != info.user_id:
        delete_token(previous.user_id)
    remember_channel(ConnectedChannel(info.user_id, info.basic_id, info.display_name))
    return info


def disconnect() -> ConnectedChannel | None:
    """Remove the keyring entry and forget the channel; returns what was connected, if anything."""
    channel = connected_channel()
    if channel:
        delete_token(channel.user_id)
        forget_channel()
    return channel
