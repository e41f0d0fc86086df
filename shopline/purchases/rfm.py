"""The buying friends' RFM scores, recomputed from the purchases (rules in core.rfm)."""

from __future__ import annotations

from peewee import fn

from shopline.core import rfm
from shopline.store import dialect
from shopline.store.base import tuples
from shopline.store.models import Setting, db
from shopline.store.purchase_models import RFM_STALE_KEY, PurchaseRfm, order_key

_COLUMNS = ("friend_id", "last_at", "orders", "spent", "r", "f", "m", "grp")


def recompute() -> int:
    """Score every friend with purchases again; returns how many were scored. Call inside the writer's transaction."""
    rows = db.execute_sql(
        f"SELECT p.friend_id, max(p.at), count(DISTINCT {order_key('p')}), coalesce(sum(p.amount), 0) "
        "FROM purchase p WHERE p.friend_id IS NOT NULL GROUP BY p.friend_id").fetchall()
    PurchaseRfm.delete().execute()
    if rows:
        scores = rfm.score([str(r[1]) for r in rows], [r[2] for r in rows], [r[3] for r in rows])
        dialect.insert_rows(db, PurchaseRfm._meta.table_name, _COLUMNS,
                            ((*row, s.r, s.f, s.m, s.group) for row, s in zip(rows, scores, strict=True)))
    Setting.delete().where(Setting.key == RFM_STALE_KEY).execute()
    return len(rows)


def refresh_if_stale() -> bool:
    """Recompute when a trigger attached purchases since the last scoring (a friend gained a member number)."""
    if Setting.get_or_none(Setting.key == RFM_STALE_KEY) is None:
        return False
    with db.atomic():
        recompute()
    return True


def group_counts() -> dict[str, int]:
    """Friends per RFM group (every group present, zero when empty), in core.rfm.GROUPS order."""
    found: dict[str, int] = dict(tuples(
        PurchaseRfm.select(PurchaseRfm.grp, fn.COUNT(PurchaseRfm.friend)).group_by(PurchaseRfm.grp)))
    return {code: found.get(code, 0) for code in rfm.GROUPS}
