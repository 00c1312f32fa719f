"""Per-tool rules on measured evidence: its tables, and typed numbers against them.

* Each evidence table a tool names is read and checked (``evidence-table`` at file:row:column,
  once per file however many entries name it); one that cannot be read is reported where the
  entry names it (``file-unreadable``), or where it stands for a link or a file too large.
* A benchmark with task records: its typed ``tasks``, ``accuracy`` and ``hallucination_rate``
  must agree with the rows (``benchmark-mismatch``; ratios to two decimal places), and the rows
  are the task count the policy's range checks (``benchmark-size``). Without records: a warning
  (``benchmark-no-records``).
* An output audit with a table: typed ``sample_size``, ``errors``, ``hallucinations`` must agree
  (``audit-mismatch``). Typed counts must be possible (``audit-counts-invalid``).
"""

from __future__ import annotations

from typing import Any

from generator.evidence.measures import tables_of
from generator.evidence.records import Records
from generator.load import Document
from generator.load.evidence import references
from generator.schema import dotted
from generator.validate.checker import Checker

#: How far a typed ratio may be from the records' (two decimal places, either rounded or cut).
TOLERANCE = 0.005 + 1e-9


def evidence(check: Checker, doc: Document) -> None:
    """The evidence rules for one valid tool document."""
    tables = tables_of(doc.data, check.tree.evidence)
    named: dict[str, int] = {}  # an audit table -> the first audit naming it
    for where, rel, kind in references(doc.data):
        got = check.tree.evidence.get(rel)
        if got is None or got.data is None:
            _unreadable(check, doc, list(where), rel, got.problems if got else ())
        elif (rel, kind) in tables and (rel, kind) not in check.reported_tables:
            check.reported_tables.add((rel, kind))
            check.found += tables[rel, kind].problems
        if kind == "audit":
            first = named.setdefault(rel, int(where[2]))
            if first != where[2]:
                check.emit(
                    "evidence-table",
                    doc,
                    list(where),
                    f"{rel!r} is named by evidence.output_audits[{first}] too; each audit "
                    "samples its own outputs",
                    "give this audit the table of its own sample",
                )
    ev = doc.data.get("evidence", {})
    _repeated_audits(check, doc, ev.get("output_audits", []))
    bench = ev.get("benchmark")
    if bench:
        _benchmark(check, doc, bench, tables.get((bench.get("results", ""), "benchmark")))
    for i, audit in enumerate(ev.get("output_audits", [])):
        _audit(check, doc, i, audit, tables.get((audit.get("results", ""), "audit")))


def _unreadable(
    check: Checker, doc: Document, where: list[str | int], rel: str, problems: Any
) -> None:
    for p in problems:
        if p.rule == "file-unreadable":
            check.emit(
                "file-unreadable",
                doc,
                where,
                f"{dotted(where)} names {rel!r}, which cannot be read: {p.message}",
                "give the path from the repository's top folder, e.g. "
                f"evidence/{doc.data['id']}/benchmark-2026-10.csv, and commit the file",
            )
        elif (rel, "") not in check.reported_tables:
            check.reported_tables.add((rel, ""))
            check.found.append(p)


def _usable(table: Records | None) -> Records | None:
    return table if table is not None and table.ok and table.records else None


def _benchmark(check: Checker, doc: Document, bench: dict[str, Any], table: Records | None) -> None:
    base: list[str | int] = ["evidence", "benchmark"]
    policy = check.policy
    lo, hi = policy.benchmark_min, policy.benchmark_max
    if "results" not in bench:
        check.emit(
            "benchmark-no-records",
            doc,
            base,
            "the benchmark is typed numbers only: nobody can check them, and the AI cannot be "
            "compared with the expert task by task",
            f"attach the task records: results: evidence/{doc.data['id']}/"
            f"benchmark-{bench['date'][:7]}.csv, one row per task (see the How we measure page)",
        )
        if not lo <= bench["tasks"] <= hi:
            _size(check, doc, [*base, "tasks"], bench["tasks"], lo, hi, "")
        return
    table = _usable(table)
    if table is None:
        return  # its problems are reported at the file
    n = len(table.records)
    source = f"the task records in {table.path}"
    if "tasks" in bench and bench["tasks"] != n:
        check.emit(
            "benchmark-mismatch",
            doc,
            [*base, "tasks"],
            f"evidence.benchmark.tasks is {bench['tasks']}, but {source} have {n} rows",
            f"write tasks: {n}, or delete it (the rows decide)",
        )
    if not lo <= n <= hi:
        _size(check, doc, [*base, "results"], n, lo, hi, f" ({table.path} has {n} rows)")
    typed = [
        ("accuracy", "ai", table.count("ai_correct"), "correct"),
        ("accuracy", "human", table.count("expert_correct"), "correct for the expert"),
        ("hallucination_rate", None, table.count("ai_hallucination"), "with a hallucination"),
    ]
    for key, sub, k, what in typed:
        value = bench.get(key)
        where: list[str | int] = [*base, key]
        if sub is not None:
            value = value.get(sub) if isinstance(value, dict) else None
            where.append(sub)
        if value is None:
            continue
        if abs(value - k / n) > TOLERANCE:
            check.emit(
                "benchmark-mismatch",
                doc,
                where,
                f"{dotted(where)} is {value}, but {source} give {k} of {n} {what} = {k / n:.3f}",
                f"write {round(k / n, 3)}, or delete it (the rows decide)",
            )


def _size(
    check: Checker, doc: Document, where: list[str | int], n: int, lo: int, hi: int, extra: str
) -> None:
    check.emit(
        "benchmark-size",
        doc,
        where,
        f"the benchmark ran {n} tasks{extra}; the policy asks for {lo} to {hi}",
        "run a benchmark within the range and record it",
    )


def _audit(
    check: Checker, doc: Document, i: int, audit: dict[str, Any], table: Records | None
) -> None:
    base: list[str | int] = ["evidence", "output_audits", i]
    table = _usable(table)
    if table is not None:
        given = {
            "sample_size": len(table.records),
            "errors": table.count("error"),
            "hallucinations": table.count("hallucination")
            if "hallucination" in table.columns
            else None,
        }
        for key, k in given.items():
            if key in audit and k is not None and audit[key] != k:
                check.emit(
                    "audit-mismatch",
                    doc,
                    [*base, key],
                    f"{dotted([*base, key])} is {audit[key]}, but {table.path} gives {k}",
                    f"write {key}: {k}, or delete it (the table decides)",
                )
        return
    if "results" in audit:
        return  # an unusable table is reported at the file
    size = audit.get("sample_size")
    if size is not None and "errors" not in audit:
        check.emit(
            "audit-counts-invalid",
            doc,
            [*base, "sample_size"],
            f"{dotted([*base, 'sample_size'])} is {size}, but the audit records no errors",
            "add errors: how many of the sampled outputs were wrong (0 if none), or remove "
            "sample_size",
        )
    if "errors" in audit and audit.get("hallucinations", 0) > audit["errors"]:
        check.emit(
            "audit-counts-invalid",
            doc,
            [*base, "hallucinations"],
            f"{dotted([*base, 'hallucinations'])} is {audit['hallucinations']}, more than the "
            f"{audit['errors']} errors: an output that invents a fact is an error",
            "count each output with a hallucination among the errors too",
        )
    for key in ("errors", "hallucinations"):
        if key not in audit:
            continue
        if size is None:
            check.emit(
                "audit-counts-invalid",
                doc,
                [*base, key],
                f"{dotted([*base, key])} is {audit[key]}, but the audit has no sample_size",
                "add sample_size: how many outputs were checked",
            )
        elif audit[key] > size:
            check.emit(
                "audit-counts-invalid",
                doc,
                [*base, key],
                f"{dotted([*base, key])} is {audit[key]}, more than the {size} outputs sampled",
                "correct the count, or the sample_size",
            )


def _repeated_audits(check: Checker, doc: Document, audits: list[dict[str, Any]]) -> None:
    """``audit-duplicate``: two audits on one date, or citing one report, are one audit recorded
    twice (a copy with a later date would otherwise replace the one that showed drift)."""
    first: dict[tuple[str, str], int] = {}
    for i, audit in enumerate(audits):
        for key in ("date", "report"):
            value = audit.get(key)
            if not isinstance(value, str):
                continue
            seen = first.setdefault((key, value), i)
            if seen != i:
                what = "date" if key == "date" else "report"
                check.emit(
                    "audit-duplicate",
                    doc,
                    ["evidence", "output_audits", i, key],
                    f"evidence.output_audits[{i}] has the same {what} as "
                    f"evidence.output_audits[{seen}] ({value})",
                    "record each audit once, with its own date and report; merge the two if "
                    "they are one audit",
                )
