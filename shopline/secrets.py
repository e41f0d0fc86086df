"""The channel access token in the OS keyring, and which channel is connected.

connect(), disconnect() and check_token() are what the settings page and
`shopline connect`/`disconnect` call.

One keyring entry per channel (service "ShopLine", username = the bot's user ID).
The Setting table records which channel is connected, by ID and name: never the token.
SHOPLINE_CHANNEL_TOKEN overrides the keyring for headless automation. There is no
plaintext fallback: without a usable keyring the shop gets KeyringUnavailable. A backend
that keeps secrets in a file (keyrings.alt's PlaintextKeyring, and its "encrypted" file
keyrings, whose file anyone who can read the user's files can attack) counts as no keyring
unless the shop sets SHOPLINE_ALLOW_FILE_KEYRING=1; `fail` and `null` never count.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, TypeVar

from shopline.core.messages import ShopLineError, Text
from shopline.line.bot_info import BotInfo, get_bot_info
from shopline.line.config import LineClient
from shopline.store import settings

if TYPE_CHECKING:  # keyring loads when the token is first needed, not with this module
    from keyring.backend import KeyringBackend

SERVICE = "ShopLine"
TOKEN_ENV = "SHOPLINE_CHANNEL_TOKEN"
ALLOW_FILE_ENV = "SHOPLINE_ALLOW_FILE_KEYRING"  # "1": the shop accepts a file-based keyring
_CHANNEL_SETTINGS = {
    "user_id": settings.CHANNEL_USER_ID,
    "basic_id": settings.CHANNEL_BASIC_ID,
    "display_name": settings.CHANNEL_NAME,
}

T = TypeVar("T")


class KeyringUnavailable(ShopLineError):
    def __init__(self, reason: str, hint: Text | None = None) -> None:
        ja = (f"チャネルアクセストークンを安全に保存するOSのキーリングが使えません ({reason})。"
              "次のどれかを行ってください: キーリングがロックされていればロックを解除する / "
              "Linuxでは Secret Service 対応のキーリング (GNOME Keyring や KWallet) をインストールして起動する")
        en = (f"The OS keyring that keeps the channel access token safe cannot be used ({reason}). "
              "Do one of these: unlock the keyring if it is locked / on Linux, install and start a "
              "Secret Service keyring (GNOME Keyring or KWallet)")
        if os.environ.get(TOKEN_ENV, "").strip():  # already set: telling the shop to set it would send them in circles
            ja += f"。今は環境変数 {TOKEN_ENV} のトークンを使っているので、送信と同期はこのままできます。"
            en += f". The token in the environment variable {TOKEN_ENV} is in use now, so sending and syncing work."
        else:
            ja += f" / 自動実行では環境変数 {TOKEN_ENV} にトークンを設定する。"
            en += f" / for automation, put the token in the environment variable {TOKEN_ENV}."
        ja += "トークンを平文のファイルに保存することはしません。"
        en += " The token is never saved to a plain file."
        extra = hint or Text("", "")
        super().__init__(Text(ja + extra.ja, en + extra.en))


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


_FILE_HINT = Text(
    " ファイルに保存するキーリングでよいと判断した場合に限り、環境変数 {env}=1 を設定すると使えます"
    "（そのファイルはこのパソコンのユーザーのファイルを読める人なら読めます）。",
    " Only if you accept a keyring kept in a file, set the environment variable {env}=1 to use it "
    "(anyone who can read this user's files can read that file).",
).format(env=ALLOW_FILE_ENV)


def _file_based(backend: KeyringBackend) -> bool:
    """keyrings.alt's file keyrings (plaintext, and the "encrypted" ones, whose key is weak or stored alongside)."""
    cls = type(backend)
    if "Plaintext" in cls.__name__ or cls.__module__.startswith("keyrings.alt.pyfs"):
        return True
    try:
        from keyrings.alt.file_base import FileBacked
    except ImportError:  # keyrings.alt is not installed: none of its file keyrings can be in use
        return False
    return isinstance(backend, FileBacked)


def _refusal(backend: KeyringBackend) -> KeyringUnavailable | None:
    """Why this backend may not keep the token, or None when it may."""
    from keyring.backends import fail, null

    if isinstance(backend, fail.Keyring):
        return KeyringUnavailable("no keyring / キーリングなし")
    if isinstance(backend, null.Keyring):
        return KeyringUnavailable("null keyring / 無効なキーリング")
    if _file_based(backend) and os.environ.get(ALLOW_FILE_ENV, "").strip() != "1":
        return KeyringUnavailable(f"file keyring {type(backend).__name__} / ファイルに保存するキーリング", _FILE_HINT)
    return None


def _backends() -> list[KeyringBackend]:
    """The backends that may hold the token, best first; a chainer counts only for the safe ones it holds."""
    import keyring
    from keyring.backends.chainer import ChainerBackend

    chosen = keyring.get_keyring()
    members = list(chosen.backends) if isinstance(chosen, ChainerBackend) else [chosen]
    usable = [b for b in members if _refusal(b) is None]
    if not usable:
        # Naming the first refused backend tells the shop what the machine has; an empty chainer has none.
        raise (_refusal(members[0]) if members else None) or KeyringUnavailable("no keyring / キーリングなし")
    return usable


def _keyring(action: Callable[[], T]) -> T:
    import keyring.errors

    try:
        return action()
    except KeyringUnavailable:
        raise
    except keyring.errors.KeyringLocked:
        raise KeyringUnavailable("locked / ロック中") from None
    except keyring.errors.NoKeyringError:
        raise KeyringUnavailable("no keyring / キーリングなし") from None
    except Exception as exc:  # any backend (D-Bus, Windows, macOS) failing means the same to the shop
        raise KeyringUnavailable(type(exc).__name__) from None


def store_token(channel_id: str, token: str) -> None:
    _keyring(lambda: _backends()[0].set_password(SERVICE, channel_id, token))


def load_token(channel_id: str) -> str | None:
    def load() -> str | None:
        return next((t for b in _backends() if (t := b.get_password(SERVICE, channel_id)) is not None), None)

    return _keyring(load)


def delete_token(channel_id: str) -> None:
    """Remove the channel's entry; an entry already gone is not an error."""
    import keyring.errors

    def delete() -> None:
        for backend in _backends():
            try:
                backend.delete_password(SERVICE, channel_id)
            except keyring.errors.PasswordDeleteError:
                pass

    _keyring(delete)


def connected_channel() -> ConnectedChannel | None:
    values = dict(zip(_CHANNEL_SETTINGS, settings.read(*_CHANNEL_SETTINGS.values()), strict=True))
    if not values["user_id"]:
        return None
    return ConnectedChannel(**values)


def remember_channel(channel: ConnectedChannel) -> None:
    settings.write({setting: getattr(channel, field) for field, setting in _CHANNEL_SETTINGS.items()})


def forget_channel() -> None:
    settings.clear(*_CHANNEL_SETTINGS.values())


@dataclass(frozen=True)
class ChannelInUse:
    """What the window shows under チャネル接続: whose token is used, and where it comes from."""

    channel: ConnectedChannel | None  # the account the token in use belongs to, when known
    stored: ConnectedChannel | None  # the channel whose token is in the keyring (disconnect removes it)
    from_environment: bool  # SHOPLINE_CHANNEL_TOKEN is set, and wins over the keyring
    problem: str = ""  # why LINE could not say whose the environment's token is


def token_from_environment() -> str | None:
    return os.environ.get(TOKEN_ENV, "").strip() or None


def channel_in_use() -> ChannelInUse:
    """The channel as channel_token() will use it; with the environment's token, LINE is asked whose it is."""
    stored = connected_channel()
    env = token_from_environment()
    if env is None:
        return ChannelInUse(stored, stored, False)
    if stored is not None and load_token_or_none(stored.user_id) == env:
        return ChannelInUse(stored, stored, True)  # the same token: no need to ask LINE
    try:
        info = check_token(env)
    except ShopLineError as exc:  # offline, or a token LINE refuses: the environment still wins
        return ChannelInUse(None, stored, True, str(exc))
    return ChannelInUse(ConnectedChannel(info.user_id, info.basic_id, info.display_name), stored, True)


def load_token_or_none(channel_id: str) -> str | None:
    try:
        return load_token(channel_id)
    except KeyringUnavailable:
        return None


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
