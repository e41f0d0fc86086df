"""A/B tests end to end against the fake LINE: create (nothing sent), send each variant once, judge with nulls,
send the winner to exactly the held-back friends once."""

from __future__ import annotations

from collections import Counter
from functools import partial

import pytest
from delivery_helpers import MSG, TOKEN, VIP, shop
from results_helpers import fresh_limiters  # noqa: F401 - autouse

from shopline.abtests import create, send, status
from shopline.abtests.create import ABTestError, VariantSpec
from shopline.core import absplit
from shopline.delivery import service
from shopline.delivery.engine import Engine
from shopline.delivery.usage import current_usage
from shopline.line.pacing import RateLimiter
from shopline.results import refresh
from shopline.store.abtest_models import ABTest, Assignment, Variant
from shopline.store.campaign_models import Campaign, Recipient
from shopline.store.models import Friend, FriendTag, Tag

MSG_B = [{"type": "text", "text": "春のセール: 今だけ20%オフ"}]
FAST = partial(lambda sender: Engine(sender, pacer=RateLimiter(5000), sleep=lambda s: None))


def variants(*messages):
    return [VariantSpec(f"v{i}", m) for i, m in enumerate(messages or (MSG, MSG_B))]


def user_ids_of(key: str | None, test: ABTest) -> set[str]:
    where = Assignment.key.is_null() if key is None else Assignment.key == key
    return {u for (u,) in Friend.select(Friend.user_id).join(Assignment, on=(Assignment.friend == Friend.id))
            .where((Assignment.test == test) & where).tuples()}


def test_create_splits_freezes_one_campaign_per_variant_and_sends_nothing(store, fake_line):
    everyone = shop(1000, blocked=10)
    created = create.create_test("春の比較", VIP, variants(), share=20, seed=2024, token=TOKEN)
    test = created.test
    assert created.preview.sizes == (99, 99) and created.preview.held_back == 792
    assert created.changes.campaigns
    # The groups are the recorded seed's split of the segment's following friends.
    ids = [fid for (fid,) in Friend.select(Friend.id).where(Friend.status == "following").tuples()]
    expected = absplit.split(ids, 2, share=20, seed=2024)
    for key, group in zip("AB", expected.groups, strict=True):
        campaign = Variant.get((Variant.test == test) & (Variant.key == key)).campaign
        assert campaign.name == f"春の比較 {key}" and campaign.status == "ready"
        frozen = {fid for (fid,) in Recipient.select(Recipient.friend).where(Recipient.campaign == campaign).tuples()}
        assert frozen == set(group)
    assert Assignment.select().where(Assignment.test == test).count() == len(everyone)
    assert fake_line.delivered == Counter()  # create never sends
    assert not fake_line.requests_to("/v2/bot/message/multicast")


def test_each_variant_reaches_its_group_once_and_the_winner_exactly_the_held_back_once(store, fake_line):
    everyone = shop(1500)
    test = create.create_test("比較", VIP, variants(MSG, MSG_B, [{"type": "text", "text": "C案"}]),
                              share=30, seed=7, token=TOKEN).test
    result = send.send_variants("比較", TOKEN, engine=FAST)
    assert result.pending == 0 and result.delivered == 450 and set(result.runs) == {"A", "B", "C"}
    groups = {key: user_ids_of(key, test) for key in "ABC"}
    assert [len(g) for g in groups.values()] == [150, 150, 150]
    assert fake_line.delivered == Counter({u: 1 for g in groups.values() for u in g})
    for key, messages in zip("ABC", (MSG, MSG_B, [{"type": "text", "text": "C案"}]), strict=True):
        got = {u for m in fake_line.multicasts if m["messages"][0]["text"] == messages[0]["text"] for u in m["to"]}
        assert got == groups[key]  # each group got its own variant's message
    with pytest.raises(service.NothingToSend):
        send.send_variants("比較", TOKEN, engine=FAST)  # sending again sends nobody twice

    winner = send.send_winner("比較", TOKEN, variant="b", engine=FAST)
    held = user_ids_of(None, test)
    assert len(held) == 1050 and winner.pending == 0 and winner.delivered == 1050
    assert fake_line.delivered == Counter({u: 1 for u in everyone})  # everyone exactly once, in all
    linked = ABTest.get_by_id(test.id)
    assert linked.winner_key == "B" and linked.winner_campaign.name == "比較 残り(B)"
    assert linked.winner_campaign.messages == Variant.get(Variant.key == "B").campaign.messages
    with pytest.raises(service.NothingToSend):
        send.send_winner("比較", TOKEN, engine=FAST)
    with pytest.raises(ABTestError):
        send.send_winner("比較", TOKEN, variant="A", engine=FAST)  # one winner for the held-back friends
    assert fake_line.delivered == Counter({u: 1 for u in everyone})


def test_an_interrupted_send_continues_with_the_same_keys(store, fake_line):
    shop(1200)
    test = create.create_test("中断", VIP, variants(), share=100, seed=3, token=TOKEN).test
    fake_line.fault(r"POST /v2/bot/message/multicast", status=401, times=1)
    first = send.send_variants("中断", TOKEN, engine=FAST)
    assert first.pending > 0 and first.message is not None  # paused for the token: nothing lost
    again = send.send_variants("中断", TOKEN, engine=FAST)
    assert again.pending == 0
    groups = user_ids_of("A", test) | user_ids_of("B", test)
    assert fake_line.delivered == Counter({u: 1 for u in groups})
    with pytest.raises(ABTestError):
        send.send_winner("中断", TOKEN, engine=FAST)  # everyone was tested: nobody held back


def test_nulls_make_a_variant_not_yet_measurable_never_zero(store, fake_line):
    shop(400)
    create.create_test("開封", VIP, variants(), metric="open", share=100, seed=1, token=TOKEN)
    send.send_variants("開封", TOKEN, engine=FAST)
    st = status.status("開封")
    assert st.verdict.state == "unmeasurable" and not st.variants[0].measured.fetched  # not fetched yet
    unit = {v.key: Campaign.get(Campaign.name == v.campaign).unit for v in st.variants}
    fake_line.insight.set_unit(unit["A"], impressions=120, clicks=None)
    fake_line.insight.set_unit(unit["B"], impressions=None, clicks=None)  # LINE: fewer than 20
    refresh.refresh(TOKEN, followers=False)
    st = status.status("開封")
    a, b = st.variants
    assert a.rate == pytest.approx(0.6) and a.interval is not None
    assert b.measured.successes is None and b.rate is None and b.interval is None  # not 0, not 0%
    assert st.verdict.state == "unmeasurable" and "B" in str(st.verdict.text) and "20" in str(st.verdict.text)
    json_row = status.status_json(st)
    assert json_row["variants"][1]["successes"] is None and json_row["variants"][1]["measurable"] is False
    with pytest.raises(ABTestError):
        send.send_winner("開封", TOKEN, engine=FAST)  # no winner can be named from a null


def test_a_clear_winner_is_named_and_sent_without_being_asked(store, fake_line):
    shop(2000)
    test = create.create_test("クリック", VIP, variants(), metric="click", share=40, seed=11, token=TOKEN).test
    send.send_variants("クリック", TOKEN, engine=FAST)
    units = {v.key: v.campaign.unit for v in Variant.select().where(Variant.test == test)}
    fake_line.insight.set_unit(units["A"], impressions=300, clicks=40)
    fake_line.insight.set_unit(units["B"], impressions=310, clicks=90)
    refresh.refresh(TOKEN, followers=False)
    st = status.status("クリック")
    assert st.verdict.significant and st.verdict.best == "B" and st.verdict.p_value < 0.001
    assert str(st.verdict.text).startswith("Bの方がクリック率が高く、偶然とは考えにくい(p<0.001)")
    result = send.send_winner("クリック", TOKEN, engine=FAST)
    assert result.delivered == 1200 and ABTest.get_by_id(test.id).winner_key == "B"


def test_conversion_by_tag_within_days_is_judged_on_our_own_counts(store, fake_line):
    shop(600)
    tag = Tag.create(name="購入済み")
    test = create.create_test("購入", VIP, variants(), metric="conversion", conversion_tag="購入済み",
                              conversion_days=7, share=100, seed=5, token=TOKEN).test
    send.send_variants("購入", TOKEN, engine=FAST)
    b_friends = [fid for (fid,) in Assignment.select(Assignment.friend).where(
        (Assignment.test == test) & (Assignment.key == "B")).tuples()]
    FriendTag.insert_many([(fid, tag.id) for fid in b_friends[:60]], fields=[FriendTag.friend, FriendTag.tag]).execute()
    st = status.status("購入")
    a, b = st.variants
    assert (a.measured.successes, b.measured.successes) == (0, 60)
    assert st.verdict.significant and st.verdict.best == "B"


def test_refusals_write_nothing(store, fake_line):
    shop(100)
    with pytest.raises(ABTestError):
        create.create_test("一つ", VIP, variants(MSG), token=TOKEN)
    with pytest.raises(ABTestError):
        create.create_test("割合", VIP, variants(), share=0, token=TOKEN)
    with pytest.raises(ABTestError):
        create.create_test("CV", VIP, variants(), metric="conversion", token=TOKEN)
    assert ABTest.select().count() == 0 and Campaign.select().count() == 0 and Assignment.select().count() == 0
    create.create_test("名前", VIP, variants(), token=TOKEN)
    with pytest.raises(ABTestError):
        create.create_test("名前", VIP, variants(), token=TOKEN)
    assert ABTest.select().count() == 1 and Campaign.select().count() == 2
    fake_line.quota = {"type": "limited", "value": 50}
    with pytest.raises(service.QuotaExceeded):
        create.create_test("上限", VIP, variants(), token=TOKEN, usage=current_usage(TOKEN, fresh=True))
    assert ABTest.select().count() == 1 and Campaign.select().count() == 2
    assert Assignment.select().count() == 100  # the first test's, and nothing of the refused one


def test_a_personal_variant_goes_one_push_per_friend_to_its_own_group(store, fake_line):
    everyone = shop(120)
    personal = [{"type": "text", "text": "{表示名}さん、セールです"}]
    test = create.create_test("差し込み", VIP, variants(MSG, personal), share=100, seed=8, token=TOKEN).test
    result = send.send_variants("差し込み", TOKEN)  # each campaign's own engine: multicast for A, push for B
    assert result.pending == 0 and result.delivered == 120
    b_users = user_ids_of("B", test)
    assert {p["to"] for p in fake_line.pushes} == b_users  # B personalised, one push each
    names = {f.user_id: f.display_name for f in Friend.select()}
    got = [(p["messages"][0]["text"], f"{names[p['to']]}さん、セールです") for p in fake_line.pushes]
    assert all(a == b for a, b in got), got[:2]
    assert {u for m in fake_line.multicasts for u in m["to"]} == user_ids_of("A", test)
    assert fake_line.delivered == Counter({u: 1 for u in everyone})
