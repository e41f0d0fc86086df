"""The friends table's 最終購入日 and 累計購入額 columns over 100,000 friends and 1,000,000 purchases.

    python bench/bench_friend_purchase_columns.py [--friends 100000] [--purchases 1000000] [--runs 3]

Builds a throwaway store (purchases skewed toward frequent buyers, as bench_purchases' demo export is), scores
it as an import does, then times in the same run: friends.friend_ids() sorted by last purchase and by total
spent against the plain followed_at column sort, and friends.rows() of the first page (200 rows) of the
biggest spenders, whose purchases are the most to add up. Targets: each purchase sort at most 2x the column
sort; a page of rows at most 50 ms.
"""

from __future__ import annotations

import argparse
import datetime as dt
import random
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

SORT_RATIO, PAGE_MS = 2.0, 50.0


def median_ms(run: Callable[[], object], runs: int) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        run()
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times)


def verdict(name: str, value: float, limit: float, unit: str) -> None:
    print(f"  {name}: {value:,.2f} {unit} (limit {limit:g} {unit}) {'PASS' if value <= limit else 'FAIL'}")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--friends", type=int, default=100_000)
    parser.add_argument("--purchases", type=int, default=1_000_000)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()

    from shopline.purchases import rfm
    from shopline.store import close_store, db, friends, open_store

    with tempfile.TemporaryDirectory() as folder:
        open_store(folder)
        con = db.connection()
        rng = random.Random(7)
        start = dt.datetime(2024, 1, 1)
        with db.atomic():
            con.executemany(
                "INSERT INTO friend (id, user_id, display_name, gender, status, memo, source, followed_at, "
                "created_at, updated_at) VALUES (?, ?, ?, 'unknown', 'following', '', 'demo', ?, '2024-01-01', "
                "'2024-01-01')",
                ((n + 1, f"U{n:032x}", f"友だち{n}", (start + dt.timedelta(days=n % 700)).date().isoformat())
                 for n in range(args.friends)))
            con.executemany(
                "INSERT INTO purchase (friend_id, customer, at, order_id, item, amount, store, source, dedupe) "
                "VALUES (?, 'x', ?, '', 'あんぱん', ?, '', '', ?)",
                ((1 + int(args.friends * rng.random() ** 2),
                  (start + dt.timedelta(minutes=rng.randrange(10**6))).isoformat(" "), rng.randrange(100, 5000),
                  i.to_bytes(8, "big")) for i in range(args.purchases)))
            rfm.recompute()
        con.execute("ANALYZE")
        print(f"{args.friends:,} friends, {args.purchases:,} purchases, median of {args.runs} runs")
        base = median_ms(lambda: friends.friend_ids(order="followed_at", descending=True), args.runs)
        print(f"  sort by followed_at (baseline): {base:,.1f} ms")
        for order in ("last_purchase", "spent"):
            took = median_ms(lambda o=order: friends.friend_ids(order=o, descending=True), args.runs)
            print(f"  sort by {order}: {took:,.1f} ms")
            verdict(f"{order} / followed_at", took / base, SORT_RATIO, "x")
        top = friends.friend_ids(order="spent", descending=True)[:200]
        verdict("rows() of the top 200 spenders", median_ms(lambda: friends.rows(top), args.runs), PAGE_MS, "ms")
        close_store()


if __name__ == "__main__":
    main()
