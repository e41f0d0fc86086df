"""`shopline schedule install | remove | status`: the per-user OS job that runs `run-due` every 5 minutes."""

from __future__ import annotations

import argparse

from shopline.cli.common import open_from_args


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("schedule", help="run-due を5分ごとに自動実行する設定 / run run-due every 5 minutes")
    p.add_argument("action", choices=["install", "remove", "status"])
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from shopline.schedule.install import Installer

    folder = open_from_args(args)
    installer = Installer(folder.resolve())
    status = getattr(installer, args.action)()
    print(str(status.text()))
    return 0 if args.action == "remove" or status.active or args.action == "status" else 1
