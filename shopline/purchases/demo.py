"""Made-up register exports for benchmarks and trying the app: item lines of orders and visits, in CP932 by default.

Deterministic for a seed. Customers are the demo friends' user IDs (friend_user_id(n)) for most rows and
member numbers for the rest, so a file exercises both ways of matching.
"""

from __future__ import annotations

import csv
import datetime as dt
import random
from pathlib import Path

ITEMS = ("あんぱん", "食パン", "クリームパン", "メロンパン", "カレーパン", "クロワッサン", "ベーグル", "コーヒー",
         "カフェラテ", "焼き菓子セット", "化粧水", "乳液", "美容液", "ハンドクリーム", "ギフト券")
PRICES = {item: 150 + 70 * i for i, item in enumerate(ITEMS)}
HEADERS = ("注文日時", "注文番号", "会員番号", "商品名", "数量", "小計", "店舗")
STORES = ("本店", "駅前店", "オンライン")


def friend_user_id(n: int) -> str:
    return f"U{n:032x}"


def member_number(n: int) -> str:
    return f"M{n:07d}"


def write_purchases(path: Path, rows: int, *, friends: int, seed: int = 7, encoding: str = "cp932",
                    end: dt.datetime = dt.datetime(2025, 12, 31, 20, 0)) -> int:
    """About `rows` item lines over two years for `friends` customers; returns the rows written."""
    rng = random.Random(seed)
    written = 0
    order = 0
    with open(path, "w", encoding=encoding, newline="") as f:
        out = csv.writer(f, lineterminator="\r\n")
        out.writerow(HEADERS)
        while written < rows:
            order += 1
            # Low numbers buy far more often than high ones (a square skews the uniform draw); one customer in
            # eleven is no friend (yet), as in a real register.
            n = int((friends + friends // 10) * rng.random() ** 2)
            customer = friend_user_id(n) if n % 5 else member_number(n)
            at = (end - dt.timedelta(minutes=rng.randrange(2 * 365 * 24 * 60))).strftime("%Y/%m/%d %H:%M")
            store = STORES[order % 3]
            for _ in range(min(rows - written, 1 + int(rng.expovariate(0.8)))):
                item = ITEMS[rng.randrange(len(ITEMS))]
                qty = 1 + int(rng.expovariate(2.0))
                out.writerow((at, f"R{order:08d}", customer, item, qty, f"¥{PRICES[item] * qty:,}".replace("¥", "\\"),
                              store))
                written += 1
    return written


def write_shop_purchases(path: Path, user_ids: list[str], *, today: dt.date, seed: int = 1) -> int:
    """The demo shop's register export: about six item lines per friend over the last 18 months before `today`, for
    three friends in four. How recently and how often a friend buys are drawn apart, so every RFM group has friends
    (buying again lately, lapsed, one visit only...). Returns the rows written."""
    rng = random.Random(seed)
    written = 0
    order = 0
    span = 540  # days: about 18 months
    with open(path, "w", encoding="utf-8", newline="") as f:
        out = csv.writer(f, lineterminator="\r\n")
        out.writerow(HEADERS)
        for user_id in user_ids:
            if rng.random() >= 0.75:
                continue
            orders = 1 + min(24, int(rng.expovariate(1 / 3.5)))
            last = rng.randrange(span)
            for k in range(orders):
                order += 1
                days = last if k == 0 else rng.randint(last, span - 1)
                day = today - dt.timedelta(days=days + 1)  # from yesterday back: nothing later than now
                stamp = f"{day:%Y/%m/%d} {rng.randint(10, 19):02d}:{rng.randrange(60):02d}"
                store = STORES[rng.randrange(len(STORES))]
                for _ in range(1 + int(rng.expovariate(0.8))):
                    item = ITEMS[rng.randrange(len(ITEMS))]
                    qty = 1 + int(rng.expovariate(2.0))
                    out.writerow((stamp, f"D{order:08d}", user_id, item, qty, PRICES[item] * qty, store))
                    written += 1
    return written
