"""Freezing a campaign from a segment: the recipients come from the bitmap engine inside the write transaction,
equal the SQL reference, and a transaction that already wrote is never answered from the index."""

from __future__ import annotations

from shopline.core.segments import parse
from shopline.delivery.freeze import freeze
from shopline.store import db, segment_sql
from shopline.store.campaign_models import Batch, Recipient
from shopline.store.models import Friend, FriendTag, Tag

MESSAGES = [{"type": "text", "text": "hi"}]


def _shop(friends: int) -> None:
    vip, rare = Tag.create(name="VIP"), Tag.create(name="rare")
    for n in range(friends):
        friend = Friend.create(user_id=f"U{n:032x}", status="blocked" if n % 7 == 0 else "following")
        if n % 3:
            FriendTag.create(friend=friend, tag=vip)
        if n % 50 == 0:
            FriendTag.create(friend=friend, tag=rare)


def _frozen(campaign) -> list[tuple[int, str]]:
    return list(Recipient.select(Recipient.friend, Recipient.user_id).where(Recipient.campaign == campaign)
                .order_by(Recipient.friend).tuples())


def test_recipients_and_batches_from_the_engine(store):
    _shop(1_300)
    for text in ("VIP AND NOT rare", "rare"):  # a large set (one pass) and a small one (IN lists)
        tree = parse(text)
        segment_sql.count(tree)  # the index exists before the freeze
        campaign = freeze(f"c {text}", tree={}, text=text, messages=MESSAGES, segment=tree, batch_size=100)
        want = segment_sql.reference_friend_ids(tree)
        assert [fid for fid, _ in _frozen(campaign)] == want and campaign.recipients == len(want)
        assert all(uid == Friend.get_by_id(fid).user_id for fid, uid in _frozen(campaign)[:50])
        batches = list(Batch.select().where(Batch.campaign == campaign).order_by(Batch.seq))
        assert [b.seq for b in batches] == list(range(1, len(batches) + 1))
        assert [b.size for b in batches] == [min(100, len(want) - 100 * i) for i in range(len(batches))]
        assert len({b.retry_key for b in batches}) == len(batches)
        for b in batches:
            assert Recipient.select().where(Recipient.batch == b).count() == b.size


def test_a_freeze_inside_a_transaction_that_wrote_sees_its_writes(store):
    _shop(60)
    tree = parse("rare")
    assert segment_sql.count(tree) == 1  # friend 50 (friend 0 is blocked); the index is built now
    with db.atomic():
        newcomer = Friend.create(user_id="U" + "f" * 32)
        FriendTag.create(friend=newcomer, tag=Tag.get(Tag.name == "rare"))
        campaign = freeze("nested", tree={}, text="rare", messages=MESSAGES, segment=tree)
    assert newcomer.id in [fid for fid, _ in _frozen(campaign)]
    assert campaign.recipients == segment_sql.reference_count(tree) == 2
