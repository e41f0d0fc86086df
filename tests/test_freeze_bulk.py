"""Freezing in bulk: the recipients go to SQLite in a few statements whatever their number, and a friend who
does not follow among the ids handed over is left out without leaving a batch short."""

from __future__ import annotations

from pyroaring import BitMap

from shopline.core.segments import parse
from shopline.delivery.freeze import freeze, freeze_recipients
from shopline.store import db
from shopline.store.campaign_models import Batch, Campaign, Recipient
from shopline.store.models import Friend, Tag
from shopline.store.sqlite import insert_rows

MESSAGES = [{"type": "text", "text": "hi"}]


def _shop(friends: int) -> None:
    Tag.create(name="VIP")
    with db.atomic():
        insert_rows(db, "friend", ("user_id", "display_name", "gender", "status", "memo", "source", "created_at",
                                   "updated_at"),
                    [(f"U{n:032x}", "", "unknown", "blocked" if n % 9 == 0 else "following", "", "demo",
                      "2024-01-01", "2024-01-01") for n in range(friends)])
        db.execute_sql("INSERT INTO friend_tag (friend_id, tag_id) SELECT id, 1 FROM friend")


def _statements(action) -> list[str]:
    seen: list[str] = []
    connection = db.connection()
    connection.set_trace_callback(seen.append)
    try:
        action()
    finally:
        connection.set_trace_callback(None)
    return [s for s in seen if "INTO RECIPIENT" in s.upper().replace('"', "")]


def test_freezing_thousands_takes_a_few_statements_not_one_per_friend(store):
    _shop(3_000)
    campaigns: list[Campaign] = []
    recipient_inserts = _statements(lambda: campaigns.append(freeze("bulk", tree={}, text="VIP", messages=MESSAGES,
                                                          segment=parse("VIP"), batch_size=100)))
    (campaign,) = campaigns
    following = Friend.select().where(Friend.status == "following").count()
    assert campaign.recipients == following == Recipient.select().where(Recipient.campaign == campaign).count()
    # The recipients in one statement, not one a friend.
    assert len(recipient_inserts) == 1, recipient_inserts[:3]
    rows = list(Recipient.select(Recipient.friend, Recipient.user_id, Batch.seq).join(Batch)
                .where(Recipient.campaign == campaign).order_by(Recipient.friend).tuples())
    assert [seq for _, _, seq in rows] == [i // 100 + 1 for i in range(following)]
    assert all(uid == f"U{fid - 1:032x}" for fid, uid, _ in rows)


def test_ids_that_no_longer_follow_are_left_out_and_batches_stay_full(store):
    _shop(250)
    campaign = Campaign.create(name="c", segment_tree="{}", segment_text="", messages="[]", unit="u", recipients=0,
                               estimate="{}")
    with db.atomic():
        frozen = freeze_recipients(campaign.id, BitMap(range(1, 251)), batch_size=50)
    following = [f.id for f in Friend.select().where(Friend.status == "following").order_by(Friend.id)]
    assert frozen == len(following) < 250
    sizes = [b.size for b in Batch.select().where(Batch.campaign == campaign).order_by(Batch.seq)]
    assert sizes == [min(50, len(following) - start) for start in range(0, len(following), 50)]
    for batch in Batch.select().where(Batch.campaign == campaign):
        assert Recipient.select().where(Recipient.batch == batch).count() == batch.size
    assert [r.friend_id for r in Recipient.select().where(Recipient.campaign == campaign)
            .order_by(Recipient.friend)] == following
