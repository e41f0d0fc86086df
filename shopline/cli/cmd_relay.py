"""`shopline relay connect URL` (the key on standard input), `relay disconnect`, `relay status`, `relay webhook`."""

from __future__ import annotations

import argparse
import getpass
import os
import sys

from shopline.cli.common import open_from_args, say


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "relay",
        help="中継サーバー (Cloudflare) の接続 / the shop's webhook relay",
        description="LINEのWebhookを受ける中継サーバー（relay/README.md）をつなぎます。",
    )
    sub = parser.add_subparsers(dest="relay_command", metavar="ACTION", required=True)
    connect = sub.add_parser("connect", help="URLを登録し、キーを標準入力から読みOSのキーリングに保存",
                             description="例: shopline relay connect "
                             "https://shopline-relay.example.workers.dev < key.txt")
    connect.add_argument("url")
    connect.set_defaults(func=run_connect)
    sub.add_parser("disconnect", help="接続を解除 (キーリングからキーを削除)").set_defaults(func=run_disconnect)
    sub.add_parser("status", help="接続先と、取り込み待ちのイベント数").set_defaults(func=run_status)
    webhook = sub.add_parser("webhook", help="LINEのWebhook URLを中継サーバーに設定し、LINEの接続確認を実行",
                             description="接続中のLINEチャネルのWebhook URLを 中継サーバー/webhook に設定し、"
                             "LINEから接続確認を送ってもらいます。")
    webhook.add_argument("--test-only", action="store_true", help="URLは変えずに接続確認だけ行う")
    webhook.set_defaults(func=run_webhook)


def _read_key() -> str:
    if sys.stdin.isatty():  # typed or pasted by hand: do not echo it to the screen
        return getpass.getpass(say("中継サーバーのキー: ", "Relay key: "))
    return sys.stdin.read()


def run_connect(args: argparse.Namespace) -> int:
    from shopline.inbox import relay_config

    open_from_args(args)
    key = _read_key().strip()
    if not key:
        print(say("キーが入力されていません。", "No key was given."), file=sys.stderr)
        return 2
    status = relay_config.connect(args.url, key)
    url = relay_config.normal_url(args.url)
    print(say(f"中継サーバーに接続しました: {url}（取り込み待ち {status.get('pending', 0)} 件）",
              f"Connected to the relay: {url} ({status.get('pending', 0)} events waiting)"))
    print(say(f"LINE Developers コンソールの Webhook URL: {url}/webhook", f"Webhook URL for LINE: {url}/webhook"))
    return 0


def run_disconnect(args: argparse.Namespace) -> int:
    from shopline.inbox import relay_config

    open_from_args(args)
    gone = relay_config.disconnect()
    print(say(f"中継サーバーの接続を解除しました: {gone}", f"Disconnected from the relay: {gone}") if gone
          else say("接続中の中継サーバーはありません。", "No relay is connected."))
    if os.environ.get(relay_config.URL_ENV) or os.environ.get(relay_config.KEY_ENV):
        print(say(f"環境変数 {relay_config.URL_ENV} / {relay_config.KEY_ENV} は引き続き使われます。",
                  f"{relay_config.URL_ENV} / {relay_config.KEY_ENV} are still used."), file=sys.stderr)
    return 0


def run_status(args: argparse.Namespace) -> int:
    from shopline.inbox import relay_config
    from shopline.inbox.apply import stored_cursor

    open_from_args(args)
    settings = relay_config.relay_settings()
    with relay_config.RelayClient(settings.url, settings.key) as relay:
        status = relay.status()
    where = say("環境変数", "environment") if settings.from_environment else say("キーリング", "keyring")
    print(say(f"中継サーバー: {settings.url}（キー: {where}）", f"Relay: {settings.url} (key: {where})"))
    print(say(f"取り込み待ち: {status.get('pending', 0)} 件 / 取り込み済みの位置: {stored_cursor(settings.url)}",
              f"Waiting: {status.get('pending', 0)} events / applied up to: {stored_cursor(settings.url)}"))
    return 0


def run_webhook(args: argparse.Namespace) -> int:
    from shopline import secrets
    from shopline.inbox import relay_config
    from shopline.line.config import LineClient
    from shopline.line.webhook import set_webhook_url, test_webhook

    open_from_args(args)
    url = relay_config.relay_settings().url + "/webhook"
    with LineClient(secrets.channel_token()) as line:
        if not args.test_only:
            set_webhook_url(line, url)
            print(say(f"LINEのWebhook URLを設定しました: {url}", f"LINE's webhook URL is now {url}"))
        result = test_webhook(line)
    if result.success:
        print(say("LINEからの接続確認: 成功", "LINE's webhook test: success"))
        print(say("LINE Developers コンソールで「Webhookの利用」と「Webhookの再送」をオンにしてください。",
                  "Turn on \"Use webhook\" and \"Webhook redelivery\" in the LINE Developers console."))
        return 0
    print(say(f"LINEからの接続確認: 失敗（{result.status_code} {result.reason} {result.detail}）。"
              "中継サーバーの LINE_CHANNEL_SECRET がこのチャネルのチャネルシークレットか確かめてください。",
              f"LINE's webhook test failed ({result.status_code} {result.reason} {result.detail}). Check that the "
              "relay's LINE_CHANNEL_SECRET is this channel's secret."), file=sys.stderr)
    return 1
