"""Friend search at 100,000 friends: the folded column against the old three-column LIKE, in the same run.

    python3 bench/bench_search.py [FRIENDS]

Prints each search's time and its ratio to the baseline (LIKE over name, ID and memo as stored, which
could not find "ＡＢ" from "AB"), and the import's time with the column's triggers against without them.
"""

from __future__ import annotations

import operator
import statistics
import sys
import tempfile
import time
from functools import reduce
from pathlib import Path

from peewee import SQL, NodeList

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from shopline.demo import write_demo_csv  # noqa: E402
from shopline.store import close_store, db, friends, open_store  # noqa: E402
from shopline.store.models import Friend  # noqa: E402

WORDS = ["佐藤", "ｻﾄｳ", "vip", "U0", "デモ", "花子", "zzz"]


def _time(fn, repeat: int = 5) -> float:
    runs = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        runs.append(time.perf_counter() - start)
    return statistics.median(runs)


def _unfolded(term: str):
    """The search before the column: the word as typed, LIKE over each stored column."""
    like = SQL("LIKE ? ESCAPE '\\'", [friends._like(term)])
    return reduce(operator.or_, [NodeList((c, like)) for c in (Friend.display_name, Friend.user_id, Friend.memo)])


def _baseline(word: str) -> list[int]:
    folded = friends._matches
    friends._matches = _unfolded
    try:
        return friends.friend_ids(word, order="id")
    finally:
        friends._matches = folded


def _import(folder: Path, csv_path: Path, triggers: bool) -> float:
    from shopline.csvio.importer import import_csv

    open_store(folder)
    if not triggers:
        db.execute_sql("DROP TRIGGER friend_search_insert")
        db.execute_sql("DROP TRIGGER friend_search_update")
    start = time.perf_counter()
    import_csv(csv_path)
    seconds = time.perf_counter() - start
    return seconds


def main() -> None:
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 100_000
    with tempfile.TemporaryDirectory() as tmp:
        csv_path = write_demo_csv(Path(tmp) / "demo.csv", n, seed=5)
        plain = _import(Path(tmp) / "plain", csv_path, triggers=False)
        close_store()
        folded = _import(Path(tmp) / "folded", csv_path, triggers=True)
        print(f"import of {n:,} friends: {folded:.2f} s with the search column, {plain:.2f} s without "
              f"(ratio {folded / plain:.2f})")
        for word in WORDS:
            base = _time(lambda w=word: _baseline(w))
            ours = _time(lambda w=word: friends.friend_ids(w, order="id"))
            found = len(friends.friend_ids(word, order="id"))
            print(f"search {word!r}: {ours * 1000:.1f} ms ({found:,} found), baseline {base * 1000:.1f} ms, "
                  f"ratio {ours / base:.2f}")
        close_store()


if __name__ == "__main__":
    main()
