"""Followers and profiles from LINE into the store.

Profiles are fetched by a few threads; only the thread that called sync_friends()
writes the database (in batches), so the GUI runs this whole function in one worker.
Friends are never deleted: one missing from the follower list becomes `unfollowed`,
one whose profile answers 404 becomes `blocked`; their tags, fields and history stay.
"""

from __future__ import annotations

import datetime as dt
import threading
import time
from collections.abc import Callable, Iterable
from concurrent.futures import Future
from dataclasses import dataclass

from shopline.core.messages import ShopLineError, Text
from shopline.line.config import LineClient
from shopline.line.errors import LineError, LineForbidden
from shopline.line.fanout import fan_out
from shopline.line.followers import iter_follower_pages
from shopline.line.profiles import Profile, get_profile
from shopline.line.retry import DEFAULT_RETRY, RetryPolicy, Stopped
from shopline.store import db, settings
from shopline.store.models import Friend, now

LAST_SYNC_KEY = settings.LAST_SYNC.key
PROGRESS_INTERVAL = 0.2  # seconds between progress reports: a few a second is all a bar can show
FLUSH_ROWS = 500

Progress = Callable[[int, int], object]
Cancelled = Callable[[], bool]


class FollowersUnavailable(ShopLineError):
    def __init__(self) -> None:
        super().__init__(
            Text(
                "LINEの仕様で、友だちのユーザーID一覧を取得できるのは認証済アカウントとプレミアムアカウント"
                "だけです。このアカウントは対象外のため同期できません。代わりに、今はCSVファイルから友だちを"
                "取り込めます (メニューの ファイル → CSVを読み込む…、または shopline import)。"
                "Webhookで友だち追加を自動で受け取る機能は今後対応します。",
                "LINE only lets verified and premium accounts list their friends' user IDs, and this "
                "account is neither, so it cannot be synced. Instead, import friends from a CSV file now "
                "(the menu File → Import CSV…, or shopline import); receiving new friends through webhooks "
                "is planned.",
            )
        )


@dataclass
class SyncReport:
    followers: int = 0
    added: int = 0
    updated: int = 0
    blocked: int = 0
    unfollowed: int = 0
    failed: int = 0  # profiles LINE did not give after retries; the friends are kept as they were
    cancelled: bool = False


@dataclass
class _Known:
    name: str
    picture: str | None
    language: str | None
    status: str
    source: str


class _Writer:
    """Collects results from the fetching threads and writes them in batches, in the caller's thread."""

    def __init__(self, report: SyncReport) -> None:
        self.report = report
        self.known = {
            row[0]: _Known(*row[1:])
            for row in Friend.select(
                Friend.user_id,
                Friend.display_name,
                Friend.picture_url,
                Friend.language,
                Friend.status,
                Friend.source,
            ).tuples()
        }
        self._new: list[tuple] = []
        self._changes: list[tuple[str, dict]] = []

    def pending(self) -> int:
        return len(self._new) + len(self._changes)

    def record(self, user_id: str, profile: Profile | None, *, failed: bool = False) -> None:
        status = "blocked" if profile is None and not failed else "following"
        known = self.known.get(user_id)
        if known is None:
            name = profile.display_name if profile else ""
            picture, language = (profile.picture_url, profile.language) if profile else (None, None)
            self._new.append((user_id, name, picture, language, status, "sync"))
            self.known[user_id] = _Known(name, picture, language, status, "sync")
            self.report.added += 1
        else:
            change: dict = {} if known.status == status else {"status": status}
            if profile and (profile.display_name, profile.picture_url, profile.language) != (
                known.name,
                known.picture,
                known.language,
            ):
                change |= {
                    "display_name": profile.display_name,
                    "picture_url": profile.picture_url,
                    "language": profile.language,
                }
            if change:
                self._changes.append((user_id, change))
                self.report.updated += 1
        self.report.blocked += status == "blocked"
        self.report.failed += failed

    def flush(self) -> None:
        if not self.pending():
            return
        stamp = now()
        with db.atomic():
            fields = [Friend.user_id, Friend.display_name, Friend.picture_url, Friend.language]
            fields += [Friend.status, Friend.source, Friend.created_at, Friend.updated_at]
            for start in range(0, len(self._new), FLUSH_ROWS):
                rows = [row + (stamp, stamp) for row in self._new[start : start + FLUSH_ROWS]]
                Friend.insert_many(rows, fields=fields).execute()
            for user_id, change in self._changes:
                Friend.update(**change, updated_at=stamp).where(Friend.user_id == user_id).execute()
        self._new.clear()
        self._changes.clear()

    def mark_unfollowed(self, followers: set[str]) -> None:
        """Following friends LINE no longer lists. Demo friends are left alone: LINE never knew them."""
        gone = [
            uid
            for uid, known in self.known.items()
            if known.status == "following" and known.source != "demo" and uid not in followers
        ]
        stamp = now()
        with db.atomic():
            for start in range(0, len(gone), FLUSH_ROWS):
                chunk = gone[start : start + FLUSH_ROWS]
                Friend.update(status="unfollowed", updated_at=stamp).where(Friend.user_id.in_(chunk)).execute()
        self.report.unfollowed = len(gone)


class _Throttled:
    def __init__(self, progress: Progress | None) -> None:
        self._progress = progress
        self._last = 0.0

    def __call__(self, done: int, total: int, *, force: bool = False) -> None:
        if self._progress and (force or time.monotonic() - self._last >= PROGRESS_INTERVAL):
            self._last = time.monotonic()
            self._progress(done, total)


def _follower_ids(client: LineClient, retry: RetryPolicy, cancelled: Cancelled, report: Progress) -> list[str]:
    ids: dict[str, None] = {}  # LINE may repeat an ID across pages; keep the first, in order
    try:
        for page in iter_follower_pages(client, retry):
            ids.update(dict.fromkeys(page))
            report(len(ids), 0)
            if cancelled():
                break
    except LineForbidden:
        raise FollowersUnavailable() from None
    return list(ids)


class _Cancel:
    """The caller's cancelled() polled into an event the fetching threads' waits (backoff, 429) wake on."""

    def __init__(self, cancelled: Cancelled) -> None:
        self.cancelled = cancelled
        self.event = threading.Event()

    def __call__(self) -> bool:
        if not self.event.is_set() and self.cancelled():
            self.event.set()
        return self.event.is_set()


def _fetch_profiles(
    client: LineClient,
    user_ids: Iterable[str],
    writer: _Writer,
    *,
    workers: int,
    retry: RetryPolicy,
    cancelled: Cancelled,
    report: Progress,
    total: int,
) -> bool:
    """Fetch and record every profile; False when cancelled first.

    The profile limiter is the channel's, shared with anything else asking LINE for profiles.
    """
    stop = _Cancel(cancelled)
    done = 0

    def fetch(user_id: str) -> Profile | None:
        return get_profile(client, user_id, retry, stop=stop.event)

    def record(user_id: str, future: Future[Profile | None]) -> None:
        nonlocal done
        try:
            writer.record(user_id, future.result())
        except Stopped:
            return  # cancelled before LINE answered: the friend stays as it was
        except LineError as error:
            if not error.retryable:
                raise
            writer.record(user_id, None, failed=True)
        done += 1
        if writer.pending() >= FLUSH_ROWS:
            writer.flush()

    def tick() -> bool:
        report(done, total)
        return stop()

    try:
        return fan_out(user_ids, fetch, record, workers=workers, ahead=workers * 3, interval=PROGRESS_INTERVAL,
                       tick=tick, name="line-profile")
    finally:
        writer.flush()


def sync_friends(
    token: str,
    *,
    progress: Progress | None = None,
    cancelled: Cancelled | None = None,
    workers: int = 8,
    retry: RetryPolicy = DEFAULT_RETRY,
) -> SyncReport:
    """Bring the store's friends in line with LINE's followers and their profiles.

    `token` comes from secrets.channel_token(). `progress(done, total)` is called
    a few times a second; total 0 means the follower list is still being read (an
    indeterminate bar). `cancelled()` is polled: work written so far stays, and
    nobody is marked unfollowed.
    """
    cancelled = cancelled or (lambda: False)
    report = _Throttled(progress)
    result = SyncReport()
    with LineClient(token, pool_size=workers) as client:
        report(0, 0, force=True)
        user_ids = _follower_ids(client, retry, cancelled, report)
        result.followers = len(user_ids)
        writer = _Writer(result)
        complete = not cancelled() and _fetch_profiles(
            client,
            user_ids,
            writer,
            workers=workers,
            retry=retry,
            cancelled=cancelled,
            report=report,
            total=len(user_ids),
        )
    if not complete:
        result.cancelled = True
        return result
    writer.mark_unfollowed(set(user_ids))
    settings.LAST_SYNC.set(dt.datetime.now())
    report(len(user_ids), len(user_ids), force=True)
    return result
