"""The evidence tables a registry entry names: read them (bytes only) the way every file is read.

A tool's ``evidence.benchmark.results`` and each ``evidence.output_audits[i].results`` may name a
CSV file in the repository (``evidence/<tool-id>/benchmark-2026-10.csv``). They are read here,
through :func:`generator.load.files.read` (no link followed anywhere on the way, regular files
only, at most :data:`MAX_EVIDENCE_BYTES`); parsing and checking them is
:mod:`generator.evidence.records`' job, reporting is validation's.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from generator.diagnostics import Diagnostic
from generator.load import files

#: The largest evidence table read: a benchmark of 50 tasks is about 2 KB, an audit of 10,000
#: outputs with notes about 1 MB.
MAX_EVIDENCE_BYTES = 5_000_000
#: Where evidence tables are kept, by convention (any repository path is read).
FOLDER = "evidence"


@dataclass(frozen=True, slots=True)
class EvidenceFile:
    """The bytes of one evidence table, or None and why it could not be read."""

    data: bytes | None
    problems: tuple[Diagnostic, ...] = ()


def references(data: Any) -> Iterator[tuple[tuple[str | int, ...], str, str]]:
    """(where in the entry, repo-relative path, layout kind) of each evidence table a tool's
    data names: ``("evidence", "benchmark", "results")`` and
    ``("evidence", "output_audits", i, "results")``. Values of the wrong type are skipped (the
    schema reports them)."""
    evidence = data.get("evidence") if isinstance(data, dict) else None
    if not isinstance(evidence, dict):
        return
    bench = evidence.get("benchmark")
    if isinstance(bench, dict) and isinstance(bench.get("results"), str):
        yield ("evidence", "benchmark", "results"), bench["results"], "benchmark"
    audits = evidence.get("output_audits")
    if isinstance(audits, list):
        for i, audit in enumerate(audits):
            if isinstance(audit, dict) and isinstance(audit.get("results"), str):
                yield ("evidence", "output_audits", i, "results"), audit["results"], "audit"


def read_evidence(root: Path, paths: Iterable[str]) -> dict[str, EvidenceFile]:
    """Each named table's bytes (or its refusal), read once however many entries name it."""
    out: dict[str, EvidenceFile] = {}
    for rel in paths:
        if rel not in out:
            data, problems = files.read(root, rel, limit=MAX_EVIDENCE_BYTES)
            out[rel] = EvidenceFile(data, tuple(problems))
    return out
