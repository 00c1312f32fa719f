"""The statistics of generator.evidence.stats against values computed independently: published
examples, and hand calculations written here with nothing but the math module."""

from __future__ import annotations

import math

import pytest

from generator.evidence import stats

Z = 1.959963984540054  # the 97.5th percentile of the standard normal


def wilson_by_hand(k: int, n: int) -> tuple[float, float]:
    """Wilson (1927): (k + z^2/2 +- z sqrt(k(n-k)/n + z^2/4)) / (n + z^2)."""
    centre = k + Z * Z / 2
    half = Z * math.sqrt(k * (n - k) / n + Z * Z / 4)
    return (centre - half) / (n + Z * Z), (centre + half) / (n + Z * Z)


def upper_tail(k: int, n: int, p: float) -> float:
    """P(X >= k) for X ~ Binomial(n, p), summed term by term."""
    return sum(math.comb(n, i) * p**i * (1 - p) ** (n - i) for i in range(k, n + 1))


# -- Wilson ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("k", "n"), [(35, 40), (0, 10), (10, 10), (1, 1), (0, 1), (13, 27), (81, 263), (1, 50)]
)
def test_wilson_matches_the_formula(k: int, n: int) -> None:
    iv = stats.wilson(k, n)
    low, high = wilson_by_hand(k, n)
    assert iv.estimate == k / n
    assert iv.low == pytest.approx(low, abs=1e-9)
    assert iv.high == pytest.approx(high, abs=1e-9)


def test_wilson_published_example() -> None:
    # Newcombe (1998), Stat Med 17:857, the example 81/263: Wilson interval 0.2553 to 0.3662
    iv = stats.wilson(81, 263)
    assert (round(iv.low, 4), round(iv.high, 4)) == (0.2553, 0.3662)


def test_wilson_edges() -> None:
    none, every, single = stats.wilson(0, 40), stats.wilson(40, 40), stats.wilson(1, 1)
    assert none.low == 0 and none.high == pytest.approx(Z * Z / (40 + Z * Z))
    assert every.high == 1 and every.low == pytest.approx(40 / (40 + Z * Z))
    assert single.low == pytest.approx(1 / (1 + Z * Z))  # one task right: 21% to 100%
    assert round(single.low, 3) == 0.207


def test_issue_example_forty_tasks() -> None:
    # "With 40 tasks, 0.88 could be anything from about 0.74 to 0.95"
    iv = stats.wilson(35, 40)
    assert (round(iv.low, 2), round(iv.high, 2)) == (0.74, 0.95)


@pytest.mark.parametrize(("k", "n"), [(-1, 5), (6, 5), (0, 0)])
def test_wilson_refuses_impossible_counts(k: int, n: int) -> None:
    with pytest.raises(ValueError):
        stats.wilson(k, n)


# -- McNemar -----------------------------------------------------------------------------------


def mcnemar_by_hand(b: int, c: int) -> float:
    """Two-sided exact: twice the smaller tail of Binomial(b + c, 1/2), at most 1."""
    n = b + c
    if n == 0:
        return 1.0
    tail = sum(math.comb(n, i) for i in range(min(b, c) + 1)) / 2**n
    return min(1.0, 2 * tail)


@pytest.mark.parametrize(("b", "c"), [(6, 16), (0, 5), (5, 0), (1, 9), (3, 4), (12, 30)])
def test_mcnemar_matches_the_binomial_sum(b: int, c: int) -> None:
    assert stats.mcnemar_exact(b, c) == pytest.approx(mcnemar_by_hand(b, c), rel=1e-9)


def test_mcnemar_published_example() -> None:
    # Fagerland, Lydersen and Laake (2017), the Cavo et al. table (59, 6 / 16, 80): exact
    # conditional McNemar p = 0.052
    assert round(stats.mcnemar_exact(6, 16), 3) == 0.052


@pytest.mark.parametrize(("b", "c"), [(0, 0), (5, 5), (1, 1)])
def test_mcnemar_ties_and_no_discordant_pairs_give_one(b: int, c: int) -> None:
    assert stats.mcnemar_exact(b, c) == 1.0


def test_mcnemar_single_discordant_pair() -> None:
    assert stats.mcnemar_exact(0, 1) == 1.0  # 2 * 1/2


# -- differences -------------------------------------------------------------------------------


def test_paired_difference_published_example() -> None:
    # Fagerland, Lydersen and Laake (2017), ch. 8, Cavo et al.: Newcombe square-and-add
    # estimate -0.0621, 95% CI -0.1186 to -0.0046
    iv = stats.paired_difference(59, 6, 16, 80)
    assert round(iv.estimate, 4) == -0.0621
    assert (round(iv.low, 4), round(iv.high, 4)) == (-0.1186, -0.0046)


def test_paired_difference_all_agree() -> None:
    # every task right for both: no discordant pairs, no correlation term (margins are 0)
    iv = stats.paired_difference(20, 0, 0, 0)
    low, _ = wilson_by_hand(20, 20)
    assert iv.estimate == 0
    assert iv.low == pytest.approx(-(1 - low)) and iv.high == pytest.approx(1 - low)


def test_paired_difference_single_task() -> None:
    iv = stats.paired_difference(0, 1, 0, 0)  # the AI right, the expert wrong, on one task
    assert iv.estimate == 1 and -1 <= iv.low <= iv.high <= 1


def test_paired_is_narrower_than_independent_when_answers_agree() -> None:
    paired = stats.paired_difference(34, 1, 4, 1)
    apart = stats.independent_difference(35, 40, 38, 40)
    assert paired.estimate == pytest.approx(apart.estimate)
    assert paired.high - paired.low < apart.high - apart.low


def test_independent_difference_published_example() -> None:
    # Newcombe (1998), Stat Med 17:873, example (a): 56/70 - 48/80, method 10: 0.0524 to 0.3339
    iv = stats.independent_difference(56, 70, 48, 80)
    assert round(iv.estimate, 4) == 0.2
    assert (round(iv.low, 4), round(iv.high, 4)) == (0.0524, 0.3339)


# -- drift: the exact test and its power --------------------------------------------------------


@pytest.mark.parametrize(
    ("k", "n", "rate"),
    [(8, 30, 0.12), (6, 30, 0.12), (0, 30, 0.12), (30, 200, 0.10), (3, 5, 0.5), (1, 1, 0.3)],
)
def test_exceeds_is_the_upper_tail(k: int, n: int, rate: float) -> None:
    assert stats.exceeds(k, n, rate) == pytest.approx(upper_tail(k, n, rate), rel=1e-9)


def test_issue_examples_of_drift() -> None:
    # 8 errors in 30 against 12%: p about 0.02 (drift); 6 in 30: p about 0.14 (no evidence)
    assert round(stats.exceeds(8, 30, 0.12), 3) == 0.022
    assert round(stats.exceeds(6, 30, 0.12), 2) == 0.14


def test_exceeds_with_a_baseline_of_zero() -> None:
    assert stats.exceeds(0, 30, 0.0) == 1.0
    assert stats.exceeds(1, 30, 0.0) == 0.0


def test_an_audit_larger_than_the_benchmark() -> None:
    # 200 outputs against a baseline from 40 tasks: the test uses the audit's own size
    assert stats.exceeds(30, 200, 0.10) == pytest.approx(upper_tail(30, 200, 0.10), rel=1e-9)
    assert stats.exceeds(30, 200, 0.10) < 0.05 < stats.exceeds(3, 20, 0.10)


def critical_by_hand(n: int, rate: float, alpha: float) -> int | None:
    return next((k for k in range(n + 1) if upper_tail(k, n, rate) <= alpha), None)


@pytest.mark.parametrize(
    ("n", "rate", "alpha"),
    [(30, 0.12, 0.05), (20, 0.1, 0.05), (45, 0.2, 0.01), (5, 0.9, 0.05), (1, 0.0, 0.05)],
)
def test_critical_count_and_power(n: int, rate: float, alpha: float) -> None:
    k = critical_by_hand(n, rate, alpha)
    assert stats.critical_count(n, rate, alpha) == k
    worse = min(1.0, rate + 0.15)
    power = 0.0 if k is None else upper_tail(k, n, worse)
    assert stats.power_to_detect(n, rate, 0.15, alpha) == pytest.approx(power, abs=1e-12)


def test_power_of_the_issue_audit() -> None:
    # 30 outputs, baseline 12%: significant from 8 errors on; a true 27% is caught 59% of times
    assert stats.critical_count(30, 0.12, 0.05) == 8
    assert round(stats.power_to_detect(30, 0.12, 0.15, 0.05), 3) == round(
        upper_tail(8, 30, 0.27), 3
    )


@pytest.mark.parametrize(
    ("rate", "increase", "power"), [(0.12, 0.15, 0.8), (0.05, 0.10, 0.8), (0.3, 0.2, 0.9)]
)
def test_sample_for_power_is_the_first_n_reaching_it(
    rate: float, increase: float, power: float
) -> None:
    def power_by_hand(n: int) -> float:
        k = critical_by_hand(n, rate, 0.05)
        return 0.0 if k is None else upper_tail(k, n, rate + increase)

    first = next(n for n in range(1, 400) if power_by_hand(n) >= power)
    assert stats.sample_for_power(rate, increase, 0.05, power) == first


def test_sample_for_power_that_cannot_be_reached() -> None:
    # at a baseline of 100% no count of errors is ever above it
    assert stats.sample_for_power(1.0, 0.1, 0.05, 0.8, limit=500) is None


# -- trend -------------------------------------------------------------------------------------


def trend_by_hand(events: list[int], sizes: list[int]) -> float:
    """Cochran-Armitage z with scores 1..k, written out."""
    total = sum(sizes)
    p = sum(events) / total
    t = list(range(1, len(sizes) + 1))
    num = sum(ti * (x - n * p) for ti, x, n in zip(t, events, sizes, strict=True))
    s1 = sum(n * ti for ti, n in zip(t, sizes, strict=True))
    s2 = sum(n * ti * ti for ti, n in zip(t, sizes, strict=True))
    return num / math.sqrt(p * (1 - p) * (s2 - s1 * s1 / total))


def test_trend_matches_the_formula() -> None:
    got = stats.trend([1, 3, 8], [30, 30, 30])
    z = trend_by_hand([1, 3, 8], [30, 30, 30])
    assert got.z == pytest.approx(z)
    assert got.p == pytest.approx(0.5 * math.erfc(z / math.sqrt(2)))
    assert got.p is not None and got.p < 0.01


def test_trend_flat_falling_and_empty() -> None:
    flat = stats.trend([3, 3, 3], [30, 30, 30])
    assert flat.z == pytest.approx(0) and flat.p == pytest.approx(0.5)
    falling = stats.trend([8, 3, 1], [30, 30, 30])
    assert falling.p is not None and falling.p > 0.99
    assert stats.trend([0, 0, 0], [30, 30, 30]).p is None  # nothing ever went wrong
    assert stats.trend([30, 30], [30, 30]).p is None  # everything always did
    assert stats.trend([4], [30]).p is None  # one audit shows no trend


# -- against scipy.stats, which the module does not import (it costs a second at start-up) -------


def test_every_function_agrees_with_scipy_stats() -> None:
    from scipy.stats import binom, binomtest, norm

    for n in (1, 2, 7, 20, 40, 50, 137):
        for k in sorted({0, 1, n // 3, n // 2, n - 1, n}):
            ci = binomtest(k, n).proportion_ci(confidence_level=0.95, method="wilson")
            iv = stats.wilson(k, n)
            assert (iv.low, iv.high) == pytest.approx((ci.low, ci.high), abs=1e-12)
            for rate in (0.0, 0.05, 0.12, 0.5, 0.9, 1.0):
                want = float(binom.sf(k - 1, n, rate))
                assert stats.exceeds(k, n, rate) == pytest.approx(want, abs=1e-12)
    for b, c in ((0, 0), (0, 3), (6, 16), (9, 9), (14, 30), (1, 50)):
        want = 1.0 if b + c == 0 else binomtest(b, b + c, 0.5).pvalue
        assert stats.mcnemar_exact(b, c) == pytest.approx(want, abs=1e-12)
    result = stats.trend([2, 5, 9], [40, 40, 40])
    assert result.z is not None
    assert result.p == pytest.approx(float(norm.sf(result.z)), abs=1e-12)
