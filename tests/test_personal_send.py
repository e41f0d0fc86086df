"""Personal messages: frozen one friend per batch, pushed with their own text and key, multicast otherwise."""

from __future__ import annotations

import json
from collections import Counter

import pytest
from delivery_helpers import TOKEN, VIP, shop

from shopline.core.segments import HasTag
from shopline.delivery import personal, push_engine, service
from shopline.store.campaign_models import Batch, Campaign, Recipient
from shopline.store.models import Field, FieldValue, Friend
from shopline.store.personal_models import PersonalValues

BIRTHDAY = [{"type": "text", "text": "お誕生日おめでとうございます、{表示名}様。{会員ランク|一般}会員の特典です"},
            {"type": "sticker", "packageId": "446", "stickerId": "1988"}]


def _ranks(ranks: dict[int, str]) -> None:
    field = Field.create(name="会員ランク", kind="text")
    for i, rank in ranks.items():
        FieldValue.create(friend=Friend.get(Friend.user_id == f"U{i:032x}"), field=field, text_value=rank)


def _expected(ids: list[str], ranks: dict[int, str]) -> dict[str, list[str]]:
    return {u: [f"お誕生日おめでとうございます、友だち{i}様。{ranks.get(i, '一般')}会員の特典です"]
            for i, u in enumerate(ids)}


def test_each_friend_is_pushed_their_own_text_with_their_own_key(store, fake_line):
    ids = shop(30)
    ranks = {0: "ゴールド", 3: "😀シルバー{笑}", 7: "ブロンズ"}
    _ranks(ranks)
    fake_line.expected_texts = _expected(ids, ranks)  # the fake refuses any push with another friend's text

    prepared = service.prepare_send("誕生日", VIP, BIRTHDAY, token=TOKEN)
    assert personal.is_personal_campaign(prepared.campaign)
    result = service.send(prepared.campaign, TOKEN)

    assert result.status == "done" and result.delivered == 30
    assert fake_line.delivered == Counter({u: 1 for u in ids})
    assert not fake_line.requests_to("/v2/bot/message/multicast")
    keys = [p["retryKey"] for p in fake_line.pushes]
    assert len(set(keys)) == 30 and set(keys) == {k for (k,) in Batch.select(Batch.retry_key).tuples()}
    assert all(p["messages"][1] == BIRTHDAY[1] for p in fake_line.pushes)
    assert {p["customAggregationUnits"][0] for p in fake_line.pushes} == {prepared.campaign.unit}
    assert Batch.select().where(Batch.status == "accepted", Batch.size == 1).count() == 30


def test_what_a_friend_is_sent_is_frozen_with_the_campaign(store, fake_line):
    ids = shop(3)
    prepared = service.prepare_send("凍結", VIP, [{"type": "text", "text": "{name}さんへ"}], token=TOKEN)
    Friend.update(display_name="改名").execute()  # after freezing: the frozen values are what goes out
    fake_line.expected_texts = {u: [f"友だち{i}さんへ"] for i, u in enumerate(ids)}
    assert service.send(prepared.campaign, TOKEN).delivered == 3


def test_a_friend_missing_a_value_is_listed_before_anything_is_saved(store, fake_line):
    shop(5)
    _ranks({0: "ゴールド", 1: "  "})
    Friend.update(display_name="").where(Friend.user_id == f"U{4:032x}").execute()
    with pytest.raises(personal.CannotPersonalise) as raised:
        service.prepare_send("ランク", VIP, [{"type": "text", "text": "{表示名}様は{会員ランク}です"}], token=TOKEN)
    assert {f.display_name for f in raised.value.friends} == {"友だち1", "友だち2", "友だち3", ""}
    assert next(f for f in raised.value.friends if f.display_name == "").missing == ("{表示名}", "{会員ランク}")
    assert "{会員ランク|お客様}" in str(raised.value) and "4人" in str(raised.value)
    assert Campaign.select().count() == 0 and not fake_line.requests_to("/v2/bot/message/push")


def test_skipping_the_friends_without_values_sends_to_the_rest(store, fake_line):
    ids = shop(4)
    _ranks({0: "金", 2: "銀"})
    fake_line.expected_texts = {ids[0]: ["金です"], ids[2]: ["銀です"]}
    prepared = service.prepare_send("残り", VIP, [{"type": "text", "text": "{会員ランク}です"}], token=TOKEN,
                                    skip_unsendable=True)
    assert prepared.campaign.recipients == 2
    assert service.send(prepared.campaign, TOKEN).delivered == 2


def test_a_text_too_long_for_one_friend_is_listed(store, fake_line):
    shop(2)
    Friend.update(display_name="長" * 5000).where(Friend.user_id == f"U{1:032x}").execute()
    with pytest.raises(personal.CannotPersonalise) as raised:
        service.prepare_send("長い", VIP, [{"type": "text", "text": "{表示名}様"}], token=TOKEN)
    assert [f.too_long for f in raised.value.friends] == [True]
    assert "5,000" in str(raised.value)


def test_an_unknown_placeholder_is_refused_with_the_nearest_field(store, fake_line):
    shop(2)
    Field.create(name="会員ランク", kind="text")
    with pytest.raises(personal.UnknownPlaceholder) as raised:
        service.prepare_send("誤字", VIP, [{"type": "sticker", "packageId": "446", "stickerId": "1988"},
                                           {"type": "text", "text": "{会員ランタ}"}], token=TOKEN)
    assert raised.value.index == 1 and "会員ランク" in str(raised.value)
    assert Campaign.select().count() == 0


def test_without_placeholders_it_still_goes_by_multicast_with_literal_braces(store, fake_line):
    ids = shop(3)
    prepared = service.prepare_send("ふつう", VIP, [{"type": "text", "text": "{{表示名}} のまま"}], token=TOKEN)
    assert not personal.is_personal_campaign(prepared.campaign)
    assert service.send(prepared.campaign, TOKEN).delivered == 3
    assert not fake_line.requests_to("/v2/bot/message/push")
    assert [m["messages"][0]["text"] for m in fake_line.multicasts] == ["{表示名} のまま"]
    assert fake_line.delivered == Counter({u: 1 for u in ids})


def test_a_retried_push_keeps_its_key_and_a_lost_answer_is_not_sent_twice(store, fake_line):
    ids = shop(20)
    fake_line.fault(r"POST /v2/bot/message/push", status=500, times=3, accept_first=True)
    fake_line.fault(r"POST /v2/bot/message/push", status=503, times=2)
    prepared = service.prepare_send("再送", VIP, [{"type": "text", "text": "{表示名}さん"}], token=TOKEN)
    result = service.send(prepared.campaign, TOKEN)
    assert result.status == "done" and result.delivered == 20
    assert fake_line.delivered == Counter({u: 1 for u in ids})
    statuses = Counter(s for (s,) in Batch.select(Batch.last_status).tuples())
    assert statuses[409] == 3  # accepted, the answer lost, the retry with the same key told so


def test_monthly_limit_pauses_and_resume_sends_the_rest_once(store, fake_line):
    ids = shop(12)
    fake_line.quota = {"type": "limited", "value": 200}
    prepared = service.prepare_send("上限", VIP, [{"type": "text", "text": "{表示名}さん"}], token=TOKEN)

    def web_manager_sends(fake):  # the shop sends from LINE's web manager meanwhile: after our 3rd, the month fills
        if fake.total_usage == 3:
            fake.total_usage = 198
    fake_line.after_send = web_manager_sends
    one_at_a_time = lambda sender: push_engine.PersonalEngine(sender, concurrency=1, progress_interval=0)  # noqa: E731
    result = service.send(prepared.campaign, TOKEN, engine=one_at_a_time)
    assert result.status == "paused_quota" and result.delivered == 5  # 3, then the month's last 2
    assert result.delivered + result.pending == 12 and "上限" in result.message.ja
    fake_line.quota = {"type": "none"}  # the shop upgraded
    assert service.resume("上限", TOKEN).delivered == 12
    assert fake_line.delivered == Counter({u: 1 for u in ids})


def test_cancel_leaves_the_rest_pending_with_no_first_attempt(store, fake_line):
    shop(1200)
    prepared = service.prepare_send("止める", VIP, [{"type": "text", "text": "{表示名}さん"}], token=TOKEN)
    sent = []
    result = service.send(prepared.campaign, TOKEN, progress=sent.append, cancelled=lambda: len(sent) >= 1)
    assert result.status == "paused" and result.pending > 0
    untried = Batch.select().where(Batch.status == "pending", Batch.first_attempt_at.is_null()).count()
    assert untried > 0  # marked a group ahead, then unmarked: LINE never saw those keys
    assert service.resume("止める", TOKEN).status == "done"
    assert len(fake_line.delivered) == 1200 and max(fake_line.delivered.values()) == 1


def test_personal_values_and_recipients_are_one_per_batch(store):
    shop(7)
    campaign = personal.freeze_personal("構造", tree={"tag": "VIP"}, text="VIP",
                                        messages=[{"type": "text", "text": "{表示名}"}],
                                        friend_ids=[f for (f,) in Friend.select(Friend.id).tuples()])
    assert Batch.select().where(Batch.campaign == campaign).count() == 7
    assert Recipient.select().where(Recipient.campaign == campaign).count() == 7
    values = [json.loads(v) for (v,) in PersonalValues.select(PersonalValues.frozen).tuples()]
    assert sorted(v["display_name"] for v in values) == [f"友だち{i}" for i in range(7)]


def test_push_pacing_stays_under_lines_push_limit(store, fake_line):
    shop(2500)
    prepared = service.prepare_send("速さ", HasTag("VIP"), [{"type": "text", "text": "{表示名}"}], token=TOKEN)
    assert service.send(prepared.campaign, TOKEN).delivered == 2500
    assert fake_line.peak_per_second("/v2/bot/message/push") <= 2000


def test_a_personal_campaign_held_by_another_sender_is_not_sent_twice(store, fake_line):
    from shopline.delivery.claims import CampaignBusy, Claim

    shop(3)
    prepared = service.prepare_send("同時", VIP, [{"type": "text", "text": "{表示名}さん"}], token=TOKEN)
    other = Claim(prepared.campaign)  # e.g. `shopline resume` in another window
    try:
        with pytest.raises(CampaignBusy):
            service.send(prepared.campaign, TOKEN)
        assert not fake_line.requests_to("/v2/bot/message/push")
    finally:
        other.release()
    assert service.send(prepared.campaign, TOKEN).delivered == 3


def test_a_refused_push_fails_alone_and_a_portal_page_is_never_taken_as_sent(store, fake_line):
    ids = shop(6)
    fake_line.fault(r"POST /v2/bot/message/push", status=400, times=1,
                    body={"message": "The request body has 1 error(s)"})
    fake_line.fault(r"POST /v2/bot/message/push", raw=b"<html>Wi-Fi login</html>", times=1)
    prepared = service.prepare_send("拒否", VIP, [{"type": "text", "text": "{表示名}さん"}], token=TOKEN)
    result = service.send(prepared.campaign, TOKEN, engine=lambda s: push_engine.PersonalEngine(
        s, concurrency=1, backoff=0.01))
    assert (result.status, result.failed) == ("paused", 1)  # as multicast: a page not LINE's pauses the send
    assert "接続" in result.message.ja
    result = service.resume("拒否", TOKEN)
    assert (result.status, result.delivered, result.failed) == ("done", 5, 1)
    failed = Batch.get(Batch.status == "failed")
    assert failed.last_status == 400 and "1 error" in failed.last_message
    assert sum(fake_line.delivered.values()) == 5 and set(fake_line.delivered) < set(ids)


def test_the_24_hour_key_rule_holds_per_push(store, fake_line):
    import datetime as dt

    from shopline.delivery.journal import utc_now
    from shopline.delivery.resume import DuplicateRisk

    shop(4)
    prepared = service.prepare_send("古い鍵", VIP, [{"type": "text", "text": "{表示名}さん"}], token=TOKEN)
    Batch.update(first_attempt_at=utc_now() - dt.timedelta(hours=24) + dt.timedelta(seconds=30)).execute()
    # Sent directly (no resume question): the engine itself never lets a key out that LINE may have forgotten.
    result = push_engine.send_personal(prepared.campaign, TOKEN)
    assert result.status == "paused" and result.pending == 4 and "24時間" in result.message.ja
    assert not fake_line.requests_to("/v2/bot/message/push")
    with pytest.raises(DuplicateRisk) as risk:
        service.resume("古い鍵", TOKEN)
    assert risk.value.friends == 4
    old_keys = {k for (k,) in Batch.select(Batch.retry_key).tuples()}
    assert service.resume("古い鍵", TOKEN, accept_duplicates=True).delivered == 4  # fresh keys, the shop's choice
    assert not old_keys & {p["retryKey"] for p in fake_line.pushes}


def test_a_test_send_shows_each_phone_its_own_text_and_the_gaps(store, fake_line):
    from shopline.delivery import testsend

    ids = shop(2)
    _ranks({0: "ゴールド"})
    outsider = "U" + "9" * 32  # a staff phone that is not among the friends
    testsend.set_test_ids([ids[0], ids[1], outsider])
    fake_line.expected_texts = {ids[0]: ["友だち0様 ゴールド {{x}}"], ids[1]: ["友だち1様 {会員ランク} {{x}}"],
                                outsider: ["{表示名}様 {会員ランク} {{x}}"]}
    results = testsend.send_test_message([{"type": "text", "text": "{表示名}様 {会員ランク} {{{{x}}}}"}], TOKEN)
    assert all(r.ok for r in results) and len(results) == 3
    assert Campaign.select().count() == 0
