"""The buying friends' RFM scores, recomputed from the purchases (rules in core.rfm, run in SQL by
store.purchase_models.RESCORE_ALL in one pass)."""

from __future__ import annotations

from peewee import fn

from shopline.core import rfm
from shopline.store import settings
from shopline.store.base import tuples
from shopline.store.models import db
from shopline.store.purchase_models import BOUNDS, RESCORE_ALL, PurchaseRfm, bounds_value


def recompute() -> int:
    """Score every friend with purchases again; returns how many were scored. Call inside the writer's transaction."""
    PurchaseRfm.delete().execute()
    db.execute_sql(RESCORE_ALL)
    settings.write({settings.PURCHASES_RFM_BOUNDS: bounds_value(db.execute_sql(BOUNDS).fetchone()),
                    settings.PURCHASES_RFM_STALE: False})
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
