"""The bitmap segment engine (issue 21) on the demo shop: build time, memory, counts against hand-written SQL,
the CLI's marginal count.

    python bench/bench_bitmap.py [--friends 100000] [--runs 15]

Uses bench_segments.py's shop in bench/out/ (generated and imported there on first use; the time is printed).
For each of bench_segments' 20 expressions and the issue's 14:
  cached  segment_sql.count(tree) in-process with the index built, answers to single conditions remembered
  bitmap  the same with those answers forgotten before each run: the algebra over the index; median and p95
  sql     the fastest of the compiled query and the other hand-written formulations (bench_segments.formulations),
          median; ratio = sql / bitmap (medians; the issue asks for >= 5) -- both in this run, on this load
The CLI's marginal count is `shopline count` with the 11 first expressions ten times against once, per count: the
second and later counts in a process answer from its index. The figure with new pieces (11 against 1) is
printed beside it: those counts pay for loading what the earlier ones did not need.
Printed figures; the limits the issue sets are printed beside them with PASS/FAIL. The index is built lazily,
so its build time is judged on the slowest of the 34 expressions' first counts in a fresh index (each pays
only for the pieces it reads: what the issue's "built lazily on the first count" costs a count). Every piece
at once (build_all: all 290 tags, every column and field, which no count ever waits for; the window loads them
in the background, ui/index_warmer.py) is printed beside it for information, with each piece's wall and CPU
time, and readers.load_all on one connection against two in two threads (the ratio is
what threading buys on this machine at this load; wall and CPU both, since the machine may be shared).
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path[:0] = [str(HERE.parent), str(HERE)]

from bench_segments import EXPRESSIONS, build, formulations, timed  # noqa: E402

from shopline.core.segments import parse  # noqa: E402
from shopline.store import db  # noqa: E402
from shopline.store import segment_sql as sq  # noqa: E402
from shopline.store.bitmaps import engine, readers  # noqa: E402

# The issue's 14 shapes, on the demo shop's names (its リピーター is 常連 here, a prefecture is a region).
ISSUE = [
    "NOT (VIP OR 常連)", "NOT NOT クーポン利用", "(region = 東京都 OR region = 大阪府) AND NOT 休眠",
    "birth_month = 4 OR birth_month = 5", "クーポン利用", "VIP AND NOT NOT 常連", "NOT (NOT VIP AND NOT 新規)",
    "gender = female OR gender = male", "age >= 20 AND age < 40 AND NOT スタッフ", "friend_days >= 365 OR VIP",
    "来店回数 > 5 AND 会員ランク != ゴールド", "NOT (店舗_渋谷店 OR 店舗_新宿店 OR 店舗_池袋店 OR 店舗_横浜店)",
    "(VIP AND 常連) OR (新規 AND NOT 休眠) OR (クーポン利用 AND 誕生日クーポン済)",
    "region != 東京都 AND NOT (age < 20) AND 最終来店日 < 2025-06-01",
]
P95_LIMIT, RATIO_MIN, CLI_LIMIT, BUILD_LIMIT, MEMORY_LIMIT = 5.0, 5.0, 5.0, 300.0, 60.0


def rss_mb() -> float:
    with open("/proc/self/statm") as statm:  # Linux: resident pages are the second figure
        return int(statm.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 1e6


def p95(times: list[float]) -> float:
    return statistics.quantiles(times, n=20)[-1] if len(times) > 1 else times[0]


REPEAT = 10  # the CLI's marginal count: the 11 expressions this many times in one process


def cli_marginal(folder: Path, runs: int) -> tuple[float, float, float, float, float]:
    """`shopline count` with 1, 11 and 110 expressions (the 11 ten times): seconds for each, the ms of one more
    count that loads pieces no earlier count needed (11 vs 1), and of one more count the process's index already
    holds (110 vs 11: the later counts of the same conditions, which the limit is about; 99 of them, so a process
    start's own jitter of tens of milliseconds does not swamp a figure of a few)."""
    texts = (EXPRESSIONS + ISSUE)[:11]
    env = {**os.environ, "PYTHONPATH": str(HERE.parent)}

    def run(args: list[str]) -> float:
        start = time.perf_counter()
        subprocess.run([sys.executable, "-c", "import sys; from shopline.cli import main; sys.exit(main(sys.argv[1:]))",
                        "--data-dir", str(folder), "count", *args],
                       env=env, check=True, capture_output=True)
        return time.perf_counter() - start

    run(texts[:1])  # untimed: a first open may migrate the store or back it up
    one, many, twice = [], [], []
    for _ in range(runs):
        one.append(run(texts[:1]))
        many.append(run(texts))
        twice.append(run(texts * REPEAT))
    a, b, c = statistics.median(one), statistics.median(many), statistics.median(twice)
    return a, b, c, (b - a) / (len(texts) - 1) * 1000, (c - b) / (len(texts) * (REPEAT - 1)) * 1000


def load_all_figures(runs: int = 3) -> dict[int, tuple[float, float]]:
    """readers.load_all on 1, 2 and 3 connections (0, 1, 2 helper threads), alternating in this run: (wall, CPU)
    ms, best of runs. readers.HELPERS (1) is the engine's; the three-connection figure shows whether more pays."""
    best: dict[int, tuple[float, float]] = {}
    chosen = readers.HELPERS
    try:
        for _ in range(runs):
            for helpers in (0, 1, 2):
                readers.HELPERS = helpers
                engine.reset()
                start, cpu = time.perf_counter(), time.process_time()
                with readers.mark(db.obj.database) as taken, engine._snapshot() as (connection, index):
                    readers.load_all(index, connection, taken)
                took = (time.perf_counter() - start) * 1000, (time.process_time() - cpu) * 1000
                best[helpers] = min(best.get(helpers, took), took)
    finally:
        readers.HELPERS = chosen
    return best


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--friends", type=int, default=100_000)
    ap.add_argument("--runs", type=int, default=15)
    ap.add_argument("--cli-runs", type=int, default=5)
    args = ap.parse_args()
    folder = HERE / "out" / f"shop-{args.friends}"
    start = time.perf_counter()
    build(folder, args.friends)
    print(f"shop ready in {time.perf_counter() - start:.1f} s (generation + import happen once, on first use)")
    links = db.execute_sql("SELECT count(*) FROM friend_tag").fetchone()[0]
    tags = db.execute_sql("SELECT count(*) FROM tag").fetchone()[0]
    print(f"{args.friends:,} friends, {tags} tags, {links:,} tag links\n")

    engine.reset()
    before = rss_mb()
    start, cpu = time.perf_counter(), time.process_time()
    pieces = engine.build_all()
    build_ms, build_cpu = (time.perf_counter() - start) * 1000, (time.process_time() - cpu) * 1000
    memory = rss_mb() - before
    print(f"every piece at once (build_all, cold; information, not the lazy build the issue limits): "
          f"{build_ms:.0f} ms wall, {build_cpu:.0f} ms CPU; resident memory "
          f"+{memory:.1f} MB (the index's own estimate {engine.memory_bytes() / 1e6:.1f} MB)")
    split = engine._source.index.load_cpu_ms if engine._source and engine._source.index else {}
    print("  per piece (ms wall / CPU of its thread): " + ", ".join(
        f"{name} {ms:.0f}/{split.get(name, 0):.0f}" for name, ms in pieces.items()))
    loads = load_all_figures()
    print("  every piece (readers.load_all, best of 3, alternating): " + ", ".join(
        f"{n + 1} connection{'s' if n else ''} {wall:.0f} ms wall ({cpu:.0f} CPU, {loads[0][0] / wall:.2f}x)"
        for n, (wall, cpu) in loads.items()))
    # What a first count pays: the index is built lazily, only the pieces its conditions read.
    first = []
    for text in EXPRESSIONS + ISSUE:
        engine.reset()
        start, cpu = time.perf_counter(), time.process_time()
        sq.count(parse(text))
        first.append(((time.perf_counter() - start) * 1000, text, (time.process_time() - cpu) * 1000))
    slowest = max(first)
    print(f"first count in a process (lazy build included): median {statistics.median(t for t, *_ in first):.0f} ms, "
          f"slowest {slowest[0]:.0f} ms wall, {slowest[2]:.0f} ms CPU ({slowest[1]})\n")
    engine.build_all()

    print(f"{'cached':>7} {'bitmap':>7} {'p95':>6} {'sql':>7} {'ratio':>6} {'count':>6}  expression (ms)")
    every, ratios, worst = [], [], ""
    for text in EXPRESSIONS + ISSUE:
        tree = parse(text)
        n = sq.count(tree)
        assert n == sq.reference_count(tree), text
        bitmap = timed(lambda t=tree: sq.count(t), args.runs)
        # The same without the answers to single conditions remembered: the algebra over the pieces alone.
        uncached = timed(lambda t=tree: (engine.forget_answers(), sq.count(t)), args.runs)
        candidates = {"compiled": sq.compile_tree(tree, "count(*)"), **formulations(tree)}
        best = min(statistics.median(timed(lambda s=s, p=p: db.execute_sql(s, p).fetchone(), max(3, args.runs // 3)))
                   for s, p in candidates.values())
        ratio = best / statistics.median(uncached)
        every += uncached
        ratios.append(ratio)
        if ratio == min(ratios):
            worst = text
        print(f"{statistics.median(bitmap):7.3f} {statistics.median(uncached):7.3f} {p95(uncached):6.3f} "
              f"{best:7.2f} {ratio:6.0f} {n:6d}  {text}")
    overall = p95(every)
    print(f"\nbitmap count over all {len(every)} runs: median {statistics.median(every):.3f} ms, p95 {overall:.3f} ms")
    print(f"best SQL / bitmap: worst {min(ratios):.0f}x ({worst}), median {statistics.median(ratios):.0f}x")

    one, many, twice, loading, marginal = cli_marginal(folder, args.cli_runs)
    print(f"CLI: `shopline count` with 1 expression {one:.2f} s, with 11 {many:.2f} s, with the 11 {REPEAT} times "
          f"{twice:.2f} s: {loading:.1f} ms for each more count that loads new pieces, {marginal:.1f} ms for each "
          f"more count on pieces already loaded")

    checks = {f"lazy build of the slowest first count <= {BUILD_LIMIT:.0f} ms": slowest[0] <= BUILD_LIMIT,
              f"memory <= {MEMORY_LIMIT:.0f} MB": memory <= MEMORY_LIMIT,
              f"p95 <= {P95_LIMIT} ms": overall <= P95_LIMIT,
              f"every expression >= {RATIO_MIN:.0f}x the best SQL": min(ratios) >= RATIO_MIN,
              f"CLI marginal count <= {CLI_LIMIT} ms": marginal <= CLI_LIMIT}
    if args.friends >= 1_000_000:
        checks = {"median <= 30 ms": statistics.median(every) <= 30, "p95 <= 60 ms": overall <= 60,
                  f"memory (no limit at 1M; +{memory:.0f} MB)": True}
    for name, ok in checks.items():
        print(f"{'PASS' if ok else 'FAIL'}  {name}")
    return 0 if all(checks.values()) else 1


if __name__ == "__main__":
    sys.exit(main())
