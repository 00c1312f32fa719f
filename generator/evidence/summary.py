"""A tool's measured evidence as the site shows it: figures, intervals and verdicts (pure).

One :class:`Summary` per tool, computed once per render from the model and the policy; the tool
page, the dashboard and ``registry.json`` all read it, so they cannot disagree with the findings
(:mod:`generator.checks.quality` judges through the same :mod:`.judge`).
"""

from __future__ import annotations

from dataclasses import dataclass

from generator.evidence import judge, stats
from generator.evidence.measures import Audit, Benchmark, Metric
from generator.model import APPROVED, QualityPolicy, Tool


@dataclass(frozen=True, slots=True)
class Summary:
    benchmark: Benchmark | None
    bar: judge.Bar | None
    audits: tuple[judge.AuditVerdict, ...]  # newest first
    trend_audits: tuple[Audit, ...]  # the latest with counts, oldest first
    trend: stats.Trend
    metrics: tuple[Metric, ...]  # oldest first

    @property
    def latest(self) -> Metric | None:
        return self.metrics[-1] if self.metrics else None

    @property
    def previous(self) -> Metric | None:
        return self.metrics[-2] if len(self.metrics) > 1 else None

    @property
    def empty(self) -> bool:
        return self.benchmark is None and not self.audits and not self.metrics


def summarize(tool: Tool, q: QualityPolicy) -> Summary:
    """The figures of ``tool`` under the policy ``q``."""
    bench = tool.benchmark
    audits = sorted(tool.audits, key=lambda a: (a.date, a.index), reverse=True)
    last, trend = judge.trend(tool.audits, q)
    return Summary(
        benchmark=bench,
        bar=judge.bar(bench, q) if bench is not None else None,
        audits=tuple(judge.audit(a, bench, q) for a in audits),
        trend_audits=last,
        trend=trend,
        metrics=tuple(sorted(tool.metrics, key=lambda m: (m.measured, m.index))),
    )


@dataclass(frozen=True, slots=True)
class Saving:
    """One approved tool's latest time saved, for the dashboard's table."""

    tool: Tool
    metric: Metric

    @property
    def hours(self) -> float | None:
        return self.metric.hours_saved


def savings(tools: list[Tool]) -> tuple[list[Saving], float]:
    """The approved and restricted tools' latest metrics (most hours first) and the total hours
    saved per month over those that record tasks per month."""
    rows = [Saving(t, m) for t in tools if t.status in APPROVED if (m := t.latest_metric)]
    rows.sort(key=lambda s: (-(s.hours or 0.0), s.tool.name.casefold()))
    return rows, sum(s.hours or 0.0 for s in rows)
