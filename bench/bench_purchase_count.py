"""Purchase conditions in the bitmap engine (issues 16 and 21): segment counts mixing purchases with tags over
100,000 friends and 1,000,000 purchases, against hand-written SQL in the same run.

    python bench/bench_purchase_count.py [--friends 100000] [--rows 1000000] [--runs 21]

The shop (bench_purchases.make_shop's friends, every tenth VIP, and the demo register export imported through
the real importer) is made once in bench/out/ and reused; its generation and import times are printed then.
For each expression:
  bitmap  segment_sql.count(tree) with the engine's remembered single-condition answers forgotten before each
          run, so every run does the algebra over the index; median and p95 (ms)
  cached  the same with those answers kept (what the builder's repeated counts see)
  sql     the best hand-written SQL: for the issue's expression bench_purchases' three formulations, for the
          others the compiled query; median (ms)
The issue's expression must be at most 30 ms median and at most 1.2x the best hand-written SQL: printed with
PASS/FAIL. Ratios are what to compare on a loaded machine.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path[:0] = [str(HERE.parent), str(HERE)]

from bench_purchases import QUERY, TODAY, make_shop  # noqa: E402

from shopline.core.segments import parse  # noqa: E402
from shopline.purchases.demo import write_purchases  # noqa: E402
from shopline.store import db, open_store  # noqa: E402
from shopline.store import segment_sql as sq  # noqa: E402
from shopline.store.bitmaps import engine  # noqa: E402
from shopline.store.models import Tag  # noqa: E402

EXPRESSIONS = [
    QUERY,
    "purchases(days=30) >= 1",
    "VIP AND NOT purchases(days=365) >= 1",
    "purchases = 0 OR days_since_purchase > 180",
    "days_since_purchase <= 7 AND NOT VIP",
    "rfm_r >= 4 AND rfm_f >= 3",
    "rfm_group = best OR VIP",
    # These read every purchase (purchase_rows.py), a piece loaded on the first of them.
    "purchases >= 3",
    "VIP AND spent(days=90) >= 3000",
    'purchases(item="カフェラテ", days=30) >= 1 OR purchases(item="ベーグル") >= 2',
]
MEDIAN_LIMIT, RATIO_LIMIT = 30.0, 1.2


def shop(friends: int, rows: int) -> Path:
    folder = HERE / "out" / f"purchases-{friends}-{rows}"
    if (folder / "ready").exists():
        return folder
    from shopline.purchases import rfm
    from shopline.purchases.importer import import_purchases

    with tempfile.TemporaryDirectory() as tmp:
        csv_path = Path(tmp) / "purchases.csv"
        start = time.perf_counter()
        written = write_purchases(csv_path, rows, friends=friends)
        generated = time.perf_counter() - start
        make_shop(folder, friends)
        open_store(folder)
        start = time.perf_counter()
        import_purchases(csv_path)
        rfm.recompute()
        imported = time.perf_counter() - start
    print(f"made the shop: {written:,} register rows generated in {generated:.1f} s, imported (and RFM scored) "
          f"in {imported:.1f} s")
    (folder / "ready").write_text("")
    return folder


def timed(fn, runs: int) -> list[float]:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        fn()
        times.append((time.perf_counter() - start) * 1000)
    return times


def p95(times: list[float]) -> float:
    return statistics.quantiles(times, n=20)[-1] if len(times) > 1 else times[0]


def hand_written() -> dict[str, tuple[str, tuple[object, ...]]]:
    """bench_purchases' formulations of the issue's expression."""
    import datetime as dt

    vip = Tag.get(Tag.name == "VIP").id
    d90, d365 = (TODAY - dt.timedelta(days=90)).isoformat(), (TODAY - dt.timedelta(days=364)).isoformat()
    probe = ("SELECT count(*) FROM friend_tag d CROSS JOIN friend f ON f.id = d.friend_id WHERE d.tag_id = ? "
             "AND f.status = 'following' AND EXISTS (SELECT 1 FROM purchase p WHERE p.friend_id = f.id AND p.at >= ?)")
    return {
        "one probe": (probe, (vip, d90)),
        "two probes": (probe + " AND NOT coalesce((SELECT max(p.at) FROM purchase p WHERE p.friend_id = f.id) < ?, 0)",
                       (vip, d90, d365)),
        "join": ("SELECT count(DISTINCT p.friend_id) FROM friend_tag d CROSS JOIN purchase p ON p.friend_id = "
                 "d.friend_id JOIN friend f ON f.id = d.friend_id WHERE d.tag_id = ? AND f.status = 'following' "
                 "AND p.at >= ?", (vip, d90)),
    }


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--friends", type=int, default=100_000)
    ap.add_argument("--rows", type=int, default=1_000_000)
    ap.add_argument("--runs", type=int, default=21)
    args = ap.parse_args()
    folder = shop(args.friends, args.rows)
    open_store(folder)
    purchases = db.execute_sql("SELECT count(*) FROM purchase").fetchone()[0]
    print(f"{args.friends:,} friends, {purchases:,} purchases, today {TODAY}\n")

    engine.reset()
    start = time.perf_counter()
    sq.count(parse(QUERY), TODAY)
    first = (time.perf_counter() - start) * 1000
    pieces = engine._source.index.load_ms if engine._source and engine._source.index else {}
    print(f"first count of the issue's expression (lazy build included): {first:.0f} ms; pieces (ms): "
          + ", ".join(f"{name} {ms:.0f}" for name, ms in pieces.items()) + "\n")

    print(f"{'bitmap':>7} {'p95':>7} {'cached':>7} {'sql':>7} {'ratio':>6} {'count':>7}  expression (ms; ratio = "
          f"bitmap / sql)")
    verdict: dict[str, bool] = {}
    for text in EXPRESSIONS:
        tree = parse(text)
        n = sq.count(tree, TODAY)
        assert n == sq.reference_count(tree, TODAY), text
        bitmap = timed(lambda t=tree: (engine.forget_answers(), sq.count(t, TODAY)), args.runs)
        cached = timed(lambda t=tree: sq.count(t, TODAY), args.runs)
        candidates = {"compiled": sq.compile_tree(tree, "count(*)", TODAY)}
        if text == QUERY:
            candidates.update(hand_written())
        best = {}
        for name, (sql, params) in candidates.items():
            assert db.execute_sql(sql, params).fetchone()[0] == n, name
            best[name] = statistics.median(timed(lambda s=sql, p=params: db.execute_sql(s, p).fetchone(),
                                                 max(3, args.runs // 3)))
        fastest = min(best, key=best.__getitem__)
        median = statistics.median(bitmap)
        ratio = median / best[fastest]
        print(f"{median:7.2f} {p95(bitmap):7.2f} {statistics.median(cached):7.3f} {best[fastest]:7.2f} "
              f"{ratio:6.2f} {n:7d}  {text}" + (f"  (best SQL: {fastest})" if text == QUERY else ""))
        if text == QUERY:
            verdict[f"issue's expression median {median:.2f} ms <= {MEDIAN_LIMIT:.0f} ms"] = median <= MEDIAN_LIMIT
            verdict[f"issue's expression {ratio:.2f}x the best hand-written SQL <= {RATIO_LIMIT}x"] = \
                ratio <= RATIO_LIMIT
    index = engine._source.index if engine._source else None
    if index is not None:
        print("\npieces loaded (ms): " + ", ".join(f"{name} {ms:.0f}" for name, ms in index.load_ms.items())
              + f"; the index's own estimate {index.nbytes() / 1e6:.1f} MB")
    print()
    for name, ok in verdict.items():
        print(f"{'PASS' if ok else 'FAIL'}  {name}")
    return 0 if all(verdict.values()) else 1


if __name__ == "__main__":
    sys.exit(main())
