"""Reaction conditions: received(...) from our journal, clicked(...) from tracked-link clicks, last_reaction_days
counting clicks; the text form round-trips and the bitmap engine agrees with the SQL reference."""

from __future__ import annotations

import datetime as dt

import pytest

from shopline.core.segments import SegmentError, from_json, parse, to_json, to_text
from shopline.delivery.personal import freeze_personal
from shopline.store.campaign_models import Batch, Recipient
from shopline.store.inbox_models import Reaction
from shopline.store.link_clicks import record_clicks
from shopline.store.link_models import TrackedLink
from shopline.store.models import Friend
from shopline.store.segment_sql import count, friend_ids, reference_count, reference_friend_ids

SALE, MAP = "https://example.com/sale", "https://example.com/map"
MS = 1_800_000_000_000


def _campaign(name: str, friends: list[Friend], accepted: list[Friend]):
    campaign = freeze_personal(name, tree={"tag": "x"}, text="x", friend_ids=[f.id for f in friends],
                               messages=[{"type": "text", "text": f"{{表示名|}} {SALE} {MAP}"}],
                               relay_url="https://relay.example")
    done = Recipient.select(Recipient.batch).where(Recipient.campaign == campaign,
                                                   Recipient.friend.in_([f.id for f in accepted]))
    Batch.update(status="accepted").where(Batch.id.in_(done)).execute()
    return campaign


def _click(campaign, friend: Friend, url: str, n: int = 1) -> None:
    code = TrackedLink.get(TrackedLink.campaign == campaign, TrackedLink.friend == friend, TrackedLink.url == url).code
    record_clicks([(f"click:{campaign.id}:{friend.id}:{url}:{i}", code, MS) for i in range(n)])


@pytest.fixture
def shop(store):
    people = [Friend.create(user_id=f"U{n:032x}", display_name=f"友だち{n}") for n in range(6)]
    spring = _campaign("春のセール", people[:5], accepted=people[:4])  # 4 is pending, 5 never got it
    summer = _campaign("夏 セール", people[2:], accepted=people[2:])
    _click(spring, people[0], SALE)
    _click(spring, people[1], MAP, n=3)
    _click(summer, people[2], SALE)
    return people


def _names(text: str) -> set[str]:
    tree = parse(text)
    assert count(tree) == reference_count(tree) and friend_ids(tree) == reference_friend_ids(tree)
    return {n for (n,) in Friend.select(Friend.display_name).where(Friend.id.in_(reference_friend_ids(tree)))
            .tuples()}


def test_received_counts_what_line_accepted(shop):
    assert _names('received("春のセール")') == {"友だち0", "友だち1", "友だち2", "友だち3"}
    assert _names('NOT received(春のセール)') == {"友だち4", "友だち5"}
    assert _names('received >= 2') == {"友だち2", "友だち3"}
    assert _names('received("夏 セール") AND NOT received(春のセール)') == {"友だち4", "友だち5"}


def test_clicked_by_campaign_url_and_count(shop):
    assert _names("clicked(春のセール)") == {"友だち0", "友だち1"}
    assert _names(f'clicked(春のセール, url="{SALE}")') == {"友だち0"}
    assert _names("clicked(春のセール) >= 2") == {"友だち1"}
    assert _names(f'clicked(url="{SALE}")') == {"友だち0", "友だち2"}
    assert _names('received(春のセール) AND NOT clicked(春のセール)') == {"友だち2", "友だち3"}  # the reminder


def test_last_reaction_days_counts_clicks(shop):
    friend = shop[5]
    Reaction.create(friend=friend, kind="click", at=dt.datetime.now() - dt.timedelta(days=2), detail=SALE)
    assert _names("last_reaction_days <= 3") == {"友だち5"}


def test_an_unknown_campaign_names_the_nearest(shop):
    with pytest.raises(SegmentError) as raised:
        _names("clicked(春のセーラ)")
    assert "春のセール" in str(raised.value)


@pytest.mark.parametrize("text", ['received("春のセール")', 'clicked("2026-12-01 春のセール", url="https://a.example/?x=1")',
                                  "NOT clicked(春) OR clicked(夏) >= 3", "received >= 2"])
def test_text_and_json_forms_round_trip(text):
    tree = parse(text)
    assert parse(to_text(tree)) == tree and from_json(to_json(tree)) == tree


def test_a_bare_call_is_at_least_one():
    assert parse("clicked(春)") == parse("clicked(春) >= 1") and to_text(parse("clicked(春) >= 1")) == "clicked(春)"
