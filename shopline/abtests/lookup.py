"""Finding an A/B test by name, and its campaigns' names."""

from __future__ import annotations

from shopline.core.messages import ShopLineError, Text
from shopline.store.abtest_models import ABTest, Variant

MAX_NAME = 60


class TestNotFound(ShopLineError):
    exit_code = 1


def find_test(name: str) -> ABTest:
    test = ABTest.get_or_none(ABTest.name == name.strip())
    if test is None:
        raise TestNotFound(Text(f"「{name}」というA/Bテストはありません。`shopline abtest list` で一覧を見られます。",
                                f"There is no A/B test named \"{name}\". `shopline abtest list` lists them."))
    return test


def variants_of(test: ABTest) -> list[Variant]:
    return list(Variant.select().where(Variant.test == test).order_by(Variant.key))


def variant_campaign_name(test_name: str, key: str) -> str:
    return f"{test_name} {key}"


def winner_campaign_name(test_name: str, key: str) -> str:
    return f"{test_name} 残り({key})"
