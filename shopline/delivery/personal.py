"""Personal campaigns: one push per friend through the same exactly-once engine as multicast.

A message whose text has placeholders (core.placeholders), or whose https:// URLs become tracked links
(a relay is connected), differs per friend, and LINE's multicast sends one text to everyone. So:

- freeze_personal(), in one transaction before any request: the recipients, one Batch per friend with
  its own retry key, the values each friend's text is rendered from (PersonalValues), and each friend's
  short links (TrackedLink). A friend missing a value that has no fallback is listed before anything is
  saved (CannotPersonalise), never sent a broken text.
- PersonalEngine sends each pending batch by push, pacing on the channel's push limiter (2,000/s), with
  line.retry's one retry function, the same key on every attempt, and the 24-hour key rule. The journal
  marks first attempts a group at a time before any request of the group leaves, and writes answers a
  group at a time: a crash in between leaves batches pending with their keys, which resume sends again
  and LINE answers 409 (accepted earlier). Pause, resume, the quota guard and PAUSE_TEXTS are the engine's.
"""

from __future__ import annotations

import datetime as dt
import json
import time
import uuid
from collections.abc import Callable, Iterator, Mapping, Sequence
from concurrent.futures import Future
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from peewee import Query

from shopline.core.drafts import MAX_TEXT_LENGTH, text_length
from shopline.core.folding import fold
from shopline.core.messages import ShopLineError, Text
from shopline.core.placeholders import DISPLAY_NAME, field_name, is_personal, literal, missing, parse, render
from shopline.delivery.answer import Answer, Outcome
from shopline.delivery.claims import Claim
from shopline.delivery.engine import STATUS_FOR, Engine, _Attempt, conclude
from shopline.delivery.freeze import UNIT_RE, check_name_free, default_unit
from shopline.delivery.journal import Journal, as_utc
from shopline.delivery.line_sender import LineSender
from shopline.delivery.results import Progress, RunResult
from shopline.line.fanout import fan_out
from shopline.line.limits import PUSH
from shopline.line.pacing import Limiter
from shopline.line.push_send import push_message
from shopline.links.urls import LINK_PREFIX, find_urls, new_code, short_url, with_links
from shopline.store.campaign_models import Batch, Campaign
from shopline.store.connection import db
from shopline.store.models import Field, Friend
from shopline.store.personal_models import PersonalValues
from shopline.store.sqlite import insert_rows, write_transaction

PUSH_CONCURRENCY = 48  # requests in flight: 1,800/s at ~25 ms a request needs ~45
GROUP = 500  # batches marked before sending, and answers written, per statement
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


def people(friend_ids: Query | list[int], messages: Sequence[dict[str, Any]]) -> list[Person]:
    """The following friends among `friend_ids`, ordered by id, with the values the messages' placeholders need."""
    keys = _keys(messages)
    rows = list(Friend.select(Friend.id, Friend.user_id, Friend.display_name)
                .where((Friend.status == "following") & Friend.id.in_(friend_ids)).order_by(Friend.id).tuples())
    found = [Person(fid, uid, name or "", {DISPLAY_NAME: name or ""} if DISPLAY_NAME in keys else {})
             for fid, uid, name in rows]
    fields = {fold(n): (fid, k) for fid, n, k in Field.select(Field.id, Field.name, Field.kind).tuples()}
    wanted = {fields[name][0]: key for key in keys if (name := field_name(key)) is not None and name in fields}
    if wanted and found:
        by_id = {p.friend_id: p for p in found}
        for friend_id, field_id, value in db.execute_sql(
                "SELECT friend_id, field_id, text_value FROM field_value WHERE field_id IN (SELECT value FROM "
                "json_each(?))", (json.dumps(list(wanted)),)):
            person = by_id.get(friend_id)
            if person is not None:
                person.values[wanted[field_id]] = value
    return found


@dataclass(frozen=True)
class Unsendable:
    friend_id: int
    display_name: str
    missing: tuple[str, ...]  # the placeholders ({会員ランク}) this friend has no value for
    too_long: bool = False  # the rendered text is over LINE's 5,000 characters


def unsendable(template: Sequence[dict[str, Any]], found: Sequence[Person]) -> list[Unsendable]:
    texts = [_parsed(t) for t in text_messages(template)]
    if not texts:
        return []
    bad = []
    for person in found:
        gaps = tuple(dict.fromkeys(p.label for t in texts for p in missing(t, person.values)))
        long = any(text_length(render(t, person.values)) > MAX_TEXT_LENGTH for t in texts)
        if gaps or long:
            bad.append(Unsendable(person.friend_id, person.display_name, gaps, long))
    return bad


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


def _with_short_links(template: Sequence[dict[str, Any]], person: Person, relay_url: str,
                      links: list[tuple[str, int, str]]) -> None:
    """Give the person a code for each URL of their rendered texts; (code, friend, url) appended to links."""
    for text in text_messages(template):
        for url in find_urls(render(_parsed(text), person.values)):
            key = LINK_PREFIX + url
            if key not in person.values:
                code = new_code()
                person.values[key] = short_url(relay_url, code)
                links.append((code, person.friend_id, url))


def freeze_personal(name: str, *, tree: dict[str, Any], text: str, messages: list[dict[str, Any]],
                    friend_ids: Query | list[int], unit: str | None = None, estimate: dict[str, Any] | None = None,
                    relay_url: str | None = None, skip_unsendable: bool = False) -> Campaign:
    """The personal campaign, its batches (one friend each), values and short links, in one transaction."""
    unit = unit or default_unit(name)
    if not UNIT_RE.match(unit):
        raise ShopLineError(Text(
            f"集計単位名「{unit}」は使えません。半角英数字と「_」で30文字以内にしてください。",
            f"The aggregation unit \"{unit}\" is not allowed: use up to 30 letters, digits and \"_\"."))
    check_name_free(name)
    with write_transaction(db):
        check_name_free(name)
        found = people(friend_ids, messages)
        bad = unsendable(messages, found)
        if bad and not skip_unsendable:
            raise CannotPersonalise(bad)
        skipped = {b.friend_id for b in bad}
        found = [p for p in found if p.friend_id not in skipped]
        links: list[tuple[str, int, str]] = []
        if relay_url:
            for person in found:
                _with_short_links(messages, person, relay_url, links)
        campaign = Campaign.create(
            name=name, segment_tree=json.dumps(tree, ensure_ascii=False), segment_text=text,
            messages=json.dumps(messages, ensure_ascii=False), unit=unit, recipients=len(found),
            estimate=json.dumps(estimate or {}, ensure_ascii=False))
        insert_rows(db, "batch", ("campaign_id", "seq", "retry_key", "status", "size", "attempts", "last_message",
                                  "accepted_request_id"),
                    ((campaign.id, seq, str(uuid.uuid4()), "pending", 1, 0, "", "")
                     for seq in range(1, len(found) + 1)))
        batch_of = dict(db.execute_sql("SELECT seq, id FROM batch WHERE campaign_id = ?", (campaign.id,)))
        insert_rows(db, "recipient", ("campaign_id", "friend_id", "batch_id", "user_id"),
                    ((campaign.id, p.friend_id, batch_of[seq], p.user_id) for seq, p in enumerate(found, 1)))
        insert_rows(db, "personal_values", ("batch_id", "frozen"),
                    ((batch_of[seq], json.dumps(p.values, ensure_ascii=False)) for seq, p in enumerate(found, 1)))
        insert_rows(db, "tracked_link", ("code", "campaign_id", "friend_id", "url", "registered"),
                    ((code, campaign.id, fid, url, 0) for code, fid, url in links))
    return campaign


def is_personal_campaign(campaign: Campaign) -> bool:
    return (PersonalValues.select(PersonalValues.batch).join(Batch)
            .where(Batch.campaign == campaign).limit(1).exists())


# Sending ---------------------------------------------------------------------------------------------


class PushSender(LineSender):
    """The engine's Sender over LINE's push: one friend per call, the channel's push limiter."""

    @property
    def limiter(self) -> Limiter:
        return self.client.limiter(PUSH)

    def __call__(self, user_ids: Sequence[str], messages: Sequence[dict[str, Any]], key: str, unit: str) -> Answer:
        (user_id,) = user_ids
        sent = push_message(self.client, user_id, messages, retry_key=key, unit=unit)
        return Answer(sent.status, sent.request_id)


@dataclass(slots=True)
class Push:
    batch_id: int
    seq: int
    retry_key: str
    first_attempt_at: dt.datetime | None
    user_id: str
    values: str  # JSON, rendered in the worker thread


class PersonalJournal(Journal):
    """The Journal's rules, written a group of batches per statement instead of one."""

    def __init__(self, campaign: Campaign, clock: Callable[[], dt.datetime]) -> None:
        super().__init__(campaign, clock)
        self._answers: list[tuple[Push, Outcome | None, Answer | None, int]] = []
        self._submitted: set[int] = set()
        self._counts = {status: friends for status, (_, friends) in self.counts().items()}

    def pushes(self) -> Iterator[Push]:
        """Pending batches in order, GROUP at a time; a group's untried first attempts are marked before it is
        handed out, so no request leaves before the journal says LINE may have seen its key."""
        after = 0
        while True:
            rows = list(db.execute_sql(
                "SELECT b.id, b.seq, b.retry_key, b.first_attempt_at, r.user_id, p.frozen FROM batch b "
                "JOIN recipient r ON r.batch_id = b.id JOIN personal_values p ON p.batch_id = b.id "
                "WHERE b.campaign_id = ? AND b.status = 'pending' AND b.seq > ? ORDER BY b.seq LIMIT ?",
                (self.campaign.id, after, GROUP)))
            if not rows:
                return
            after = rows[-1][1]
            group = [Push(bid, seq, key, Batch.first_attempt_at.python_value(first), uid, values)
                     for bid, seq, key, first, uid, values in rows]
            fresh = [p for p in group if p.first_attempt_at is None]
            if fresh:
                stamp = self.clock()
                with db.atomic():
                    db.execute_sql("UPDATE batch SET first_attempt_at = ? WHERE id IN (SELECT value FROM json_each(?))",
                                   (Batch.first_attempt_at.db_value(stamp), json.dumps([p.batch_id for p in fresh])))
                for p in fresh:
                    p.first_attempt_at = stamp
                    self._marked_now.add(p.batch_id)
            yield from group

    def submitted(self, push: Push) -> None:
        self._submitted.add(push.batch_id)

    def answered(self, push: Push, outcome: Outcome | None, answer: Answer | None, attempts: int) -> None:
        self._answers.append((push, outcome, answer, attempts))
        if outcome is Outcome.ACCEPTED or outcome is Outcome.FAILED:
            status = "accepted" if outcome is Outcome.ACCEPTED else "failed"
            self._counts["pending"] = self._counts.get("pending", 0) - 1
            self._counts[status] = self._counts.get(status, 0) + 1

    def flush(self) -> None:
        if not self._answers:
            return
        answers, self._answers = self._answers, []
        now = Batch.done_at.db_value(self.clock())
        done, tried, unmark = [], [], []
        for push, outcome, answer, attempts in answers:
            if outcome is None or answer is None:  # never sent in this run
                if outcome is None and push.batch_id in self._marked_now:
                    unmark.append((push.batch_id,))
                continue
            if outcome is Outcome.ACCEPTED or outcome is Outcome.FAILED:
                status = "accepted" if outcome is Outcome.ACCEPTED else "failed"
                request_id = answer.request_id if outcome is Outcome.ACCEPTED else ""
                done.append((status, attempts, answer.status, answer.message[:500], request_id, now, push.batch_id))
            else:
                tried.append((attempts, answer.status, answer.message[:500], push.batch_id))
        with db.atomic():
            cursor = db.cursor()
            cursor.executemany(
                "UPDATE batch SET status = ?, attempts = attempts + ?, last_status = ?, last_message = ?, "
                "accepted_request_id = ?, done_at = ? WHERE id = ?", done)
            cursor.executemany(
                "UPDATE batch SET attempts = attempts + ?, last_status = ?, last_message = ? WHERE id = ?", tried)
            cursor.executemany("UPDATE batch SET first_attempt_at = NULL WHERE id = ?", unmark)

    def unmark_unsent(self) -> None:
        """Batches this run marked but never handed out: LINE has not seen their keys."""
        never = [i for i in self._marked_now if i not in self._submitted]
        if never:
            db.execute_sql("UPDATE batch SET first_attempt_at = NULL WHERE status = 'pending' AND id IN "
                           "(SELECT value FROM json_each(?))", (json.dumps(never),))

    def progress(self) -> Progress:
        total = sum(self._counts.values())
        finished = self._counts.get("accepted", 0) + self._counts.get("failed", 0)
        return Progress(finished, total, finished, total)


class PersonalEngine(Engine):
    """Engine.run's promises for a personal campaign (its claim included): per-friend pushes, journal in groups."""

    def _run(self, campaign: Campaign, claim: Claim, progress: Callable[[Progress], None] | None,
             cancelled: Callable[[], bool]) -> RunResult:
        journal = PersonalJournal(campaign, clock=self.clock)
        journal.started()
        template = json.loads(campaign.messages)
        reason: Outcome | None = None
        uncertain = False
        detail = ""
        last_report = last_flush = 0.0
        self._stop.clear()
        if cancelled():
            self._stop.set()

        def send(push: Push) -> _Attempt:
            assert push.first_attempt_at is not None  # marked by journal.pushes()
            not_after = as_utc(push.first_attempt_at) + self.key_deadline
            messages = personal_messages(template, json.loads(push.values))
            return self._send(push.retry_key, [push.user_id], messages, campaign.unit, not_after)

        def done(push: Push, future: Future[_Attempt]) -> None:
            nonlocal reason, detail, uncertain
            result = future.result()
            journal.answered(push, result.outcome, result.answer, result.attempts)
            if result.outcome is Outcome.UNCERTAIN:
                uncertain = True
            elif result.outcome in STATUS_FOR and reason is None and not result.interrupted:
                reason = result.outcome
                detail = result.answer.message if result.answer else ""
                self._stop.set()

        def tick() -> bool:
            nonlocal last_report, last_flush
            claim.renew_if_due()
            if cancelled():
                self._stop.set()
            now = time.monotonic()
            if len(journal._answers) >= GROUP or now - last_flush >= self.progress_interval:
                last_flush = now
                journal.flush()
            if progress and now - last_report >= self.progress_interval:
                last_report = now
                progress(journal.progress())
            return self._stop.is_set()

        try:
            fan_out(journal.pushes(), send, done, workers=self.concurrency, ahead=self.concurrency,
                    interval=self.progress_interval, tick=tick, before=journal.submitted, name="push")
        finally:
            journal.flush()  # whatever LINE answered is written, even when stopping on an error
            journal.unmark_unsent()
        if progress:
            progress(journal.progress())
        return conclude(journal, reason, detail, uncertain)


def send_personal(campaign: Campaign, token: str, *, progress: Callable[[Progress], None] | None = None,
                  cancelled: Callable[[], bool] = lambda: False, concurrency: int = PUSH_CONCURRENCY,
                  engine: Callable[[LineSender], Engine] | None = None,
                  timeout: tuple[float, float] | None = None) -> RunResult:
    """Register the campaign's tracked links (all of them, or nothing is sent), then push to each pending friend."""
    from shopline.links.register import register_links

    register_links(campaign)
    with PushSender(token, concurrency=concurrency, timeout=timeout) as sender:
        runner = engine(sender) if engine else PersonalEngine(sender, concurrency=concurrency)
        return runner.run(campaign, progress=progress, cancelled=cancelled)


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


# The composer's preview ------------------------------------------------------------------------------

PREVIEW_FRIENDS = 200  # the first friends of the segment offered by name; any other comes at random


def preview_friends(tree: Any, limit: int = PREVIEW_FRIENDS) -> list[tuple[int, str]]:
    """(friend id, display name) of the segment's first following friends, for "preview as"."""
    from shopline.store.segment_sql import friend_ids_query

    return [(fid, name or uid) for fid, name, uid in Friend.select(Friend.id, Friend.display_name, Friend.user_id)
            .where((Friend.status == "following") & Friend.id.in_(friend_ids_query(tree)))
            .order_by(Friend.id).limit(limit).tuples()]


def random_friend(tree: Any) -> tuple[int, str] | None:
    from peewee import fn

    from shopline.store.segment_sql import friend_ids_query

    row = (Friend.select(Friend.id, Friend.display_name, Friend.user_id)
           .where((Friend.status == "following") & Friend.id.in_(friend_ids_query(tree)))
           .order_by(fn.Random()).limit(1).tuples().first())
    return (row[0], row[1] or row[2]) if row else None


def preview_values(friend_id: int, messages: Sequence[dict[str, Any]]) -> dict[str, str | None]:
    """What this friend's placeholders would be filled with now (the send freezes them again)."""
    found = people([friend_id], messages) or [Person(friend_id, "", "", {})]
    return found[0].values
