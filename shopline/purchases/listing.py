"""Reading purchases back: a friend's timeline, the unmatched rows, totals, and the export the shop takes with it."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from peewee import JOIN, fn

from shopline.core.messages import ShopLineError, Text
from shopline.csvio.formulas import SafeWriter
from shopline.store.base import tuples
from shopline.store.models import Friend
from shopline.store.purchase_models import Purchase

EXPORT_HEADERS = ("お客様番号", "ユーザーID", "日時", "注文番号", "商品名", "数量", "金額", "店舗", "読込元")


@dataclass(frozen=True)
class PurchaseRow:
    id: int
    user_id: str | None  # the friend's, None while unmatched
    customer: str
    at: dt.datetime
    order_id: str
    item: str
    quantity: int | None
    amount: int | None
    store: str
    source: str


@dataclass(frozen=True)
class Totals:
    purchases: int  # rows (item lines and visits)
    spent: int
    first: dt.datetime | None
    last: dt.datetime | None


def _friend_id(user_id: str) -> int:
    uid = user_id.strip()
    friend = Friend.get_or_none(Friend.user_id == uid)
    if friend is None:
        raise ShopLineError(Text(f"ユーザーID {uid} の友だちはいません。`shopline friends` で確かめてください。",
                                 f"There is no friend with the user ID {uid}. Check with `shopline friends`."))
    return friend.id


def purchases(*, friend: int | str | None = None, unmatched: bool = False, limit: int | None = None,
              newest_first: bool = False) -> Iterator[PurchaseRow]:
    """Purchases in time order (or newest first): one friend's (by id or user ID), the unmatched ones, or all."""
    query = (Purchase.select(Purchase, Friend.user_id).join(Friend, JOIN.LEFT_OUTER,
                                                            on=(Purchase.friend == Friend.id)))
    if friend is not None:
        query = query.where(Purchase.friend == (_friend_id(friend) if isinstance(friend, str) else friend))
    if unmatched:
        query = query.where(Purchase.friend.is_null())
    rowid = Purchase.id  # type: ignore[attr-defined]  # peewee's implicit primary key
    order = (Purchase.at.desc(), rowid.desc()) if newest_first else (Purchase.at, rowid)
    query = query.order_by(*order)
    if limit is not None:
        query = query.limit(limit)
    for p in query.objects().iterator():
        yield PurchaseRow(p.id, p.user_id, p.customer, p.at, p.order_id, p.item, p.quantity, p.amount, p.store,
                          p.source)


def totals(friend_id: int) -> Totals:
    row = next(iter(tuples(Purchase.select(fn.COUNT(Purchase.dedupe), fn.COALESCE(fn.SUM(Purchase.amount), 0),
                                           fn.MIN(Purchase.at), fn.MAX(Purchase.at))
                           .where(Purchase.friend == friend_id))))
    count, spent, first, last = row
    return Totals(count, spent, _when(first), _when(last))


def _when(value: object) -> dt.datetime | None:
    if value is None or isinstance(value, dt.datetime):
        return value
    return dt.datetime.fromisoformat(str(value))


def export_purchases(path: Path, encoding: str = "utf-8-sig") -> int:
    """Every purchase with its friend's user ID, in a CSV `shopline purchases import` reads back as is;
    returns the rows written. Cells are neutralised against formulas, as every CSV the app writes."""
    rows = 0
    with open(path, "w", encoding=encoding, errors="replace", newline="") as f:
        out = SafeWriter(f, lineterminator="\r\n")
        out.writerow(EXPORT_HEADERS)
        for p in purchases():
            out.writerow([p.customer, p.user_id or "", p.at.isoformat(sep=" ") if isinstance(p.at, dt.datetime)
                          else str(p.at), p.order_id, p.item, "" if p.quantity is None else p.quantity,
                          "" if p.amount is None else p.amount, p.store, p.source])
            rows += 1
    return rows
