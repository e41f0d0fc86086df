"""Import benchmark: 1,000,000 demo friends with ~6 tags each, against a plain csv + sqlite3 baseline.

Run: python bench/bench_import.py [--friends N] [--repeat R]
Targets: import and re-import of 1M rows <= 30 s on the reference machine, <= 3x the baseline measured in
the same run (the ratio is what to compare on a loaded or different machine), peak memory <= 400 MB.
Each measurement runs in its own child process so its peak memory (ru_maxrss) is its own; the re-import
imports the same file again into the folder the first import filled.
"""

from __future__ import annotations

import argparse
import csv
import json
import resource
import sqlite3
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from shopline import paths  # noqa: E402
from shopline.store import close_store, open_store, search  # noqa: E402
from shopline.store.sqlite import PRAGMAS  # noqa: E402


def peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux


def run_ours(csv_path: Path, folder: Path) -> dict:
    from shopline.csvio.importer import import_csv

    open_store(folder)
    start = time.perf_counter()
    report = import_csv(csv_path)
    seconds = time.perf_counter() - start
    close_store()
    return {"seconds": seconds, "rows": report.imported, "refused": len(report.refused)}


def run_again(csv_path: Path, folder: Path) -> dict:
    return run_ours(csv_path, folder)


def run_baseline(csv_path: Path, folder: Path) -> dict:
    """The least an import can do: csv rows straight into the same schema, indexes built after."""
    open_store(folder)  # the same schema, created by the app
    close_store()
    con = sqlite3.connect(str(paths.db_path(folder)), isolation_level=None)
    con.create_function(search.FUNCTION, 3, search.search_text, deterministic=True)  # the search column's triggers
    for name, value in PRAGMAS.items():
        con.execute(f"PRAGMA {name} = {value}")
    start = time.perf_counter()
    con.execute("BEGIN")
    indexes = con.execute(
        "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL "
        "AND tbl_name IN ('friend', 'friend_tag', 'field_value')"
    ).fetchall()
    for name, _ in indexes:
        con.execute(f'DROP INDEX "{name}"')
    with open(csv_path, encoding="utf-8-sig", newline="") as f:
        reader = csv.reader(f)
        header = next(reader)
        extra = header[9:]
        field_ids = {}
        for i, name in enumerate(extra):
            field_ids[name] = con.execute(
                "INSERT INTO field (name, kind, choices, position, created_at) VALUES (?, 'text', '', ?, '2024-01-01')",
                (name, i),
            ).lastrowid
        tag_ids: dict[str, int] = {}
        friends, links, values = [], [], []
        for fid, r in enumerate(reader, start=1):
            friends.append((fid, r[0], r[1], r[2] or "unknown", r[3] or None, r[4] or None, r[5] or None, r[6], r[8]))
            for t in r[7].split(";") if r[7] else ():
                tid = tag_ids.get(t)
                if tid is None:
                    tid = tag_ids[t] = len(tag_ids) + 1
                links.append((fid, tid))
            for j, name in enumerate(extra):
                if r[9 + j]:
                    values.append((fid, field_ids[name], r[9 + j], None))
    con.executemany(
        "INSERT INTO tag (id, name, folder, colour, description, created_at) "
        "VALUES (?, ?, '', '#4caf50', '', '2024-01-01')",
        [(i, n) for n, i in tag_ids.items()],
    )
    con.executemany(
        "INSERT INTO friend (id, user_id, display_name, gender, birthday, region, followed_at, status, "
        "memo, source, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, 'csv', "
        "'2024-01-01', '2024-01-01')",
        friends,
    )
    con.executemany("INSERT INTO friend_tag (friend_id, tag_id) VALUES (?, ?)", links)
    con.executemany("INSERT INTO field_value (friend_id, field_id, text_value, num_value) VALUES (?, ?, ?, ?)", values)
    for _, sql in indexes:
        con.execute(sql)
    con.execute("COMMIT")
    seconds = time.perf_counter() - start
    con.close()
    return {"seconds": seconds, "rows": len(friends), "links": len(links)}


def child(kind: str, csv_path: Path, folder: Path) -> dict:
    out = subprocess.run(
        [sys.executable, __file__, "--child", kind, str(csv_path), str(folder)],
        check=True,
        capture_output=True,
        text=True,
    )
    return json.loads(out.stdout)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--friends", type=int, default=1_000_000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--repeat", type=int, default=1)
    parser.add_argument("--child", nargs=3, metavar=("KIND", "CSV", "FOLDER"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        kind, csv_path, folder = args.child
        run = {"ours": run_ours, "again": run_again, "baseline": run_baseline}[kind]
        result = run(Path(csv_path), Path(folder))
        result["peak_mb"] = peak_mb()
        print(json.dumps(result))
        return

    from shopline.demo import write_demo_csv

    with tempfile.TemporaryDirectory() as tmp:
        csv_path = write_demo_csv(Path(tmp) / "demo.csv", args.friends, args.seed)
        size = csv_path.stat().st_size / 1e6
        print(f"demo CSV: {args.friends} friends, {size:.1f} MB")
        runs = []
        # Interleaved, so a neighbour's load on a shared machine slows both sides of a pair alike.
        for n in range(args.repeat):
            base = child("baseline", csv_path, Path(tmp) / f"base{n}")
            ours = child("ours", csv_path, Path(tmp) / f"ours{n}")
            again = child("again", csv_path, Path(tmp) / f"ours{n}")
            runs.append((base, ours, again))
            print(f"run {n + 1}: baseline (csv + sqlite3 executemany, indexes after) {base['seconds']:.2f} s "
                  f"({base['links']} tag links, peak {base['peak_mb']:.0f} MB)")
            print(f"  import_csv {ours['seconds']:.2f} s ({ours['rows']} rows, peak {ours['peak_mb']:.0f} MB), "
                  f"ratio {ours['seconds'] / base['seconds']:.2f}x")
            print(f"  re-import  {again['seconds']:.2f} s ({again['rows']} rows, peak {again['peak_mb']:.0f} MB), "
                  f"ratio {again['seconds'] / base['seconds']:.2f}x")
        base_s = min(r[0]["seconds"] for r in runs)
        ours_s = min(r[1]["seconds"] for r in runs)
        again_s = min(r[2]["seconds"] for r in runs)
        peak = max(max(r[1]["peak_mb"], r[2]["peak_mb"]) for r in runs)
        worst = max(ours_s, again_s)
        verdict = "ok" if worst <= 30 and worst / base_s <= 3 and peak <= 400 else "OVER TARGET"
        print(f"best of {args.repeat}: baseline {base_s:.2f} s, import_csv {ours_s:.2f} s ({ours_s / base_s:.2f}x), "
              f"re-import {again_s:.2f} s ({again_s / base_s:.2f}x), peak {peak:.0f} MB "
              f"(targets: <= 30 s, <= 3x, <= 400 MB): {verdict}")


if __name__ == "__main__":
    main()
