"""A synthetic demo shop: Japanese names, prefectures, birthdays and tags, clearly marked as demo data.

It goes through the same CSV path a shop's own data takes, so trying the demo
also exercises (and benchmarks) the real import. It only goes into a shop with no
friends, never changes a tag or field that was there before, and remembers what it
added so remove_demo() takes out exactly that.
"""

from __future__ import annotations

import csv
import datetime as dt
import random
import tempfile
from collections.abc import Callable, Collection, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from shopline import demo_data as w
from shopline.core.folding import fold
from shopline.core.messages import ShopLineError, Text
from shopline.store import settings
from shopline.store.connection import db
from shopline.store.friends import is_demo_shop
from shopline.store.models import Field, FieldValue, Friend, FriendTag, Tag
from shopline.store.purchase_models import Purchase
from shopline.store.shop_clock import shop_zone
from shopline.store.sqlite import write_transaction

__all__ = ["DemoRefused", "DemoData", "demo_data", "is_demo_shop", "load_demo", "remove_demo", "write_demo_csv"]

HEADERS = ["ユーザーID", "表示名", "性別", "誕生日", "地域", "友だち追加日", "状態", "タグ", "メモ",
           "会員ランク", "来店回数", "最終来店日"]
DEMO_MEMO = "デモデータ"
DEMO_SETTING = settings.DEMO_SHOP.key  # what the demo added is remembered in these (store/settings.py)
DEMO_TAGS = settings.DEMO_TAGS.key
DEMO_FIELDS = settings.DEMO_FIELDS.key
# The demo's purchases are the rows of this file (Purchase.source) whose customer is a demo friend: no register
# names its export so, and a purchase the shop imports later for a real friend is never one of them.
PURCHASES_SOURCE = "shopline-demo-purchases.csv"
SAMPLE_SCENARIO: dict[str, Any] = {
    "name": "新しい友だちへのご挨拶（サンプル）",
    "trigger": {"type": "friend_added"},
    "window": ["09:00", "21:00"],
    "steps": [
        {"after": "0m",
         "message": [{"type": "text", "text": "友だち追加ありがとうございます！お店の最新情報をお届けします。"}]},
        {"after": "1d", "at": "10:00",
         "message": [{"type": "text",
                      "text": "お店のご紹介です。パンと焼き菓子、スキンケア用品を揃えてお待ちしています。"}]},
        {"after": "3d", "at": "10:00", "if": "VIP",
         "message": [{"type": "text", "text": "VIPのお客様へ: 次回のお会計が10%オフになるクーポンです。"}],
         "else": [{"type": "text", "text": "初めてのご来店で使える100円引きクーポンです。"}]},
    ],
}


class DemoRefused(ShopLineError):
    """The demo would mix made-up friends into a shop's real ones."""


@dataclass
class DemoData:
    """What the demo added and removal takes out (tags a real friend was given since are kept)."""

    friends: int = 0
    purchases: int = 0  # item lines of the demo's register export
    scenarios: int = 0  # the sample scenario, while the shop has not made it its own
    tags: list[str] = field(default_factory=list)
    fields: list[str] = field(default_factory=list)
    kept_tags: list[str] = field(default_factory=list)
    _tag_ids: list[int] = field(default_factory=list, repr=False)
    _field_ids: list[int] = field(default_factory=list, repr=False)

    @property
    def empty(self) -> bool:
        return not (self.friends or self.tags or self.fields or self.purchases or self.scenarios)


def demo_tag_names() -> list[str]:
    """About 300 tags in five folders: the core ones, products bought, interests, stores, campaigns."""
    names = list(w.CORE_TAGS)
    names += [f"購入_{p}" for p in w.PRODUCTS]
    names += [f"好き_{p}" for p in w.PRODUCTS]
    names += [f"興味_{i}" for i in w.INTERESTS]
    names += [f"店舗_{s}" for s in w.STORES]
    names += [f"{s}_{i}" for s in w.STORES for i in w.INTERESTS]
    names += [f"キャンペーン_{y}年{m}月" for y in (2024, 2025, 2026) for m in range(1, 13)]
    return names


def tag_folder(name: str) -> str:
    head = name.split("_", 1)[0]
    if name in w.CORE_TAGS:
        return "顧客"
    if head in ("購入", "好き"):
        return "商品"
    if head == "興味":
        return "興味"
    if head == "キャンペーン":
        return "キャンペーン"
    return "店舗"


def demo_rows(n: int, seed: int = 1, today: dt.date | None = None,
              skip_tags: Collection[str] = ()) -> Iterator[list[str]]:
    """n rows in HEADERS order; the same seed always gives the same shop. `skip_tags` (a shop's own
    tags) are left off, so no made-up friend joins one."""
    rng = random.Random(seed)
    today = today or dt.date.today()
    tags = demo_tag_names()
    # Zipf-like weights: a few tags are on many friends, most on a few, as in a real shop.
    weights = [1.0 / (i + 1) ** 0.8 for i in range(len(tags))]
    regions, region_w = list(w.REGION_WEIGHTS), list(w.REGION_WEIGHTS.values())
    for _ in range(n):
        r = rng.random()
        gender = "女性" if r < 0.58 else "男性" if r < 0.93 else "その他" if r < 0.96 else ""
        given = rng.choice(w.FEMALE_NAMES if gender == "女性" else w.MALE_NAMES)
        name = f"{rng.choice(w.FAMILY_NAMES)} {given}" if rng.random() < 0.7 else given
        birthday = ""
        if rng.random() < 0.75:
            birthday = (today - dt.timedelta(days=rng.randint(16 * 365, 75 * 365))).strftime("%Y/%m/%d")
        followed = today - dt.timedelta(days=int(rng.expovariate(1 / 400)) % 2500)
        status = "ブロック" if rng.random() < 0.08 else "友だち"
        count = max(0, min(14, int(rng.gauss(7, 2.5))))
        chosen = set(rng.choices(tags, weights, k=count)).difference(skip_tags)
        visits = int(rng.expovariate(1 / 8))
        last = (today - dt.timedelta(days=rng.randint(0, 400))).isoformat() if visits else ""
        yield [
            f"U{rng.getrandbits(128):032x}", name, gender, birthday,
            rng.choices(regions, region_w)[0], followed.isoformat(), status, ";".join(sorted(chosen)),
            DEMO_MEMO, w.RANKS[min(3, visits // 10)], str(visits), last,
        ]


def write_demo_csv(path: Path, n: int, seed: int = 1, encoding: str = "utf-8-sig",
                   skip_tags: Collection[str] = ()) -> Path:
    with open(path, "w", encoding=encoding, newline="") as f:
        out = csv.writer(f)
        out.writerow(HEADERS)
        out.writerows(demo_rows(n, seed, skip_tags=skip_tags))
    return path


def _refuse_a_shop_with_friends() -> None:
    count = Friend.select().count()
    if count:
        raise DemoRefused(Text(
            f"このデータフォルダにはすでに友だちが{count:,}人いるため、デモショップは作りません"
            "（架空の友だちが本物の友だちと混ざるためです）。デモは別のフォルダで試せます: "
            "shopline --data-dir デモ用のフォルダ demo",
            f"This data folder already holds {count:,} friends, so no demo shop is made here (its made-up "
            "friends would mix with the real ones). Try the demo in a separate folder: "
            "shopline --data-dir DEMO_FOLDER demo"))


def load_demo(n: int = 2000, seed: int = 1, progress: Callable[[int, int], None] | None = None,
              cancelled: Callable[[], bool] | None = None):
    """Fill an open store that has no friends with a demo shop through the real CSV import; returns the
    ImportReport. Raises DemoRefused on a shop with friends."""
    from shopline.csvio.importer import import_csv

    _refuse_a_shop_with_friends()  # before the CSV is made: a refusal should be quick
    own_tags = {fold(name) for (name,) in Tag.select(Tag.name).tuples()}
    with tempfile.TemporaryDirectory() as tmp:
        path = write_demo_csv(Path(tmp) / "demo.csv", n, seed, skip_tags=own_tags)
        with write_transaction(db):  # the import is a savepoint inside: all of the demo or none of it
            _refuse_a_shop_with_friends()
            tags_before = {i for (i,) in Tag.select(Tag.id).tuples()}
            fields_before = {i for (i,) in Field.select(Field.id).tuples()}
            report = import_csv(path, progress=progress, cancelled=cancelled)
            new_tags = [(i, name) for i, name in Tag.select(Tag.id, Tag.name).tuples() if i not in tags_before]
            for folder in {tag_folder(name) for _i, name in new_tags}:
                ids = [i for i, name in new_tags if tag_folder(name) == folder]
                Tag.update(folder=folder).where(Tag.id.in_(ids)).execute()
            new_fields = [i for (i,) in Field.select(Field.id).tuples() if i not in fields_before]
            Friend.update(source="demo").execute()  # every friend is the demo's: the shop had none
            _load_purchases(Path(tmp) / PURCHASES_SOURCE, seed)
            scenario = _load_sample_scenario()
            settings.write({settings.DEMO_SHOP: True, settings.DEMO_TAGS: [i for i, _n in new_tags],
                            settings.DEMO_FIELDS: new_fields, settings.DEMO_SCENARIO: scenario})
    return report


def _load_purchases(path: Path, seed: int) -> None:
    """The demo friends' purchases through the real purchases import (which rescores RFM), dated back from today in
    the shop's zone so recency groups and days since the last purchase read as a real shop's would."""
    from shopline.purchases.demo import write_shop_purchases
    from shopline.purchases.importer import import_purchases

    user_ids = [u for (u,) in Friend.select(Friend.user_id).order_by(Friend.id).tuples()]
    today = dt.datetime.now(shop_zone()).date()
    if write_shop_purchases(path, user_ids, today=today, seed=seed):
        import_purchases(path, encoding="utf-8")


def _load_sample_scenario() -> int:
    """The sample scenario, paused from the start so the demo never sends anything; returns its id (0 when the shop
    already has a scenario of that name, which is then the shop's own)."""
    from shopline.automations import scenarios
    from shopline.store.automation_models import Scenario as ScenarioRow

    if ScenarioRow.select().where(ScenarioRow.name == SAMPLE_SCENARIO["name"]).exists():
        return 0
    sample = SAMPLE_SCENARIO
    if not Tag.select().where(Tag.name == "VIP").exists():  # a small demo may have no VIP: one coupon for all
        last = {k: v for k, v in sample["steps"][2].items() if k not in ("if", "else")}
        sample = {**sample, "steps": [*sample["steps"][:2], last]}
    saved = scenarios.save(sample)
    scenarios.pause(saved.row.name)
    # Stamped alike (they were taken apart, across a second's turn maybe): an edit later is a later updated_at.
    ScenarioRow.update(updated_at=ScenarioRow.created_at).where(ScenarioRow.id == saved.row.id).execute()
    return int(saved.row.id)


def _sample_scenario_id() -> int:
    """The sample scenario's id while it is still the demo's: paused and unedited (a shop that edited or resumed it
    uses it, and keeps it)."""
    from shopline.store.automation_models import Scenario as ScenarioRow

    row = ScenarioRow.get_or_none(ScenarioRow.id == settings.DEMO_SCENARIO.get())
    if row is None or row.status != "paused" or row.name != SAMPLE_SCENARIO["name"] or row.updated_at != row.created_at:
        return 0
    return int(row.id)


def _demo_purchases(demo_friends: Any) -> Any:
    return Purchase.select(Purchase.id).where((Purchase.source == PURCHASES_SOURCE)
                                               & Purchase.friend.in_(demo_friends))


def _ids(setting: settings.Declared[Any]) -> list[int] | None:
    ids: list[int] | None = setting.get()
    return ids


def demo_data() -> DemoData:
    """What remove_demo() would take out, for the question asked before it."""
    found = DemoData(friends=Friend.select().where(Friend.source == "demo").count())
    demo_friends = Friend.select(Friend.id).where(Friend.source == "demo")
    found.purchases = _demo_purchases(demo_friends).count()
    found.scenarios = 1 if _sample_scenario_id() else 0
    tag_ids = _ids(settings.DEMO_TAGS)
    if tag_ids is None:  # a demo loaded before the ids were kept: its tags by name, in the demo's folders
        names = demo_tag_names()
        tag_ids = [i for i, name, folder in Tag.select(Tag.id, Tag.name, Tag.folder).tuples()
                   if name in names and folder == tag_folder(name)] if found.friends else []
    for i, name in Tag.select(Tag.id, Tag.name).where(Tag.id.in_(tag_ids)).order_by(Tag.name).tuples():
        others = FriendTag.select().where((FriendTag.tag == i) & FriendTag.friend.not_in(demo_friends))
        if others.exists():
            found.kept_tags.append(name)  # a real friend carries it now: the shop uses it
        else:
            found.tags.append(name)
            found._tag_ids.append(i)
    for i, name in Field.select(Field.id, Field.name).where(Field.id.in_(_ids(settings.DEMO_FIELDS) or [])).tuples():
        others = FieldValue.select().where((FieldValue.field == i) & FieldValue.friend.not_in(demo_friends))
        if not others.exists():
            found.fields.append(name)
            found._field_ids.append(i)
    return found


def remove_demo() -> DemoData:
    """Delete exactly the demo's friends, their purchases and the sample scenario, and its tags and fields no real
    friend uses; returns what went."""
    from shopline.automations import scenarios
    from shopline.purchases import rfm
    from shopline.store.automation_models import Scenario as ScenarioRow

    with write_transaction(db):
        found = demo_data()
        demo_friends = Friend.select(Friend.id).where(Friend.source == "demo")
        # Before the friends: their purchases would outlive them as unmatched rows (friend SET NULL).
        Purchase.delete().where(Purchase.id.in_(_demo_purchases(demo_friends))).execute()
        scenario = _sample_scenario_id()
        if scenario:
            scenarios.delete(ScenarioRow.get_by_id(scenario).name)
        Friend.delete().where(Friend.source == "demo").execute()  # their tags, values and RFM scores go with them
        Tag.delete().where(Tag.id.in_(found._tag_ids)).execute()
        Field.delete().where(Field.id.in_(found._field_ids)).execute()
        if found.purchases:
            rfm.recompute()  # the real buyers' quintiles, without the demo's
        settings.clear(settings.DEMO_SHOP, settings.DEMO_TAGS, settings.DEMO_FIELDS, settings.DEMO_SCENARIO)
    return found
