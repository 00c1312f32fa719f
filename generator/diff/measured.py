"""What a change means for a tool's measured evidence, including edits to its evidence tables.

An evidence table (a benchmark's task records, an audit's sampled outputs) is a CSV file the
YAML only names, so editing its rows changes the figures without touching the entry. The
comparison therefore works out each tool's counts at both revisions (as
:mod:`generator.evidence.measures` does for the site) and reports what moved, for the same
benchmark (same date) and each audit matched by date:

* figures that now flatter the tool need ATTENTION, a prompt to check what backs them: for the
  benchmark a higher AI accuracy, a lower expert accuracy (a narrower gap) or a lower
  hallucination rate; for an audit a lower error or hallucination rate (fewer errors, or the
  same errors in a larger sample);
* other moves of the counts, and rows edited with the counts unchanged: INFO;
* a table that read at the base and no longer does (unreadable, or rows with errors), so its
  figures drop out of the checks: ATTENTION.

A new benchmark (another date) is INFO with its figures. Typed numbers are compared as values by
the general comparison (``looser.py``).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from generator.diff.changes import ATTENTION, INFO
from generator.diff.fields import get
from generator.diff.looser import Add
from generator.evidence import measures
from generator.load.evidence import EvidenceFile, references

Tables = Mapping[str, EvidenceFile]


def tables(docs: Mapping[str, Any]) -> dict[str, EvidenceFile]:
    """A snapshot's evidence tables (path -> bytes, None when unreadable) as the loader's."""
    return {
        p: EvidenceFile(d if isinstance(d, bytes) else None)
        for p, d in docs.items()
        if p.endswith(".csv")
    }


@dataclass(frozen=True, slots=True)
class Sides:
    """One tool at the base and the head: its data, the snapshot's table files, and the tables
    it names as parsed."""

    old: dict[str, Any]
    new: dict[str, Any]
    before: Tables
    after: Tables
    was: measures.Tables
    now: measures.Tables


def compare_measured(add: Add, old: Any, new: Any, before: Tables, after: Tables) -> None:
    """Report the moves of a tool's benchmark and audit figures between two revisions."""
    if not isinstance(old, dict) or not isinstance(new, dict):
        return
    sides = Sides(
        old, new, before, after, measures.tables_of(old, before), measures.tables_of(new, after)
    )
    _broken(add, sides)
    _benchmark(add, sides)
    _audits(add, sides)


def _usable(table: Any) -> bool:
    return table is not None and table.ok and bool(table.records)


def _broken(add: Add, s: Sides) -> None:
    """Tables that read at the base and no longer do."""
    named_before = {(rel, kind) for _, rel, kind in references(s.old)}
    for _, rel, kind in references(s.new):
        if (rel, kind) not in named_before or not _usable(s.was.get((rel, kind))):
            continue
        if not _usable(s.now.get((rel, kind))):
            got = s.after.get(rel)
            why = (
                "it cannot be read"
                if got is None or got.data is None
                else "its rows have errors (handbook validate names them)"
            )
            add(
                ATTENTION,
                "evidence-table-broken",
                "the {what} table {source} no longer reads: {why}, so its figures drop out of "
                "the checks",
                what="benchmark" if kind == "benchmark" else "output audit",
                source=rel,
                why=why,
            )


def _edited(s: Sides, rel: str | None) -> bool:
    a, b = s.before.get(rel or ""), s.after.get(rel or "")
    return a is not None and b is not None and a.data != b.data


def _benchmark(add: Add, s: Sides) -> None:
    a = measures.benchmark(get(s.old, "evidence", "benchmark"), s.was)
    b = measures.benchmark(get(s.new, "evidence", "benchmark"), s.now)
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
        better = (
            b.ai_correct / b.tasks > a.ai_correct / a.tasks
            or b.expert_correct / b.tasks < a.expert_correct / a.tasks
            or b.hallucinations / b.tasks < a.hallucinations / a.tasks
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
    elif a.source == b.source and _edited(s, b.source):
        add(
            INFO,
            "evidence-table-edited",
            "the task records of the benchmark of {date} were edited ({source}); the counts "
            "are unchanged",
            date=b.date.isoformat(),
            source=b.source,
        )


def _audits(add: Add, s: Sides) -> None:
    def by_date(data: Any, found: measures.Tables) -> dict[str, measures.Audit]:
        out: dict[str, measures.Audit] = {}
        audits = get(data, "evidence", "output_audits")
        for i, raw in enumerate(audits if isinstance(audits, list) else []):
            if isinstance(raw, dict) and isinstance(raw.get("date"), str):
                out.setdefault(raw["date"], measures.audit(i, raw, found))
        return out

    old_audits, new_audits = by_date(s.old, s.was), by_date(s.new, s.now)
    for when, b in new_audits.items():
        a = old_audits.get(when)
        if a is None or b.source is None or not a.counted or not b.counted:
            continue  # typed counts are compared as values
        assert a.sample_size and b.sample_size and a.errors is not None and b.errors is not None
        pairs = [("sample size", a.sample_size, b.sample_size), ("errors", a.errors, b.errors)]
        if a.hallucinations is not None and b.hallucinations is not None:
            pairs.append(("hallucinations", a.hallucinations, b.hallucinations))
        moved = [f"{k} {x} → {y}" for k, x, y in pairs if x != y]
        better = b.errors / b.sample_size < a.errors / a.sample_size or (
            a.hallucinations is not None
            and b.hallucinations is not None
            and b.hallucinations / b.sample_size < a.hallucinations / a.sample_size
        )
        if moved:
            add(
                ATTENTION if better else INFO,
                "evidence-table-changed",
                "the sampled outputs of the output audit of {date} changed in place "
                "({source}): {moves}"
                + (
                    "; the error rate now looks lower: check what backs the change"
                    if better
                    else ""
                ),
                date=when,
                source=b.source,
                moves=moved,
            )
        elif a.source == b.source and _edited(s, b.source):
            add(
                INFO,
                "evidence-table-edited",
                "the sampled outputs of the output audit of {date} were edited ({source}); the "
                "counts are unchanged",
                date=when,
                source=b.source,
            )
