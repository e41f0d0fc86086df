"""A/B test statistics in pure Python: intervals, tests, power and sample size for rates.

No numpy or scipy: the normal distribution comes from math.erf/erfc, the chi-square
distribution from the regularised incomplete gamma function below. Every function
works on counts (x successes of n), so LINE's nulls never get this far: the caller
decides that a variant without a figure is "not yet measurable" before asking here.

Conventions: two-sided tests at 5% significance, 80% power, 95% intervals, as the
shop is told ("この人数なら…見分けられます").
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

ALPHA = 0.05
POWER = 0.80
MAX_ITERATIONS = 500
EPSILON = 3e-16


@dataclass(frozen=True)
class TestResult:
    statistic: float  # z for two proportions, chi-square for more
    p_value: float
    df: int | None = None  # degrees of freedom of a chi-square; None for z


# -- the normal distribution ------------------------------------------------------------------

def norm_cdf(x: float) -> float:
    return 0.5 * math.erfc(-x / math.sqrt(2))


def norm_sf(x: float) -> float:
    """P(Z > x), accurate in the far tail where 1 - cdf would round to 0."""
    return 0.5 * math.erfc(x / math.sqrt(2))


def norm_ppf(p: float) -> float:
    """The x with P(Z <= x) = p: Acklam's rational approximation, then Halley steps on erfc."""
    if not 0.0 < p < 1.0:
        raise ValueError("p must be strictly between 0 and 1")
    a = (-3.969683028665376e+01, 2.209460984245205e+02, -2.759285104469687e+02,
         1.383577518672690e+02, -3.066479806614716e+01, 2.506628277459239e+00)
    b = (-5.447609879822406e+01, 1.615858368580409e+02, -1.556989798598866e+02,
         6.680131188771972e+01, -1.328068155288572e+01)
    c = (-7.784894002430293e-03, -3.223964580411365e-01, -2.400758277161838e+00,
         -2.549732539343734e+00, 4.374664141464968e+00, 2.938163982698783e+00)
    d = (7.784695709041462e-03, 3.224671290700398e-01, 2.445134137142996e+00, 3.754408661907416e+00)
    low = 0.02425
    if p < low:
        q = math.sqrt(-2 * math.log(p))
        x = (((((c[0] * q + c[1]) * q + c[2]) * q + c[3]) * q + c[4]) * q + c[5]) / \
            ((((d[0] * q + d[1]) * q + d[2]) * q + d[3]) * q + 1)
    elif p <= 1 - low:
        q = p - 0.5
        r = q * q
        x = (((((a[0] * r + a[1]) * r + a[2]) * r + a[3]) * r + a[4]) * r + a[5]) * q / \
            (((((b[0] * r + b[1]) * r + b[2]) * r + b[3]) * r + b[4]) * r + 1)
    else:
        q = math.sqrt(-2 * math.log(1 - p))
        x = -(((((c[0] * q + c[1]) * q + c[2]) * q + c[3]) * q + c[4]) * q + c[5]) / \
            ((((d[0] * q + d[1]) * q + d[2]) * q + d[3]) * q + 1)
    for _ in range(2):  # the approximation is good to 1e-9; two Halley steps reach double precision
        e = norm_cdf(x) - p
        u = e * math.sqrt(2 * math.pi) * math.exp(x * x / 2)
        x -= u / (1 + x * u / 2)
    return x


def z_two_sided(alpha: float = ALPHA) -> float:
    return norm_ppf(1 - alpha / 2)


# -- the chi-square distribution ---------------------------------------------------------------

def _lower_series(a: float, x: float) -> float:
    """P(a, x), the regularised lower incomplete gamma, by its series (converges fast for x < a + 1)."""
    term = total = 1.0 / a
    ap = a
    for _ in range(MAX_ITERATIONS):
        ap += 1
        term *= x / ap
        total += term
        if abs(term) < abs(total) * EPSILON:
            break
    return total * math.exp(-x + a * math.log(x) - math.lgamma(a))


def _upper_fraction(a: float, x: float) -> float:
    """Q(a, x), the regularised upper incomplete gamma, by Lentz's continued fraction (for x >= a + 1)."""
    tiny = 1e-300
    b = x + 1 - a
    c = 1 / tiny
    d = 1 / b
    h = d
    for i in range(1, MAX_ITERATIONS):
        an = -i * (i - a)
        b += 2
        d = an * d + b
        d = tiny if abs(d) < tiny else d
        c = b + an / c
        c = tiny if abs(c) < tiny else c
        d = 1 / d
        delta = d * c
        h *= delta
        if abs(delta - 1) < EPSILON:
            break
    return math.exp(-x + a * math.log(x) - math.lgamma(a)) * h


def gamma_q(a: float, x: float) -> float:
    """Q(a, x) = Γ(a, x) / Γ(a)."""
    if a <= 0:
        raise ValueError("a must be positive")
    if x <= 0:
        return 1.0
    if x < a + 1:
        return 1.0 - _lower_series(a, x)
    return _upper_fraction(a, x)


def chi2_sf(x: float, df: int) -> float:
    """P(χ²(df) > x): the p-value of a chi-square statistic."""
    if df < 1:
        raise ValueError("degrees of freedom must be at least 1")
    return gamma_q(df / 2, x / 2)


# -- intervals ---------------------------------------------------------------------------------

def wilson(x: int, n: int, z: float | None = None) -> tuple[float, float]:
    """Wilson's score interval for x of n (95% unless z says otherwise); it stays inside [0, 1]
    and does not collapse to a point at 0 or n the way the textbook ±1.96·SE interval does."""
    if n <= 0 or not 0 <= x <= n:
        raise ValueError("need 0 <= x <= n and n > 0")
    z = z_two_sided() if z is None else z
    p = x / n
    z2 = z * z
    centre = (p + z2 / (2 * n)) / (1 + z2 / n)
    half = z / (1 + z2 / n) * math.sqrt(p * (1 - p) / n + z2 / (4 * n * n))
    # At 0 or n the bound is exactly 0 or 1; the formula leaves a rounding crumb there.
    return (0.0 if x == 0 else centre - half), (1.0 if x == n else centre + half)


def newcombe(x1: int, n1: int, x2: int, n2: int, z: float | None = None) -> tuple[float, float]:
    """Newcombe's hybrid score interval (his method 10) for p1 − p2, from the two Wilson intervals."""
    p1, p2 = x1 / n1, x2 / n2
    l1, u1 = wilson(x1, n1, z)
    l2, u2 = wilson(x2, n2, z)
    diff = p1 - p2
    below = math.sqrt((p1 - l1) ** 2 + (u2 - p2) ** 2)
    above = math.sqrt((u1 - p1) ** 2 + (p2 - l2) ** 2)
    return diff - below, diff + above


# -- tests ---------------------------------------------------------------------------------------

def two_proportion_z(x1: int, n1: int, x2: int, n2: int) -> TestResult:
    """The pooled two-proportion z-test, two-sided; z > 0 when the first rate is the higher."""
    if n1 <= 0 or n2 <= 0:
        raise ValueError("both groups need people")
    pooled = (x1 + x2) / (n1 + n2)
    se = math.sqrt(pooled * (1 - pooled) * (1 / n1 + 1 / n2))
    if se == 0:  # everyone or no one in both groups: no difference to see
        return TestResult(0.0, 1.0)
    z = (x1 / n1 - x2 / n2) / se
    return TestResult(z, 2 * norm_sf(abs(z)))


def chi_square(table: Sequence[Sequence[float]]) -> TestResult:
    """Pearson's chi-square test of independence for an r×c table of counts (no continuity correction).

    Rows or columns that are all zero carry no information and are left out of the degrees of freedom."""
    rows = [list(map(float, row)) for row in table if sum(row) > 0]
    if not rows:
        return TestResult(0.0, 1.0, 0)
    width = len(rows[0])
    columns = [j for j in range(width) if sum(row[j] for row in rows) > 0]
    rows = [[row[j] for j in columns] for row in rows]
    df = (len(rows) - 1) * (len(columns) - 1)
    if df == 0:
        return TestResult(0.0, 1.0, 0)
    total = sum(map(sum, rows))
    col_sums = [sum(row[j] for row in rows) for j in range(len(columns))]
    statistic = 0.0
    for row in rows:
        row_sum = sum(row)
        for j, observed in enumerate(row):
            expected = row_sum * col_sums[j] / total
            statistic += (observed - expected) ** 2 / expected
    return TestResult(statistic, chi2_sf(statistic, df), df)


def compare(counts: Sequence[tuple[int, int]]) -> TestResult:
    """Whether the rates of 2–4 variants differ: (successes, people) each. Two: the z-test (whose p-value
    equals the 2×2 chi-square's); more: the chi-square test over the k×2 table."""
    if len(counts) < 2:
        raise ValueError("need at least two variants")
    if len(counts) == 2:
        (x1, n1), (x2, n2) = counts
        return two_proportion_z(x1, n1, x2, n2)
    return chi_square([(x, n - x) for x, n in counts])


# -- power and sample size ---------------------------------------------------------------------------

def sample_size_exact(p1: float, p2: float, alpha: float = ALPHA, power: float = POWER,
                      continuity: bool = False) -> float:
    """People per group to tell p1 from p2 (Fleiss, Statistical Methods for Rates and Proportions, ch. 4),
    unrounded; with `continuity`, Fleiss-Tytun-Ury's correction as in Fleiss's Table A.3."""
    if not (0 < p1 < 1 and 0 < p2 < 1) or p1 == p2:
        raise ValueError("need two different rates strictly between 0 and 1")
    za, zb = z_two_sided(alpha), norm_ppf(power)
    mean = (p1 + p2) / 2
    d = abs(p1 - p2)
    n = (za * math.sqrt(2 * mean * (1 - mean)) + zb * math.sqrt(p1 * (1 - p1) + p2 * (1 - p2))) ** 2 / d ** 2
    if continuity:
        n = n / 4 * (1 + math.sqrt(1 + 4 / (n * d))) ** 2
    return n


def sample_size(p1: float, p2: float, alpha: float = ALPHA, power: float = POWER, continuity: bool = False) -> int:
    """sample_size_exact rounded up: whole people per group."""
    return math.ceil(sample_size_exact(p1, p2, alpha, power, continuity) - 1e-9)


def power_of(p1: float, p2: float, n: float, alpha: float = ALPHA) -> float:
    """The chance a test with n people per group finds a real difference between p1 and p2."""
    if n <= 0:
        return 0.0
    za = z_two_sided(alpha)
    mean = (p1 + p2) / 2
    null_sd = math.sqrt(2 * mean * (1 - mean))
    alt_sd = math.sqrt(p1 * (1 - p1) + p2 * (1 - p2))
    if alt_sd == 0:
        return 1.0 if p1 != p2 else 0.0
    return norm_cdf((abs(p1 - p2) * math.sqrt(n) - za * null_sd) / alt_sd)


def detectable_rate(p: float, n: int, alpha: float = ALPHA, power: float = POWER) -> float | None:
    """The lowest rate above `p` that n people per group can tell from `p` (80% power at 5%); None when
    even a rate of 100% could not be told apart with so few people."""
    if not 0 < p < 1:
        raise ValueError("the usual rate must be strictly between 0 and 1")
    if n < 2:
        return None
    high = 1 - 1e-9
    if sample_size_exact(p, high, alpha, power) > n:
        return None
    low = p
    for _ in range(200):  # bisection: the required size falls as the other rate moves away from p
        mid = (low + high) / 2
        if mid == low or mid == high:
            break
        if sample_size_exact(p, mid, alpha, power) > n:
            low = mid
        else:
            high = mid
    return high
