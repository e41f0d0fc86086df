"""Tag operations: create, rename (merging onto an existing name), delete, folders, tagging friends."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from peewee import Value, fn

from shopline.core.folding import fold
from shopline.core.messages import ShopLineError, Text
from shopline.core.ordering import natural_key
from shopline.core.tags import validate_tag_name
from shopline.store import write_log
from shopline.store.base import db, tuples
from shopline.store.models import Friend, FriendTag, Tag

# A tag's colour comes from this palette by default, so new tags are told apart at a glance.
PALETTE = ("#4caf50", "#2196f3", "#ff9800", "#e91e63", "#9c27b0", "#009688", "#795548", "#607d8b")
_CHUNK = 500  # stays under SQLite's bound-variable limit with room to spare


class TagExists(ShopLineError):
    pass


class TagNotFound(ShopLineError):
    pass


class MergeNeeded(ShopLineError):
    """Renaming onto an existing tag merges the two; the caller must confirm first."""

    def __init__(self, source: Tag, target: Tag, affected: int) -> None:
        super().__init__(Text(
            f"タグ「{target.name}」はすでにあります。「{source.name}」の友だち{affected}人を"
            f"「{target.name}」にまとめますか?",
            f"The tag \"{target.name}\" already exists. Merge the {affected} friends of "
            f"\"{source.name}\" into \"{target.name}\"?"))
        self.source, self.target, self.affected = source, target, affected


@dataclass(frozen=True)
class TagCount:
    tag: Tag
    friends: int  # every friend carrying the tag, blocked and unfollowed ones included
    following: int  # those a segment counts and a send reaches


def find_tag(name: str) -> Tag:
    tag = Tag.get_or_none(Tag.name == fold(name))
    if tag is None:
        raise TagNotFound(Text(f"タグ「{fold(name)}」はありません。", f"There is no tag \"{fold(name)}\"."))
    return tag


def create_tag(name: str, folder: str = "", colour: str | None = None) -> Tag:
    folded = validate_tag_name(name)
    if Tag.get_or_none(Tag.name == folded):
        raise TagExists(Text(f"タグ「{folded}」はすでにあります。", f"The tag \"{folded}\" already exists."))
    return Tag.create(name=folded, folder=fold(folder), colour=colour or PALETTE[Tag.select().count() % len(PALETTE)])


def get_or_create_tags(names: Iterable[str]) -> dict[str, int]:
    """Folded name -> id for already-validated names, creating the missing ones in one go."""
    wanted = {fold(n) for n in names}
    found = {t.name: t.id for t in Tag.select(Tag.id, Tag.name).where(Tag.name.in_(list(wanted)))} if wanted else {}
    missing = sorted(wanted - found.keys())
    if missing:
        start = Tag.select().count()
        with db.atomic():
            for i, name in enumerate(missing):
                found[name] = Tag.insert(name=name, colour=PALETTE[(start + i) % len(PALETTE)]).execute()
    return found


def friend_count(tag: Tag) -> int:
    return FriendTag.select().where(FriendTag.tag == tag).count()


def rename_tag(tag: Tag, new_name: str, *, merge: bool = False) -> Tag:
    """Rename; onto an existing name raises MergeNeeded unless merge=True. Returns the surviving tag."""
    folded = validate_tag_name(new_name)
    if folded == tag.name:
        return tag
    target = Tag.get_or_none(Tag.name == folded)
    if target is None:
        tag.name = folded
        tag.save()
        return tag
    if not merge:
        raise MergeNeeded(tag, target, friend_count(tag))
    with db.atomic():
        # Links the target already has would collide on the primary key: keep one.
        moved = FriendTag.select(FriendTag.friend, Value(target.id)).where(FriendTag.tag == tag.id)
        FriendTag.insert_from(moved, [FriendTag.friend, FriendTag.tag]).on_conflict_ignore().execute()
        tag.delete_instance(recursive=True)
    return target


def delete_tag(tag: Tag) -> int:
    """Delete a tag and its links (never the friends); returns how many friends lost it."""
    affected = friend_count(tag)
    with db.atomic():
        tag.delete_instance(recursive=True)
    return affected


def set_folder(tag: Tag, folder: str) -> None:
    tag.folder = fold(folder)
    tag.save()


def folders() -> list[str]:
    return sorted((f for (f,) in tuples(Tag.select(Tag.folder).distinct()) if f), key=natural_key)


def rename_folder(old: str, new: str) -> int:
    changed: int = Tag.update(folder=fold(new)).where(Tag.folder == fold(old)).execute()
    return changed


def tag_counts() -> list[TagCount]:
    """Every tag with how many friends carry it, and how many of those follow the account (what `count`
    says), by folder then name, numbers in number order.

    Two GROUP BYs, whatever the number of tags: all links, read off the (tag, friend) index, and the links
    of friends who blocked or left, found through the status index. Those are usually few; joining every
    link to its friend instead costs a random friend lookup per link (15x slower at 100k friends,
    bench/bench_tag_counts.py).
    """
    counts: dict[int, int] = dict(tuples(FriendTag.select(FriendTag.tag, fn.COUNT()).group_by(FriendTag.tag)))
    away: dict[int, int] = dict(tuples(
        FriendTag.select(FriendTag.tag, fn.COUNT())
        .where(FriendTag.friend.in_(Friend.select(Friend.id).where(Friend.status != "following")))
        .group_by(FriendTag.tag)))
    tags = sorted(Tag.select(), key=lambda t: (natural_key(t.folder), natural_key(t.name)))
    return [TagCount(t, counts.get(t.id, 0), counts.get(t.id, 0) - away.get(t.id, 0)) for t in tags]


def tag_friends(friend_ids: Sequence[int], tag_id: int) -> int:
    """Add the tag to these friends; returns how many did not have it yet."""
    changed = 0
    with db.atomic():
        for i in range(0, len(friend_ids), _CHUNK):
            chunk = list(friend_ids[i:i + _CHUNK])
            had = {f for (f,) in tuples(FriendTag.select(FriendTag.friend).where(
                (FriendTag.tag == tag_id) & FriendTag.friend.in_(chunk)))}
            rows = [(fid, tag_id) for fid in dict.fromkeys(chunk) if fid not in had]
            if rows:
                with write_log.touching(tags={tag_id: [fid for fid, _ in rows]}):
                    FriendTag.insert_many(rows, fields=[FriendTag.friend, FriendTag.tag]).execute()
            changed += len(rows)
    return changed


def untag_friends(friend_ids: Sequence[int], tag_id: int) -> int:
    """Remove the tag from these friends; returns how many had it."""
    changed = 0
    with db.atomic():
        for i in range(0, len(friend_ids), _CHUNK):
            chunk = list(friend_ids[i:i + _CHUNK])
            with write_log.touching(tags={tag_id: chunk}):
                changed += FriendTag.delete().where((FriendTag.tag == tag_id) & FriendTag.friend.in_(chunk)).execute()
    return changed


def tags_of(friend_id: int) -> list[Tag]:
    return list(Tag.select().join(FriendTag).where(FriendTag.friend == friend_id).order_by(Tag.folder, Tag.name))
