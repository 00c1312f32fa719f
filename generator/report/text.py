"""One line per finding, compiler style, then a hint line and a summary."""

from __future__ import annotations

from collections.abc import Sequence

from generator.diagnostics import Diagnostic, Severity, count, sorted_diagnostics


def line(d: Diagnostic) -> str:
    return f"{d.location}: {d.severity.value}[{d.rule}] {d.message}"


def summary(diags: Sequence[Diagnostic]) -> str:
    n = count(diags)
    if not diags:
        return "no problems found"
    parts = []
    for sev, word in (
        (Severity.ERROR, "error"),
        (Severity.WARNING, "warning"),
        (Severity.NOTE, "note"),
    ):
        if n[sev]:
            parts.append(f"{n[sev]} {word}{'' if n[sev] == 1 else 's'}")
    return ", ".join(parts)


def render(diags: Sequence[Diagnostic]) -> str:
    out = []
    for d in sorted_diagnostics(diags):
        out.append(line(d))
        if d.hint:
            out.append(f"  hint: {d.hint}")
    out.append(summary(diags))
    return "\n".join(out) + "\n"
