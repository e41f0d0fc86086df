"""Sync 10,000 followers from the fake LINE server; the target is at most 10 s.

    python bench/bench_sync.py [--followers 10000] [--workers 8]

The fake runs in its own process (as LINE would), still checking every request
against LINE's spec. Prints requests per second for the sync and for a bare
sequential line-bot-sdk loop against the same server, and their ratio.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(REPO), str(REPO / "tests")]

from fake_line.server import TOKEN  # noqa: E402

LIMIT_SECONDS = 10.0


def bare_sdk_loop(url: str, profiles: int) -> tuple[int, float]:
    """What line-bot-sdk alone does: all follower pages, then profiles one after another."""
    from linebot.v3.messaging import ApiClient, Configuration, MessagingApi

    requests, start = 0, time.perf_counter()
    with ApiClient(Configuration(host=url, access_token=TOKEN)) as client:
        api = MessagingApi(client)
        ids: list[str] = []
        page_start = None
        while True:
            page = api.get_followers(start=page_start, limit=1000, _request_timeout=20)
            requests += 1
            ids += page.user_ids
            if not page.next:
                break
            page_start = page.next
        for user_id in ids[:profiles]:
            api.get_profile(user_id, _request_timeout=20)
            requests += 1
    return requests, time.perf_counter() - start


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--followers", type=int, default=10_000)
    parser.add_argument("--workers", type=int, default=8)
    args = parser.parse_args()
    server = subprocess.Popen(
        [sys.executable, "-m", "fake_line", "--followers", str(args.followers), "--no-check-responses"],
        cwd=REPO / "tests",
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        url = server.stdout.readline().strip()
        os.environ["SHOPLINE_LINE_API"] = url
        from shopline.store import close_store, open_store
        from shopline.sync import sync_friends

        bare_requests, bare_seconds = bare_sdk_loop(url, profiles=min(args.followers, 2000))
        with tempfile.TemporaryDirectory() as folder:
            open_store(folder)
            start = time.perf_counter()
            report = sync_friends(TOKEN, workers=args.workers)
            seconds = time.perf_counter() - start
            close_store()
    finally:
        server.stdin.close()
        server_failed = server.wait(timeout=30) != 0
    pages = -(-args.followers // 1000)
    sync_rate = (pages + args.followers) / seconds
    bare_rate = bare_requests / bare_seconds
    print(f"sync of {report.followers} followers ({report.added} added): {seconds:.2f} s (limit {LIMIT_SECONDS:.0f} s)")
    print(f"sync: {sync_rate:.0f} requests/s with {args.workers} threads")
    print(f"bare line-bot-sdk loop: {bare_rate:.0f} requests/s ({bare_requests} requests, sequential)")
    print(f"ratio sync/bare: {sync_rate / bare_rate:.2f}")
    if server_failed:
        print("the fake server saw requests that break LINE's spec", file=sys.stderr)
    return 0 if seconds <= LIMIT_SECONDS and report.added == args.followers and not server_failed else 1


if __name__ == "__main__":
    raise SystemExit(main())
