"""Test sends to the shop's own LINE accounts: configured user IDs, not part of any campaign.

The IDs are kept in Setting (they are not secret); each send is a push per ID with
its own retry key (line.push), and nothing is written to the campaign journal.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from typing import Any

from shopline.core.drafts import Draft
from shopline.core.messages import ShopLineError, Text
from shopline.delivery import personal
from shopline.delivery.personal_preview import preview_values
from shopline.delivery.service import checked_messages
from shopline.line.config import LineClient
from shopline.line.push import PushResult, push_test
from shopline.store import settings

TEST_IDS_KEY = settings.TEST_USER_IDS.key
USER_ID = re.compile(r"U[0-9a-f]{32}")
MAX_TEST_RECIPIENTS = 10  # a handful of staff phones; more would be a campaign


def get_test_ids() -> list[str]:
    return settings.TEST_USER_IDS.get().split()


def set_test_ids(user_ids: Iterable[str]) -> list[str]:
    ids = list(dict.fromkeys(u.strip() for u in user_ids if u.strip()))
    bad = [u for u in ids if not USER_ID.fullmatch(u)]
    if bad:
        raise ShopLineError(Text(f"LINEのユーザーIDではありません: {', '.join(bad)}（U と32桁の英数字です）",
                                 f"Not LINE user IDs: {', '.join(bad)} (U followed by 32 hex digits)"))
    if len(ids) > MAX_TEST_RECIPIENTS:
        raise ShopLineError(Text(f"テスト送信先は{MAX_TEST_RECIPIENTS}人までです。",
                                 f"At most {MAX_TEST_RECIPIENTS} test recipients."))
    settings.TEST_USER_IDS.set(" ".join(ids))
    return ids


def send_test_message(messages: Draft | Sequence[dict[str, Any]], token: str) -> list[PushResult]:
    ids = get_test_ids()
    if not ids:
        raise ShopLineError(Text("テスト送信先が設定されていません。自分のLINEユーザーIDを登録してください。",
                                 "No test recipients are set: add your own LINE user ID."))
    objects = checked_messages(messages, token)
    with LineClient(token) as client:
        if not personal.has_placeholders(objects):
            return push_test(client, ids, personal.as_literal(objects))
        # Each test phone sees the text as it would as a friend (its own values, or the gap where it has none).
        return [result for uid in ids for result in push_test(client, [uid], _as_seen_by(uid, objects))]


def _as_seen_by(user_id: str, objects: list[dict[str, Any]]) -> list[dict[str, Any]]:
    from shopline.core.placeholders import preview
    from shopline.store.models import Friend

    friend = Friend.get_or_none(Friend.user_id == user_id)
    values = preview_values(friend.id, objects) if friend is not None else {}
    return [m | {"text": preview(m["text"], values)} if m.get("type") == "text" else m for m in objects]
