"""What a change means for a tool's measured evidence, including edits to its evidence tables.

An evidence table (a benchmark's task records, an audit's sampled outputs) is a CSV file the
YAML only names, so editing its rows changes the figures without touching the entry. The
comparison therefore works out each tool's counts at both revisions (as
:mod:`generator.evidence.measures` does for the site) and reports what moved:

* the same benchmark (same date) with other counts: its records changed in place, a prompt to
  check what backs them; ATTENTION when the AI now looks better (more right answers, fewer
  hallucinations), as that is the direction that would let a tool pass the bar;
* a table whose rows changed with the same counts: INFO;
* an audit (matched by date) with fewer errors or hallucinations than before: ATTENTION.

Typed numbers are compared as values by the general comparison (``looser.py``).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from generator.diff.changes import ATTENTION, INFO
from generator.diff.fields import get
from generator.diff.looser import Add
from generator.evidence import measures
from generator.evidence.records import Records
from generator.load.evidence import EvidenceFile


def tables(docs: Mapping[str, Any]) -> dict[str, EvidenceFile]:
    """A snapshot's evidence tables (path -> bytes, None when unreadable) as the loader's."""
    return {
        p: EvidenceFile(d if isinstance(d, bytes) else None)
        for p, d in docs.items()
        if p.endswith(".csv")
    }


def compare_measured(
    add: Add,
    old: Any,
    new: Any,
    before: Mapping[str, EvidenceFile],
    after: Mapping[str, EvidenceFile],
) -> None:
    """Report the moves of a tool's benchmark and audit counts between two revisions."""
    old_tables = measures.tables_of(old, before) if isinstance(old, dict) else {}
    new_tables = measures.tables_of(new, after) if isinstance(new, dict) else {}
    _benchmark(add, old, new, old_tables, new_tables, before, after)
    _audits(add, old, new, old_tables, new_tables)


def _bench(data: Any, found: Mapping[str, Records]) -> measures.Benchmark | None:
    return measures.benchmark(get(data, "evidence", "benchmark"), found)


def _benchmark(
    add: Add,
    old: Any,
    new: Any,
    old_tables: Mapping[str, Records],
    new_tables: Mapping[str, Records],
    before: Mapping[str, EvidenceFile],
    after: Mapping[str, EvidenceFile],
) -> None:
    a, b = _bench(old, old_tables), _bench(new, new_tables)
    if a is None or b is None or b.source is None:
        return
    counts = ("tasks", "ai_correct", "expert_correct", "hallucinations")
    moved = [(k, getattr(a, k), getattr(b, k)) for k in counts if getattr(a, k) != getattr(b, k)]
    if a.date != b.date:
        if moved:
            add(
                INFO,
                "benchmark-rerun",
                "new benchmark on {date}: AI correct {old_ai} of {old_n} → {new_ai} of {new_n}, "
                "hallucinations {old_h} → {new_h}",
                date=b.date.isoformat(),
                old_ai=a.ai_correct,
                old_n=a.tasks,
                new_ai=b.ai_correct,
                new_n=b.tasks,
                old_h=a.hallucinations,
                new_h=b.hallucinations,
            )
        return
    if moved:
        better = b.ai_correct / b.tasks > a.ai_correct / a.tasks or (
            b.hallucinations / b.tasks < a.hallucinations / a.tasks
        )
        add(
            ATTENTION if better else INFO,
            "evidence-table-changed",
            "the task records of the benchmark of {date} changed in place ({source}): {moves}"
            + ("; the AI now looks better: check what backs the change" if better else ""),
            date=b.date.isoformat(),
            source=b.source,
            moves=[f"{k.replace('_', ' ')} {x} → {y}" for k, x, y in moved],
        )
        return
    old_bytes = before.get(a.source or "")
    new_bytes = after.get(b.source)
    if a.source == b.source and old_bytes and new_bytes and old_bytes.data != new_bytes.data:
        add(
            INFO,
            "evidence-table-edited",
            "the task records of the benchmark of {date} were edited ({source}); the counts "
            "are unchanged",
            date=b.date.isoformat(),
            source=b.source,
        )


def _audits(
    add: Add,
    old: Any,
    new: Any,
    old_tables: Mapping[str, Records],
    new_tables: Mapping[str, Records],
) -> None:
    def by_date(data: Any, found: Mapping[str, Records]) -> dict[str, measures.Audit]:
        out: dict[str, measures.Audit] = {}
        audits = get(data, "evidence", "output_audits")
        for i, raw in enumerate(audits if isinstance(audits, list) else []):
            if isinstance(raw, dict) and isinstance(raw.get("date"), str):
                out.setdefault(raw["date"], measures.audit(i, raw, found))
        return out

    before, after = by_date(old, old_tables), by_date(new, new_tables)
    for when, b in after.items():
        a = before.get(when)
        if a is None or b.source is None:
            continue  # typed counts are compared as values
        fewer = [
            f"{k} {x} → {y}"
            for k, x, y in (
                ("errors", a.errors, b.errors),
                ("hallucinations", a.hallucinations, b.hallucinations),
            )
            if x is not None and y is not None and y < x
        ]
        if fewer:
            add(
                ATTENTION,
                "evidence-table-changed",
                "the sampled outputs of the output audit of {date} changed in place "
                "({source}): {moves}; check what backs the change",
                date=when,
                source=b.source,
                moves=fewer,
            )
