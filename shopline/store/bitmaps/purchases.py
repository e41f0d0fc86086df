"""The 購買 conditions the index answers itself, with the SQL compiler's meaning (store/purchase_sql.py).

Every friend's last purchase time is one Column (read off the end of each friend's (friend_id, at) range,
no sort): "a purchase since D" is "the last purchase is since D", so purchases(days=N) >= 1 and its
negations, and days_since_purchase, are bisections. Counts of two and more, one item's purchases and
amounts spent read every purchase (purchase_rows.py), a heavier piece loaded only when one is asked.
RFM scores are Columns of purchase_rfm, read as the compiler reads it. days_since(FIELD) is a comparison
on the date's own Column.
"""

from __future__ import annotations

import datetime as dt
import sqlite3

from pyroaring import BitMap

from shopline.core.segments import Compare
from shopline.core.segments.fields import DATE_BUILTINS
from shopline.store.bitmaps.index import Column, Index

_MIRROR = {"=": "=", "!=": "!=", "<": ">", "<=": ">=", ">": "<", ">=": "<="}
_RFM = {"rfm_r": "r", "rfm_f": "f", "rfm_m": "m", "rfm_group": "grp"}
# (op, n) of purchases(...) that ask only whether any purchase exists, as purchase_sql writes them.
_ANY = {(">=", 1), (">", 0), ("!=", 0)}
_NONE = {("<", 1), ("<=", 0), ("=", 0)}


def answers(node: Compare, fields: dict[str, tuple[int, str]]) -> bool:
    """Whether this module answers the leaf (else the SQL compiler does)."""
    args = dict(node.args)
    if node.name in _RFM or node.name == "days_since_purchase":
        return True
    if node.name in ("purchases", "spent"):
        return True
    if node.name == "days_since":
        return str(args.get("field")) in DATE_BUILTINS or str(args.get("field")) in fields
    return False


class Purchases:
    def __init__(self, connection: sqlite3.Connection, index: Index, today: dt.date, following: BitMap,
                 fields: dict[str, tuple[int, str]]) -> None:
        self.connection, self.index, self.today, self.following, self.fields = \
            connection, index, today, following, fields

    def leaf(self, node: Compare) -> BitMap:
        args = dict(node.args)
        if node.name in _RFM:
            return self.index.rfm_column(self.connection, _RFM[node.name]).compare(node.op, node.value)
        if node.name == "days_since":
            cut = (self.today - dt.timedelta(days=int(node.value))).isoformat()
            name = str(args["field"])
            if name in DATE_BUILTINS:
                column = self.index.friend_column(self.connection, name)
            else:
                column = self.index.field_column(self.connection, self.fields[name][0], False)
            return column.compare(_MIRROR[node.op], cut)
        cutoff = (self.today - dt.timedelta(days=int(args["days"]))).isoformat() if "days" in args else None
        shape = (node.op, int(node.value))
        if node.name == "spent" or node.name == "purchases" and ("item" in args or shape not in _ANY | _NONE):
            rows = self.index.purchase_rows(self.connection)
            if node.name == "spent":
                return rows.spent(node.op, int(node.value), args, cutoff, self.following)
            return rows.count(node.op, int(node.value), args, cutoff, self.following)
        last = self.index.last_purchase(self.connection)
        if node.name == "days_since_purchase":
            return _on_day(last, _MIRROR[node.op], self.today - dt.timedelta(days=int(node.value)))
        # purchases(days=N) >= 1 and the like: whether any purchase is at or after the window's first day.
        bought = last.compare(">=", cutoff) if cutoff is not None else last.everyone()
        return bought if shape in _ANY else self.following - bought


def _on_day(stamps: Column, op: str, day: dt.date) -> BitMap:
    """`date(stamp) op day` for 'YYYY-MM-DD HH:MM:SS' stamps, as purchase_sql's _date_compare reads it."""
    start, end = day.isoformat(), (day + dt.timedelta(days=1)).isoformat()
    if op == "<=":
        return stamps.compare("<", end)
    if op == "<":
        return stamps.compare("<", start)
    if op == ">=":
        return stamps.compare(">=", start)
    if op == ">":
        return stamps.compare(">=", end)
    inside = stamps.compare(">=", start) & stamps.compare("<", end)
    return inside if op == "=" else stamps.everyone() - inside
