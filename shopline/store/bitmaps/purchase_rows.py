"""Every matched purchase as parallel arrays, for the purchase conditions a last-purchase time cannot answer:
counts of orders (two and more), amounts spent, and one item's purchases, with or without a window of days.

Read in one pass and kept while the database's state holds. A window compares the purchase's day (the first
ten characters of its time) with the window's first day: for a ten-character day D, `at >= D` holds exactly
when `at[:10] >= D`, which is how purchase_sql compares. An order is the compiler's order_key (its order ID,
or without one its time) within one friend. The rows are kept in day order, so a window is a slice;
filtering and counting run in C (itertools, Counter); only the amounts are summed in a Python loop, over
the window's rows.
"""

from __future__ import annotations

import json
import operator
import sqlite3
from array import array
from bisect import bisect_left
from collections import Counter
from collections.abc import Iterable
from itertools import compress, count
from typing import Any

from pyroaring import BitMap

from shopline.store.bitmaps.unindexable import Unindexable

_SEPARATOR = "\x1f"
OPS = {"=": operator.eq, "!=": operator.ne, "<": operator.lt, "<=": operator.le, ">": operator.gt,
       ">=": operator.ge}


class PurchaseRows:
    def __init__(self, friends: array[int], days: list[str], orders: array[int], items: array[int],
                 item_codes: dict[str, int], amounts: array[int]) -> None:
        self.day_list = sorted(set(days))
        rank = {day: i for i, day in enumerate(self.day_list)}
        ranks = array("I", map(rank.__getitem__, days))
        # The rows in day order, so a window of days is a slice from its first day to the end.
        by_day = sorted(range(len(ranks)), key=ranks.__getitem__)
        self.order_friend = friends  # an order's number is the row (in the read order) where it first appears
        self.friends = array("I", map(friends.__getitem__, by_day))
        self.orders = array("I", map(orders.__getitem__, by_day))
        self.items = array("I", map(items.__getitem__, by_day))
        self.amounts = array("q", map(amounts.__getitem__, by_day))
        self.ranks = array("I", map(ranks.__getitem__, by_day))
        self.item_codes = item_codes

    @classmethod
    def load(cls, connection: sqlite3.Connection) -> PurchaseRows:
        key = "CASE WHEN order_id != '' THEN 'o' || order_id ELSE 't' || at END"  # purchase_models.order_key
        row = connection.execute(
            f"SELECT group_concat(friend_id), group_concat(substr(at, 1, 10), char(31)), "
            f"group_concat({key}, char(31)), group_concat(item, char(31)), group_concat(ifnull(amount, 0)), "
            f"total(typeof(at) != 'text') + total(typeof(item) != 'text') "
            f"+ total(typeof(amount) NOT IN ('integer', 'null')), count(*) "
            f"FROM purchase WHERE friend_id IS NOT NULL").fetchone()
        joined_friends, joined_days, joined_keys, joined_items, joined_amounts, strangers, n = row
        if strangers:
            raise Unindexable("purchase")
        if not n:
            return cls(array("I"), [], array("I"), array("I"), {}, array("q"))
        friends: list[int] = json.loads("[" + joined_friends + "]")
        days, keys = joined_days.split(_SEPARATOR), joined_keys.split(_SEPARATOR)
        items, amounts = joined_items.split(_SEPARATOR), json.loads("[" + joined_amounts + "]")
        if not len(friends) == len(days) == len(keys) == len(items) == len(amounts) == n:
            raise Unindexable("purchase")  # a text held the separator
        # Each order is numbered by the row where it first appears, so its friend is friends[number].
        order_of: dict[tuple[int, str], int] = {}
        orders = array("I", map(order_of.setdefault, zip(friends, keys, strict=True), count()))
        item_codes: dict[str, int] = {}
        item_array = array("I", map(item_codes.setdefault, items, count()))
        return cls(array("I", friends), days, orders, item_array, item_codes, array("q", amounts))

    def _rows(self, args: dict[str, Any], cutoff: str | None) -> tuple[Iterable[int], Iterable[int], Iterable[int]]:
        """The friends, order numbers and amounts of the rows the condition's window and item keep."""
        start = 0 if cutoff is None else bisect_left(self.ranks, bisect_left(self.day_list, cutoff))
        friends, orders, amounts = self.friends[start:], self.orders[start:], self.amounts[start:]
        if "item" not in args:
            return friends, orders, amounts
        code = self.item_codes.get(str(args["item"]))
        if code is None:
            return (), (), ()
        keep = list(map(code.__eq__, self.items[start:]))
        return compress(friends, keep), compress(orders, keep), compress(amounts, keep)

    def count(self, op: str, n: int, args: dict[str, Any], cutoff: str | None, following: BitMap) -> BitMap:
        """purchases(...) op n: distinct orders in the window, 0 for a friend with none (as the compiler's count)."""
        _, orders, _ = self._rows(args, cutoff)
        return _compare(Counter(map(self.order_friend.__getitem__, set(orders))), op, n, following)

    def spent(self, op: str, yen: int, args: dict[str, Any], cutoff: str | None, following: BitMap) -> BitMap:
        """spent(...) op yen: the window's amounts summed, 0 for a friend without any."""
        friends, _, amounts = self._rows(args, cutoff)
        totals: dict[int, int] = {}
        get = totals.get
        for friend, amount in zip(friends, amounts, strict=True):
            totals[friend] = get(friend, 0) + amount
        return _compare(totals, op, yen, following)

    def nbytes(self) -> int:
        return 4 * (2 * len(self.friends) + len(self.orders) + len(self.items) + len(self.ranks)) + \
            8 * len(self.amounts)


def _compare(values: dict[int, int], op: str, n: int, following: BitMap) -> BitMap:
    test = OPS[op]
    found = BitMap(friend for friend, value in values.items() if test(value, n))
    # A friend the window holds nothing of counts 0, as coalesce(sum, 0) and count() make it in SQL.
    return found | (following - BitMap(values)) if test(0, n) else found
