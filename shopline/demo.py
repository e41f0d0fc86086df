"""A synthetic demo shop: Japanese names, prefectures, birthdays and tags, clearly marked as demo data.

It goes through the same CSV path a shop's own data takes, so trying the demo
also exercises (and benchmarks) the real import.
"""

from __future__ import annotations

import csv
import datetime as dt
import random
import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path

from shopline import demo_data as w
from shopline.store.models import Friend, Setting, Tag

HEADERS = ["ユーザーID", "表示名", "性別", "誕生日", "地域", "友だち追加日", "状態", "タグ", "メモ",
           "会員ランク", "来店回数", "最終来店日"]
DEMO_MEMO = "デモデータ"
DEMO_SETTING = "demo_shop"


def demo_tag_names() -> list[str]:
    """About 300 tags in five folders: the core ones, products bought, interests, stores, campaigns."""
    names = list(w.CORE_TAGS)
    names += [f"購入_{p}" for p in w.PRODUCTS]
    names += [f"好き_{p}" for p in w.PRODUCTS]
    names += [f"興味_{i}" for i in w.INTERESTS]
    names += [f"店舗_{s}" for s in w.STORES]
    names += [f"{s}_{i}" for s in w.STORES for i in w.INTERESTS]
    names += [f"キャンペーン_{y}年{m}月" for y in (2024, 2025, 2026) for m in range(1, 13)]
    return names


def tag_folder(name: str) -> str:
    head = name.split("_", 1)[0]
    if name in w.CORE_TAGS:
        return "顧客"
    if head in ("購入", "好き"):
        return "商品"
    if head == "興味":
        return "興味"
    if head == "キャンペーン":
        return "キャンペーン"
    return "店舗"


def demo_rows(n: int, seed: int = 1, today: dt.date | None = None) -> Iterator[list[str]]:
    """n rows in HEADERS order; the same seed always gives the same shop."""
    rng = random.Random(seed)
    today = today or dt.date.today()
    tags = demo_tag_names()
    # Zipf-like weights: a few tags are on many friends, most on a few, as in a real shop.
    weights = [1.0 / (i + 1) ** 0.8 for i in range(len(tags))]
    regions, region_w = list(w.REGION_WEIGHTS), list(w.REGION_WEIGHTS.values())
    for _ in range(n):
        r = rng.random()
        gender = "女性" if r < 0.58 else "男性" if r < 0.93 else "その他" if r < 0.96 else ""
        given = rng.choice(w.FEMALE_NAMES if gender == "女性" else w.MALE_NAMES)
        name = f"{rng.choice(w.FAMILY_NAMES)} {given}" if rng.random() < 0.7 else given
        birthday = ""
        if rng.random() < 0.75:
            birthday = (today - dt.timedelta(days=rng.randint(16 * 365, 75 * 365))).strftime("%Y/%m/%d")
        followed = today - dt.timedelta(days=int(rng.expovariate(1 / 400)) % 2500)
        status = "ブロック" if rng.random() < 0.08 else "友だち"
        count = max(0, min(14, int(rng.gauss(7, 2.5))))
        chosen = set(rng.choices(tags, weights, k=count))
        visits = int(rng.expovariate(1 / 8))
        last = (today - dt.timedelta(days=rng.randint(0, 400))).isoformat() if visits else ""
        yield [
            f"U{rng.getrandbits(128):032x}", name, gender, birthday,
            rng.choices(regions, region_w)[0], followed.isoformat(), status, ";".join(sorted(chosen)),
            DEMO_MEMO, w.RANKS[min(3, visits // 10)], str(visits), last,
        ]


def write_demo_csv(path: Path, n: int, seed: int = 1, encoding: str = "utf-8-sig") -> Path:
    with open(path, "w", encoding=encoding, newline="") as f:
        out = csv.writer(f)
        out.writerow(HEADERS)
        out.writerows(demo_rows(n, seed))
    return path


def load_demo(n: int = 2000, seed: int = 1, progress: Callable[[int, int], None] | None = None,
              cancelled: Callable[[], bool] | None = None):
    """Fill the open store with a demo shop through the real CSV import; returns the ImportReport."""
    from shopline.csvio.importer import import_csv

    with tempfile.TemporaryDirectory() as tmp:
        path = write_demo_csv(Path(tmp) / "demo.csv", n, seed)
        report = import_csv(path, progress=progress, cancelled=cancelled)
    for name in {tag_folder(t) for t in demo_tag_names()}:
        Tag.update(folder=name).where(Tag.name.in_([t for t in demo_tag_names() if tag_folder(t) == name])).execute()
    Friend.update(source="demo").where(Friend.memo == DEMO_MEMO).execute()
    Setting.replace(key=DEMO_SETTING, value="1").execute()
    return report
