"""A reconciliation -> text for people: the inputs read and the usage per product (counts only,
never who). Pure."""

from __future__ import annotations

from generator.diagnostics import plural
from generator.reconcile import Reconciled, Usage


def _order(use: Usage) -> tuple[int, int, str]:
    rank = {"service": 0}.get(use.known.kind, 1)
    return (rank, -use.user_count, use.known.name.casefold())


def summary(result: Reconciled) -> str:
    """The inputs (kind, format, lines, events) and a table of usage per product."""
    out = [
        f"read {read.path}: {read.format} ({read.kind}), {plural(read.lines, 'line')}, "
        f"{plural(len(read.events), 'use')}"
        + (f" ({read.refused} failed or blocked, not counted)" if read.refused else "")
        for read in result.reads
    ]
    matched = len(result.matched)
    out.append(
        f"matched {plural(matched, 'use')} to {plural(len(result.usage), 'AI product')}; "
        f"{plural(result.unmatched, 'use')} of nothing the handbook knows as an AI service"
    )
    if result.usage:
        out += ["", f"  {'product':<34} {'registry':<36} {'users':>6} {'uses':>7}  spend"]
        for use in sorted(result.usage.values(), key=_order):
            k = use.known
            where = f"{k.status} ({k.id})" if k.kind == "tool" else "not registered"
            out.append(
                f"  {k.name[:34]:<34} {where[:36]:<36} {use.user_count:>6} {use.events:>7}  "
                f"{use.spend_text()}"
            )
    return "\n".join(out) + "\n"
