"""The tag panel's refresh on the 100,000-friend demo shop (~290 tags): tag_counts() against the
single GROUP BY of all links it grew from, and against joining every link to its friend.

    python bench/bench_tag_counts.py [--friends 100000] [--runs 9]

tag_counts() also says how many of each tag's friends follow the account. Printed figures, measured
in the same run; not a pass/fail test.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench_segments import build  # noqa: E402
from peewee import fn  # noqa: E402

from shopline.core.ordering import natural_key  # noqa: E402
from shopline.store import db  # noqa: E402
from shopline.store.models import FriendTag, Tag  # noqa: E402
from shopline.store.tags import tag_counts  # noqa: E402

JOINED = ("SELECT t.tag_id, count(*), sum(f.status = 'following') FROM friend_tag t "
          "JOIN friend f ON f.id = t.friend_id GROUP BY t.tag_id")


def all_only() -> list[tuple[Tag, int]]:
    """tag_counts() as it was before it counted following friends: one GROUP BY of all links."""
    counts = dict(FriendTag.select(FriendTag.tag, fn.COUNT()).group_by(FriendTag.tag).tuples())
    tags = sorted(Tag.select(), key=lambda t: (natural_key(t.folder), natural_key(t.name)))
    return [(t, counts.get(t.id, 0)) for t in tags]


def median_ms(fn, runs: int) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        fn()
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--friends", type=int, default=100_000)
    ap.add_argument("--runs", type=int, default=9)
    args = ap.parse_args()
    build(Path(__file__).parent / "out" / f"shop-{args.friends}", args.friends)
    rows = tag_counts()
    joined = {tag: following for tag, _n, following in db.execute_sql(JOINED)}
    assert all(row.following == joined.get(row.tag.id, 0) for row in rows)
    base = median_ms(all_only, args.runs)
    ours = median_ms(tag_counts, args.runs)
    join = median_ms(lambda: db.execute_sql(JOINED).fetchall(), args.runs)
    print(f"{len(rows)} tags, {args.friends:,} friends; median of {args.runs} runs")
    print(f"before: all links only       {base:8.1f} ms  1.00")
    print(f"tag_counts(): following, all {ours:8.1f} ms  {ours / base:.2f}")
    print(f"every link joined to friend  {join:8.1f} ms  {join / base:.2f}")


if __name__ == "__main__":
    main()
