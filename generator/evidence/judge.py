"""The policy's judgement of measured evidence, one place for the findings and the site.

:func:`bar` says whether a benchmark clears ``benchmark.max_accuracy_gap`` and
``benchmark.max_hallucination_rate``; :func:`audit` whether an output audit shows drift against
the benchmark and whether its sample could have; :func:`trend` whether the latest audits rise.
The rules are described in :mod:`generator.checks.quality`.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from generator.evidence import stats
from generator.evidence.measures import Audit, Benchmark
from generator.model import QualityPolicy

_EPS = 1e-12  # a bound exactly on the bar clears it


@dataclass(frozen=True, slots=True)
class Bar:
    """A benchmark against the policy's bar."""

    gap: stats.Interval  # AI accuracy minus the expert's
    gap_met: bool  # gap.low >= -max_accuracy_gap
    hallucination: stats.Interval
    hallucination_met: bool  # hallucination.high <= max_hallucination_rate
    paired: bool  # the gap's interval uses the task pairs
    accuracy_met: bool | None = None  # ai.low >= min_accuracy; None: the policy sets no floor


def bar(bench: Benchmark, q: QualityPolicy) -> Bar:
    gap, rate = bench.gap, bench.hallucination
    floor = None if q.min_accuracy is None else bench.ai.low >= q.min_accuracy - _EPS
    return Bar(
        gap,
        gap.low >= -q.max_accuracy_gap - _EPS,
        rate,
        rate.high <= q.max_hallucination_rate + _EPS,
        bench.pairs is not None,
        floor,
    )


@dataclass(frozen=True, slots=True)
class AuditVerdict:
    """An output audit against the benchmark's error rate. Without counts (or a benchmark)
    every figure is None and ``drift`` and ``too_small`` are False."""

    audit: Audit
    rate: stats.Interval | None = None  # the audit's error rate
    p: float | None = None  # one-sided exact p-value against the baseline
    power: float | None = None  # chance to detect a rise of min_increase at alpha
    need: int | None = None  # the smallest sample with the policy's power
    drift: bool = False  # p < alpha
    too_small: bool = False  # no drift found, and power < the policy's

    @property
    def tested(self) -> bool:
        return self.p is not None


def audit(a: Audit, bench: Benchmark | None, q: QualityPolicy) -> AuditVerdict:
    if bench is None or a.sample_size is None or a.errors is None:
        return AuditVerdict(a)
    baseline = bench.error_rate
    p = stats.exceeds(a.errors, a.sample_size, baseline)
    power = stats.power_to_detect(a.sample_size, baseline, q.min_increase, q.alpha)
    drift = p < q.alpha
    small = not drift and power < q.power
    need = stats.sample_for_power(baseline, q.min_increase, q.alpha, q.power) if small else None
    return AuditVerdict(a, a.error, p, power, need, drift, small)


def trend(audits: Iterable[Audit], q: QualityPolicy) -> tuple[tuple[Audit, ...], stats.Trend]:
    """The latest ``trend_audits`` audits with counts (oldest first) and their trend test;
    the test is empty (None) when there are fewer."""
    counted = sorted((a for a in audits if a.counted), key=lambda a: (a.date, a.index))
    last = tuple(counted[-q.trend_audits :])
    if len(last) < q.trend_audits:
        return last, stats.Trend(None, None)
    return last, stats.trend([a.errors or 0 for a in last], [a.sample_size or 1 for a in last])
