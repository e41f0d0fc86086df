"""The buying friends' RFM scores, recomputed from the purchases (rules in core.rfm, run in SQL by
store.purchase_models.RESCORE_ALL in one pass)."""

from __future__ import annotations

import threading
from collections.abc import Iterable, Sequence
from typing import Any

from peewee import fn

from shopline.core import rfm
from shopline.store import settings
from shopline.store.base import tuples
from shopline.store.dialect import insert_rows
from shopline.store.models import db
from shopline.store.purchase_models import BOUNDS, RESCORE_ALL, RFM_COLUMNS, PurchaseRfm, bounds_value


class Tally:
    """Each friend's last purchase, orders and spend, summed from the rows an import stores as it stores them: when
    the table held nothing before, these are the totals RESCORE_ALL would read back from a million rows."""

    def __init__(self) -> None:
        self.last: dict[int, str] = {}
        self.spent: dict[int, int] = {}
        self.orders: dict[int, int] = {}
        self.previous: tuple[Any, ...] = ()  # (friend, order ID, time) of the last row added
        self._scoring: threading.Thread | None = None
        self._result: tuple[list[tuple[object, ...]], dict[str, list[object]]] | None = None
        self.seen: set[int] = set()  # hashes of (friend, order ID) or (friend, None, time): order_key()'s

    def add(self, rows: Iterable[Sequence[Any]]) -> None:
        """Rows in the importer's column order (friend_id, customer, at, order_id, item, quantity, amount, ...)."""
        last, spent, orders, seen = self.last, self.spent, self.orders, self.seen
        last_get, spent_get, orders_get, add = last.get, spent.get, orders.get, seen.add
        previous = self.previous
        for row in rows:
            friend = row[0]
            if friend is None:
                continue
            at, order, amount = row[2], row[3], row[6]
            if amount is not None:
                spent[friend] = spent_get(friend, 0) + amount
            # An order's lines come one after another at one time: the first is counted and looked up for them all.
            if (friend, order, at) == previous:
                continue
            previous = (friend, order, at)
            if at > last_get(friend, ""):  # 'YYYY-MM-DD HH:MM:SS' text
                last[friend] = at
            # The order's hash, not the order: a million rows' keys held as tuples cost 130 MB of the import's
            # 400. Two of ~500,000 orders sharing a 64-bit hash (a chance of about 1 in 10^8) would count as one.
            key = hash((friend, order) if order else (friend, None, at))
            if key not in seen:
                add(key)
                orders[friend] = orders_get(friend, 0) + 1
        self.previous = previous

    def score_meanwhile(self) -> None:
        """Score in a thread while SQLite builds the table's indexes (it lets go of the GIL meanwhile), so the
        scoring costs the import no time of its own."""
        self._scoring = threading.Thread(target=self._score, name="rfm-tally", daemon=True)
        self._scoring.start()

    def scored(self) -> tuple[list[tuple[object, ...]], dict[str, list[object]]]:
        """purchase_rfm's rows (core.rfm's scores, as RESCORE_ALL's window ranks give them) and BOUNDS's value."""
        if self._scoring is not None:
            self._scoring.join()
        if self._result is None:
            self._score()
        assert self._result is not None
        return self._result

    def _score(self) -> None:
        friends = list(self.last)
        measures: dict[str, list[Any]] = {"last_at": [self.last[f] for f in friends],
                                          "orders": [self.orders[f] for f in friends],
                                          "spent": [self.spent.get(f, 0) for f in friends]}
        scores = rfm.score(measures["last_at"], measures["orders"], measures["spent"])
        rows: list[tuple[object, ...]] = [
            (f, at, n, yen, s.r, s.f, s.m, s.group)
            for f, at, n, yen, s in zip(friends, *measures.values(), scores, strict=True)]
        marks = {"last_at": [s.r for s in scores], "orders": [s.f for s in scores], "spent": [s.m for s in scores]}
        # BOUNDS in Python: per measure, the largest value scoring below 2, 3, 4 and 5.
        bounds: dict[str, list[object]] = {}
        for column, values in measures.items():
            best: dict[int, Any] = {}
            for value, mark in zip(values, marks[column], strict=True):
                if mark not in best or value > best[mark]:
                    best[mark] = value
            below: list[object] = []
            for mark in range(1, 5):
                found = [best[k] for k in range(1, mark + 1) if k in best]
                below.append(max(found) if found else None)
            bounds[column] = below
        self._result = rows, bounds


def recompute(tally: Tally | None = None) -> int:
    """Score every friend with purchases again; returns how many were scored. Call inside the writer's transaction.
    `tally` holds every stored purchase's totals (an import into an empty table), so they need not be read back."""
    PurchaseRfm.delete().execute()
    if tally is None:
        db.execute_sql(RESCORE_ALL)
        bounds = bounds_value(db.execute_sql(BOUNDS).fetchone())
    else:
        rows, bounds = tally.scored()
        insert_rows(db, PurchaseRfm._meta.table_name, RFM_COLUMNS, rows)
    settings.write({settings.PURCHASES_RFM_BOUNDS: bounds, settings.PURCHASES_RFM_STALE: False})
    return int(PurchaseRfm.select().count())


def refresh_if_stale() -> bool:
    """Recompute when a trigger attached purchases since the last full scoring: the attached friend was scored at
    once against the last pass's boundaries, but everyone's rank may have moved a little."""
    if not settings.PURCHASES_RFM_STALE.get():
        return False
    with db.atomic():
        recompute()
    return True


def group_counts() -> dict[str, int]:
    """Friends per RFM group (every group present, zero when empty), in core.rfm.GROUPS order."""
    found: dict[str, int] = dict(tuples(
        PurchaseRfm.select(PurchaseRfm.grp, fn.COUNT(PurchaseRfm.friend)).group_by(PurchaseRfm.grp)))
    return {code: found.get(code, 0) for code in rfm.GROUPS}
