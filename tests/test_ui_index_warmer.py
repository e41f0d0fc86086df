"""The window loads the count engine's index in the background after opening and after writes, so the
builder's first change counts from memory (issue 21)."""

from __future__ import annotations

from PySide6.QtCore import QObject

from shopline.core.changes import Changes
from shopline.core.segments import HasTag
from shopline.store import segment_sql
from shopline.store.bitmaps import engine
from shopline.store.models import Friend, FriendTag, Tag
from shopline.ui import index_warmer
from shopline.ui.change_bus import announce


def loaded_pieces() -> set:
    source = engine._source
    return set(source.index._pieces) if source is not None and source.index is not None else set()


def test_the_index_is_loaded_after_opening_and_again_after_a_write(store, qtbot, monkeypatch):
    monkeypatch.setattr(index_warmer, "QUIET_MS", 10)
    tags = [Tag.create(name=f"t{n}") for n in range(40)]  # more than one batch of tags
    friends = [Friend.create(user_id=f"U{n:032x}", gender="female") for n in range(5)]
    for friend in friends:
        FriendTag.create(friend=friend, tag=tags[-1])
    engine.reset()
    owner = QObject()
    warmer = index_warmer.IndexWarmer(owner)
    warmer.start()
    qtbot.waitUntil(lambda: warmer.loaded > 0 and not warmer._running, timeout=10_000)
    pieces = loaded_pieces()
    assert {("tag", t.id) for t in tags} <= pieces and ("column", "gender") in pieces and "following" in pieces
    builds = engine.builds()
    assert segment_sql.count(HasTag("t39")) == 5 and engine.builds() == builds  # answered from what it loaded

    FriendTag.delete().where(FriendTag.friend == friends[0].id).execute()  # names nothing: tag pieces go
    assert segment_sql.count(HasTag("t39")) == 4
    assert not {("tag", t.id) for t in tags[:-1]} & loaded_pieces()  # the count loaded t39 alone again
    warmer.loaded = 0
    announce(Changes(friends=True))
    qtbot.waitUntil(lambda: warmer.loaded > 0 and not warmer._running, timeout=10_000)
    assert {("tag", t.id) for t in tags} <= loaded_pieces() and engine.builds() == builds
