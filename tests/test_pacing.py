import threading
import time

import pytest

from shopline.delivery.answer import Outcome, outcome_for
from shopline.line import errors, limits
from shopline.line.pacing import MULTICAST_LIMIT, MULTICAST_RATE, RateLimiter, WindowLimiter
from shopline.line.retry import RetryPolicy, Stopped, call_with_retries


def _peak(stamps, window=1.0):
    stamps.sort()
    best, j = 0, 0
    for i, t in enumerate(stamps):
        while stamps[j] <= t - window:
            j += 1
        best = max(best, i - j + 1)
    return best


def test_threads_together_stay_under_the_rate():
    pacer = RateLimiter(400)
    stamps, lock = [], threading.Lock()

    def worker():
        for _ in range(60):
            pacer.wait()
            with lock:
                stamps.append(time.monotonic())

    threads = [threading.Thread(target=worker) for _ in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len(stamps) == 480
    # Slots are exact; a thread that oversleeps its slot by a few ms can bunch with the next one.
    assert _peak(stamps) <= 410
    assert stamps[-1] - stamps[0] >= 479 / 400 * 0.95


def test_default_rate_is_under_line_limit():
    assert 1 / RateLimiter(MULTICAST_RATE).interval < MULTICAST_LIMIT


def test_hold_delays_everyone():
    now = [100.0]
    slept = []
    pacer = RateLimiter(10, clock=lambda: now[0], sleep=slept.append)
    pacer.hold(5.0)
    pacer.wait()
    assert slept == [5.0]


def test_outcome_follows_the_error_type_not_its_text():
    assert outcome_for(errors.RetryKeyAccepted(409, "The retry key is already accepted")) is Outcome.ACCEPTED
    for error in (errors.LineServerError(500), errors.LineServerError(503), errors.LineTimeout(),
                  errors.LineConnectionError(), errors.LineRateLimited(429), errors.NotLineAnswer()):
        assert outcome_for(error) is Outcome.RETRY
    assert outcome_for(errors.LineMonthlyLimit(429, "You have reached your monthly limit.")) is Outcome.PAUSE_QUOTA
    # The words decide nothing once LINE's answer has a type: a rate limit that mentions the month is a rate limit.
    assert outcome_for(errors.LineRateLimited(429, "monthly limit of requests")) is Outcome.RETRY
    assert outcome_for(errors.LineAuthError(401)) is Outcome.PAUSE_TOKEN
    assert outcome_for(errors.LineForbidden(403)) is Outcome.PAUSE_TOKEN
    assert outcome_for(errors.LineError(400)) is Outcome.FAILED


def test_a_wait_ends_when_the_stop_flag_is_set():
    pacer = RateLimiter(1)
    stop = threading.Event()
    pacer.hold(3600)
    threading.Timer(0.05, stop.set).start()
    assert pacer.wait(stop) is False  # it would have waited an hour


def test_hourly_window_counts_requests():
    now = [0.0]

    def sleep(seconds):
        now[0] += seconds

    window = WindowLimiter(60, 3600.0, clock=lambda: now[0], sleep=sleep)
    for _ in range(60):
        assert window.wait()
    assert now[0] == 0.0
    assert window.wait() and now[0] == 3600.0  # the 61st waits until the first is an hour old


def test_one_limiter_per_channel_and_family():
    a, b = limits.channel_of("token-a"), limits.channel_of("token-b")
    assert "token-a" not in a  # the registry keeps a fingerprint, never the token
    assert limits.limiter(a, limits.MULTICAST) is limits.limiter(a, limits.MULTICAST)
    assert limits.limiter(a, limits.MULTICAST) is not limits.limiter(b, limits.MULTICAST)
    assert limits.limiter(a, limits.MULTICAST) is not limits.limiter(a, limits.PUSH)
    assert 1 / limits.limiter(a, limits.MULTICAST).interval < MULTICAST_LIMIT
    assert isinstance(limits.limiter(a, limits.INSIGHT), WindowLimiter)


def test_a_store_backed_limiter_plugs_in_for_hourly_families():
    made = []

    class Shared:  # what the store's limiter would be: same shape, counted across processes
        def wait(self, stop=None):
            return True

        def hold(self, seconds):
            pass

    def factory(channel, family):
        made.append((channel, family.name))
        return Shared()

    channel = limits.channel_of("token-c")
    try:
        limits.use_factory(factory)
        assert isinstance(limits.limiter(channel, limits.INSIGHT), Shared)
        assert isinstance(limits.limiter(channel, limits.MULTICAST), RateLimiter)  # per-second: in process
    finally:
        limits.use_factory(None)
    assert made == [(channel, "insight")]
    assert isinstance(limits.limiter(channel, limits.INSIGHT), WindowLimiter)


def test_retry_after_is_capped_and_a_hold_is_interruptible():
    error = errors.LineRateLimited(429, "", {"retry-after": "120"})
    assert RetryPolicy().delay(1, error) == 60.0
    stop = threading.Event()
    calls = []

    def rate_limited():
        calls.append(1)
        threading.Timer(0.05, stop.set).start()
        raise error

    with pytest.raises(Stopped) as stopped:
        call_with_retries(rate_limited, RetryPolicy(attempts=5), limiter=RateLimiter(100), stop=stop)
    assert len(calls) == 1 and stopped.value.last is error  # nothing left after the stop
