"""The statistics behind the evidence: intervals and exact tests on counts (pure functions).

Every function takes counts (non-negative integers) and returns floats; none reads a file or
the clock. The binomial arithmetic is scipy.stats' (``binomtest``, ``binom``); what is written
here is only how those pieces combine, each with its published source:

* :func:`wilson`: the Wilson score interval for a proportion (Wilson 1927; Brown, Cai and
  DasGupta 2001 recommend it for small samples), from ``binomtest(...).proportion_ci``.
* :func:`mcnemar_exact`: the exact (conditional) McNemar test on paired outcomes: the discordant
  pairs against Binomial(b + c, 1/2), two-sided (McNemar 1947; Fagerland, Lydersen and Laake
  2013 for the exact form).
* :func:`paired_difference`: Newcombe's hybrid score interval for the difference of two paired
  proportions (Newcombe 1998, method 10, the "square-and-add" of two Wilson intervals with the
  correlation of the pairs).
* :func:`independent_difference`: the same for two independent proportions (Newcombe 1998,
  Stat Med 17:873, method 10), used when only typed summary numbers exist and the pairs are
  unknown.
* :func:`exceeds`: the one-sided exact binomial test of an observed rate against a fixed rate.
* :func:`power_to_detect` and :func:`sample_for_power`: the power of that exact test against a
  given higher rate, from the binomial distribution (no normal approximation).
* :func:`trend`: the Cochran-Armitage test for a rising proportion over ordered samples
  (Armitage 1955; Agresti, Categorical Data Analysis, 3rd ed., 5.3.5), one-sided.
"""

from __future__ import annotations

import functools
import math
from collections.abc import Sequence
from dataclasses import dataclass

#: The confidence level of every interval the handbook shows.
CONFIDENCE = 0.95


@dataclass(frozen=True, slots=True)
class Interval:
    """A point estimate and its confidence interval, as ratios in [0, 1] (a difference of two
    ratios: in [-1, 1])."""

    estimate: float
    low: float
    high: float


def _check(k: int, n: int) -> None:
    if n < 1 or not 0 <= k <= n:
        raise ValueError(f"need 0 <= k <= n and n >= 1, got k={k}, n={n}")


@functools.lru_cache(maxsize=4096)
def wilson(k: int, n: int, confidence: float = CONFIDENCE) -> Interval:
    """The proportion ``k / n`` with its Wilson score interval at ``confidence``.

    Unlike the textbook ``p ± 1.96·sqrt(p(1-p)/n)``, it stays inside [0, 1] and does not
    collapse to a point when ``k`` is 0 or ``n``. Raises ValueError unless 0 <= k <= n, n >= 1.
    """
    from scipy.stats import binomtest

    _check(k, n)
    ci = binomtest(k, n).proportion_ci(confidence_level=confidence, method="wilson")
    return Interval(k / n, max(0.0, float(ci.low)), min(1.0, float(ci.high)))


@functools.lru_cache(maxsize=4096)
def mcnemar_exact(b: int, c: int) -> float:
    """The two-sided exact McNemar p-value for ``b`` pairs where only the first succeeded and
    ``c`` where only the second did (the pairs that agree carry no information).

    Under no difference each discordant pair goes either way with probability 1/2, so the
    p-value is the two-sided binomial test of ``b`` in ``b + c`` trials at 1/2; with no
    discordant pair (``b = c = 0``) it is 1. Raises ValueError for negative counts.
    """
    from scipy.stats import binomtest

    if b < 0 or c < 0:
        raise ValueError(f"counts must be >= 0, got b={b}, c={c}")
    if b + c == 0:
        return 1.0
    return min(1.0, float(binomtest(b, b + c, 0.5, alternative="two-sided").pvalue))


@functools.lru_cache(maxsize=4096)
def paired_difference(
    both: int, first_only: int, second_only: int, neither: int, confidence: float = CONFIDENCE
) -> Interval:
    """The difference p1 - p2 of two proportions measured on the same items, with Newcombe's
    hybrid score interval (Newcombe 1998, method 10).

    The 2x2 table of pairs: ``both`` items where both succeeded, ``first_only``,
    ``second_only``, ``neither``. Each proportion gets its Wilson interval; the two are combined
    "square-and-add", allowing for the correlation phi of the pairs, with Newcombe's adjustment
    (phi taken as 0 when ``ad - bc`` lies in [0, n/2], shrunk by n/2 above it). Raises
    ValueError for negative counts or an empty table.
    """
    a, b, c, d = both, first_only, second_only, neither
    n = a + b + c + d
    if min(a, b, c, d) < 0 or n == 0:
        raise ValueError(f"need a 2x2 table of counts >= 0 with n >= 1, got {(a, b, c, d)}")
    first, second = wilson(a + b, n, confidence), wilson(a + c, n, confidence)
    p1, p2 = first.estimate, second.estimate
    margins = (a + b) * (c + d) * (a + c) * (b + d)
    cross = a * d - b * c
    if margins == 0:
        phi = 0.0
    elif cross > n / 2:
        phi = (cross - n / 2) / math.sqrt(margins)
    elif cross >= 0:
        phi = 0.0
    else:
        phi = cross / math.sqrt(margins)
    dl, du = p1 - first.low, second.high - p2
    el, eu = second.estimate - second.low, first.high - p1
    low = p1 - p2 - math.sqrt(max(0.0, dl * dl + du * du - 2 * phi * dl * du))
    high = p1 - p2 + math.sqrt(max(0.0, el * el + eu * eu - 2 * phi * el * eu))
    return Interval(p1 - p2, max(-1.0, low), min(1.0, high))


def independent_difference(
    k1: int, n1: int, k2: int, n2: int, confidence: float = CONFIDENCE
) -> Interval:
    """The difference ``k1/n1 - k2/n2`` of two independent proportions with Newcombe's hybrid
    score interval (Newcombe 1998, Stat Med 17:873, method 10). Raises ValueError as
    :func:`wilson`."""
    first, second = wilson(k1, n1, confidence), wilson(k2, n2, confidence)
    p1, p2 = first.estimate, second.estimate
    low = p1 - p2 - math.hypot(p1 - first.low, second.high - p2)
    high = p1 - p2 + math.hypot(first.high - p1, p2 - second.low)
    return Interval(p1 - p2, max(-1.0, low), min(1.0, high))


@functools.lru_cache(maxsize=4096)
def exceeds(k: int, n: int, rate: float) -> float:
    """The one-sided exact p-value that ``k`` events in ``n`` trials come from a rate above
    ``rate``: P(X >= k) for X ~ Binomial(n, rate).

    A ``rate`` of 0 gives 0 for any ``k`` >= 1 (no event can happen at that rate) and 1 for
    ``k`` = 0. Raises ValueError unless 0 <= k <= n, n >= 1 and 0 <= rate <= 1.
    """
    from scipy.stats import binomtest

    _check(k, n)
    if not 0.0 <= rate <= 1.0:
        raise ValueError(f"rate must be in [0, 1], got {rate}")
    return min(1.0, float(binomtest(k, n, rate, alternative="greater").pvalue))


@functools.lru_cache(maxsize=4096)
def critical_count(n: int, rate: float, alpha: float) -> int | None:
    """The fewest events in ``n`` trials that :func:`exceeds` calls significant at ``alpha``
    against ``rate``, or None when no count can be (a tiny sample, or a rate near 1)."""
    import numpy as np
    from scipy.stats import binom

    # P(X >= k) = sf(k - 1) falls as k rises: the first k with it at most alpha
    tail = binom.sf(np.arange(-1, n), n, rate)  # P(X >= k) for k = 0..n
    hits = np.flatnonzero(tail <= alpha)
    return int(hits[0]) if hits.size else None


@functools.lru_cache(maxsize=4096)
def power_to_detect(n: int, rate: float, increase: float, alpha: float) -> float:
    """The chance that :func:`exceeds` on ``n`` trials finds a rate of ``rate + increase``
    significantly above ``rate`` at ``alpha``: P(X >= k*) for X ~ Binomial(n, rate + increase),
    where k* is :func:`critical_count`. In [0, 1]; 0 when no count would be significant."""
    from scipy.stats import binom

    k = critical_count(n, rate, alpha)
    if k is None:
        return 0.0
    worse = min(1.0, rate + increase)
    return float(binom.sf(k - 1, n, worse))


@functools.lru_cache(maxsize=4096)
def sample_for_power(
    rate: float, increase: float, alpha: float, power: float, limit: int = 10_000
) -> int | None:
    """The smallest sample whose :func:`power_to_detect` reaches ``power``, or None when none up
    to ``limit`` does. (The power of an exact test is saw-toothed in n, so a larger sample can
    have slightly less; this is the first n that reaches it.)"""
    import numpy as np
    from scipy.stats import binom

    worse = min(1.0, rate + increase)
    start = 1
    while start <= limit:
        ns = np.arange(start, min(limit, start * 8) + 1)
        # the critical count of each n: the first k with P(X >= k) <= alpha, from the inverse
        # survival function, then nudged by one where floating point put it on the wrong side
        k = binom.isf(alpha, ns, rate) + 1
        k = np.where(binom.sf(k - 1, ns, rate) > alpha, k + 1, k)
        k = np.where((k >= 1) & (binom.sf(k - 2, ns, rate) <= alpha), k - 1, k)
        reached = np.flatnonzero(binom.sf(k - 1, ns, worse) >= power)
        if reached.size:
            return int(ns[reached[0]])
        start = int(ns[-1]) + 1
    return None


@dataclass(frozen=True, slots=True)
class Trend:
    """A Cochran-Armitage trend over ordered samples: the z statistic and its one-sided p-value
    for a rising proportion (None when the samples cannot show one: fewer than two, or every
    outcome the same)."""

    z: float | None
    p: float | None


def trend(events: Sequence[int], sizes: Sequence[int]) -> Trend:
    """The Cochran-Armitage test that the proportion rises over the ordered samples
    ``events[i]`` of ``sizes[i]`` (scores 1, 2, 3...), one-sided.

    z = sum t_i (x_i - n_i p) / sqrt(p (1 - p) (sum n_i t_i^2 - (sum n_i t_i)^2 / N)), with p the
    pooled proportion and N the total; p-value = P(Z >= z). Raises ValueError for mismatched or
    invalid counts."""
    from scipy.stats import norm

    if len(events) != len(sizes):
        raise ValueError("events and sizes differ in length")
    for k, n in zip(events, sizes, strict=True):
        _check(k, n)
    total, hits = sum(sizes), sum(events)
    if len(sizes) < 2 or hits in (0, total):
        return Trend(None, None)
    pooled = hits / total
    scores = range(1, len(sizes) + 1)
    stat = sum(t * (x - n * pooled) for t, x, n in zip(scores, events, sizes, strict=True))
    s1 = sum(n * t for t, n in zip(scores, sizes, strict=True))
    s2 = sum(n * t * t for t, n in zip(scores, sizes, strict=True))
    variance = pooled * (1 - pooled) * (s2 - s1 * s1 / total)
    if variance <= 0:
        return Trend(None, None)
    z = stat / math.sqrt(variance)
    return Trend(z, float(norm.sf(z)))
