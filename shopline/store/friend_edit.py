"""Edits a shop makes by hand in the window: a friend's details, custom fields, tags, a tag's folder.

Every change returns what it replaced, in the same form it takes, so an undo
command restores it by applying the returned value.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from shopline.core.folding import fold
from shopline.core.messages import Text
from shopline.core.prefectures import normalise_prefecture
from shopline.core.values import parse_date, parse_gender, parse_number
from shopline.store import dialect, write_log
from shopline.store.base import db, tuples
from shopline.store.models import Field, FieldValue, Friend, FriendTag, Tag, now
from shopline.store.tags import set_folder

EDITABLE = ("display_name", "gender", "birthday", "region", "memo")
_CHUNK = 500  # stays under SQLite's bound-variable limit with room to spare


@dataclass(frozen=True)
class CustomValue:
    field_id: int
    name: str
    kind: str
    text: str  # "" when the friend has no value


@dataclass(frozen=True)
class FriendDetails:
    id: int
    user_id: str
    values: dict[str, str]  # EDITABLE key -> text as the editor shows it
    custom: list[CustomValue]  # every custom field, in export order
    tags: list[tuple[int, str, str]]  # (id, name, colour)


@dataclass(frozen=True)
class Edit:
    """Changes as text: EDITABLE key -> text and custom field id -> text ("" removes the value)."""

    values: Mapping[str, str]
    custom: Mapping[int, str]


def _as_text(value: object) -> str:
    if value is None:
        return ""
    return value.isoformat() if isinstance(value, dt.date) else str(value)


def details(friend_id: int) -> FriendDetails | None:
    friend = Friend.get_or_none(Friend.id == friend_id)
    if friend is None:
        return None
    have: dict[int, str] = dict(tuples(FieldValue.select(FieldValue.field, FieldValue.text_value)
                                       .where(FieldValue.friend == friend_id)))
    custom = [CustomValue(f.id, f.name, f.kind, have.get(f.id, ""))
              for f in Field.select().order_by(Field.position, Field.id)]
    tags = [(t.id, t.name, t.colour) for t in
            Tag.select().join(FriendTag).where(FriendTag.friend == friend_id).order_by(Tag.folder, Tag.name)]
    values = {key: _as_text(getattr(friend, key)) for key in EDITABLE}
    return FriendDetails(friend.id, friend.user_id, values, custom, tags)


def _parse(key: str, text: str) -> object:
    """The stored value for an editor's text; raises ValueError(Text) saying what is wrong."""
    if key == "gender":
        return parse_gender(text or "unknown")
    if key == "birthday":
        return parse_date(text)
    if key == "region":
        if not text.strip():
            return None
        region = normalise_prefecture(text)
        if region is None:
            raise ValueError(Text(f"「{text}」は都道府県ではありません。", f"\"{text}\" is not a prefecture."))
        return region
    return text.strip() if key == "display_name" else text


def _typed(kind: str, text: str) -> tuple[str, float | None]:
    if kind == "number":
        return fold(text), parse_number(text)
    if kind == "date":
        day = parse_date(text)
        return (day.isoformat() if day else ""), None
    return text, None


def check(edit: Edit, kinds: Mapping[int, str]) -> tuple[dict[str, object], dict[int, tuple[str, float | None]]]:
    """The stored values of an edit (custom field id -> kind given); raises ValueError(Text) on the first bad one.
    Needs no database, so the window checks an edit before it becomes an undo step."""
    parsed = {key: _parse(key, text) for key, text in edit.values.items() if key in EDITABLE}
    typed = {fid: _typed(kinds[fid], text) for fid, text in edit.custom.items() if fid in kinds}
    return parsed, typed


def edit_friend(friend_id: int, edit: Edit) -> Edit:
    """Apply the edit in one transaction (all or nothing); returns the edit that undoes it."""
    kinds: dict[int, str] = dict(tuples(Field.select(Field.id, Field.kind).where(Field.id.in_(list(edit.custom)))))
    parsed, typed = check(edit, kinds)
    with db.atomic(), write_log.touching(friends=[friend_id] if parsed else (), fields=list(typed)):
        friend = Friend.get_by_id(friend_id)
        before = {key: _as_text(getattr(friend, key)) for key in parsed}
        old: dict[int, str] = dict(tuples(FieldValue.select(FieldValue.field, FieldValue.text_value)
                                          .where((FieldValue.friend == friend_id) & FieldValue.field.in_(list(typed)))))
        if parsed:
            Friend.update(**parsed, updated_at=now()).where(Friend.id == friend_id).execute()
        for fid, (text, number) in typed.items():
            if text.strip():
                dialect.upsert(FieldValue, [{"friend": friend_id, "field": fid, "text_value": text,
                                             "num_value": number}], key=("friend", "field"))
            else:
                FieldValue.delete().where((FieldValue.friend == friend_id) & (FieldValue.field == fid)).execute()
    return Edit(before, {fid: old.get(fid, "") for fid in typed})


def add_tag(friend_ids: Sequence[int], tag_id: int) -> list[int]:
    """Tag these friends; returns the ones that did not have the tag (what an undo must untag)."""
    added: list[int] = []
    with db.atomic():
        for i in range(0, len(friend_ids), _CHUNK):
            chunk = list(dict.fromkeys(friend_ids[i:i + _CHUNK]))
            had = {f for (f,) in tuples(FriendTag.select(FriendTag.friend).where(
                (FriendTag.tag == tag_id) & FriendTag.friend.in_(chunk)))}
            rows = [(fid, tag_id) for fid in chunk if fid not in had]
            if rows:
                with write_log.touching(tags={tag_id: [fid for fid, _ in rows]}):
                    FriendTag.insert_many(rows, fields=[FriendTag.friend, FriendTag.tag]).execute()
            added += [fid for fid, _ in rows]
    return added


def remove_tag(friend_ids: Sequence[int], tag_id: int) -> list[int]:
    """Untag these friends; returns the ones that had the tag (what an undo must tag again)."""
    removed: list[int] = []
    with db.atomic():
        for i in range(0, len(friend_ids), _CHUNK):
            chunk = list(friend_ids[i:i + _CHUNK])
            had = [f for (f,) in tuples(FriendTag.select(FriendTag.friend).where(
                (FriendTag.tag == tag_id) & FriendTag.friend.in_(chunk)))]
            with write_log.touching(tags={tag_id: had}):
                FriendTag.delete().where((FriendTag.tag == tag_id) & FriendTag.friend.in_(had)).execute()
            removed += had
    return removed


def move_tag(tag_id: int, folder: str) -> str:
    """Put a tag in a folder ("" for none); returns the folder it was in."""
    tag = Tag.get_by_id(tag_id)
    previous = tag.folder
    set_folder(tag, folder)
    return previous


def set_colour(tag_id: int, colour: str) -> str:
    """Give a tag a colour (#rrggbb); returns the colour it had."""
    tag = Tag.get_by_id(tag_id)
    previous = tag.colour
    Tag.update(colour=colour).where(Tag.id == tag_id).execute()
    return previous
