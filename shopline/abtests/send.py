"""Sending an A/B test's variants, and then its winner to the held-back friends.

Each variant is its own campaign, sent by the delivery engine (service.send): batches with their retry
keys, the journal, pause and resume. Sending again continues whatever is pending, so a crash or Ctrl-C
mid-test loses nothing and sends nothing twice.

The winner's campaign is frozen from the held-back friends and linked to the test in the same
transaction: once it exists, send_winner only ever continues it, whichever variant is asked for.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from shopline.abtests import status as status_mod
from shopline.abtests.create import ABTestError, freeze_group
from shopline.abtests.lookup import find_test, variants_of, winner_campaign_name
from shopline.core.changes import Changes
from shopline.core.estimate import Status
from shopline.core.messages import Text
from shopline.delivery import service
from shopline.delivery.engine import Engine
from shopline.delivery.line_sender import LineSender
from shopline.delivery.results import Progress, RunResult
from shopline.delivery.resume import prepare_resume
from shopline.delivery.usage import current_usage, verdict_for
from shopline.links.relay import tracking_relay
from shopline.store.abtest_models import ABTest, Variant
from shopline.store.campaign_models import Campaign
from shopline.store.connection import db
from shopline.store.sqlite import write_transaction


@dataclass(frozen=True)
class SendResult:
    """Per variant key (or the winner's), what the engine reported; `pending` > 0 means it can be continued."""

    runs: dict[str, RunResult]
    changes: Changes = field(default_factory=lambda: Changes(campaigns=True))

    @property
    def pending(self) -> int:
        return sum(r.pending for r in self.runs.values())

    @property
    def delivered(self) -> int:
        return sum(r.delivered for r in self.runs.values())

    @property
    def failed(self) -> int:
        return sum(r.failed for r in self.runs.values())

    @property
    def message(self) -> Text | None:
        return next((r.message for r in self.runs.values() if r.message is not None), None)


def _pending(campaign: Campaign) -> int:
    return service.pending_friends(campaign)


def send_variants(name: str, token: str, *, progress: Callable[[str, Progress], None] | None = None,
                  cancelled: Callable[[], bool] = lambda: False, accept_duplicates: bool = False,
                  skip_uncertain: bool = False, engine: Callable[[LineSender], Engine] | None = None) -> SendResult:
    """Send every variant's pending batches, A first; stops at the first variant that could not finish."""
    test = find_test(name)
    campaigns = [(v.key, v.campaign) for v in variants_of(test)]
    left = sum(_pending(c) for _, c in campaigns)
    if not left:
        raise service.NothingToSend(Text(f"「{test.name}」のパターンはすべて送信済みです。",
                                         f"Every variant of \"{test.name}\" has been sent."))
    # All variants or none: the month is asked about their sum before the first one goes.
    service.guard(verdict_for(left, current_usage(token, fresh=True)))
    runs: dict[str, RunResult] = {}
    for key, campaign in campaigns:
        if not _pending(campaign):
            continue
        prepare_resume(campaign, accept_duplicates=accept_duplicates, skip_uncertain=skip_uncertain)
        run = service.send(campaign, token, progress=(lambda p, k=key: progress(k, p)) if progress else None,
                           cancelled=cancelled, engine=engine)
        runs[key] = run
        if run.pending or cancelled():
            break
    return SendResult(runs)


def choose_winner(test: ABTest, key: str | None) -> Variant:
    """The variant asked for, or the one the verdict found better; refuses to guess when nothing is clear."""
    variants = {v.key: v for v in variants_of(test)}
    if key is not None:
        key = key.strip().upper()
        if key not in variants:
            raise ABTestError(Text(f"パターン「{key}」はありません。{'・'.join(variants)}から選んでください。",
                                   f"There is no variant \"{key}\": choose one of {', '.join(variants)}."))
        return variants[key]
    judged = status_mod.status(test.name).verdict
    if judged.best is None:
        raise ABTestError(Text(f"まだ勝ちパターンが決まっていません({judged.text.ja})。"
                               "送るパターンを選んでください(コマンドでは --variant A など)。",
                               f"No winner yet ({judged.text.en}). Choose the variant to send "
                               "(on the command line: --variant A)."))
    return variants[judged.best]


def prepare_winner(name: str, token: str | None = None, *, variant: str | None = None,
                   track_links: bool = True, skip_unsendable: bool = False) -> Campaign:
    """The winner's campaign: the one already linked to the test, or a new one frozen from the held-back friends."""
    test = find_test(name)
    if test.winner_campaign_id is not None:
        _same_winner(test, variant)
        return Campaign.get_by_id(test.winner_campaign_id)
    if test.test_share >= 100:
        raise ABTestError(Text(f"「{test.name}」は全員でテストしたため、残りの友だちはいません。",
                               f"\"{test.name}\" tested everyone: nobody was held back for the winner."))
    chosen = choose_winner(test, variant)
    messages: list[dict[str, Any]] = service.checked_messages(json.loads(chosen.messages), token)
    usage = current_usage(token)
    relay_url = tracking_relay() if track_links else None
    with write_transaction(db):
        test = ABTest.get_by_id(test.id)  # under the write lock: another window may have just sent the winner
        if test.winner_campaign_id is not None:
            _same_winner(test, chosen.key)
            return Campaign.get_by_id(test.winner_campaign_id)
        estimate = verdict_for(status_mod.held_back_following(test), usage)
        if estimate.status is Status.BLOCKED:
            raise service.QuotaExceeded(estimate)
        campaign = freeze_group(winner_campaign_name(test.name, chosen.key), test, None, messages,
                                json.loads(test.segment_tree), test.segment_text, service.estimate_json(estimate),
                                relay_url, skip_unsendable)
        if campaign.recipients == 0:
            raise service.NothingToSend(Text("残りの友だちに、いま送れる人がいません(ブロックなど)。",
                                             "None of the held-back friends can be sent to now (blocked, etc.)."))
        ABTest.update(winner_key=chosen.key, winner_campaign=campaign.id).where(ABTest.id == test.id).execute()
    return campaign


def _same_winner(test: ABTest, key: str | None) -> None:
    """The held-back friends get one winner: asking for another after it exists is refused, not sent."""
    if key is not None and key.strip().upper() != test.winner_key:
        raise ABTestError(Text(f"「{test.name}」の残りの友だちには、すでに{test.winner_key}を送ることにしています。",
                               f"\"{test.name}\" already sends {test.winner_key} to the held-back friends."))


def send_winner(name: str, token: str, *, variant: str | None = None,
                progress: Callable[[str, Progress], None] | None = None, cancelled: Callable[[], bool] = lambda: False,
                accept_duplicates: bool = False, skip_uncertain: bool = False,
                engine: Callable[[LineSender], Engine] | None = None) -> SendResult:
    """One step: freeze the winner for the held-back friends (once) and send it, or continue it."""
    campaign = prepare_winner(name, token, variant=variant)
    test = find_test(name)
    key = test.winner_key or "?"
    if not _pending(campaign):
        raise service.NothingToSend(Text(f"「{campaign.name}」はすべて送信済みです。",
                                         f"\"{campaign.name}\" has been sent in full."))
    prepare_resume(campaign, accept_duplicates=accept_duplicates, skip_uncertain=skip_uncertain)
    run = service.send(campaign, token, progress=(lambda p: progress(key, p)) if progress else None,
                       cancelled=cancelled, engine=engine)
    return SendResult({key: run})
