"""ID連携: the friend field that holds the shop's member numbers, and the customer keys it matches."""

from __future__ import annotations

from shopline.core.folding import fold
from shopline.core.messages import ShopLineError, Text
from shopline.core.segments.errors import closest
from shopline.core.values import USER_ID_RE
from shopline.purchases import rfm
from shopline.store import settings
from shopline.store.base import tuples
from shopline.store.models import Field, FieldValue, Friend, db
from shopline.store.purchase_models import Purchase


def member_field() -> Field | None:
    field_id = settings.PURCHASES_MEMBER_FIELD.get()
    return Field.get_or_none(Field.id == field_id) if field_id > 0 else None


def set_member_field(name: str | None) -> int:
    """Link member numbers through the friend field `name` (None unlinks); returns how many waiting purchases
    attached to friends who already hold their number, with the RFM scores redone in the same transaction."""
    if not name:
        settings.PURCHASES_MEMBER_FIELD.clear()
        return 0
    field = Field.get_or_none(Field.name == fold(name))
    if field is None:
        near = closest(fold(name), (n for (n,) in tuples(Field.select(Field.name))))
        hint = (f"「{near}」ですか?", f" Did you mean \"{near}\"?") if near else ("", "")
        raise ShopLineError(Text(
            f"友だち情報の項目「{fold(name)}」はありません。{hint[0]}会員番号を入れた項目の名前を指定してください。",
            f"There is no friend field \"{fold(name)}\".{hint[1]} Name the field that holds member numbers."))
    with db.atomic():
        settings.PURCHASES_MEMBER_FIELD.set(field.id)
        attached = attach_waiting()
        if attached:
            rfm.recompute()
    return attached


def attach_waiting() -> int:
    """Unmatched purchases whose key a friend now has (user ID or member number): attached; returns how many.
    The triggers do this as friends are written; this catches up after the link field is chosen."""
    attached = Purchase.update(friend=Friend.select(Friend.id).where(Friend.user_id == Purchase.customer)).where(
        Purchase.friend.is_null() & Purchase.customer.in_(Friend.select(Friend.user_id))).execute()
    field = member_field()
    if field is not None:
        values = FieldValue.select(FieldValue.friend).where(
            (FieldValue.field == field.id) & (FieldValue.text_value == Purchase.customer))
        attached += Purchase.update(friend=values.limit(1)).where(
            Purchase.friend.is_null() & Purchase.customer.in_(
                FieldValue.select(FieldValue.text_value).where(FieldValue.field == field.id))).execute()
    return int(attached)


def customer_index() -> tuple[dict[str, int], dict[str, int]]:
    """(user ID -> friend id, member number -> friend id) for matching a file's customers in memory."""
    # The raw cursor, not model rows: a shop of 100,000 friends is read at every import.
    users: dict[str, int] = dict(db.execute_sql(Friend.select(Friend.user_id, Friend.id).sql()[0]))
    members: dict[str, int] = {}
    field = member_field()
    if field is not None:
        sql, params = FieldValue.select(FieldValue.text_value, FieldValue.friend).where(
            (FieldValue.field == field.id) & (FieldValue.text_value != "")).sql()
        for text, friend_id in db.execute_sql(sql, params):
            members.setdefault(fold(text), friend_id)
    return users, members


def match(customer: str, users: dict[str, int], members: dict[str, int]) -> int | None:
    if USER_ID_RE.match(customer):
        return users.get(customer)
    return members.get(customer)


def friends_for(customers: set[str]) -> dict[str, int]:
    """customer key -> friend id for just these keys (user IDs or member numbers): the preview's few rows."""
    if not customers:
        return {}
    keys = sorted(customers)
    found: dict[str, int] = dict(tuples(Friend.select(Friend.user_id, Friend.id).where(Friend.user_id.in_(keys))))
    field = member_field()
    if field is not None:
        for text, friend_id in tuples(FieldValue.select(FieldValue.text_value, FieldValue.friend).where(
                (FieldValue.field == field.id) & FieldValue.text_value.in_(keys))):
            found.setdefault(text, friend_id)
    return found
