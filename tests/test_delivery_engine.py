"""The engine's decisions, with a scripted sender standing in for LINE (HTTP paths: test_delivery_line.py)."""

from __future__ import annotations

import datetime as dt
import threading
from collections import Counter

import pytest

from shopline.delivery.answer import Answer
from shopline.delivery.engine import Engine
from shopline.delivery.freeze import CampaignExists, freeze
from shopline.delivery.resume import DuplicateRisk, prepare_resume, uncertain_batches
from shopline.line import errors
from shopline.line.pacing import RateLimiter
from shopline.store.campaign_models import Batch, Campaign
from shopline.store.models import Friend

MSG = [{"type": "text", "text": "こんにちは"}]


def _refusal(status) -> errors.LineError:
    """What line.errors makes of LINE's answer: the engine sees only these types."""
    if status == "quota":
        return errors.LineMonthlyLimit(429, "You have reached your monthly limit.")
    if status == 0:
        return errors.LineConnectionError()
    kind = {401: errors.LineAuthError, 403: errors.LineForbidden, 429: errors.LineRateLimited}.get(status)
    kind = kind or (errors.LineServerError if status >= 500 else errors.LineError)
    return kind(status, f"status {status}")


class Script:
    """A LINE that answers from a per-key script and remembers accepted keys, as the real one does."""

    def __init__(self, plan=None):
        self.plan = plan or {}  # seq -> list of statuses to answer in turn
        self.accepted: dict[str, list[str]] = {}
        self.calls: list[tuple[str, int]] = []
        self.lock = threading.Lock()
        self.key_seq: dict[str, int] = {}

    def __call__(self, user_ids, messages, key, unit):
        with self.lock:
            seq = self.key_seq[key]
            self.calls.append((key, len(user_ids)))
            script = self.plan.get(seq, [])
            status = script.pop(0) if script else 200
            if status == "accept-then-500":
                self.accepted[key] = list(user_ids)
                raise errors.LineServerError(500, "Internal error")
            if key in self.accepted:
                raise errors.RetryKeyAccepted(409, "The retry key is already accepted",
                                              {"x-line-accepted-request-id": "acc-" + key[:8]})
            if status == 200:
                self.accepted[key] = list(user_ids)
                return Answer(200, request_id="req-" + key[:8])
            raise _refusal(status)

    def delivered(self) -> Counter:
        return Counter(u for ids in self.accepted.values() for u in ids)


def _friends(n, blocked=0):
    rows = [{"user_id": f"U{i:032x}", "status": "blocked" if i < blocked else "following"} for i in range(n)]
    Friend.insert_many(rows).execute()
    return Friend.select(Friend.id)


def _campaign(n=1200, name="春のセール", blocked=0, batch_size=500):
    campaign = freeze(name, tree={"tag": "VIP"}, text="VIP", messages=MSG, friend_ids=_friends(n, blocked),
                      batch_size=batch_size)
    return campaign


def _engine(script, **kw):
    return Engine(script, pacer=RateLimiter(10_000), sleep=lambda s: None, **kw)


def _keys(script, campaign):
    script.key_seq = {b.retry_key: b.seq for b in Batch.select().where(Batch.campaign == campaign)}


def test_freeze_batches_following_friends_with_fresh_keys(store):
    c = _campaign(1200, blocked=100)
    batches = list(c.batches.order_by(Batch.seq))
    assert c.recipients == 1100
    assert [b.size for b in batches] == [500, 500, 100]
    assert len({b.retry_key for b in batches}) == 3
    assert c.unit.startswith("sl_")
    with pytest.raises(CampaignExists):
        freeze("春のセール", tree={}, text="", messages=MSG, friend_ids=Friend.select(Friend.id))


def test_everyone_exactly_once(store):
    c = _campaign(1200)
    script = Script()
    _keys(script, c)
    result = _engine(script).run(c)
    assert (result.status, result.delivered, result.pending) == ("done", 1200, 0)
    assert set(script.delivered().values()) == {1} and len(script.delivered()) == 1200
    assert Campaign.get_by_id(c.id).status == "done"


def test_accepted_then_500_is_retried_with_same_key_and_counted_once(store):
    c = _campaign(600)
    script = Script({1: ["accept-then-500"]})
    _keys(script, c)
    result = _engine(script).run(c)
    assert result.delivered == 600
    first = Batch.get(Batch.campaign == c, Batch.seq == 1)
    assert first.attempts == 2 and first.last_status == 409 and first.accepted_request_id.startswith("acc-")
    assert [k for k, _ in script.calls].count(first.retry_key) == 2
    assert max(script.delivered().values()) == 1


def test_5xx_and_no_answer_back_off_then_succeed(store):
    c = _campaign(500)
    script = Script({1: [500, 0, 503]})
    _keys(script, c)
    delays = []
    result = Engine(script, pacer=RateLimiter(10_000), sleep=delays.append, backoff=1.0).run(c)
    assert result.status == "done" and len(script.calls) == 4
    assert len(delays) == 3 and 0.5 <= delays[0] <= 1.0 and 2.0 <= delays[2] <= 4.0


def test_retries_are_bounded_and_leave_the_batch_resumable(store):
    c = _campaign(500)
    script = Script({1: [500] * 5})
    _keys(script, c)
    result = _engine(script, max_attempts=3).run(c)
    assert (result.status, result.pending) == ("paused", 500)
    assert "接続" in result.message.ja
    result = _engine(script).run(Campaign.get_by_id(c.id))
    assert result.status == "done" and script.delivered()[f"U{0:032x}"] == 1


def test_rate_limit_waits_and_retries(store):
    c = _campaign(500)
    script = Script({1: [429, 429]})
    _keys(script, c)
    assert _engine(script).run(c).status == "done"
    assert len(script.calls) == 3


def test_monthly_limit_pauses_keeps_pending_and_resume_completes(store):
    c = _campaign(2000)
    script = Script({3: ["quota"]})
    _keys(script, c)
    result = _engine(script, concurrency=1).run(c)
    assert result.status == "paused_quota" and result.pending == 1000
    assert "上限" in result.message.ja
    assert Campaign.get_by_id(c.id).last_error == "You have reached your monthly limit."
    result = _engine(script, concurrency=1).run(Campaign.get_by_id(c.id))
    assert result.status == "done"
    assert len(script.delivered()) == 2000 and max(script.delivered().values()) == 1


def test_token_refused_pauses_with_the_sentence(store):
    c = _campaign(1000)
    script = Script({1: [401]})
    _keys(script, c)
    result = _engine(script, concurrency=1).run(c)
    assert result.status == "paused_token"
    assert "チャネルアクセストークンを確認してください" in result.message.ja
    assert _engine(script).run(Campaign.get_by_id(c.id)).status == "done"


def test_other_4xx_fails_that_batch_only(store):
    c = _campaign(1500)
    script = Script({2: [400]})
    _keys(script, c)
    result = _engine(script).run(c)
    assert (result.status, result.delivered, result.failed) == ("done", 1000, 500)
    assert Batch.get(Batch.campaign == c, Batch.seq == 2).status == "failed"


def test_cancel_pauses_and_unsent_keys_stay_unused(store):
    c = _campaign(2500)
    script = Script()
    _keys(script, c)
    seen = []
    result = _engine(script, concurrency=1).run(c, cancelled=lambda: len(script.calls) >= 2,
                                                 progress=seen.append)
    assert result.status == "paused" and result.delivered == 1000
    assert Batch.select().where((Batch.status == "pending") & Batch.first_attempt_at.is_null(False)).count() == 0
    assert seen and seen[-1].friends_done == 1000
    assert _engine(script).run(Campaign.get_by_id(c.id)).status == "done"
    assert len(script.delivered()) == 2500


def test_keys_older_than_a_day_need_a_choice(store):
    c = _campaign(1000)
    Batch.update(first_attempt_at=dt.datetime(2026, 1, 1, 9)).where(Batch.seq == 1).execute()
    later = dt.datetime(2026, 1, 2, 10)
    assert [b.seq for b in uncertain_batches(c, later)] == [1]
    with pytest.raises(DuplicateRisk) as risk:
        prepare_resume(c, at=later)
    assert risk.value.friends == 500 and "二重に届くおそれ" in str(risk.value)
    old_key = Batch.get(Batch.seq == 1).retry_key
    assert prepare_resume(c, accept_duplicates=True, at=later) == 0
    assert Batch.get(Batch.seq == 1).retry_key != old_key


def test_skipping_uncertain_batches(store):
    c = _campaign(1000)
    Batch.update(first_attempt_at=dt.datetime(2026, 1, 1, 9)).where(Batch.seq == 2).execute()
    assert prepare_resume(c, skip_uncertain=True, at=dt.datetime(2026, 1, 3)) == 500
    script = Script()
    _keys(script, c)
    result = _engine(script).run(c)
    assert (result.delivered, result.failed) == (500, 500)


class Clock:
    """The engine's and the journal's UTC clock; each backoff moves it on by `step`."""

    def __init__(self, step=dt.timedelta(0)):
        self.now = dt.datetime(2026, 6, 1, 3, 0, tzinfo=dt.UTC)
        self.step = step

    def __call__(self):
        return self.now

    def sleep(self, seconds):
        self.now += self.step


def test_a_key_nearly_a_day_old_is_not_sent_again(store):
    """Resumed at 23 h 59 min 56 s: a request now could reach LINE after it forgot the key."""
    c = _campaign(1000)
    clock = Clock()
    Batch.update(first_attempt_at=clock.now - dt.timedelta(hours=23, minutes=59, seconds=56)) \
        .where(Batch.seq == 1).execute()
    with pytest.raises(DuplicateRisk):  # resume asks first, an hour early
        prepare_resume(c, at=clock.now)
    script = Script({1: [500] * 6})
    _keys(script, c)
    result = Engine(script, pacer=RateLimiter(10_000), sleep=clock.sleep, clock=clock).run(c)
    first = Batch.get(Batch.seq == 1)
    assert first.retry_key not in [k for k, _ in script.calls]
    assert (result.status, result.delivered, result.pending) == ("paused", 500, 500)
    assert "24時間" in result.message.ja and first.status == "pending"
    with pytest.raises(DuplicateRisk):
        prepare_resume(Campaign.get_by_id(c.id), at=clock.now)


def test_retries_stop_before_the_key_is_forgotten(store):
    """LINE answers 500 again and again, slowly: no retry leaves once the key could be a day old."""
    c = _campaign(500)
    clock = Clock(step=dt.timedelta(hours=7))
    script = Script({1: [500] * 6})
    _keys(script, c)
    sent_at = []
    real = script.__call__

    def timed(user_ids, messages, key, unit):
        sent_at.append(clock.now)
        return real(user_ids, messages, key, unit)

    result = Engine(timed, pacer=RateLimiter(10_000), sleep=clock.sleep, clock=clock).run(c)
    first = Batch.get(Batch.seq == 1)
    assert len(sent_at) == 4  # 0, 7, 14, 21 h; the fifth would leave at 28 h
    assert all(t - sent_at[0] < dt.timedelta(hours=24) for t in sent_at)
    assert (result.status, result.pending, first.status, first.attempts) == ("paused", 500, "pending", 4)
    assert "二重" in result.message.ja
    with pytest.raises(DuplicateRisk):
        prepare_resume(Campaign.get_by_id(c.id), at=clock.now)


def test_resume_warns_an_hour_early(store):
    c = _campaign(500)
    at = dt.datetime(2026, 6, 2, 3, 0, tzinfo=dt.UTC)
    Batch.update(first_attempt_at=at - dt.timedelta(hours=22, minutes=59)).execute()
    assert uncertain_batches(c, at) == []
    Batch.update(first_attempt_at=at - dt.timedelta(hours=23, minutes=1)).execute()
    assert [b.seq for b in uncertain_batches(c, at)] == [1]
