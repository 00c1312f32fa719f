"""A versioned JSON shape: {"version": 1, "summary": {...}, "diagnostics": [...]}."""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from typing import Any

from generator.diagnostics import Diagnostic, Severity, count, sorted_diagnostics

VERSION = 1


def as_dict(d: Diagnostic) -> dict[str, Any]:
    out: dict[str, Any] = {
        "rule": d.rule,
        "severity": d.severity.value,
        "message": d.message,
        "path": d.path,
        "line": d.line,
        "column": d.column,
        "hint": d.hint,
    }
    for key in ("subject", "step", "owner", "due", "days"):
        value = getattr(d, key)
        if value is not None:
            out[key] = value
    if d.frameworks:  # the framework entries it puts at risk, "nist-ai-rmf:GOVERN 6.1"
        out["frameworks"] = list(d.frameworks)
    return out


def render(diags: Sequence[Diagnostic], meta: Mapping[str, Any] | None = None) -> str:
    """``{"version": 1, "summary": {...}, "diagnostics": [...]}``, plus the keys of ``meta``
    (the nightly report adds ``as_of`` and ``as_of_source``)."""
    n = count(diags)
    doc = {
        "version": VERSION,
        **(meta or {}),
        "summary": {s.value: n[s] for s in Severity},
        "diagnostics": [as_dict(d) for d in sorted_diagnostics(diags)],
    }
    return json.dumps(doc, indent=2, ensure_ascii=False) + "\n"
