"""Freezing a personal campaign: a statement per table whatever the number of friends, the write lock taken only
to insert what was worked out before it, and a friend deleted in between never leaves a batch nobody is in."""

from __future__ import annotations

import json

from delivery_helpers import shop

from shopline.delivery import personal
from shopline.store import db
from shopline.store.campaign_models import Batch, Campaign, Recipient
from shopline.store.models import Field, FieldValue, Friend
from shopline.store.personal_models import PersonalValues

TEXT = [{"type": "text", "text": "{表示名}様、{会員ランク|一般}会員の {{特典}} です"}]
TABLES = ("batch", "recipient", "personal_values")


def _ranks(ranks: dict[int, str]) -> None:
    field = Field.create(name="会員ランク", kind="text")
    for i, rank in ranks.items():
        FieldValue.create(friend=Friend.get(Friend.user_id == f"U{i:032x}"), field=field, text_value=rank)


def _traced(action) -> list[str]:
    seen: list[str] = []
    connection = db.connection()
    connection.set_trace_callback(seen.append)
    try:
        action()
    finally:
        connection.set_trace_callback(None)
    return seen


def test_a_statement_per_table_and_the_values_each_friend_was_frozen_with(store):
    ids = shop(1_200)
    ranks = {0: "ゴールド", 5: "😀シルバー{笑}", 9: "  "}  # a blank value is a missing one: the fallback
    _ranks(ranks)
    friends = [f.id for f in Friend.select().order_by(Friend.id)]
    made: list[Campaign] = []
    statements = _traced(lambda: made.append(personal.freeze_personal(
        "一括", tree={}, text="VIP", messages=TEXT, friend_ids=friends)))
    (campaign,) = made
    inserts = [s for s in statements if s.lstrip().upper().startswith("INSERT")]
    for table in TABLES:
        assert len([s for s in inserts if f"INTO {table} " in s.replace('"', "")]) == 1, table
    # Nothing per friend is worked out inside the write transaction: it begins after the last read of friends.
    begin = next(i for i, s in enumerate(statements) if s.upper().startswith("BEGIN"))
    assert not any("FROM json_each" in s and "INSERT" not in s.upper() for s in statements[begin:])

    rows = list(db.execute_sql(
        "SELECT r.user_id, b.seq, b.size, p.frozen FROM recipient r JOIN batch b ON b.id = r.batch_id "
        "JOIN personal_values p ON p.batch_id = b.id WHERE r.campaign_id = ? ORDER BY r.friend_id", (campaign.id,)))
    assert [uid for uid, *_ in rows] == ids and campaign.recipients == len(ids)
    assert [seq for _, seq, _, _ in rows] == list(range(1, len(ids) + 1)) and {s for _, _, s, _ in rows} == {1}
    values = [json.loads(frozen) for *_, frozen in rows]
    assert values[0] == {"display_name": "友だち0", "field:会員ランク": "ゴールド"}
    assert values[5]["field:会員ランク"] == "😀シルバー{笑}" and values[1] == {"display_name": "友だち1"}
    texts = [personal.personal_messages(TEXT, v)[0]["text"] for v in values[:10]]
    assert texts[5] == "友だち5様、😀シルバー{笑}会員の {特典} です" and texts[9] == "友だち9様、一般会員の {特典} です"
    keys = [k for (k,) in Batch.select(Batch.retry_key).where(Batch.campaign == campaign).tuples()]
    assert len(set(keys)) == len(ids) and all(len(k) == 36 and k[14] == "4" for k in keys)


def test_a_friend_deleted_after_the_read_is_left_out_and_the_freeze_reads_again(store, monkeypatch):
    shop(40)
    friends = [f.id for f in Friend.select().order_by(Friend.id)]
    read = personal.people
    calls = []

    def people_then_a_deletion(*args, **kwargs):
        found = read(*args, **kwargs)
        if not calls:  # another process deletes a friend between this read and the write lock
            Friend.delete().where(Friend.id == friends[7]).execute()
        calls.append(len(found))
        return found
    monkeypatch.setattr(personal, "people", people_then_a_deletion)
    campaign = personal.freeze_personal("削除", tree={}, text="VIP", messages=TEXT, friend_ids=friends)
    assert calls == [40, 39]
    assert campaign.recipients == 39 == Recipient.select().where(Recipient.campaign == campaign).count()
    assert Batch.select().where(Batch.campaign == campaign).count() == 39 == PersonalValues.select().count()
    assert Campaign.select().count() == 1  # the first attempt left nothing behind


def test_only_a_value_long_enough_makes_a_friend_too_long(store):
    shop(3)
    # Over 5,000 only with the rest of the text; friend 2's value is under it even then.
    _ranks({1: "長" * 4_990, 2: "長" * 4_960})
    bad = personal.unsendable(TEXT, personal.people([f.id for f in Friend.select()], TEXT))
    assert [(b.display_name, b.too_long, b.missing) for b in bad] == [("友だち1", True, ())]


def test_each_friend_gets_a_link_for_every_url_their_own_text_shows(store):
    """Found once for everyone where no value can touch a URL, by the friend's own text where one can."""
    from shopline.core.placeholders import parse, render
    from shopline.links.urls import LINK_PREFIX, find_urls

    shop(6)
    Friend.update(display_name="見て https://evil.example/x です").where(Friend.user_id == f"U{2:032x}").execute()
    _ranks({0: "gold", 1: "シルバー", 4: "https://rank.example/4"})
    friends = [f.id for f in Friend.select().order_by(Friend.id)]
    cases = ["{表示名}様 https://example.com/sale 、{会員ランク|一般}",  # placeholders apart from the URL
             "https://example.com/r/{会員ランク|none} {表示名}",  # a value continues the URL
             "{会員ランク|https://fallback.example}さん https://example.com/a"]  # a fallback holds one
    for n, text in enumerate(cases):
        messages = [{"type": "text", "text": text}]
        campaign = personal.freeze_personal(f"リンク{n}", tree={}, text="VIP", messages=messages, friend_ids=friends,
                                            relay_url="https://relay.example")
        got: dict[int, set[str]] = {}
        for friend_id, url in db.execute_sql("SELECT friend_id, url FROM tracked_link WHERE campaign_id = ?",
                                             (campaign.id,)):
            got.setdefault(friend_id, set()).add(url)
        for person in personal.people(friends, messages):
            want = set(find_urls(render(parse(text), person.values)))
            assert got.get(person.friend_id, set()) == want, (text, person.display_name)
        frozen = {b: json.loads(v) for b, v in db.execute_sql(
            "SELECT r.friend_id, p.frozen FROM personal_values p JOIN recipient r ON r.batch_id = p.batch_id "
            "WHERE r.campaign_id = ?", (campaign.id,))}
        for friend_id, urls in got.items():
            assert all(frozen[friend_id][LINK_PREFIX + u].startswith("https://relay.example/r/") for u in urls)
    assert {"https://evil.example/x", "https://rank.example/4", "https://example.com/r/gold"} <= {
        u for (u,) in db.execute_sql("SELECT url FROM tracked_link")}
