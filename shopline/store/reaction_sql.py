"""Reaction conditions as predicates on the friend row `f`, for segment_sql's one query (issue 19).

received(CAMPAIGN) counts the campaigns our journal says LINE accepted for the friend (a batch accepted,
200 or 409); clicked(CAMPAIGN, url=URL) counts the friend's clicks on tracked links. Both are counts, so a
friend with none has 0: `clicked(X)` (>= 1) leaves them out and its NOT takes them in.

A campaign is named as the shop named it; names are folded like every name in the segment language, so
they are matched against the folded names of the store's campaigns here, in Python (a few hundred).
">= 1", the usual case, is a set membership answered from the (campaign, friend) indexes; other counts
probe per friend.
"""

from __future__ import annotations

from collections.abc import Callable

from shopline.core.folding import fold
from shopline.core.messages import Text
from shopline.core.segments import Compare
from shopline.core.segments.errors import SegmentError, closest
from shopline.store.base import db

REACTION_NAMES = frozenset({"received", "clicked"})
Bind = Callable[..., str]


def campaign_ids(name: str) -> list[int]:
    rows = list(db.execute_sql("SELECT id, name FROM campaign"))
    found = [cid for cid, stored in rows if fold(stored) == fold(name)]
    if not found:
        near = closest(fold(name), [fold(stored) for _, stored in rows])
        raise SegmentError(Text(
            f"「{name}」という配信はありません。"
            + (f"「{near}」ですか?" if near else "配信履歴で名前を確かめてください。"),
            f"There is no campaign \"{name}\"." + (f" Did you mean \"{near}\"?" if near else
                                                   " Check its name in the delivery history.")))
    return found


def reaction_predicate(node: Compare, bind: Bind) -> str:
    args = dict(node.args)
    where = []
    if "campaign" in args:
        ids = campaign_ids(str(args["campaign"]))
        where.append(f"x.campaign_id IN ({', '.join(bind(i) for i in ids)})")
    if node.name == "received":
        source = "recipient x JOIN batch b ON b.id = x.batch_id"
        where.append("b.status = 'accepted'")
    else:
        source = "click x"
        if "url" in args:
            where.append(f"x.url = {bind(str(args['url']))}")
    condition = " AND ".join(where) or "1"
    if node.op == ">=" and node.value == 1:
        return f"f.id IN (SELECT x.friend_id FROM {source} WHERE {condition})"
    return f"(SELECT count(*) FROM {source} WHERE x.friend_id = f.id AND {condition}) {node.op} {bind(node.value)}"
