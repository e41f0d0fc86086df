"""`shopline connect` (token from standard input) and `shopline disconnect`."""

from __future__ import annotations

import argparse
import getpass
import os
import sys

from shopline import secrets
from shopline.cli.common import allowed_into_demo, open_from_args, say


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "connect",
        help="LINEチャネルを接続 (トークンを標準入力から読みOSのキーリングに保存) / connect the channel",
        description="チャネルアクセストークンを標準入力から読み、LINEで確かめてからOSのキーリングに保存します。"
        " 例: shopline connect < token.txt",
    )
    parser.add_argument("--yes", action="store_true", help="デモショップでも確認せずに接続する")
    parser.set_defaults(func=run_connect)
    parser = subparsers.add_parser(
        "disconnect",
        help="LINEチャネルの接続を解除 (キーリングからトークンを削除) / disconnect the channel",
    )
    parser.set_defaults(func=run_disconnect)


def _read_token() -> str:
    if sys.stdin.isatty():  # typed or pasted by hand: do not echo it to the screen
        return getpass.getpass(say("チャネルアクセストークン: ", "Channel access token: "))
    return sys.stdin.read()


def run_connect(args: argparse.Namespace) -> int:
    open_from_args(args)
    if not allowed_into_demo(args, "LINEのチャネルを接続して友だちを取り込む",
                             "Connecting the LINE channel and syncing its friends"):
        return 2
    token = _read_token().strip()
    if not token:
        print(say("トークンが入力されていません。", "No token was given."), file=sys.stderr)
        return 2
    info = secrets.connect(token)
    print(
        say(
            f"接続しました: {info.display_name} ({info.basic_id})",
            f"Connected: {info.display_name} ({info.basic_id})",
        )
    )
    return 0


def run_disconnect(args: argparse.Namespace) -> int:
    open_from_args(args)
    gone = secrets.disconnect()
    if gone:
        print(
            say(
                f"接続を解除しました: {gone.display_name} ({gone.basic_id})",
                f"Disconnected: {gone.display_name} ({gone.basic_id})",
            )
        )
    else:
        print(say("接続中のチャネルはありません。", "No channel is connected."))
    if os.environ.get(secrets.TOKEN_ENV):
        print(
            say(
                f"環境変数 {secrets.TOKEN_ENV} のトークンは引き続き使われます。",
                f"The token in {secrets.TOKEN_ENV} is still used.",
            ),
            file=sys.stderr,
        )
    return 0
