"""Personal campaigns: one push per friend through the same exactly-once engine as multicast.

A message whose text has placeholders (core.placeholders), or whose https:// URLs become tracked links
(a relay is connected), differs per friend, and LINE's multicast sends one text to everyone. So:

- freeze_personal(), in one transaction before any request: the recipients, one Batch per friend with
  its own retry key, the values each friend's text is rendered from (PersonalValues), and each friend's
  short links (TrackedLink). A friend missing a value that has no fallback is listed before anything is
  saved (CannotPersonalise), never sent a broken text.

  Atomic, and the write lock held only to insert. Who gets it and with which values is read in one query
  (display name and custom fields joined) from the committed state, checked, and turned into one JSON array
  per table before the lock; the transaction then re-checks the name and makes the campaign, its batches,
  recipients, values and links with one INSERT ... SELECT over json_each each (100,000 friends: ~1 s of
  writing instead of 8-10 s of reading, rendering and inserting under the lock). The campaign and all its rows
  still appear in one commit or not at all, so a sender, resume or crash never sees half a campaign; splitting
  the inserts into several commits would need a "freezing" state every reader of campaigns skips, for
  little: the lock is held about as long as the multicast freeze's. What the lock no longer covers is the read,
  so the freeze is of the committed state a moment before: a friend edited in between keeps the values read
  (as an edit just after the freeze would), one who unfollowed is still sent to (as for multicast), and one
  deleted leaves a recipient row short, which makes the freeze read again.
- push_engine.PersonalEngine sends each pending batch by push, pacing on the channel's push limiter (2,000/s), with
  line.retry's rules (awaited on an event loop: line.retry_async), the same key on every attempt, and the
  24-hour key rule. The journal marks first attempts a group at a time before any request of the group leaves,
  and writes answers a group at a time: a crash in between leaves batches pending with their keys, which resume
  sends again and LINE answers 409 (accepted earlier). Pause, resume, the quota guard and PAUSE_TEXTS are the engine's.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from peewee import Query
from pyroaring import BitMap

from shopline.core.drafts import MAX_TEXT_LENGTH, text_length
from shopline.core.folding import fold
from shopline.core.messages import ShopLineError, Text
from shopline.core.placeholders import DISPLAY_NAME, Template, field_name, is_personal, literal, parse, render
from shopline.delivery.freeze import UNIT_RE, batch_of_position, check_name_free, default_unit, retry_keys
from shopline.links.urls import LINK_PREFIX, find_urls, new_codes, short_url, with_links
from shopline.store.campaign_models import Batch, Campaign
from shopline.store.connection import db
from shopline.store.models import Field, Friend
from shopline.store.personal_models import PersonalValues
from shopline.store.sqlite import write_transaction

SHOWN = 20  # friends named in CannotPersonalise; the rest are counted


def text_messages(messages: Sequence[dict[str, Any]]) -> list[str]:
    return [m["text"] for m in messages if m.get("type") == "text" and isinstance(m.get("text"), str)]


def has_placeholders(messages: Sequence[dict[str, Any]]) -> bool:
    return any(is_personal(t) for t in text_messages(messages))


def has_urls(messages: Sequence[dict[str, Any]]) -> bool:
    return any(find_urls(t) for t in text_messages(messages))


def is_personal_send(messages: Sequence[dict[str, Any]], relay_url: str | None) -> bool:
    """Whether these messages need one push per friend: placeholders, or URLs to track on a relay."""
    return has_placeholders(messages) or (relay_url is not None and has_urls(messages))


def as_literal(messages: Sequence[dict[str, Any]]) -> list[dict[str, Any]]:
    """Messages without placeholders as multicast sends them: doubled braces single again."""
    return [m | {"text": literal(m["text"])} if m.get("type") == "text" and isinstance(m.get("text"), str) else m
            for m in messages]


def placeholder_problems(messages: Sequence[dict[str, Any]]) -> list[tuple[int, Text]]:
    """(bubble index, reason) for each placeholder no field of the shop's answers to."""
    from shopline.core.placeholders import problems

    names = [n for (n,) in Field.select(Field.name).tuples()]
    return [(i, reason) for i, m in enumerate(messages) if m.get("type") == "text"
            for reason in problems(str(m.get("text", "")), names)]


class UnknownPlaceholder(ShopLineError):
    def __init__(self, index: int, reason: Text) -> None:
        super().__init__(Text(f"{index + 1}: {reason.ja}", f"{index + 1}: {reason.en}"))
        self.index = index


@lru_cache(maxsize=64)
def _parsed(text: str) -> Any:
    return parse(text)


def personal_messages(template: Sequence[dict[str, Any]], values: Mapping[str, str | None]) -> list[dict[str, Any]]:
    """One friend's LINE messages: placeholders filled, then URLs swapped for the friend's short links."""
    out = []
    for m in template:
        if m.get("type") == "text" and isinstance(m.get("text"), str):
            out.append(m | {"text": with_links(render(_parsed(m["text"]), values), values)})
        else:
            out.append(m)
    return out


# Values ----------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Person:
    friend_id: int
    user_id: str
    display_name: str
    values: dict[str, str | None]


def _keys(messages: Sequence[dict[str, Any]]) -> set[str]:
    return {p.key for t in text_messages(messages) for p in _parsed(t).placeholders}


def friend_id_set(friend_ids: Query | list[int] | BitMap) -> BitMap:
    if isinstance(friend_ids, BitMap):
        return friend_ids
    if isinstance(friend_ids, list | tuple | set | range):
        return BitMap(friend_ids)
    # A subquery (a Query, or segment_sql.friend_ids_query's SQL), read raw: peewee's rows cost more than it.
    sql, params = Friend.select(Friend.id).where(Friend.id.in_(friend_ids)).sql()
    return BitMap(fid for (fid,) in db.execute_sql(sql, params))


def people(friend_ids: Query | list[int] | BitMap, messages: Sequence[dict[str, Any]]) -> list[Person]:
    """The following friends among `friend_ids`, ordered by id, with the values the messages' placeholders need:
    one query, the display name and each wanted custom field joined by primary key."""
    keys = _keys(messages)
    fields = {fold(n): fid for fid, n in Field.select(Field.id, Field.name).tuples()}
    wanted = [(key, fields[name]) for key in sorted(keys) if (name := field_name(key)) is not None and name in fields]
    joins = "".join(f" LEFT JOIN field_value v{i} ON v{i}.friend_id = f.id AND v{i}.field_id = ?"
                    for i in range(len(wanted)))
    ids = friend_id_set(friend_ids)
    rows = db.execute_sql(
        "SELECT f.id, f.user_id, f.display_name" + "".join(f", v{i}.text_value" for i in range(len(wanted)))
        # CROSS JOIN keeps json_each outermost: the planner otherwise scans every friend and probes the array.
        + f" FROM json_each(?) j CROSS JOIN friend f ON f.id = j.value{joins} WHERE f.status = 'following'",
        (json.dumps(ids.to_array().tolist()), *[field_id for _, field_id in wanted]))
    named = DISPLAY_NAME in keys
    field_keys = [key for key, _ in wanted]
    found = []
    for fid, uid, name, *values in rows:
        mine = {key: value for key, value in zip(field_keys, values, strict=True) if value is not None}
        if named:
            mine[DISPLAY_NAME] = name or ""
        found.append(Person(fid, uid, name or "", mine))
    return found


@dataclass(frozen=True)
class Unsendable:
    friend_id: int
    display_name: str
    missing: tuple[str, ...]  # the placeholders ({会員ランク}) this friend has no value for
    too_long: bool = False  # the rendered text is over LINE's 5,000 characters


def _present(value: str | None) -> bool:
    return value is not None and bool(value.strip())  # as core.placeholders judges a value missing


def unsendable(template: Sequence[dict[str, Any]], found: Sequence[Person]) -> list[Unsendable]:
    """The friends who cannot be sent the texts as they are. Each required placeholder is looked up, not each
    text rendered: the length is only rendered per friend when the longest values could pass LINE's limit."""
    texts = [_parsed(t) for t in text_messages(template)]
    if not texts:
        return []
    required = list(dict.fromkeys((p.key, p.label) for t in texts for p in t.placeholders if p.fallback is None))
    could_be_long = _longest(texts, found) > MAX_TEXT_LENGTH
    bad = []
    for person in found:
        values = person.values
        gaps = tuple(dict.fromkeys(label for key, label in required if not _present(values.get(key))))
        long = could_be_long and any(text_length(render(t, values)) > MAX_TEXT_LENGTH for t in texts)
        if gaps or long:
            bad.append(Unsendable(person.friend_id, person.display_name, gaps, long))
    return bad


def _longest(texts: Sequence[Template], found: Sequence[Person]) -> int:
    """An upper bound on any friend's rendered text length as LINE counts it (a character is at most two UTF-16
    units), from each placeholder's longest value or its fallback."""
    keys = {p.key for t in texts for p in t.placeholders}
    widest = {key: max((len(v) for person in found if (v := person.values.get(key))), default=0) for key in keys}
    return max(sum(text_length(part) if isinstance(part, str)
                   else max(2 * widest[part.key], text_length(part.fallback or "")) for part in t.parts)
               for t in texts)


class CannotPersonalise(ShopLineError):
    """Some friends cannot be sent the text as it is; nothing was saved or sent."""

    exit_code = 1

    def __init__(self, friends: Sequence[Unsendable]) -> None:
        shown = "、".join(f.display_name or f"#{f.friend_id}" for f in friends[:SHOWN])
        more = len(friends) - SHOWN
        gaps = sorted({g for f in friends for g in f.missing})
        long = sum(f.too_long for f in friends)
        ja = [f"{len(friends):,}人の友だちには、このメッセージをそのままでは送れません: {shown}"
              + (f" ほか{more:,}人" if more > 0 else "") + "。"]
        en = [f"{len(friends):,} friends cannot be sent this message as it is: {shown}"
              + (f" and {more:,} more" if more > 0 else "") + "."]
        if gaps:
            example = gaps[0][:-1] + "|お客様}"
            ja.append(f"{'、'.join(gaps)} の値がありません。{example} のように代わりの言葉を入れるか、"
                      "値のない友だちを除いて送ってください。")
            en.append(f"They have no value for {', '.join(gaps)}. Add a fallback such as {example}, "
                      "or send without those friends.")
        if long:
            ja.append(f"{long:,}人は差し込んだ結果が{MAX_TEXT_LENGTH:,}文字を超えます。文を短くしてください。")
            en.append(f"For {long:,} of them the text would be over {MAX_TEXT_LENGTH:,} characters; shorten it.")
        super().__init__(Text("".join(ja), " ".join(en)))
        self.friends = list(friends)


# Freezing --------------------------------------------------------------------------------------------


def _short_links(template: Sequence[dict[str, Any]], found: Sequence[Person],
                 relay_url: str) -> list[tuple[str, int, str]]:
    """Give each person a code for each URL of their rendered texts; (code, friend, url) for each.

    The URLs are found once for everyone when no value can change them (_fixed_urls), and by rendering the
    person's texts only for a person whose values hold a URL of their own: at 100,000 friends, rendering and
    searching every text took ~3 s of the freeze."""
    texts = [_parsed(t) for t in text_messages(template)]
    fixed = [_fixed_urls(t) for t in texts]
    shared = None if any(f is None for f in fixed) else list(dict.fromkeys(u for f in fixed if f for u in f))
    keys = {p.key for t in texts for p in t.placeholders}
    if any(_has_url(p.fallback) for t in texts for p in t.placeholders):
        shared = None
    wanted: list[tuple[Person, list[str]]] = []
    for person in found:
        if shared is not None and not any(_has_url(person.values.get(k)) for k in keys):
            wanted.append((person, shared))
        else:
            wanted.append((person, list(dict.fromkeys(u for t in texts for u in find_urls(render(t, person.values))))))
    codes = iter(new_codes(sum(len(urls) for _, urls in wanted)))
    links = []
    for person, urls in wanted:
        for url in urls:
            code = next(codes)
            person.values[LINK_PREFIX + url] = short_url(relay_url, code)
            links.append((code, person.friend_id, url))
    return links


def _has_url(value: str | None) -> bool:
    return value is not None and "https://" in value.lower()


def _fixed_urls(template: Template) -> list[str] | None:
    """The text's URLs whatever the values, when every placeholder sits between characters a URL cannot hold
    (links.urls: a URL runs over printable ASCII): a value then neither extends nor starts a URL of the text,
    and can only bring URLs of its own, which _has_url looks for. None when a value could change them."""
    parts = template.parts
    for i, part in enumerate(parts):
        if isinstance(part, str):
            continue
        # "" before or after: the text's start or end, or another placeholder right beside this one.
        before = parts[i - 1] if i else ""
        after = parts[i + 1] if i + 1 < len(parts) else ""
        if not isinstance(before, str) or not isinstance(after, str):
            return None
        if (before == "" and i > 1) or (after == "" and i + 2 < len(parts)):
            return None
        if _in_url(before[-1:]) or _in_url(after[:1]):
            return None
    return find_urls("".join(p if isinstance(p, str) else " " for p in parts))


def _in_url(char: str) -> bool:
    return char != "" and "!" <= char <= "~"


class _FriendsChanged(Exception):
    """A friend read before the write lock was deleted before it: the freeze reads again."""


def freeze_personal(name: str, *, tree: dict[str, Any], text: str, messages: list[dict[str, Any]],
                    friend_ids: Query | list[int] | BitMap, unit: str | None = None,
                    estimate: dict[str, Any] | None = None, relay_url: str | None = None,
                    skip_unsendable: bool = False) -> Campaign:
    """The personal campaign, its batches (one friend each), values and short links, in one transaction.

    Everything per friend (who, their values, the check, short links, retry keys, the rows as JSON) is worked
    out before the write lock from what was committed; the transaction then only inserts, a statement per
    table (module docstring)."""
    unit = unit or default_unit(name)
    if not UNIT_RE.match(unit):
        raise ShopLineError(Text(
            f"集計単位名「{unit}」は使えません。半角英数字と「_」で30文字以内にしてください。",
            f"The aggregation unit \"{unit}\" is not allowed: use up to 30 letters, digits and \"_\"."))
    check_name_free(name)
    for _ in range(3):
        found = people(friend_ids, messages)
        bad = unsendable(messages, found)
        if bad and not skip_unsendable:
            raise CannotPersonalise(bad)
        skipped = {b.friend_id for b in bad}
        found = [p for p in found if p.friend_id not in skipped]
        links = _short_links(messages, found, relay_url) if relay_url else []
        rows = _Rows(found, links)
        try:
            with write_transaction(db):
                check_name_free(name)
                campaign = Campaign.create(
                    name=name, segment_tree=json.dumps(tree, ensure_ascii=False), segment_text=text,
                    messages=json.dumps(messages, ensure_ascii=False), unit=unit, recipients=len(found),
                    estimate=json.dumps(estimate or {}, ensure_ascii=False))
                rows.insert(campaign.id)
            return campaign
        except _FriendsChanged:
            continue
    raise ShopLineError(Text(
        "友だちの一覧が変わり続けているため配信を準備できませんでした。少し待ってからもう一度送ってください。",
        "The friend list kept changing while the campaign was prepared; try again in a moment."))


class _Rows:
    """A personal campaign's rows as one JSON array per table, made before the write lock: inside it each table
    is one INSERT ... SELECT over json_each, with no Python per friend."""

    def __init__(self, found: Sequence[Person], links: Sequence[tuple[str, int, str]]) -> None:
        self.count = len(found)
        self.keys = json.dumps(retry_keys(len(found)))
        self.friends = json.dumps([p.friend_id for p in found])
        self.values = json.dumps([p.values for p in found], ensure_ascii=False)
        self.links = json.dumps(links, ensure_ascii=False)

    def insert(self, campaign_id: int) -> None:
        if not self.count:
            return
        db.execute_sql("INSERT INTO batch (campaign_id, seq, retry_key, status, size, attempts, last_message, "
                       "accepted_request_id) SELECT ?, j.key + 1, j.value, 'pending', 1, 0, '', '' FROM json_each(?) j",
                       (campaign_id, self.keys))
        batch, params = batch_of_position(campaign_id, 1)
        # user_id joined at its primary key: a friend deleted since the read leaves a row short, and the freeze
        # starts again rather than freeze a batch nobody is in.
        inserted = db.execute_sql(
            "INSERT INTO recipient (campaign_id, friend_id, batch_id, user_id) "
            f"SELECT ?, f.id, {batch}, f.user_id FROM json_each(?) j CROSS JOIN friend f ON f.id = j.value",
            (campaign_id, *params, self.friends)).rowcount
        if inserted != self.count:
            raise _FriendsChanged()
        # An object's json_each value is its JSON text: what PersonalValues.frozen holds.
        db.execute_sql(f"INSERT INTO personal_values (batch_id, frozen) SELECT {batch}, j.value FROM json_each(?) j",
                       (*params, self.values))
        db.execute_sql("INSERT INTO tracked_link (code, campaign_id, friend_id, url, registered) "
                       "SELECT json_extract(j.value, '$[0]'), ?, json_extract(j.value, '$[1]'), "
                       "json_extract(j.value, '$[2]'), 0 FROM json_each(?) j", (campaign_id, self.links))


def is_personal_campaign(campaign: Campaign) -> bool:
    return (PersonalValues.select(PersonalValues.batch).join(Batch)
            .where(Batch.campaign == campaign).limit(1).exists())


def check_before_send(tree: Any, messages: Sequence[dict[str, Any]], *, skip_unsendable: bool = False,
                      relay_url: str | None = None) -> list[Unsendable]:
    """What the shop is told before being asked to send: an unknown placeholder or friends without values
    raise; with skip_unsendable the friends who will be left out are returned instead."""
    from shopline.store.segment_sql import friend_ids_query

    if not is_personal_send(messages, relay_url):
        return []
    for index, reason in placeholder_problems(messages)[:1]:
        raise UnknownPlaceholder(index, reason)
    bad = unsendable(messages, people(friend_ids_query(tree), messages))
    if bad and not skip_unsendable:
        raise CannotPersonalise(bad)
    return bad
