"""Listing 100,000 friends by name in natural order (友だち2 before 友だち10), against a plain column sort.

    python bench/bench_name_sort.py [--friends 100000] [--runs 3]

Builds a throwaway store of numbered names (the worst case: every name holds a number), then times
friends.friend_ids() sorted by name (the natural key, a Python function SQLite calls once per row)
and by user ID (a plain column) in the same run. Target: by name under a few hundred ms at 100,000.
Printed figures, not a pass/fail test.
"""

from __future__ import annotations

import argparse
import random
import statistics
import tempfile
import time


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--friends", type=int, default=100_000)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()

    from shopline.store import close_store, db, friends, open_store, sqlite

    with tempfile.TemporaryDirectory() as folder:
        open_store(folder)
        rng = random.Random(1)
        rows = [(f"U{i:032x}", f"{rng.choice(['友だち', '山田 花子', 'Guest'])}{rng.randint(0, 10**6)}",
                 "unknown", "following", "", "csv", "2025-01-01", "2025-01-01") for i in range(args.friends)]
        with db.atomic():
            sqlite.insert_rows(db, "friend", ["user_id", "display_name", "gender", "status", "memo", "source",
                                              "created_at", "updated_at"], rows)

        def timed(order: str) -> list[float]:
            runs = []
            for _ in range(args.runs):
                start = time.perf_counter()
                friends.friend_ids(order=order)
                runs.append(time.perf_counter() - start)
            return runs

        plain = timed("user_id")
        natural = timed("display_name")  # the first run computes every key; later ones reuse them
        close_store()
    print(f"friends: {args.friends:,}")
    print(f"by user ID (plain column): median {statistics.median(plain) * 1000:.0f} ms")
    print(f"by name (natural order):  first {natural[0] * 1000:.0f} ms, "
          f"median {statistics.median(natural) * 1000:.0f} ms")
    print(f"ratio natural/plain: first {natural[0] / statistics.median(plain):.1f}x, "
          f"median {statistics.median(natural) / statistics.median(plain):.1f}x")


if __name__ == "__main__":
    main()
