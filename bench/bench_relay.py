"""The relay under load, against the real Worker running locally (wrangler/workerd), and the inbox's apply.

    python bench/bench_relay.py [--friends 100000] [--events 100000] [--seconds 8]

Prints:
- webhook requests per second sustained by 8 posting threads (batches of 1-10 events);
- p99 latency at a steady 50 requests/second (target: at most 100 ms);
- pulling and applying EVENTS events into a FRIENDS-friend store as `shopline inbox pull` does (limit: 10 s), the
  pull alone (HTTP and JSON), and the apply alone (parsing and applying the same pages), the apply as a ratio to a
  plain sqlite3 executemany of the same effects on a copy of the same store, measured in this run (limit: 2x), in
  wall-clock and CPU time;
- each figure with its limit and PASS/FAIL, and the load average, so a run on a quiet machine is the one command.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import shutil
import sqlite3
import statistics
import sys
import tempfile
import threading
import time
import uuid
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(REPO), str(REPO / "tests")]

from relay_fixtures import RelayProcess, node_problem  # noqa: E402

P99_TARGET_MS = 100.0
PULL_TARGET_S = 10.0
RATIO_TARGET = 2.0
T0 = 1_760_000_000_000


def user(n: int) -> str:
    return f"U{n:032x}"


def line_event(kind: str, uid: str, at: int, n: int) -> dict:
    body = {"type": kind, "mode": "active", "timestamp": at, "webhookEventId": f"01BENCH{uuid.uuid4().hex[:19]}",
            "source": {"type": "user", "userId": uid}, "deliveryContext": {"isRedelivery": False}}
    if kind == "message":
        body["message"] = {"type": "text", "id": str(n), "quoteToken": "q",
                           "text": "予約できますか" if n % 5 == 0 else f"こんにちは {n}"}
    elif kind == "postback":
        body["postback"] = {"data": "tag=VIP" if n % 3 == 0 else f"menu={n % 7}"}
    elif kind == "follow":
        body["follow"] = {"isUnblocked": False}
    return body


def throughput(relay: RelayProcess, seconds: float) -> tuple[float, float]:
    done = [0, 0]
    lock = threading.Lock()
    stop = time.monotonic() + seconds

    def worker(seed: int) -> None:
        rng = random.Random(seed)
        while time.monotonic() < stop:
            batch = [line_event("message", user(rng.randrange(10**9)), T0, i) for i in range(rng.randint(1, 10))]
            assert relay.post_webhook(batch) == 200
            with lock:
                done[0] += 1
                done[1] += len(batch)

    threads = [threading.Thread(target=worker, args=(i,)) for i in range(8)]
    start = time.monotonic()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    elapsed = time.monotonic() - start
    return done[0] / elapsed, done[1] / elapsed


def latency_at(relay: RelayProcess, rate: float, seconds: float) -> list[float]:
    """Open loop: request i is due at start + i/rate whatever the earlier ones did (no coordinated omission)."""
    latencies: list[float] = []
    lock = threading.Lock()
    total = int(rate * seconds)
    start = time.monotonic() + 0.2
    counter = iter(range(total))

    def worker() -> None:
        rng = random.Random()
        for i in counter:
            due = start + i / rate
            time.sleep(max(0.0, due - time.monotonic()))
            batch = [line_event("message", user(rng.randrange(10**9)), T0, j) for j in range(rng.randint(1, 10))]
            assert relay.post_webhook(batch) == 200
            with lock:
                latencies.append((time.monotonic() - due) * 1000)

    threads = [threading.Thread(target=worker) for _ in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return latencies


def make_store(folder: Path, friends: int) -> Path:
    from shopline.store import close_store, db, open_store

    open_store(folder)
    with db.atomic():
        db.cursor().executemany(
            "INSERT INTO friend (user_id, display_name, status, source, gender, memo, created_at, updated_at) "
            "VALUES (?, ?, 'following', 'csv', 'unknown', '', '2025-01-01', '2025-01-01')",
            ((user(n), f"友だち{n}") for n in range(friends)))
    db.execute_sql("PRAGMA wal_checkpoint(TRUNCATE)")
    close_store()
    return next(p for p in folder.glob("*.sqlite3"))


def plan_events(friends: int, count: int) -> list[dict]:
    rng = random.Random(7)
    kinds = ["message"] * 4 + ["postback"] * 3 + ["follow"] * 2 + ["unfollow"]
    events = []
    for n in range(count):
        kind = kinds[n % len(kinds)]
        uid = user(friends + n) if kind == "follow" and n % 4 == 0 else user(rng.randrange(friends))
        events.append(line_event(kind, uid, T0 + rng.randrange(86_400_000), n))
    return events


def baseline(path: Path, items: list[dict]) -> tuple[float, float]:
    """The same effects written with plain executemany: no ordering, no dedupe, no clocks. (wall, CPU) seconds."""
    from shopline.store.search import search_text

    events = [i["event"] for i in items]
    con = sqlite3.connect(path)
    con.create_function("shopline_search_text", 3, search_text, deterministic=True)  # the friend triggers' own
    start, cpu = time.perf_counter(), time.process_time()
    known = {u for (u,) in con.execute("SELECT user_id FROM friend")}
    new = {e["source"]["userId"] for e in events if e["source"]["userId"] not in known}
    con.executemany("INSERT INTO friend (user_id, display_name, status, source, gender, memo, created_at, "
                    "updated_at) VALUES (?, '', 'following', 'webhook', 'unknown', '', '2025-01-01', '2025-01-01')",
                    ((u,) for u in new))
    ids = dict(con.execute("SELECT user_id, id FROM friend"))
    con.executemany("UPDATE friend SET status = ? WHERE id = ?",
                    (("following" if e["type"] == "follow" else "blocked", ids[e["source"]["userId"]])
                     for e in events if e["type"] in ("follow", "unfollow")))
    con.executemany("INSERT INTO reaction (friend_id, kind, at, detail) VALUES (?, ?, ?, ?) ON CONFLICT DO UPDATE "
                    "SET at = excluded.at, detail = excluded.detail",
                    ((ids[e["source"]["userId"]], e["type"], "2025-01-01 00:00:00", "x")
                     for e in events if e["type"] in ("message", "postback")))
    con.execute("INSERT OR IGNORE INTO tag (name, folder, colour, description, created_at) "
                "VALUES ('VIP', '', '#000000', '', '2025-01-01')")
    tag = con.execute("SELECT id FROM tag WHERE name = 'VIP'").fetchone()[0]
    con.executemany("INSERT OR IGNORE INTO friend_tag (friend_id, tag_id) VALUES (?, ?)",
                    ((ids[e["source"]["userId"]], tag) for e in events
                     if e["type"] == "postback" and e["postback"]["data"].startswith("tag=")))
    con.executemany("INSERT INTO inbox_event (event_id, kind, applied_at) VALUES (?, ?, '2025-01-01')",
                    ((i["id"], i["event"]["type"]) for i in items))
    con.commit()
    elapsed, cpu = time.perf_counter() - start, time.process_time() - cpu
    con.close()
    return elapsed, cpu


def verdict(ok: bool) -> str:
    return "PASS" if ok else "FAIL"


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--friends", type=int, default=100_000)
    parser.add_argument("--events", type=int, default=100_000)
    parser.add_argument("--seconds", type=float, default=8.0)
    parser.add_argument("--repeat", type=int, default=2,
                        help="apply and baseline each this many times, alternately, on fresh copies; the best is kept")
    args = parser.parse_args()
    problem = node_problem()
    if problem:
        print(f"cannot run: {problem}")
        return 2
    print(f"load average before: {' '.join(f'{x:.2f}' for x in os.getloadavg())} ({os.cpu_count()} CPUs)")
    work = Path(tempfile.mkdtemp(prefix="bench_relay_"))
    relay = RelayProcess(work / "d1", work / "wrangler.log")
    relay.start()
    try:
        rps, eps = throughput(relay, args.seconds)
        print(f"webhook: {rps:,.0f} requests/s sustained ({eps:,.0f} events/s), batches of 1-10, 8 threads")
        lat = sorted(latency_at(relay, 50, args.seconds))
        p99 = lat[int(len(lat) * 0.99) - 1]
        print(f"webhook at 50 requests/s: p50 {statistics.median(lat):.1f} ms, p99 {p99:.1f} ms "
              f"(limit {P99_TARGET_MS:.0f} ms) {verdict(p99 <= P99_TARGET_MS)}")

        from shopline.inbox.apply import apply_page, stored_cursor
        from shopline.inbox.client import RelayClient
        from shopline.inbox.events import parse_items
        from shopline.inbox.pull import APPLY_BATCH, pull_inbox
        from shopline.inbox.rules import add_rule, matcher
        from shopline.store import close_store, open_store
        from shopline.store.models import Setting

        shop = work / "shop"
        shop.mkdir()
        path = make_store(shop, args.friends)
        pristine = work / "pristine.sqlite3"  # the store before the pull, for the apply alone and the baseline
        shutil.copy(path, pristine)
        events = plan_events(args.friends, args.events)
        start_cursor = relay.last_cursor()
        for i in range(0, len(events), 500):
            assert relay.post_webhook(events[i:i + 500]) == 200
        open_store(shop)
        add_rule("予約", "予約希望")
        Setting.replace_many([{"key": "inbox.cursor", "value": str(start_cursor)},
                              {"key": "inbox.relay", "value": relay.url}]).execute()
        client = RelayClient(relay.url, relay.key)
        started, cpu = time.perf_counter(), time.process_time()
        result = pull_inbox(client)
        pulled, pulled_cpu = time.perf_counter() - started, time.process_time() - cpu
        close_store()
        assert result.applied == args.events, result

        # The pull alone: the relay's pages over HTTP and their JSON, as pull_inbox fetches them (parsing is
        # counted with the apply below, as the app does it before its transaction).
        started = time.perf_counter()
        pages = []
        cursor = start_cursor
        while True:
            page = client.pull(cursor)
            pages.append(page)
            cursor = page.cursor
            if not page.more:
                break
        fetched = time.perf_counter() - started
        items = [i for p in pages for i in p.items]

        def apply_alone(folder: Path) -> tuple[float, float]:
            open_store(folder)
            add_rule("予約", "予約希望")
            keyword = matcher()
            started, cpu = time.perf_counter(), time.process_time()
            fresh = 0
            for at in range(0, len(items), APPLY_BATCH):  # as pull_inbox groups them
                chunk = items[at:at + APPLY_BATCH]
                fresh += apply_page(parse_items(chunk), chunk[-1]["cursor"], relay.url, keyword).applied
            took = time.perf_counter() - started, time.process_time() - cpu
            assert stored_cursor(relay.url) == cursor and fresh == args.events
            close_store()
            return took

        # Alternately, each on a fresh copy of the same store: a neighbour's burst on a shared machine then hits
        # one of the tries, not one side of the ratio.
        applies, bases = [], []
        for n in range(args.repeat):
            for name, runs, run in (("apply", applies, apply_alone),
                                    ("base", bases, lambda folder: baseline(folder / path.name, items))):
                folder = work / f"{name}{n}"
                folder.mkdir()
                shutil.copy(pristine, folder / path.name)
                runs.append(run(folder))
                shutil.rmtree(folder, ignore_errors=True)
        applied, applied_cpu = min(applies)
        base, base_cpu = min(bases)
        applied_cpu, base_cpu = min(c for _, c in applies), min(c for _, c in bases)
        n = f"{args.events:,} events into {args.friends:,} friends"
        print(f"pull alone (HTTP + JSON, {len(pages)} pages): {fetched:.2f} s")
        print(f"apply alone (parse + apply, {n}): {applied:.2f} s (best of {args.repeat})")
        print(f"pull + apply, as `shopline inbox pull` does it (fetching ahead while applying): {pulled:.2f} s "
              f"(limit {PULL_TARGET_S:.0f} s) {verdict(pulled <= PULL_TARGET_S)}")
        print(f"baseline, a plain sqlite3 executemany of the same effects: {base:.2f} s (best of {args.repeat})")
        print("  the baseline leaves out what the apply must also do: keyword-rule tags (予約 -> 予約希望), LINE's "
              "time order and the status and tag clocks (a later event wins), dedupe of redelivered event IDs, "
              "followed_at dates, the reactions' own times and texts")
        print(f"ratio apply / baseline: {applied / base:.2f}x (limit {RATIO_TARGET:.0f}x) "
              f"{verdict(applied / base <= RATIO_TARGET)}")
        print(f"ratio pull + apply / baseline: {pulled / base:.2f}x")
        # On a shared machine the wall clock measures the neighbours too; CPU time is this process's own work.
        cpu_ratio = applied_cpu / base_cpu
        print(f"CPU time: apply alone {applied_cpu:.2f} s, baseline {base_cpu:.2f} s, ratio {cpu_ratio:.2f}x "
              f"(limit {RATIO_TARGET:.0f}x) {verdict(cpu_ratio <= RATIO_TARGET)}; pull + apply {pulled_cpu:.2f} s")
        print(f"load average after: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
        print(json.dumps({"requests_per_s": round(rps), "p99_ms": round(p99, 1), "pull_s": round(fetched, 2),
                          "apply_s": round(applied, 2), "pull_apply_s": round(pulled, 2), "baseline_s": round(base, 2),
                          "ratio": round(applied / base, 2), "apply_cpu_s": round(applied_cpu, 2),
                          "baseline_cpu_s": round(base_cpu, 2), "cpu_ratio": round(cpu_ratio, 2)}))
    finally:
        relay.kill()
        shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
