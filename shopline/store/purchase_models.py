"""Purchases and visits from the shop's register or web store, and each buying friend's RFM scores.

A row whose customer matches no friend is kept with `friend` NULL and its key in `customer`: triggers
attach it the moment a friend with that user ID arrives, or the friend field the shop links member
numbers through (ID連携, Setting purchases.member_field_id) gains that number, whoever writes it (the
friends import, an edit in the window, sync). Nothing a file held is dropped.
"""

from __future__ import annotations

from peewee import BlobField, CharField, DateTimeField, ForeignKeyField, IntegerField, TextField

from shopline.store import settings
from shopline.store.models import BaseModel, Friend, db

# Declared in store/settings.py; the triggers read and write them in SQL, so their keys are spelled here too.
MEMBER_FIELD_KEY = settings.PURCHASES_MEMBER_FIELD.key  # the Field.id holding member numbers, as text
RFM_STALE_KEY = settings.PURCHASES_RFM_STALE.key  # set once a trigger attached purchases: the others' scores drift
RFM_BOUNDS_KEY = settings.PURCHASES_RFM_BOUNDS.key  # {"last_at": [t2..t5], "orders": [...], "spent": [...]}


class Purchase(BaseModel):
    """One item line of an order, or a visit (no item). `at` is the shop's local time, as the register wrote it."""

    friend = ForeignKeyField(Friend, null=True, on_delete="SET NULL", column_name="friend_id", index=False)
    customer = CharField(max_length=80)  # the user ID or member number as the file gave it (folded)
    at = DateTimeField()
    order_id = CharField(max_length=80, default="")
    item = TextField(default="")  # folded (core.purchase_values.item_key); "" for a visit
    quantity = IntegerField(null=True)
    amount = IntegerField(null=True)  # yen; a refund is negative
    store = CharField(max_length=80, default="")
    source = CharField(max_length=120, default="")  # the file's name
    dedupe = BlobField(unique=True)  # what makes importing the same file twice add nothing

    class Meta:
        indexes = ((("friend", "at"), False),)


class PurchaseRfm(BaseModel):
    """Scores of a friend with purchases, recomputed after each import (shopline.purchases.rfm)."""

    friend = ForeignKeyField(Friend, on_delete="CASCADE", column_name="friend_id", primary_key=True)
    last_at = DateTimeField()
    orders = IntegerField()
    spent = IntegerField()
    r = IntegerField()
    f = IntegerField()
    m = IntegerField()
    grp = CharField(max_length=10)  # core.rfm.GROUPS code

    class Meta:
        without_rowid = True


def order_key(p: str) -> str:
    """SQL naming the order a row of purchase alias p belongs to: its order ID, or without one its time
    (a register's lines of one receipt share it; a visit is its own order)."""
    return f"CASE WHEN {p}.order_id != '' THEN 'o' || {p}.order_id ELSE 't' || {p}.at END"


PURCHASE_MODELS: list[type[BaseModel]] = [Purchase, PurchaseRfm]

_MEMBER_FIELD = f"(SELECT CAST(value AS INTEGER) FROM setting WHERE key = '{MEMBER_FIELD_KEY}')"
_STALE = f"INSERT OR REPLACE INTO setting (key, value) VALUES ('{RFM_STALE_KEY}', '1')"
RFM_COLUMNS = ("friend_id", "last_at", "orders", "spent", "r", "f", "m", "grp")
_RFM_COLUMNS = ", ".join(RFM_COLUMNS)


def _group(r: str, f: str) -> str:
    """core.rfm.group() in SQL (tests hold the two equal for every pair of scores)."""
    return (f"CASE WHEN {r} = 1 THEN 'dormant' WHEN {r} = 2 THEN 'at_risk' WHEN {r} >= 4 AND {f} >= 4 THEN 'best' "
            f"WHEN {f} = 1 AND {r} >= 3 THEN 'new' ELSE 'steady' END")


def _totals(where: str) -> str:
    return (f"SELECT p.friend_id AS friend_id, max(p.at) AS last_at, count(DISTINCT {order_key('p')}) AS orders, "
            f"coalesce(sum(p.amount), 0) AS spent FROM purchase p WHERE {where} GROUP BY p.friend_id")


# core.rfm.quintiles() in one pass: rank() - 1 counts the friends with a strictly lower value.
RESCORE_ALL = (
    f"INSERT INTO purchase_rfm ({_RFM_COLUMNS}) SELECT friend_id, last_at, orders, spent, r, f, m, {_group('r', 'f')} "
    "FROM (SELECT t.*, 1 + 5 * (rank() OVER (ORDER BY last_at) - 1) / count(*) OVER () AS r, "
    "1 + 5 * (rank() OVER (ORDER BY orders) - 1) / count(*) OVER () AS f, "
    "1 + 5 * (rank() OVER (ORDER BY spent) - 1) / count(*) OVER () AS m "
    f"FROM ({_totals('p.friend_id IS NOT NULL')}) t)")


_MEASURES = (("r", "last_at"), ("f", "orders"), ("m", "spent"))

# After a full pass, the largest value scoring below s is where s begins: a value above it scores at least s
# (core.rfm.quintiles: score >= s exactly when at least ceil((s-1)n/5) friends have a lower value).
BOUNDS = "SELECT " + ", ".join(f"max(CASE WHEN {score} < {s} THEN {column} END)"
                               for score, column in _MEASURES for s in range(2, 6)) + " FROM purchase_rfm"


def bounds_value(row: tuple[object, ...]) -> dict[str, list[object]]:
    """BOUNDS's one row as the setting RFM_BOUNDS_KEY holds it."""
    return {column: list(row[4 * i:4 * i + 4]) for i, (_score, column) in enumerate(_MEASURES)}


def _rescore_one(friend: str) -> str:
    """The friend's totals, and scores read off the boundaries of the last full pass: O(1) however many friends
    bought, so a friends import attaching thousands stays fast. Scores are exact for the distribution the
    boundaries came from; the stale flag has the next full pass redo everyone."""
    bounds = f"(SELECT value FROM setting WHERE key = '{RFM_BOUNDS_KEY}')"

    def score(column: str) -> str:
        return "1 + " + " + ".join(f"coalesce(t.{column} > json_extract({bounds}, '$.{column}[{i}]'), 0)"
                                   for i in range(4))

    return (f"INSERT OR REPLACE INTO purchase_rfm ({_RFM_COLUMNS}) "
            f"SELECT friend_id, last_at, orders, spent, r, f, m, {_group('r', 'f')} FROM ("
            f"SELECT t.*, {score('last_at')} AS r, {score('orders')} AS f, {score('spent')} AS m "
            f"FROM ({_totals(f'p.friend_id = {friend}')}) t)")


def _attach(name: str, event: str, friend: str, key: str, when: str = "") -> str:
    pending = f"EXISTS (SELECT 1 FROM purchase WHERE friend_id IS NULL AND customer = {key})"
    return (f"CREATE TRIGGER {name} AFTER {event} WHEN {when}{pending} BEGIN "
            f"UPDATE purchase SET friend_id = {friend} WHERE friend_id IS NULL AND customer = {key}; "
            f"{_rescore_one(friend)}; {_STALE}; END")


TRIGGERS = {
    "purchase_attach_friend": _attach("purchase_attach_friend", "INSERT ON friend", "NEW.id", "NEW.user_id"),
    "purchase_attach_member_insert": _attach(
        "purchase_attach_member_insert", "INSERT ON field_value", "NEW.friend_id", "NEW.text_value",
        f"NEW.field_id = {_MEMBER_FIELD} AND "),
    "purchase_attach_member_update": _attach(
        "purchase_attach_member_update", "UPDATE OF text_value ON field_value", "NEW.friend_id", "NEW.text_value",
        f"NEW.field_id = {_MEMBER_FIELD} AND "),
}


def install() -> None:
    """The tables, the index unmatched rows are found by, and the triggers that attach them (made again, so a
    store made by an earlier version gets the current bodies)."""
    db.create_tables(PURCHASE_MODELS)
    # Partial: only unmatched rows, so the index stays as small as the rows still waiting for a friend.
    db.execute_sql("CREATE INDEX IF NOT EXISTS purchase_unmatched ON purchase (customer) WHERE friend_id IS NULL")
    for name, sql in TRIGGERS.items():
        db.execute_sql(f"DROP TRIGGER IF EXISTS {name}")
        db.execute_sql(sql)
