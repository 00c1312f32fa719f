"""Exceptions (``tool.exceptions``): findings accepted as notes, and exceptions running out.

The rules are described in ``generator.checks.expiry``. ``open_exceptions`` lists the exceptions
in force for the site's page of accepted risks.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, replace
from datetime import date

from generator.checks.findings import STEP, Findings
from generator.diagnostics import Diagnostic, Severity, plural
from generator.model import Exception_, Handbook, Tool

#: The warning rule that an exception for the error rule also covers.
SIBLINGS = {
    "cert-expiring": "cert-expired",
    "output-audit-due": "output-audit-overdue",
    "access-review-due": "access-review-overdue",
    "vendor-review-due": "vendor-review-overdue",
    "compliance-review-due": "compliance-review-overdue",
    "metrics-due": "metrics-overdue",
}


def covering(tool: Tool, rule: str) -> list[Exception_]:
    """The tool's approved exceptions for ``rule`` (or for the error rule it warns of)."""
    names = {rule, SIBLINGS.get(rule, rule)}
    return [e for e in tool.exceptions if e.rule in names and e.approver]


def apply_exceptions(run: Findings, found: list[Diagnostic]) -> list[Diagnostic]:
    """``found`` with excepted findings made notes, plus ``exception-expired``/``-expiring``."""
    out: list[Diagnostic] = []
    used: set[tuple[str, int]] = set()
    for d in found:
        tools = run.subjects(d)
        chosen: list[tuple[Tool, Exception_]] = []
        for tool in tools:
            active = [e for e in covering(tool, d.rule) if run.today <= e.until]
            if not active:
                break
            chosen.append((tool, max(active, key=lambda e: e.until)))
        else:
            if chosen:
                for tool, exc in chosen:
                    used.add((tool.id, exc.index))
                accepted = "; ".join(
                    f"accepted until {e.until} by {e.approver}: {e.reason.strip()}"
                    for _, e in chosen
                )
                d = replace(d, severity=Severity.NOTE, message=f"{d.message} ({accepted})")
        out.append(d)
    out += exception_findings(run, out, used)
    return out


def exception_findings(
    run: Findings, found: list[Diagnostic], used: set[tuple[str, int]]
) -> Iterator[Diagnostic]:
    """``exception-expired`` for every lapsed exception, ``exception-expiring`` for one in use."""
    for tool in run.hb.tools.values():
        for exc in tool.exceptions:
            where = ("exceptions", exc.index, "until")
            days = (exc.until - run.today).days
            if days < 0:
                back = [
                    d
                    for d in found
                    if d.severity is not Severity.NOTE
                    and d.rule in {exc.rule, *(k for k, v in SIBLINGS.items() if v == exc.rule)}
                    and tool.id in {t.id for t in run.subjects(d)}
                ]
                yield run.finding(
                    "exception-expired",
                    Severity.WARNING,
                    f"the exception of {run.tool_ref(tool)} for {exc.rule!r} ended on "
                    f"{exc.until} ({plural(-days, 'day')} ago)"
                    + ("; the finding is reported at full severity again" if back else ""),
                    tool.path,
                    tool.at(*where),
                    "fix the finding, or renew the exception with a new approval"
                    if back
                    else "the finding is gone: delete the expired exception",
                    subject=tool.id,
                    owner=tool.contact,
                    tools=(tool,),
                    due=exc.until,
                    step=STEP.get(exc.rule),
                )
            elif (tool.id, exc.index) in used and days <= run.policy.warning_days["exception"]:
                left = "ends today" if days == 0 else f"ends in {plural(days, 'day')}"
                yield run.finding(
                    "exception-expiring",
                    Severity.WARNING,
                    f"the exception of {run.tool_ref(tool)} for {exc.rule!r} {left} "
                    f"(until {exc.until}); the finding it covers is still there",
                    tool.path,
                    tool.at(*where),
                    "fix the finding before then, or ask for a renewed exception",
                    subject=tool.id,
                    owner=tool.contact,
                    tools=(tool,),
                    due=exc.until,
                    step=STEP.get(exc.rule),
                )


@dataclass(frozen=True, slots=True)
class OpenException:
    """An exception in force on ``today``, for the site's list of accepted risks."""

    tool: str
    tool_name: str
    owner: str
    rule: str
    reason: str
    approver: str | None
    until: date
    days_left: int
    path: str
    line: int
    column: int


def open_exceptions(handbook: Handbook, today: date) -> list[OpenException]:
    """Exceptions with ``today <= until``, soonest ending first."""
    out = []
    for tool in handbook.tools.values():
        for exc in tool.exceptions:
            if today <= exc.until:
                line, column = tool.at("exceptions", exc.index)
                out.append(
                    OpenException(
                        tool.id,
                        tool.name,
                        tool.contact,
                        exc.rule,
                        exc.reason.strip(),
                        exc.approver,
                        exc.until,
                        (exc.until - today).days,
                        tool.path,
                        line,
                        column,
                    )
                )
    return sorted(out, key=lambda o: (o.until, o.tool, o.rule))
