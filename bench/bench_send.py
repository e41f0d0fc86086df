"""Send to 100,000 friends (200 batches) through the fake LINE; print the figures issue 8 asks for.

    python bench/bench_send.py [--friends 100000] [--latency 0.05]

Two runs, each against a fresh fake LINE in its own process (as LINE would be; it
still checks every request against LINE's spec, and caches verdicts by request
shape so 200 different 500-friend bodies cost one validation):
  1. no latency: end to end (check, estimate, freeze, send) must take at most 5 s;
  2. --latency: at least 150 requests/s through bounded concurrency, one DB writer.
Both must never exceed LINE's 200 requests/s in any one-second window, measured at
the fake server from request arrival times. Beside them, a bare line-bot-sdk multicast
loop against a fresh fake LINE in the same run: the ratio to it is judged, not a rate that
depends on the machine's load. --profile prints where a request's client-side CPU goes.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(REPO), str(REPO / "tests")]

from fake_line.server import TOKEN, user_id  # noqa: E402

from shopline.line.pacing import MULTICAST_RATE  # noqa: E402

END_TO_END_LIMIT = 5.0
MIN_RATE = 150.0
MAX_PEAK = 200
FREEZE_LIMIT = 0.5  # "well under a second"


def make_shop(folder: str, friends: int) -> None:
    """Friends and their VIP tag by raw executemany: setting up is not what is measured."""
    from shopline.store import db, open_store

    open_store(folder)
    with db.atomic():
        db.execute_sql("INSERT INTO tag (name, folder, colour, description, created_at) "
                       "VALUES ('VIP', '', '#4caf50', '', CURRENT_TIMESTAMP)")
        db.cursor().executemany(
            "INSERT INTO friend (user_id, display_name, gender, status, memo, source, created_at, updated_at) "
            "VALUES (?, '', 'unknown', 'following', '', 'demo', CURRENT_TIMESTAMP, CURRENT_TIMESTAMP)",
            [(user_id(i),) for i in range(friends)])
        db.execute_sql("INSERT INTO friend_tag (friend_id, tag_id) SELECT id, 1 FROM friend")


class Parts:
    """Seconds spent in each part of prepare_send, timed by wrapping the functions it calls (same code path)."""

    def __init__(self) -> None:
        self.seconds: dict[str, float] = {}
        self._undo: list[tuple[object, str, object]] = []

    def wrap(self, owner: object, name: str, label: str) -> None:
        original = getattr(owner, name)

        def timed(*args, **kwargs):
            start = time.perf_counter()
            try:
                return original(*args, **kwargs)
            finally:
                self.seconds[label] = self.seconds.get(label, 0.0) + time.perf_counter() - start
        setattr(owner, name, timed)
        self._undo.append((owner, name, original))

    def restore(self) -> None:
        for owner, name, original in reversed(self._undo):
            setattr(owner, name, original)
        self._undo.clear()


def warm_imports() -> float:
    """Import what any sending process has loaded before its first send (the window at its first connect):
    line-bot-sdk builds ~300 pydantic models on import, 1-3 s that belong to no one campaign."""
    start = time.perf_counter()
    import linebot.v3.messaging  # noqa: F401

    from shopline.delivery import service  # noqa: F401
    return time.perf_counter() - start


def run(friends: int, latency: float) -> dict:
    server = subprocess.Popen(
        [sys.executable, "-m", "fake_line", "--no-check-responses", "--report", "--latency", str(latency)],
        cwd=REPO / "tests", stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    parts = Parts()
    try:
        os.environ["SHOPLINE_LINE_API"] = server.stdout.readline().strip()
        from shopline.core.segments import HasTag
        from shopline.delivery import freeze, service
        from shopline.store import close_store, segment_sql

        parts.wrap(service, "checked_messages", "check")
        parts.wrap(service, "current_usage", "estimate")
        parts.wrap(service, "freeze", "freeze")
        parts.wrap(segment_sql, "members", "members")
        parts.wrap(freeze, "freeze_recipients", "insert")
        with tempfile.TemporaryDirectory() as folder:
            make_shop(folder, friends)
            start = time.perf_counter()
            prepared = service.prepare_send(f"bench-{latency}", HasTag("VIP"), [{"type": "text", "text": "bench"}],
                                            token=TOKEN)
            frozen = time.perf_counter()
            parts.restore()
            result = service.send(prepared.campaign, TOKEN)
            end = time.perf_counter()
            close_store()
    finally:
        parts.restore()
        server.stdin.close()
        report = json.loads(server.stdout.readline() or "{}")
        server.wait(timeout=30)
    return report | {"seconds": end - start, "prepare": frozen - start, "send": end - frozen, "parts": parts.seconds,
                     "status": result.status, "delivered": result.delivered}


def bare_sdk(friends: int) -> float:
    """Requests per second of a bare line-bot-sdk multicast loop (one thread, no engine, no store) against a fresh
    fake LINE with no latency: what the client and the fake server cost per request on this machine right now."""
    import uuid

    from linebot.v3.messaging import ApiClient, Configuration, MessagingApi, MulticastRequest, TextMessage

    server = subprocess.Popen([sys.executable, "-m", "fake_line", "--no-check-responses"], cwd=REPO / "tests",
                              stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    try:
        host = server.stdout.readline().strip()
        ids = [user_id(i) for i in range(friends)]
        with ApiClient(Configuration(host=host, access_token=TOKEN)) as client:
            api = MessagingApi(client)
            start = time.perf_counter()
            for at in range(0, friends, 500):
                api.multicast(MulticastRequest(to=ids[at:at + 500], messages=[TextMessage(text="bench")],
                                               custom_aggregation_units=["bench"]),
                              x_line_retry_key=str(uuid.uuid4()))
            seconds = time.perf_counter() - start
    finally:
        server.stdin.close()
        server.wait(timeout=30)
    return (friends + 499) // 500 / seconds


def profile_requests(friends: int) -> None:
    """Where one multicast's client-side CPU goes, through our path (line.multicast over LineClient)."""
    import cProfile
    import io
    import pstats
    import uuid

    from shopline.line.config import LineClient
    from shopline.line.multicast import multicast

    server = subprocess.Popen([sys.executable, "-m", "fake_line", "--no-check-responses"], cwd=REPO / "tests",
                              stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    try:
        os.environ["SHOPLINE_LINE_API"] = server.stdout.readline().strip()
        ids = [user_id(i) for i in range(min(friends, 20_000))]
        with LineClient(TOKEN) as client:
            profiler = cProfile.Profile()
            profiler.enable()
            for at in range(0, len(ids), 500):
                multicast(client, ids[at:at + 500], [{"type": "text", "text": "bench"}], retry_key=str(uuid.uuid4()),
                          unit="bench")
            profiler.disable()
    finally:
        server.stdin.close()
        server.wait(timeout=30)
    out = io.StringIO()
    pstats.Stats(profiler, stream=out).sort_stats("tottime").print_stats(8)
    print(f"client-side CPU of {len(ids) // 500} multicasts through line.multicast, top functions by own time:")
    print("\n".join(line for line in out.getvalue().splitlines() if line.strip())[-1800:])


def show(title: str, r: dict) -> None:
    p = r["parts"]
    print(f"{title}: {r['status']}, {r['delivered']:,} friends in {r['requests']} multicasts; "
          f"end to end {r['seconds']:.2f} s (check+estimate+freeze {r['prepare']:.2f} s, send {r['send']:.2f} s); "
          f"achieved {r['rate']:.0f} requests/s at the server, peak {r['peak_per_second']} in any one second; "
          f"max deliveries per friend {r['max_per_friend']}, spec violations {r['violations']}")
    print(f"  check {p.get('check', 0):.3f} s, estimate {p.get('estimate', 0):.3f} s, "
          f"freeze {p.get('freeze', 0):.3f} s = recipient set {p.get('members', 0):.3f} s (bitmap engine, index built "
          f"on this first count) + batches and recipient rows {p.get('insert', 0):.3f} s + campaign row and commit "
          f"{p.get('freeze', 0) - p.get('members', 0) - p.get('insert', 0):.3f} s")


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--friends", type=int, default=100_000)
    parser.add_argument("--latency", type=float, default=0.05)
    parser.add_argument("--profile", action="store_true", help="also print where a multicast's client CPU goes")
    args = parser.parse_args()
    imports = warm_imports()
    fast, slow = run(args.friends, 0.0), run(args.friends, args.latency)
    bare = bare_sdk(args.friends)
    print(f"importing line-bot-sdk and the send service, once per process before measuring: {imports:.2f} s")
    show("no latency", fast)
    show(f"{args.latency * 1000:.0f} ms latency", slow)
    # Ours is paced under LINE's 200/s (MULTICAST_RATE), the bare loop is not: it is judged against the lower of the
    # two, so a machine fast enough to outrun the pace does not read as the engine's cost.
    ceiling = min(bare, MULTICAST_RATE)
    print(f"bare line-bot-sdk multicast loop, same fake LINE, this run: {bare:.0f} requests/s (ours is paced at "
          f"{MULTICAST_RATE}/s); ours without latency {fast['rate']:.0f} requests/s = {fast['rate'] / ceiling:.2f} "
          f"of min(bare, pace) = {ceiling:.0f}")
    if args.profile:
        profile_requests(args.friends)
    freeze_s = fast["parts"].get("freeze", 0.0)
    checks = {
        f"end to end <= {END_TO_END_LIMIT} s without latency ({fast['seconds']:.2f} s)":
            fast["seconds"] <= END_TO_END_LIMIT,
        f">= {MIN_RATE:.0f} requests/s with latency ({slow['rate']:.0f})": slow["rate"] >= MIN_RATE,
        # The machine's load moves both figures alike; the engine must not cost much beside the bare SDK.
        f">= 0.8 of min(bare SDK, pace) without latency ({fast['rate'] / ceiling:.2f})": fast["rate"] >= 0.8 * ceiling,
        f"freeze of {args.friends:,} recipients <= {FREEZE_LIMIT} s ({freeze_s:.2f} s)": freeze_s <= FREEZE_LIMIT,
        f"check+estimate+freeze <= 1 s ({fast['prepare']:.2f} s)": fast["prepare"] <= 1.0,
        f"peak <= {MAX_PEAK}/s in any one second": max(fast["peak_per_second"], slow["peak_per_second"]) <= MAX_PEAK,
        "every friend exactly once": all(r["friends"] == args.friends and r["max_per_friend"] == 1
                                         for r in (fast, slow)),
        "no spec violations": not fast["violations"] and not slow["violations"],
    }
    for name, ok in checks.items():
        print(f"{'PASS' if ok else 'FAIL'}  {name}")
    return 0 if all(checks.values()) else 1


if __name__ == "__main__":
    sys.exit(main())
