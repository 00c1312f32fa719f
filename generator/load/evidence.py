"""The evidence tables a registry entry names: read them (bytes only) the way every file is read.

A tool's ``evidence.benchmark.results`` and each ``evidence.output_audits[i].results`` may name a
CSV file in the repository (``evidence/<tool-id>/benchmark-2026-10.csv``). They are read here,
through :func:`generator.load.files.read` (no link followed anywhere on the way, regular files
only, at most :data:`MAX_EVIDENCE_BYTES`) and parsed by :mod:`generator.evidence.records` while
the loader holds the garbage collector (a registry's tables are many small objects); reporting
their problems is validation's.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from generator.diagnostics import Diagnostic
from generator.load import files

if TYPE_CHECKING:
    from generator.evidence.records import Records

#: The largest evidence table read: a benchmark of 50 tasks is about 2 KB, an audit of 10,000
#: outputs with notes about 1 MB.
MAX_EVIDENCE_BYTES = 5_000_000
#: Where evidence tables are kept, by convention (any repository path is read).
FOLDER = "evidence"


@dataclass(frozen=True, slots=True)
class EvidenceFile:
    """The bytes of one evidence table, or None and why it could not be read; ``tables`` holds
    it parsed as each layout it is named as (``"benchmark"``, ``"audit"``)."""

    data: bytes | None
    problems: tuple[Diagnostic, ...] = ()
    tables: Mapping[str, Records] = field(default_factory=dict)

    def parsed(self, rel: str, kind: str) -> Records | None:
        """The table read as ``kind``'s layout (parsed now if loading did not); None when the
        file could not be read."""
        from generator.evidence.records import LAYOUTS, parse  # it reads through this package

        if self.data is None:
            return None
        got = self.tables.get(kind)
        return got if got is not None else parse(rel, self.data, LAYOUTS[kind])


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


def read_evidence(root: Path, named: Iterable[tuple[str, str]]) -> dict[str, EvidenceFile]:
    """Each named table (``(path, layout kind)`` pairs) read once however many entries name
    it, and parsed once per layout it is named as."""
    from generator.evidence.records import LAYOUTS, parse  # it reads through this package

    found: dict[str, tuple[bytes | None, list[Diagnostic]]] = {}
    kinds: dict[str, set[str]] = {}
    for rel, kind in named:
        if rel not in found:
            found[rel] = files.read(root, rel, limit=MAX_EVIDENCE_BYTES)
        kinds.setdefault(rel, set()).add(kind)
    out: dict[str, EvidenceFile] = {}
    for rel, (data, problems) in found.items():
        tables = {} if data is None else {k: parse(rel, data, LAYOUTS[k]) for k in kinds[rel]}
        out[rel] = EvidenceFile(data, tuple(problems), tables)
    return out
