import threading
import time

from shopline.delivery.answer import Answer, Outcome, classify
from shopline.line.pacing import MULTICAST_LIMIT, MULTICAST_RATE, RateLimiter


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


def test_classification_follows_line_advice():
    assert classify(Answer(200)) is Outcome.ACCEPTED
    assert classify(Answer(409, message="The retry key is already accepted")) is Outcome.ACCEPTED
    for status in (0, 500, 502, 503, 504):
        assert classify(Answer(status)) is Outcome.RETRY
    assert classify(Answer(429, message="Too many requests")) is Outcome.RATE_LIMITED
    assert classify(Answer(429, message="You have reached your monthly limit.")) is Outcome.PAUSE_QUOTA
    assert classify(Answer(401)) is Outcome.PAUSE_TOKEN and classify(Answer(403)) is Outcome.PAUSE_TOKEN
    assert classify(Answer(400)) is Outcome.FAILED
