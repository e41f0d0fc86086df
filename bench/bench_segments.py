"""Segment counts on a 100,000-friend demo shop: engine vs other formulations of the same tree.

    python bench/bench_segments.py [--friends 100000] [--runs 15]

Builds the shop once into bench/out/ from the demo generator's rows (raw executemany:
the CSV importer would take minutes), then for 20 expressions times:
  api    count(tree): name resolution + the one compiled query, as the UI and CLI pay it
  sql    the compiled query alone
  best   the fastest of the other formulations of the same tree, run alongside:
         merge (sorted INTERSECT/UNION/EXCEPT chain), probe (drive from the smallest tag),
         exists (per-friend EXISTS, no driver), compound (nested INTERSECT/UNION/EXCEPT
         with temporary b-trees)
Printed figures, not a pass/fail test.
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from shopline.core.segments import And, HasTag, Node, Not, Or, parse  # noqa: E402
from shopline.core.values import parse_date, parse_gender, parse_status  # noqa: E402
from shopline.demo import demo_rows, demo_tag_names  # noqa: E402
from shopline.store import db, open_store  # noqa: E402
from shopline.store import segment_sql as sq  # noqa: E402
from shopline.store.segments import resolve  # noqa: E402

EXPRESSIONS = [
    "VIP", "購入_モンブラン", "VIP AND 常連", "店舗_渋谷店 OR 店舗_新宿店 OR 店舗_池袋店",
    "((VIP AND 常連) OR 新規) AND NOT 休眠", "NOT VIP", "常連 AND NOT クーポン利用",
    "購入_カフェラテ AND 購入_チーズケーキ AND 興味_新商品", "(購入_メロンパン OR 購入_あんぱん) AND 店舗_横浜店",
    "キャンペーン_2025年12月 OR キャンペーン_2025年11月 OR キャンペーン_2025年10月 OR 新規",
    "gender = 女性 AND age >= 30", "購入_カフェラテ AND region = 東京", "birth_month = 来月 AND NOT 誕生日クーポン済",
    "VIP AND 来店回数 >= 20", "会員ランク = ゴールド AND NOT 休眠", "friend_days < 30 AND 新規",
    "(age >= 20 AND age < 30) AND (好き_抹茶ラテ OR 好き_ほうじ茶ラテ)",
    "NOT (休眠 OR スタッフ) AND (渋谷店_イベント OR 新宿店_イベント)",
    "(VIP OR 常連) AND (購入_プリン OR 購入_タルト) AND NOT 休眠 AND region != 北海道",
    "最終来店日 >= 2025-01-01 AND (常連 OR VIP) AND gender != male",
]


def build(folder: Path, friends: int) -> None:
    open_store(folder)
    if db.execute_sql("SELECT count(*) FROM friend").fetchone()[0]:
        return
    conn = db.connection()
    tag_id = {n: i for i, n in enumerate(demo_tag_names(), start=1)}
    conn.executemany("INSERT INTO tag(id, name, folder, colour, description, created_at) VALUES (?,?,'','#4caf50','',"
                     "'2024-01-01')", [(i, n) for n, i in tag_id.items()])
    fields = {"会員ランク": (1, "text"), "来店回数": (2, "number"), "最終来店日": (3, "date")}
    conn.executemany("INSERT INTO field(id, name, kind, choices, position, created_at) "
                     "VALUES (?,?,?,'',?,'2024-01-01')", [(i, n, k, i) for n, (i, k) in fields.items()])
    people, links, values = [], [], []
    for i, row in enumerate(demo_rows(friends, seed=1), start=1):
        uid, name, gender, birthday, region, followed, status, tags, memo, rank, visits, last = row
        day = parse_date(birthday)
        people.append((i, uid, name, parse_gender(gender), day.isoformat() if day else None, region, followed,
                       parse_status(status), memo))
        links += [(i, tag_id[t]) for t in tags.split(";") if t]
        values += [(i, 1, rank, None), (i, 2, visits, float(visits))] + ([(i, 3, last, None)] if last else [])
    with db.atomic():
        conn.executemany("INSERT INTO friend(id, user_id, display_name, gender, birthday, region, followed_at, status,"
                         " memo, source, created_at, updated_at) VALUES (?,?,?,?,?,?,?,?,?,'demo',"
                         "'2024-01-01','2024-01-01')", people)
        conn.executemany("INSERT INTO friend_tag(friend_id, tag_id) VALUES (?,?)", links)
        conn.executemany("INSERT INTO field_value(friend_id, field_id, text_value, num_value) VALUES (?,?,?,?)", values)
    conn.execute("ANALYZE")
    print(f"built: {len(people)} friends, {len(tag_id)} tags, {len(links)} tag links")


def _compound(node: Node, names, compiler) -> str:
    following = "SELECT id FROM friend WHERE status = 'following'"
    if isinstance(node, HasTag):
        return f"SELECT friend_id FROM friend_tag WHERE tag_id = {names.tags[node.name][0]}"
    if isinstance(node, Not):
        return f"SELECT * FROM ({following}) EXCEPT SELECT * FROM ({_compound(node.item, names, compiler)})"
    if isinstance(node, And | Or):
        word = " INTERSECT " if isinstance(node, And) else " UNION "
        return word.join(f"SELECT * FROM ({_compound(i, names, compiler)})" for i in node.items)
    return f"SELECT f.id FROM friend f WHERE {compiler.pred(node)}"


def formulations(tree: Node) -> dict[str, tuple[str, list[object]]]:
    names = resolve(tree)
    out = {}
    saved = sq._MERGE_FRIEND, sq._MERGE_TAG
    for plan, merge_row in (("merge", 0.0), ("probe", 1e9)):
        sq._MERGE_FRIEND = sq._MERGE_TAG = merge_row
        out[plan] = sq.compile_tree(tree, "count(*)")
    sq._MERGE_FRIEND, sq._MERGE_TAG = saved
    exists = sq._Compiler(names, sq.dt.date.today(), None)
    out["exists"] = (f"SELECT count(*) FROM friend f WHERE f.status = 'following' AND {exists.pred(tree)}",
                     exists.params)
    compound = sq._Compiler(names, sq.dt.date.today(), None)
    body = _compound(tree, names, compound)
    out["compound"] = (f"SELECT count(*) FROM ({body} INTERSECT SELECT id FROM friend WHERE status = 'following')",
                       compound.params)
    return out


def timed(fn, runs: int) -> list[float]:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        fn()
        times.append((time.perf_counter() - start) * 1000)
    return times


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--friends", type=int, default=100_000)
    ap.add_argument("--runs", type=int, default=15)
    args = ap.parse_args()
    build(Path(__file__).parent / "out" / f"shop-{args.friends}", args.friends)
    links = db.execute_sql("SELECT count(*) FROM friend_tag").fetchone()[0]
    print(f"{args.friends} friends, {links} tag links; median of {args.runs} runs, ms\n")
    print(f"{'api':>7} {'sql':>7} {'best':>7} {'ratio':>5}  {'plan':8} {'best of':9} {'count':>6}  expression")
    api_all, ratios = [], []
    shuffler = random.Random(7)
    for text in EXPRESSIONS:
        tree = parse(text)
        sql, params = sq.compile_tree(tree, "count(*)")
        others = formulations(tree)
        plan = "merge" if "ORDER BY 1" in sql else "probe"
        n = sq.count(tree)
        for name, (s, p) in others.items():
            assert db.execute_sql(s, p).fetchone()[0] == n, (text, name)
        api = timed(lambda t=tree: sq.count(t), args.runs)
        # Round robin in a shuffled order each round: a fixed order made the engine (always first,
        # right after the previous round's cache-thrashing compound query) 1.3x slower than a
        # byte-identical alternative.
        runs: dict[str, list[float]] = {name: [] for name in ("engine", *others)}
        order = [("engine", (sql, params)), *others.items()]
        for _ in range(args.runs):
            shuffler.shuffle(order)
            for name, (s, p) in order:
                runs[name] += timed(lambda s=s, p=p: db.execute_sql(s, p).fetchone(), 1)
        engine = statistics.median(runs.pop("engine"))
        alt = {name: statistics.median(times) for name, times in runs.items()}
        best = min(alt, key=alt.get)
        api_all += api
        ratios.append(engine / alt[best])
        print(f"{statistics.median(api):7.2f} {engine:7.2f} {alt[best]:7.2f} {engine / alt[best]:5.2f}  "
              f"{plan:8} {best:9} {n:6d}  {text}")
    q = statistics.quantiles(api_all, n=20)
    print(f"\ncount() over all runs: median {statistics.median(api_all):.2f} ms, p95 {q[-1]:.2f} ms")
    print(f"compiled SQL / best formulation: median {statistics.median(ratios):.2f}, worst {max(ratios):.2f}")


if __name__ == "__main__":
    main()
