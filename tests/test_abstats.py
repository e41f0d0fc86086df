"""core/abstats against published worked examples; each test names its source."""

from __future__ import annotations

import math

import pytest

from shopline.core import abstats


def test_normal_quantiles_are_the_table_values():
    # Any normal table: z(0.975) = 1.959964, z(0.80) = 0.841621, z(0.995) = 2.575829.
    assert abstats.norm_ppf(0.975) == pytest.approx(1.959963984540054, abs=1e-12)
    assert abstats.norm_ppf(0.80) == pytest.approx(0.8416212335729143, abs=1e-12)
    assert abstats.norm_ppf(0.995) == pytest.approx(2.5758293035489004, abs=1e-12)
    for p in (1e-12, 0.001, 0.02, 0.3, 0.5, 0.9, 0.999):
        assert abstats.norm_cdf(abstats.norm_ppf(p)) == pytest.approx(p, rel=1e-10)
    with pytest.raises(ValueError):
        abstats.norm_ppf(1.0)


def test_two_proportion_z_test_stat_trek_cold_drug_example():
    # Stat Trek, "Hypothesis Test: Difference Between Proportions", sample problem (the Acme Drug Company):
    # 38% of 100 women and 51% of 200 men caught a cold; pooled p = 0.467, SE = 0.061, z = -2.13,
    # P-value = 0.034 (their two tails rounded to 0.017 each before adding: unrounded it is 0.0334).
    result = abstats.two_proportion_z(38, 100, 102, 200)
    assert result.statistic == pytest.approx(-2.13, abs=0.005)
    assert result.p_value == pytest.approx(0.034, abs=0.001)
    assert abstats.two_proportion_z(102, 200, 38, 100).statistic == pytest.approx(2.1276, abs=1e-4)


def test_two_proportion_z_test_statcrunch_output():
    # A StatCrunch "two sample proportion" output quoted in many course notes: 9/31 vs 8/30 gives
    # Std. Err. 0.1148271, Z-Stat 0.20601333, P-value 0.8368.
    result = abstats.two_proportion_z(9, 31, 8, 30)
    assert result.statistic == pytest.approx(0.20601333, abs=1e-8)
    assert result.p_value == pytest.approx(0.8368, abs=5e-5)


def test_chi_square_independence_stat_trek_voting_example():
    # Stat Trek, "Chi-Square Test for Independence", sample problem: 1,000 voters by gender and preference
    # (male 200/150/50, female 250/300/50): Χ² = 16.2, DF = 2, P-value = 0.0003.
    result = abstats.chi_square([[200, 150, 50], [250, 300, 50]])
    assert result.df == 2
    assert result.statistic == pytest.approx(16.2, abs=0.01)
    assert result.p_value == pytest.approx(0.0003, abs=0.00005)


def test_chi_square_on_a_2x2_table_gives_the_z_tests_p_value():
    # z² = Χ² for a 2×2 table without continuity correction (any textbook; e.g. Agresti, Categorical Data
    # Analysis, 3.1): the two tests the judging uses agree for two variants.
    z = abstats.two_proportion_z(38, 100, 102, 200)
    chi = abstats.chi_square([[38, 62], [102, 98]])
    assert chi.statistic == pytest.approx(z.statistic ** 2)
    assert chi.p_value == pytest.approx(z.p_value)


def test_chi_square_survival_function_matches_the_table():
    # The chi-square table's 5% points: 3.841 (1 df), 5.991 (2), 7.815 (3); 1% point 11.345 (3 df);
    # and the closed forms for 2 df (e^{-x/2}) and 1 df (2·P(Z > √x)).
    assert abstats.chi2_sf(3.841458820694124, 1) == pytest.approx(0.05, rel=1e-9)
    assert abstats.chi2_sf(5.991464547107979, 2) == pytest.approx(0.05, rel=1e-9)
    assert abstats.chi2_sf(7.814727903251178, 3) == pytest.approx(0.05, rel=1e-9)
    assert abstats.chi2_sf(11.344866730144373, 3) == pytest.approx(0.01, rel=1e-9)
    for x in (0.01, 0.7, 3.0, 12.5, 60.0):
        assert abstats.chi2_sf(x, 2) == pytest.approx(math.exp(-x / 2), rel=1e-12)
        assert abstats.chi2_sf(x, 1) == pytest.approx(2 * abstats.norm_sf(math.sqrt(x)), rel=1e-10)
    assert abstats.chi2_sf(0.0, 4) == 1.0


def test_compare_uses_chi_square_for_more_than_two_variants():
    # The wizedu/course example "gender and party" (male 36/45/25, female 51/38/13), read as three
    # variants' successes among their people: Χ² = 6.8917, df 2, P = 0.03188.
    result = abstats.compare([(36, 87), (45, 83), (25, 38)])
    assert result.df == 2
    assert result.statistic == pytest.approx(6.891667643, abs=1e-8)
    assert result.p_value == pytest.approx(0.03187817, abs=1e-7)


def test_wilson_intervals_newcombe_1998_single_proportion_examples():
    # Newcombe RG (1998a), "Two-sided confidence intervals for the single proportion: comparison of seven
    # methods", Stat Med 17:857-872, Table II, Wilson score method: 81/263 -> 0.2553 to 0.3662;
    # 15/148 -> 0.0624 to 0.1605; 0/20 -> 0 to 0.1611; 1/29 -> 0.0061 to 0.1718.
    for (x, n), (low, high) in {(81, 263): (0.2553, 0.3662), (15, 148): (0.0624, 0.1605),
                                (0, 20): (0.0, 0.1611), (1, 29): (0.0061, 0.1718)}.items():
        got = abstats.wilson(x, n)
        assert got == pytest.approx((low, high), abs=5e-5), (x, n)
    assert abstats.wilson(20, 20)[1] == 1.0 and abstats.wilson(0, 20)[0] == 0.0


def test_newcombe_difference_intervals_newcombe_1998_examples():
    # Newcombe RG (1998b), "Interval estimation for the difference between independent proportions:
    # comparison of eleven methods", Stat Med 17:873-890, Table II, method 10 (score, no correction):
    # (a) 56/70 - 48/80: 0.0524 to 0.3339; (b) 9/10 - 3/10: 0.1705 to 0.8090;
    # (c) 6/7 - 2/7: 0.0582 to 0.8062; (d) 5/56 - 0/29: -0.0381 to 0.1926.
    cases = {(56, 70, 48, 80): (0.0524, 0.3339), (9, 10, 3, 10): (0.1705, 0.8090),
             (6, 7, 2, 7): (0.0582, 0.8062), (5, 56, 0, 29): (-0.0381, 0.1926)}
    for counts, expected in cases.items():
        assert abstats.newcombe(*counts) == pytest.approx(expected, abs=5e-5), counts


def test_sample_size_fleiss_table_a3_example():
    # Fleiss, Statistical Methods for Rates and Proportions (2nd ed. 1981), Table A.3, the same figure
    # statpages.org's proppowr calculator documents it reproduces: p1 = 0.05, p2 = 0.10, two-sided
    # α = 0.05, power 80% -> 474 per group with the continuity correction. Without it (the "classical"
    # formula the app uses, consistent with its uncorrected z-test) the unrounded figure is 434.4.
    assert abstats.sample_size(0.05, 0.10, continuity=True) == 474
    assert abstats.sample_size_exact(0.05, 0.10) == pytest.approx(434.43, abs=0.01)
    assert abstats.sample_size(0.05, 0.10) == 435
    assert abstats.sample_size(0.10, 0.05) == 435  # the order of the two rates does not matter


def test_power_and_detectable_rate_invert_the_sample_size():
    n = abstats.sample_size(0.03, 0.05)
    assert abstats.power_of(0.03, 0.05, n) == pytest.approx(0.80, abs=0.002)
    assert abstats.power_of(0.03, 0.05, n / 4) < 0.4  # a quarter of the people: most real differences missed
    found = abstats.detectable_rate(0.03, n)
    assert found is not None and found == pytest.approx(0.05, abs=2e-4)
    # Fewer people can only tell apart bigger differences; with two people nothing can be told.
    smaller = abstats.detectable_rate(0.03, n // 4)
    assert smaller is not None and smaller > 0.06
    assert abstats.detectable_rate(0.03, 1) is None


def test_degenerate_inputs_do_not_invent_a_difference():
    assert abstats.two_proportion_z(0, 50, 0, 80).p_value == 1.0
    assert abstats.two_proportion_z(50, 50, 80, 80).p_value == 1.0
    assert abstats.chi_square([[0, 10], [0, 20], [0, 5]]).p_value == 1.0
    with pytest.raises(ValueError):
        abstats.sample_size(0.05, 0.05)
