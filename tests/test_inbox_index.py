"""Pulled pages keep the count index current in place: the inbox names every friend a page creates, follows,
blocks or tags (store/write_log.py), so a window with a relay does not reload 100,000 friends each minute."""

from __future__ import annotations

import random

import pytest
from test_inbox_sets import URL, profiles_for, seed_friends, stream

from shopline.core.segments import HasTag, Not, parse
from shopline.inbox.apply import apply_page
from shopline.inbox.rules import add_rule, matcher
from shopline.store import close_store, open_store, segment_sql
from shopline.store.bitmaps import engine
from shopline.store.connection import db

TREES = [parse("gender = unknown"), parse("friend_days >= 0"), Not(HasTag("VIP"))]


@pytest.mark.parametrize("seed", range(12))
def test_each_page_is_caught_up_in_place(tmp_path, seed):
    rng = random.Random(seed)
    users = rng.randint(1, 12)
    open_store(tmp_path)
    try:
        seed_friends(rng, users)
        add_rule("予約", "予約希望")
        rules = matcher()
        engine.reset()
        for cursor, page in enumerate(stream(rng, users), start=1):
            engine.build_all()  # every piece loaded: what the page changes must be patched, not lost
            builds = engine.builds()
            apply_page(page, cursor, URL, rules, profiles_for(rng, page))
            names = [r[0] for r in db.execute_sql("SELECT name FROM tag")]
            for tree in TREES + [HasTag(name) for name in names]:
                assert segment_sql.friend_ids(tree) == segment_sql.reference_friend_ids(tree), (seed, cursor, tree)
            assert engine.builds() == builds  # caught up, not started again
    finally:
        close_store()
