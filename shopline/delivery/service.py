"""What the CLI and the GUI call to send: check, estimate, freeze, send, resume.

    est = estimate_send(tree, token)                 # shown to the shop, who confirms
    prepared = prepare_send(name, tree, messages, token=token)   # refuses, or freezes
    result = send(prepared.campaign, token, progress=..., cancelled=...)
    result = resume(name, token, accept_duplicates=False, skip_uncertain=False)

Refusals come before the campaign exists (invalid message, a plan that cannot send
that many); once it is frozen every failure leaves it resumable.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass
from typing import Any

from peewee import fn

from shopline.core.drafts import Draft, from_line, to_line
from shopline.core.estimate import Estimate, Status
from shopline.core.messages import ShopLineError, Text
from shopline.core.segments import Node, to_json, to_text
from shopline.delivery import personal, push_engine
from shopline.delivery.engine import Engine
from shopline.delivery.freeze import freeze
from shopline.delivery.line_sender import LineSender
from shopline.delivery.results import Progress, RunResult
from shopline.delivery.resume import find_campaign, prepare_resume
from shopline.delivery.usage import Usage, current_usage, verdict_for
from shopline.line.config import LineClient
from shopline.line.validate import validate_multicast
from shopline.links.relay import tracking_relay
from shopline.store.campaign_models import Batch, Campaign
from shopline.store.segment_sql import members

CONCURRENCY = 12  # in flight: at 50 ms a request, 12 keep the 180/s pace with room for client CPU (10: ~156/s)


class QuotaExceeded(ShopLineError):
    """The month's limit cannot take this send; nothing was sent."""

    exit_code = 3

    def __init__(self, estimate: Estimate) -> None:
        lines = [*estimate.reasons[:1], *estimate.ways_out]
        super().__init__(Text("\n".join(t.ja for t in lines), "\n".join(t.en for t in lines)))
        self.estimate = estimate


class NothingToSend(ShopLineError):
    exit_code = 1


@dataclass(frozen=True)
class Prepared:
    campaign: Campaign
    estimate: Estimate


def checked_messages(messages: Draft | Sequence[dict[str, Any]], token: str | None = None) -> list[dict[str, Any]]:
    """LINE message objects, or DraftError (our rules) / MessageRejected (LINE's, when connected)."""
    draft = messages if isinstance(messages, Draft) else from_line(messages)
    objects = to_line(draft)
    if token is not None:
        with LineClient(token) as client:
            validate_multicast(client, objects)
    return objects


def guard(estimate: Estimate) -> Estimate:
    if estimate.status is Status.BLOCKED:
        raise QuotaExceeded(estimate)
    return estimate


def estimate_json(estimate: Estimate) -> dict[str, Any]:
    """The figures the shop saw, kept with the campaign."""
    return {"status": estimate.status.value, "recipients": estimate.recipients, "used": estimate.used,
            "limit": estimate.limit, "remaining_after": estimate.remaining_after,
            "extra_cost_yen": str(estimate.extra_cost_yen), "plan": estimate.plan.key if estimate.plan else None,
            "offline_asof": estimate.offline_asof.isoformat() if estimate.offline_asof else None,
            "reasons": [asdict(r) for r in estimate.reasons]}


def prepare_send(name: str, tree: Node, messages: Draft | Sequence[dict[str, Any]], *, token: str | None = None,
                 text: str | None = None, unit: str | None = None, usage: Usage | None = None,
                 track_links: bool = True, skip_unsendable: bool = False) -> Prepared:
    """Check the message (ours, then LINE's), check the month's quota, then freeze the campaign.

    With placeholders, or URLs to track on a connected relay, it is frozen as a personal campaign."""
    objects = checked_messages(messages, token)
    usage = usage or current_usage(token)
    relay_url = tracking_relay() if track_links else None
    if personal.is_personal_send(objects, relay_url):  # one push per friend (delivery/personal.py)
        for index, reason in personal.placeholder_problems(objects)[:1]:
            raise personal.UnknownPlaceholder(index, reason)
        frozen = personal.freeze_personal(name, tree=to_json(tree), text=text or to_text(tree), messages=objects,
                                          friend_ids=members(tree), unit=unit, relay_url=relay_url,
                                          skip_unsendable=skip_unsendable)
    else:
        frozen = freeze(name, tree=to_json(tree), text=text or to_text(tree), messages=personal.as_literal(objects),
                        segment=tree, unit=unit)
    # Judged on the frozen count: the campaign goes to exactly these friends.
    estimate = verdict_for(frozen.recipients, usage)
    if estimate.status is Status.BLOCKED or frozen.recipients == 0:
        frozen.delete_instance(recursive=True)
        if frozen.recipients == 0:
            raise NothingToSend(Text("このセグメントには送れる友だちがいません。",
                                     "Nobody in this segment can be sent to."))
        raise QuotaExceeded(estimate)
    Campaign.update(estimate=json.dumps(estimate_json(estimate), ensure_ascii=False)) \
        .where(Campaign.id == frozen.id).execute()
    return Prepared(frozen, estimate)


def pending_friends(campaign: Campaign) -> int:
    # One SUM: a personal campaign has a batch per friend, and loading 100,000 Batch rows took seconds.
    return int(Batch.select(fn.SUM(Batch.size)).where((Batch.campaign == campaign) & (Batch.status == "pending"))
               .scalar() or 0)


def send(campaign: Campaign, token: str, *, progress: Callable[[Progress], None] | None = None,
         cancelled: Callable[[], bool] = lambda: False, concurrency: int = CONCURRENCY,
         engine: Callable[[LineSender], Engine] | None = None,
         timeout: tuple[float, float] | None = None) -> RunResult:
    """Send the campaign's pending batches; first LINE is asked whether the month can take them."""
    guard(verdict_for(pending_friends(campaign), current_usage(token, fresh=True)))
    if personal.is_personal_campaign(campaign):
        return push_engine.send_personal(campaign, token, progress=progress, cancelled=cancelled,
                                      engine=engine, timeout=timeout)
    with LineSender(token, concurrency=concurrency, timeout=timeout) as sender:
        runner = engine(sender) if engine else Engine(sender, concurrency=concurrency)
        return runner.run(campaign, progress=progress, cancelled=cancelled)


def resume(name: str, token: str, *, accept_duplicates: bool = False, skip_uncertain: bool = False,
           **kwargs: Any) -> RunResult:
    """Continue a campaign; DuplicateRisk unless the shop chose what to do with keys LINE forgot."""
    campaign = find_campaign(name)
    skipped = prepare_resume(campaign, accept_duplicates=accept_duplicates, skip_uncertain=skip_uncertain)
    if not pending_friends(campaign) and not skipped and campaign.status == "done":
        raise NothingToSend(Text(f"「{name}」はすべて送信済みです。", f"\"{name}\" has been sent in full."))
    return send(campaign, token, **kwargs)
