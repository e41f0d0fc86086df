"""The 購買 conditions and days_since(FIELD) as predicates on the friend row `f`, for segment_sql's one query.

Each is a probe on the friend's own keys: purchase's (friend_id, at) index answers "any purchase since D"
with one seek and the last purchase with one more (the end of the friend's range, ORDER BY at DESC LIMIT 1);
counts and sums walk only the friend's rows in the window; RFM is a primary-key probe on purchase_rfm.
A friend without the value (no purchase, no date) never matches a comparison, yet matches its NOT; a count
or a sum of nothing is 0, so `purchases < 1` and `spent < 1000` include those who never bought.

Times are the shop's local 'YYYY-MM-DD HH:MM:SS' text, so a day's bounds are its date string and the next's:
"the last purchase is on or before D" is `last < D+1`, a comparison on the indexed column itself.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from shopline.core.segments import Compare
from shopline.core.segments.fields import DATE_BUILTINS
from shopline.store.purchase_models import order_key

PURCHASE_NAMES = frozenset({"purchases", "spent", "days_since_purchase", "days_since", "rfm_r", "rfm_f", "rfm_m",
                            "rfm_group"})
_MIRROR = {"=": "=", "!=": "!=", "<": ">", "<=": ">=", ">": "<", ">=": "<="}
_RFM_COLUMNS = {"rfm_r": "r", "rfm_f": "f", "rfm_m": "m", "rfm_group": "grp"}
Bind = Callable[..., str]


def purchase_predicate(node: Compare, bind: Bind, today: dt.date, fields: dict[str, tuple[int, str]]) -> str:
    args = dict(node.args)
    if node.name in _RFM_COLUMNS:
        return (f"EXISTS (SELECT 1 FROM purchase_rfm s WHERE s.friend_id = f.id "
                f"AND s.{_RFM_COLUMNS[node.name]} {node.op} {bind(node.value)})")
    if node.name == "days_since":
        return _days_since(str(args["field"]), node.op, int(node.value), bind, today, fields)
    if node.name == "days_since_purchase":
        cut = today - dt.timedelta(days=int(node.value))
        # Read off the end of the friend's (friend_id, at) range: max(at) walked all of a frequent buyer's rows.
        last = "(SELECT p.at FROM purchase p WHERE p.friend_id = f.id ORDER BY p.at DESC LIMIT 1)"
        return f"coalesce({_date_compare(last, _MIRROR[node.op], cut, bind)}, 0)"
    where = "p.friend_id = f.id"
    if "item" in args:
        where += f" AND p.item = {bind(args['item'])}"
    if "days" in args:
        where += f" AND p.at >= {bind((today - dt.timedelta(days=int(args['days']))).isoformat())}"
    if node.name == "spent":
        return f"(SELECT coalesce(sum(p.amount), 0) FROM purchase p WHERE {where}) {node.op} {bind(node.value)}"
    n = int(node.value)
    if (node.op, n) in ((">=", 1), (">", 0), ("!=", 0)):
        return f"EXISTS (SELECT 1 FROM purchase p WHERE {where})"
    if (node.op, n) in (("<", 1), ("<=", 0), ("=", 0)):
        return f"NOT EXISTS (SELECT 1 FROM purchase p WHERE {where})"
    return f"(SELECT count(DISTINCT {order_key('p')}) FROM purchase p WHERE {where}) {node.op} {bind(n)}"


def _days_since(name: str, op: str, days: int, bind: Bind, today: dt.date,
                fields: dict[str, tuple[int, str]]) -> str:
    """days_since(X) op N holds when X's date is on the mirrored side of today - N (like friend_days)."""
    cut = (today - dt.timedelta(days=days)).isoformat()
    if name in DATE_BUILTINS:
        return f"(f.{name} IS NOT NULL AND f.{name} {_MIRROR[op]} {bind(cut)})"
    # Bound in the order they appear. The unary + keeps SQLite on the (friend, field) key, as custom fields do.
    field = bind(fields[name][0])
    return (f"EXISTS (SELECT 1 FROM field_value v WHERE v.friend_id = f.id AND v.field_id = {field} "
            f"AND v.text_value != '' AND +v.text_value {_MIRROR[op]} {bind(cut)})")


def _date_compare(stamp: str, op: str, day: dt.date, bind: Bind) -> str:
    """`date(stamp) op day` for 'YYYY-MM-DD HH:MM:SS' text, as ranges on the stamp itself."""
    start, end = day.isoformat(), (day + dt.timedelta(days=1)).isoformat()
    if op == "<=":
        return f"{stamp} < {bind(end)}"
    if op == "<":
        return f"{stamp} < {bind(start)}"
    if op == ">=":
        return f"{stamp} >= {bind(start)}"
    if op == ">":
        return f"{stamp} >= {bind(end)}"
    inside = f"({stamp} >= {bind(start)} AND {stamp} < {bind(end)})"
    return inside if op == "=" else f"NOT {inside}"
