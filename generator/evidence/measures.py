"""A tool's measured evidence as counts: the benchmark, the output audits, the metrics over time.

Built from the entry's data and, where it names one, its evidence table (:mod:`.records`): the
rows decide when they exist and are valid, the typed summary numbers otherwise. The statistics
(:mod:`.stats`) are computed from these counts on demand; nothing here reads a file.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any

from generator.evidence import stats
from generator.evidence.records import Records
from generator.load.evidence import EvidenceFile, references


@dataclass(frozen=True, slots=True)
class Category:
    """The benchmark's counts for one category of tasks."""

    name: str
    tasks: int
    ai_correct: int
    expert_correct: int
    hallucinations: int


@dataclass(frozen=True, slots=True)
class Benchmark:
    """The accuracy baseline: ``tasks`` run through the AI tool and the expert.

    ``pairs`` (both right, AI only, expert only, neither) exist only with task records;
    ``source`` is the records' path, or None for typed summary numbers."""

    date: date
    tasks: int
    ai_correct: int
    expert_correct: int
    hallucinations: int
    pairs: tuple[int, int, int, int] | None = None
    tone: float | None = None  # mean rating 1-5 over the rated tasks
    rated: int = 0
    categories: tuple[Category, ...] = ()
    source: str | None = None

    @property
    def ai(self) -> stats.Interval:
        return stats.wilson(self.ai_correct, self.tasks)

    @property
    def expert(self) -> stats.Interval:
        return stats.wilson(self.expert_correct, self.tasks)

    @property
    def hallucination(self) -> stats.Interval:
        return stats.wilson(self.hallucinations, self.tasks)

    @property
    def gap(self) -> stats.Interval:
        """AI accuracy minus the expert's: paired when the task records give the pairs, else as
        two independent samples (wider, so never kinder than the paired interval)."""
        if self.pairs is not None:
            return stats.paired_difference(*self.pairs)
        return stats.independent_difference(
            self.ai_correct, self.tasks, self.expert_correct, self.tasks
        )

    @property
    def mcnemar(self) -> float | None:
        """The exact McNemar p-value of AI against expert; None without task records."""
        if self.pairs is None:
            return None
        return stats.mcnemar_exact(self.pairs[1], self.pairs[2])

    @property
    def error_rate(self) -> float:
        """The AI's share of wrong outputs: the baseline every audit is compared with."""
        return 1 - self.ai_correct / self.tasks


@dataclass(frozen=True, slots=True)
class Audit:
    """One output audit; the counts are None when the audit recorded none."""

    index: int  # in evidence.output_audits
    date: date
    reviewer: str
    drift: bool  # the reviewer's verdict
    sample_size: int | None = None
    errors: int | None = None
    hallucinations: int | None = None
    source: str | None = None

    @property
    def counted(self) -> bool:
        return self.sample_size is not None and self.errors is not None

    @property
    def error(self) -> stats.Interval | None:
        if self.sample_size is None or self.errors is None:
            return None
        return stats.wilson(self.errors, self.sample_size)


@dataclass(frozen=True, slots=True)
class Metric:
    """One dated set of performance figures (``evidence.metrics``)."""

    index: int  # in the list (0 for a single mapping)
    measured: date
    error_rate: float
    latency_ms: float
    time_saved_minutes: float
    tasks_per_month: float | None = None
    active_users: int | None = None

    @property
    def hours_saved(self) -> float | None:
        """Hours saved per month: time saved per task times tasks per month, over 60."""
        if self.tasks_per_month is None:
            return None
        return self.time_saved_minutes * self.tasks_per_month / 60


#: Parsed evidence tables by (path, layout kind): the same file named as a benchmark and as an
#: audit is read twice, each time with its own columns.
Tables = Mapping[tuple[str, str], Records]


def tables_of(
    raw: Mapping[str, Any], found: Mapping[str, EvidenceFile]
) -> dict[tuple[str, str], Records]:
    """The parsed evidence tables a tool's data names (those that could be read), by
    (path, kind)."""
    out: dict[tuple[str, str], Records] = {}
    for _, rel, kind in references(raw):
        got = found.get(rel)
        if got is not None and (rel, kind) not in out:
            table = got.parsed(rel, kind)
            if table is not None:
                out[rel, kind] = table
    return out


def _ratio_count(value: Any, n: int) -> int:
    return round(float(value) * n)


def benchmark(raw: Any, tables: Tables) -> Benchmark | None:
    """The benchmark of ``raw`` (``evidence.benchmark``): from its valid task records when it
    names them, else from its typed numbers, else None."""
    if not isinstance(raw, Mapping) or not isinstance(raw.get("date"), str):
        return None
    when = date.fromisoformat(raw["date"])
    table = (
        tables.get((raw["results"], "benchmark")) if isinstance(raw.get("results"), str) else None
    )
    if table is not None and table.ok and table.records:
        return from_records(when, table)
    tasks, accuracy = raw.get("tasks"), raw.get("accuracy")
    if not isinstance(tasks, int) or not isinstance(accuracy, Mapping) or tasks < 1:
        return None
    return Benchmark(
        date=when,
        tasks=tasks,
        ai_correct=_ratio_count(accuracy["ai"], tasks),
        expert_correct=_ratio_count(accuracy["human"], tasks),
        hallucinations=_ratio_count(raw.get("hallucination_rate", 0), tasks),
    )


def from_records(when: date, table: Records) -> Benchmark:
    """The benchmark's counts from valid task records."""
    rows = [r.values for r in table.records]
    both = sum(1 for v in rows if v["ai_correct"] and v["expert_correct"])
    ai_only = sum(1 for v in rows if v["ai_correct"] and not v["expert_correct"])
    expert_only = sum(1 for v in rows if not v["ai_correct"] and v["expert_correct"])
    neither = len(rows) - both - ai_only - expert_only
    tones = [v["tone"] for v in rows if isinstance(v.get("tone"), int)]
    names = sorted({str(v["category"]) for v in rows if v.get("category")})
    categories = tuple(
        Category(
            name,
            sum(1 for v in rows if v.get("category") == name),
            sum(1 for v in rows if v.get("category") == name and v["ai_correct"]),
            sum(1 for v in rows if v.get("category") == name and v["expert_correct"]),
            sum(1 for v in rows if v.get("category") == name and v["ai_hallucination"]),
        )
        for name in names
    )
    return Benchmark(
        date=when,
        tasks=len(rows),
        ai_correct=both + ai_only,
        expert_correct=both + expert_only,
        hallucinations=table.count("ai_hallucination"),
        pairs=(both, ai_only, expert_only, neither),
        tone=sum(tones) / len(tones) if tones else None,  # type: ignore[arg-type]
        rated=len(tones),
        categories=categories,
        source=table.path,
    )


def audit(index: int, raw: Mapping[str, Any], tables: Tables) -> Audit:
    """One output audit: counts from its valid records, else as typed (or None)."""
    table = tables.get((raw["results"], "audit")) if isinstance(raw.get("results"), str) else None
    base = Audit(
        index=index,
        date=date.fromisoformat(raw["date"]),
        reviewer=raw.get("reviewer", ""),
        drift=bool(raw.get("drift")),
    )
    if table is not None and table.ok and table.records:
        hallucinations = table.count("hallucination") if "hallucination" in table.columns else None
        return Audit(
            index,
            base.date,
            base.reviewer,
            base.drift,
            len(table.records),
            table.count("error"),
            hallucinations,
            table.path,
        )
    size, errors = raw.get("sample_size"), raw.get("errors")
    if isinstance(size, int) and isinstance(errors, int) and 0 <= errors <= size:
        found = raw.get("hallucinations")
        kept = found if isinstance(found, int) and 0 <= found <= size else None
        return Audit(index, base.date, base.reviewer, base.drift, size, errors, kept)
    return Audit(
        index, base.date, base.reviewer, base.drift, size if isinstance(size, int) else None
    )


def metric(index: int, raw: Mapping[str, Any]) -> Metric:
    return Metric(
        index=index,
        measured=date.fromisoformat(raw["measured"]),
        error_rate=float(raw["error_rate"]),
        latency_ms=float(raw["latency_ms"]),
        time_saved_minutes=float(raw["time_saved_minutes"]),
        tasks_per_month=float(raw["tasks_per_month"]) if "tasks_per_month" in raw else None,
        active_users=raw.get("active_users"),
    )
