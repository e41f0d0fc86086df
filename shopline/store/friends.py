"""Friend queries for lists: ids in one SQL query (filtered and sorted there), rows fetched by id.

A list of 100,000 friends is held as ids only; whoever shows it asks for the rows
of the few hundred it is about to display.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import NamedTuple

from peewee import SQL, Node, NodeList, Query, fn

from shopline.store import search, settings
from shopline.store.base import tuples
from shopline.store.models import Friend, FriendTag, Tag
from shopline.store.purchase_models import PurchaseRfm

_CHUNK = 500  # stays under SQLite's bound-variable limit with room to spare
DEMO_SETTING = settings.DEMO_SHOP.key


class FriendRow(NamedTuple):
    id: int
    display_name: str
    user_id: str
    gender: str
    region: str | None
    birthday: dt.date | None
    followed_at: dt.date | None
    status: str
    memo: str
    # From the per-friend totals the purchases import and the attach triggers keep (PurchaseRfm), a key lookup
    # each: summing a page of frequent buyers' purchases took seconds. None when the friend never bought.
    last_purchase: dt.datetime | None = None
    spent: int | None = None  # yen in total (refunds subtract)


_FRIEND_COLUMNS = FriendRow._fields[:-2]

# Sort keys a list may ask for; the tie-break on id keeps pages stable between queries.
_ORDER = {
    "display_name": fn.shopline_natural(Friend.display_name),  # 友だち2 before 友だち10 (store/sqlite.py)
    "user_id": Friend.user_id,
    "gender": Friend.gender,
    "region": Friend.region,
    "birthday": Friend.birthday,
    "followed_at": Friend.followed_at,
    "status": Friend.status,
    "memo": Friend.memo,
    "tags": fn.IFNULL(FriendTag.select(fn.COUNT()).where(FriendTag.friend == Friend.id), 0),
    # IFNULL(x, NULL) only makes the subquery sortable; never bought stays NULL, as rows() shows it (blank).
    "last_purchase": fn.IFNULL(PurchaseRfm.select(PurchaseRfm.last_at).where(PurchaseRfm.friend == Friend.id), None),
    "spent": fn.IFNULL(PurchaseRfm.select(PurchaseRfm.spent).where(PurchaseRfm.friend == Friend.id), None),
    "id": Friend.id,
}
ORDER_KEYS = tuple(_ORDER)


def _like(term: str) -> str:
    escaped = term.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


def _matches(term: str) -> Node:
    """One search word in name, ID or memo, both sides folded (NFKC and case): "ab" finds a stored "ＡＢ"."""
    return NodeList((SQL(search.COLUMN), SQL("LIKE ? ESCAPE '\\'", [_like(search.fold_word(term))])))


def friend_ids(
    search: str | None = None,
    order: str = "display_name",
    descending: bool = False,
    friend_ids_query: Query | None = None,
) -> list[int]:
    """Ids of the friends matching every word of `search`, sorted in SQL.

    `friend_ids_query` (a query selecting friend ids, e.g. a tag's members or a segment)
    narrows the list further.
    """
    if order not in _ORDER:
        raise ValueError(f"unknown sort key {order!r}")
    query = Friend.select(Friend.id)
    for term in (search or "").split():
        query = query.where(_matches(term))
    if friend_ids_query is not None:
        query = query.where(Friend.id.in_(friend_ids_query))
    key = _ORDER[order]
    query = query.order_by(key.desc() if descending else key.asc(),
                           Friend.id.desc() if descending else Friend.id.asc())
    return [fid for (fid,) in tuples(query)]


def tag_members(tag_id: int) -> Query:
    """The friend ids carrying a tag, for friend_ids(friend_ids_query=...)."""
    return FriendTag.select(FriendTag.friend).where(FriendTag.tag == tag_id)


def rows(ids: Sequence[int]) -> dict[int, FriendRow]:
    found: dict[int, FriendRow] = {}
    columns = [getattr(Friend, name) for name in _FRIEND_COLUMNS]
    for i in range(0, len(ids), _CHUNK):
        chunk = list(ids[i:i + _CHUNK])
        for values in tuples(Friend.select(*columns).where(Friend.id.in_(chunk))):
            found[values[0]] = FriendRow(*values)
        bought = PurchaseRfm.select(PurchaseRfm.friend, PurchaseRfm.last_at, PurchaseRfm.spent).where(
            PurchaseRfm.friend.in_(chunk))
        for fid, last, spent in tuples(bought):
            if fid in found:
                found[fid] = found[fid]._replace(last_purchase=_when(last), spent=spent)
    return found


def _when(value: object) -> dt.datetime | None:
    if value is None or isinstance(value, dt.datetime):
        return value
    return dt.datetime.fromisoformat(str(value))


def tags_for(ids: Sequence[int]) -> dict[int, list[tuple[str, str]]]:
    """Friend id -> [(tag name, colour)] by folder then name; friends without tags get []."""
    found: dict[int, list[tuple[str, str]]] = {fid: [] for fid in ids}
    for i in range(0, len(ids), _CHUNK):
        chunk = list(ids[i:i + _CHUNK])
        query = tuples(FriendTag.select(FriendTag.friend, Tag.name, Tag.colour)
                       .join(Tag).where(FriendTag.friend.in_(chunk)).order_by(Tag.folder, Tag.name))
        for fid, name, colour in query:
            found[fid].append((name, colour))
    return found


def friend_count() -> int:
    return Friend.select().count()


def is_demo_shop() -> bool:
    """Whether the demo shop was loaded here, so the window can mark its data as made up."""
    return settings.DEMO_SHOP.get()
