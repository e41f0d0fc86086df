"""abtests/verdict: the sentences the shop reads, from counts (pure; no store)."""

from __future__ import annotations

import pytest

from shopline.abtests import verdict
from shopline.abtests.verdict import Measured, judge
from shopline.core import abstats, messages


@pytest.fixture(autouse=True)
def _japanese():
    messages.set_language("ja")
    yield
    messages.set_language("ja")


def test_a_real_difference_names_the_better_variant_with_its_p_value():
    got = judge("click", [Measured("A", 1000, 30), Measured("B", 1000, 55)])
    assert got.significant and got.best == "B"
    assert str(got.text) == "Bの方がクリック率が高く、偶然とは考えにくい(p=0.0056)"
    assert got.p_value == pytest.approx(abstats.two_proportion_z(30, 1000, 55, 1000).p_value)
    messages.set_language("en")
    assert str(got.text) == "B has the higher click rate, and the difference is unlikely to be chance (p=0.0056)"


def test_noise_says_so_and_how_many_more_people_would_tell():
    got = judge("click", [Measured("A", 600, 18), Measured("B", 600, 24)])
    assert got.state == "not_yet" and got.best is None and got.p_value > 0.05
    # 3% against 4% needs 5,301 per group (Fleiss, uncorrected: 0.7281² ÷ 0.01²): 2 × (5,301 − 600) more, about 9,400.
    assert abstats.sample_size(0.03, 0.04) == 5301
    assert got.more_needed == 2 * (5301 - 600)
    assert str(got.text) == "まだ差があるとは言えません(あと約9,400人分のデータが必要)"


def test_equal_rates_need_no_invented_head_count():
    got = judge("open", [Measured("A", 500, 100), Measured("B", 500, 100)])
    assert got.state == "not_yet" and got.more_needed is None
    assert "差はほとんどありません" in str(got.text)


def test_a_null_is_not_yet_measurable_never_a_zero():
    # B's clicks are LINE's null (fewer than 20): judged as 0 it would make A "significantly" better.
    got = judge("click", [Measured("A", 2000, 300), Measured("B", 2000, None)])
    assert got.state == "unmeasurable" and got.best is None and got.p_value is None
    assert "Bのクリック率はまだ測れません" in str(got.text)
    assert Measured("B", 2000, None).rate is None and Measured("B", 2000, None).interval is None
    assert judge("click", [Measured("A", 0, None, fetched=False), Measured("B", 10, 1)]).state == "unsent"
    assert judge("open", [Measured("A", 10, None, fetched=False), Measured("B", 10, None, fetched=False)]).state \
        == "unmeasurable"


def test_more_than_two_variants_use_the_chi_square_test():
    got = judge("conversion", [Measured("A", 87, 36), Measured("B", 83, 45), Measured("C", 38, 25)])
    assert got.df == 2 and got.significant and got.best == "C"
    assert str(got.text) == "Cのコンバージョン率がいちばん高く、群の違いは偶然とは考えにくい(p=0.032)"


def test_the_detectable_difference_before_sending():
    per_group = abstats.sample_size(0.03, 0.05)
    said = verdict.detectable("click", 0.03, per_group)
    assert str(said) == f"この人数(1群{per_group:,}人)なら、クリック率が 3% と 5% の違いなら見分けられます。"
    assert "少なすぎ" in str(verdict.detectable("open", 0.2, 1))


def test_about_rounds_to_two_figures():
    assert [verdict.about(n) for n in (7, 87, 1234, 1250, 9413, 123456)] == \
        ["7", "87", "1,200", "1,200", "9,400", "120,000"]
    assert verdict.percent(0.035) == "3.5%" and verdict.percent(0.03) == "3%"
    assert verdict.p_text(0.0004) == "p<0.001" and verdict.p_text(0.0123) == "p=0.012"
