"""Purchases and visits from the shop's register or web store, and each buying friend's RFM scores.

A row whose customer matches no friend is kept with `friend` NULL and its key in `customer`: triggers
attach it the moment a friend with that user ID arrives, or the friend field the shop links member
numbers through (ID連携, Setting purchases.member_field_id) gains that number, whoever writes it (the
friends import, an edit in the window, sync). Nothing a file held is dropped.
"""

from __future__ import annotations

from peewee import BlobField, CharField, DateTimeField, ForeignKeyField, IntegerField, TextField

from shopline.store.models import BaseModel, Friend, db

MEMBER_FIELD_KEY = "purchases.member_field_id"  # the Field.id holding member numbers, as text
RFM_STALE_KEY = "purchases.rfm_stale"  # "1" once a trigger attached purchases the scores do not count yet


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


def _attach(name: str, event: str, friend: str, key: str, when: str = "") -> str:
    pending = f"EXISTS (SELECT 1 FROM purchase WHERE friend_id IS NULL AND customer = {key})"
    return (f"CREATE TRIGGER IF NOT EXISTS {name} AFTER {event} WHEN {when}{pending} BEGIN "
            f"UPDATE purchase SET friend_id = {friend} WHERE friend_id IS NULL AND customer = {key}; {_STALE}; END")


TRIGGERS = (
    _attach("purchase_attach_friend", "INSERT ON friend", "NEW.id", "NEW.user_id"),
    _attach("purchase_attach_member_insert", "INSERT ON field_value", "NEW.friend_id", "NEW.text_value",
            f"NEW.field_id = {_MEMBER_FIELD} AND "),
    _attach("purchase_attach_member_update", "UPDATE OF text_value ON field_value", "NEW.friend_id",
            "NEW.text_value", f"NEW.field_id = {_MEMBER_FIELD} AND "),
)


def install() -> None:
    """The tables, the index unmatched rows are found by, and the triggers that attach them."""
    db.create_tables(PURCHASE_MODELS)
    # Partial: only unmatched rows, so the index stays as small as the rows still waiting for a friend.
    db.execute_sql("CREATE INDEX IF NOT EXISTS purchase_unmatched ON purchase (customer) WHERE friend_id IS NULL")
    for sql in TRIGGERS:
        db.execute_sql(sql)

