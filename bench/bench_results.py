"""効果測定's three speed figures, measured in one run (printed, not pass/fail):

  1. the results list with 1,000 campaigns (cached figures): all_figures() and filling the window's table,
     beside the bare query it reads;
  2. a cross table over 100,000 friends with a 300-tag folder on one axis, by bitmap intersections (gender and
     age band from the engine, friend days from one GROUP BY) and by the reference GROUP BY, against one
     hand-written GROUP BY;
  3. refreshing 1,000 campaigns through the store's insight limiter on a simulated clock: the most requests
     in any hour (LINE allows 60).

    python bench/bench_results.py [--campaigns 1000] [--friends 100000] [--runs 5]
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import random
import statistics
import sys
import tempfile
import time
import uuid
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from shopline.core.crosstab import Dimension  # noqa: E402
from shopline.store import db, open_store  # noqa: E402
from shopline.store.sqlite import insert_rows  # noqa: E402

NOW = dt.datetime(2025, 3, 10, 3, 0, tzinfo=dt.UTC)
# The best hand-written form found (see results/crosstab.py for the unary +).
HAND = ("SELECT f.gender, j.tag_id, count(*) FROM friend f LEFT JOIN friend_tag j ON j.friend_id = f.id "
        "AND +j.tag_id IN (SELECT id FROM tag WHERE folder = ?) WHERE f.status = 'following' GROUP BY 1, 2")


def median_ms(work, runs: int) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        work()
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times)


def build(friends: int, campaigns: int, tags: int) -> None:
    rng = random.Random(1)
    with db.atomic():
        insert_rows(db, "friend", ("user_id", "display_name", "gender", "status", "source", "memo", "created_at",
                                   "updated_at", "birthday"),
                    ((f"U{i:032x}", f"友だち{i}", rng.choice(["female", "male", "other", "unknown"]),
                      "following" if i % 20 else "blocked", "csv", "", "2025-01-01 00:00:00", "2025-01-01 00:00:00",
                      f"{rng.randint(1950, 2010)}-{rng.randint(1, 12):02d}-15") for i in range(friends)))
        insert_rows(db, "tag", ("name", "folder", "colour", "description", "created_at"),
                    ((f"商品{t}", "購入商品", "#4caf50", "", "2025-01-01") for t in range(tags)))
        tag_ids = [r[0] for r in db.execute_sql("SELECT id FROM tag")]
        insert_rows(db, "friend_tag", ("friend_id", "tag_id"),
                    {(rng.randint(1, friends), rng.choice(tag_ids)) for _ in range(friends * 2)})
        for n in range(campaigns):
            at = (NOW - dt.timedelta(days=n % 60, hours=n % 24)).isoformat(sep=" ")
            cur = db.execute_sql(
                "INSERT INTO campaign (name, segment_tree, segment_text, messages, unit, status, recipients, delivered,"
                " failed, estimate, last_error, created_at, started_at) VALUES (?, '{}', '', '[]', ?, 'done', 100, 0,"
                " 0, ?, '', ?, ?)",
                (f"配信{n}", f"sl_b{n}", json.dumps({"plan": "jp_standard", "used": n * 100}), at, at))
            cid = cur.lastrowid
            batch = db.execute_sql("INSERT INTO batch (campaign_id, seq, retry_key, status, size, attempts, "
                                   "last_message, accepted_request_id, done_at) VALUES (?, 1, ?, 'accepted', 100, 1, "
                                   "'', '', ?)", (cid, str(uuid.uuid4()), at)).lastrowid
            first = (n * 100) % (friends - 100) + 1
            insert_rows(db, "recipient", ("campaign_id", "friend_id", "batch_id", "user_id"),
                        ((cid, first + k, batch, f"U{first + k:032x}") for k in range(100)))
            urls = json.dumps([{"seq": 1, "url": f"https://shop.example/{n}/{k}", "clicks": 30, "unique_clicks": 25}
                               for k in range(3)])
            db.execute_sql("INSERT INTO insight_snapshot (campaign_id, unit, impressions, clicks, urls, range_from,"
                           " range_to, fetched_at, final) VALUES (?, ?, ?, ?, ?, '2025-03-01', '2025-03-10', ?, 0)",
                           (cid, f"sl_b{n}", None if n % 7 == 0 else 60, None if n % 5 == 0 else 25, urls,
                            NOW.isoformat(sep=" ")))


def bench_list(runs: int) -> None:
    from PySide6.QtWidgets import QApplication

    from shopline.results.figures import _LIST, all_figures
    from shopline.ui.results.campaigns import CampaignsTab

    app = QApplication.instance() or QApplication([])
    tab = CampaignsTab()
    tab.resize(880, 500)
    tab.show()

    def open_list() -> None:
        tab.set_rows(all_figures())
        app.processEvents()

    # The floor: the same rows read with the list's one query and nothing done with them.
    bare_ms = median_ms(lambda: db.execute_sql(_LIST).fetchall(), runs)
    figures_ms = median_ms(all_figures, runs)
    total_ms = median_ms(open_list, runs)
    print(f"results list, {tab.model.rowCount()} campaigns: all_figures {figures_ms:.0f} ms, "
          f"with the table filled and drawn {total_ms:.0f} ms (target <= 300 ms); "
          f"the bare query {bare_ms:.0f} ms, ratio {total_ms / bare_ms:.1f}")


def bench_crosstab(runs: int) -> None:
    from shopline.results.crosstab import crosstab, reference_crosstab
    from shopline.store.bitmaps import engine

    folder = Dimension("folder", "購入商品")
    start = time.perf_counter()
    engine.build_all()  # what the first table after a change pays; a window builds it once
    build_ms = (time.perf_counter() - start) * 1000
    hand = median_ms(lambda: db.execute_sql(HAND, ("購入商品",)).fetchall(), runs)
    for other in ("gender", "age_band", "friend_days_band"):
        dims = (folder, Dimension(other))
        ours = median_ms(lambda dims=dims: crosstab(*dims), runs)  # type: ignore[misc]
        reference = median_ms(lambda dims=dims: reference_crosstab(*dims), runs)  # type: ignore[misc]
        print(f"cross table, folder of 300 tags x {other}: bitmaps {ours:.0f} ms, reference GROUP BY "
              f"{reference:.0f} ms; hand-written GROUP BY (gender) {hand:.0f} ms; ratio {ours / hand:.2f} "
              f"(targets <= 300 ms, <= 1.5)")
    print(f"  (the bitmap index built once in {build_ms:.0f} ms, {engine.memory_bytes() / 1e6:.1f} MB)")


def bench_limiter(campaigns: int) -> None:
    from shopline.line.limits import INSIGHT
    from shopline.results.limiter import StoreLimiter

    clock = [1_000_000.0]
    limiter = StoreLimiter("bench", INSIGHT, clock=lambda: clock[0],
                           sleep=lambda s: clock.__setitem__(0, clock[0] + s))
    sent = []
    for _ in range(campaigns):
        limiter.wait()
        sent.append(clock[0])
        clock[0] += 0.5  # each request takes a moment
    peak, first = 0, 0
    for last, t in enumerate(sent):
        while t - sent[first] >= 3600:
            first += 1
        peak = max(peak, last - first + 1)
    hours = (sent[-1] - sent[0]) / 3600
    print(f"refreshing {campaigns} campaigns on a simulated clock: peak {peak} requests in any hour "
          f"(LINE: 60), {hours:.1f} simulated hours")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--campaigns", type=int, default=1000)
    parser.add_argument("--friends", type=int, default=100_000)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        open_store(folder)
        start = time.perf_counter()
        build(args.friends, args.campaigns, 300)
        print(f"built {args.friends:,} friends, {args.campaigns:,} campaigns in {time.perf_counter() - start:.1f} s")
        bench_list(args.runs)
        bench_crosstab(args.runs)
        bench_limiter(args.campaigns)


if __name__ == "__main__":
    main()
