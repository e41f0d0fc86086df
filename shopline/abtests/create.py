"""Creating an A/B test: check every variant, split the segment with a recorded seed, freeze one campaign each.

    plan = preview(tree, 2, share=20, metric="click")          # the groups' sizes and what they can detect
    created = create_test("春の比較", tree, [VariantSpec("A", draft_a), VariantSpec("B", draft_b)],
                          share=20, metric="click", seed=plan.seed, token=token)

Everything is written in one transaction, before any request: the test, every friend's assignment
(a variant, or held back), and each variant's campaign with its batches and retry keys, frozen from
the assignment — so no friend is in two variants and each variant is sent exactly once by the delivery
engine like any campaign. Nothing is sent here (send.py sends).
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from shopline.abtests import verdict
from shopline.abtests.lookup import MAX_NAME, variant_campaign_name
from shopline.abtests.usual import usual_rate
from shopline.core import absplit
from shopline.core.changes import Changes
from shopline.core.drafts import Draft
from shopline.core.estimate import Estimate, Status
from shopline.core.folding import fold
from shopline.core.messages import ShopLineError, Text
from shopline.core.segments import Node, to_json, to_text
from shopline.delivery import personal, service
from shopline.delivery.freeze import check_name_free, freeze
from shopline.delivery.usage import Usage, current_usage, verdict_for
from shopline.links.relay import tracking_relay
from shopline.results import conversions
from shopline.store.abtest_models import ABTest, Assignment, Variant
from shopline.store.campaign_models import Campaign
from shopline.store.connection import db
from shopline.store.segment_sql import friend_ids, members
from shopline.store.sqlite import insert_rows, write_transaction

DEFAULT_SHARE = 100


class ABTestError(ShopLineError):
    exit_code = 1


@dataclass(frozen=True)
class VariantSpec:
    label: str  # where the message came from, shown beside the variant
    messages: Draft | Sequence[dict[str, Any]]


@dataclass(frozen=True)
class Preview:
    """What the shop sees before creating: the groups' sizes, the seed, what difference they can detect."""

    seed: int
    sizes: tuple[int, ...]
    held_back: int
    metric: str
    usual: float | None  # the usual rate the detectable difference is worked out from
    detectable: Text | None  # None when no usual rate is known or typed

    def groups_text(self) -> Text:
        parts = [f"{absplit.variant_key(i)} {n:,}人" for i, n in enumerate(self.sizes)]
        parts_en = [f"{absplit.variant_key(i)} {n:,}" for i, n in enumerate(self.sizes)]
        held = (Text(f"、残り {self.held_back:,}人は勝ちパターン用に取っておきます",
                     f"; {self.held_back:,} held back for the winner") if self.held_back else Text("", ""))
        return Text(f"グループ: {'、'.join(parts)}{held.ja}(乱数シード {self.seed})",
                    f"Groups: {', '.join(parts_en)}{held.en} (random seed {self.seed})")


@dataclass(frozen=True)
class Created:
    test: ABTest
    preview: Preview
    estimate: Estimate
    changes: Changes = field(default_factory=lambda: Changes(campaigns=True))


def check_settings(name: str, variants: int, share: int, metric: str, *, conversion_tag: str | None = None,
                   purchase_days: int | None = None) -> str:
    """The test's name, cleaned; or the first setting a shop owner must change."""
    name = fold(name).strip()
    if not name or len(name) > MAX_NAME:
        raise ABTestError(Text(f"A/Bテストの名前は1〜{MAX_NAME}文字にしてください。",
                               f"An A/B test's name needs 1 to {MAX_NAME} characters."))
    if not absplit.MIN_VARIANTS <= variants <= absplit.MAX_VARIANTS:
        raise ABTestError(Text("A/Bテストのパターンは2〜4個にしてください。", "An A/B test needs 2 to 4 variants."))
    if not isinstance(share, int) or not 1 <= share <= 100:
        raise ABTestError(Text("テストする割合は1〜100(%)で指定してください。",
                               "Give the share to test as a percentage from 1 to 100."))
    if metric not in ABTest.METRICS:
        raise ABTestError(Text("比べる数字は open(開封率)・click(クリック率)・conversion(コンバージョン率)"
                               "から選んでください。",
                               "Choose what to compare: open, click or conversion."))
    if metric == "conversion" and not conversion_tag and not purchase_days:
        raise ABTestError(Text("コンバージョン率で比べるには、タグ(例: 購入済み)か購入の日数を指定してください。",
                               "To compare conversions, give a tag (e.g. 購入済み) or a number of days for purchases."))
    return name


def preview(tree: Node, variants: int, *, share: int = DEFAULT_SHARE, metric: str = "click",
            seed: int | None = None, usual: float | None = None) -> Preview:
    """The split as it would be made now, and the difference it could detect; writes nothing."""
    seed = absplit.new_seed() if seed is None else seed
    split = absplit.split(friend_ids(tree), variants, share=share, seed=seed)
    return _preview(split, metric, usual)


def _preview(split: absplit.Split, metric: str, usual: float | None) -> Preview:
    usual = usual if usual is not None else usual_rate(metric)
    smallest = min(split.sizes)
    said = verdict.detectable(metric, usual, smallest) if usual is not None and 0 < usual < 1 else None
    return Preview(split.seed, split.sizes, len(split.held_back), metric, usual, said)


def _names_free(name: str, keys: Sequence[str]) -> None:
    if ABTest.get_or_none(ABTest.name == name) is not None:
        raise ABTestError(Text(f"「{name}」というA/Bテストはすでにあります。別の名前にしてください。",
                               f"An A/B test named \"{name}\" already exists: choose another name."))
    for key in keys:
        check_name_free(variant_campaign_name(name, key))


def create_test(name: str, tree: Node, variants: Sequence[VariantSpec], *, text: str | None = None,
                share: int = DEFAULT_SHARE, metric: str = "click", seed: int | None = None,
                token: str | None = None, usage: Usage | None = None, usual: float | None = None,
                conversion_tag: str | None = None, conversion_days: int = 7, purchase_days: int | None = None,
                track_links: bool = True, skip_unsendable: bool = False) -> Created:
    """Check, split and freeze; refuses before writing anything when a message, a name or the month says no."""
    name = check_settings(name, len(variants), share, metric, conversion_tag=conversion_tag,
                          purchase_days=purchase_days)
    keys = [absplit.variant_key(i) for i in range(len(variants))]
    _names_free(name, keys)
    objects = [service.checked_messages(v.messages, token) for v in variants]
    for messages in objects:
        for index, reason in personal.placeholder_problems(messages)[:1]:
            raise personal.UnknownPlaceholder(index, reason)
    usage = usage or current_usage(token)
    relay_url = tracking_relay() if track_links else None
    seed = absplit.new_seed() if seed is None else seed
    segment_json, segment_text = to_json(tree), text or to_text(tree)
    ours = db.transaction_depth() == 0
    with write_transaction(db):
        _names_free(name, keys)  # again under the write lock: two windows may create the same test
        # Read inside the transaction before it writes: the split is of exactly the friends frozen below.
        split = absplit.split(members(tree, trust_transaction=ours), len(variants), share=share, seed=seed)
        if min(split.sizes) == 0:
            raise ABTestError(Text(f"このセグメントには送れる友だちが少なすぎます({split.tested:,}人)。"
                                   "各パターンに1人以上必要です。",
                                   f"Too few friends in this segment can be sent to ({split.tested:,}); "
                                   "each variant needs at least one."))
        estimate = verdict_for(split.tested, usage)
        if estimate.status is Status.BLOCKED:
            raise service.QuotaExceeded(estimate)
        tag = fold(conversion_tag).strip() if conversion_tag else None
        test = ABTest.create(name=name, segment_tree=json.dumps(segment_json, ensure_ascii=False),
                             segment_text=segment_text, metric=metric, test_share=share, seed=seed,
                             baseline_rate=usual, conversion_tag=tag,
                             conversion_days=conversion_days, purchase_days=purchase_days)
        rows = [(test.id, fid, key) for key, group in zip(keys, split.groups, strict=True) for fid in group]
        rows += [(test.id, fid, None) for fid in split.held_back]
        insert_rows(db, "assignment", ("test_id", "friend_id", "key"), rows)
        shown = service.estimate_json(estimate)  # the figures the shop saw, kept with each variant's campaign
        for key, spec, messages in zip(keys, variants, objects, strict=True):
            campaign = freeze_group(variant_campaign_name(name, key), test, key, messages, segment_json,
                                    segment_text, shown, relay_url, skip_unsendable)
            Variant.create(test=test, key=key, label=spec.label, campaign=campaign,
                           messages=json.dumps(messages, ensure_ascii=False))
            if metric == "conversion":
                conversions.set_goal(campaign, tag=test.conversion_tag, days=conversion_days,
                                     purchase_days=purchase_days)
    # The usual rate is read after the transaction: it reads every campaign's figures, which need no lock.
    return Created(test, _preview(split, metric, usual), estimate)


def assigned(test: ABTest, key: str | None) -> Any:
    """The friend ids assigned to `key` (None: held back), as a subquery freeze() reads inside its transaction."""
    where = Assignment.key.is_null() if key is None else Assignment.key == key
    return Assignment.select(Assignment.friend).where((Assignment.test == test) & where)


def freeze_group(name: str, test: ABTest, key: str | None, messages: list[dict[str, Any]], tree: dict[str, Any],
                 text: str, estimate: dict[str, Any], relay_url: str | None, skip_unsendable: bool) -> Campaign:
    """A campaign for the friends assigned to `key`: personal (one push each) when the messages need it."""
    if personal.is_personal_send(messages, relay_url):
        return personal.freeze_personal(name, tree=tree, text=text, messages=messages, estimate=estimate,
                                        friend_ids=assigned(test, key), relay_url=relay_url,
                                        skip_unsendable=skip_unsendable)
    return freeze(name, tree=tree, text=text, messages=personal.as_literal(messages), estimate=estimate,
                  friend_ids=assigned(test, key))
