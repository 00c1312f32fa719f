"""Where each tool stands on each procedure step, and what falls due when (pure; no I/O).

A step's state, as of the build date, for one tool:

* ``stale``: a staleness check reports an error for the step (overdue review, lapsed
  certificate); the build refuses to publish the site while any step is stale;
* ``due-soon``: a staleness warning (inside the policy's ``warning_days``);
* ``excepted``: a finding is accepted by an open exception (it became a note);
* ``missing``: the tool's status requires the step (``policy.requirements``) and the registry
  holds none of its evidence;
* ``done``: the evidence is recorded;
* ``not-yet``: no evidence, and the tool's status does not need it yet.

Due dates come from ``generator.checks.due``, the functions the staleness checks use, so the
calendar feed and the "next due" column agree with the findings.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any

from generator.checks.due import (
    REVIEWS,
    current_until,
    next_review,
    offboarding_due,
    pilot_decision_due,
    relied_on,
    stage_due,
)
from generator.checks.findings import owners
from generator.diagnostics import Diagnostic, Severity
from generator.model import Handbook, Step, Tool

STATES = ("done", "due-soon", "stale", "missing", "excepted", "not-yet")
LABELS = {
    "done": "done",
    "due-soon": "due soon",
    "stale": "stale",
    "missing": "missing",
    "excepted": "exception",
    "not-yet": "not yet",
}
#: Symbols shown next to the word, so state never depends on color alone.
SYMBOLS = {
    "done": "✓",
    "due-soon": "!",
    "stale": "✗",
    "missing": "✗",
    "excepted": "~",
    "not-yet": "-",
}


@dataclass(frozen=True, slots=True)
class StepState:
    step: Step
    state: str
    required: bool
    findings: tuple[Diagnostic, ...] = ()

    @property
    def label(self) -> str:
        return LABELS[self.state]


@dataclass(frozen=True, slots=True)
class Due:
    """Something that falls due on ``day``: a review, an audit, a certificate's last day."""

    day: date
    uid: str  # stable across builds while it describes the same obligation
    summary: str
    subject: str  # tool or vendor id
    kind: str  # "tool" or "vendor"
    step: str | None
    owner: str | None


def has_path(data: Any, parts: Iterable[str]) -> bool:
    for part in parts:
        if not isinstance(data, Mapping) or part not in data:
            return False
        data = data[part]
    return data not in (None, "", [], {})


def evidence_present(tool: Tool, step: Step) -> bool:
    """True when every field the step names holds a value (no fields: nothing to show)."""
    return bool(step.evidence) and all(has_path(tool.raw, f.split(".")) for f in step.evidence)


def required_steps(handbook: Handbook, tool: Tool) -> frozenset[str]:
    return frozenset(handbook.policy.requirements.get(tool.status, ()))


def findings_by_tool(
    handbook: Handbook, findings: Iterable[Diagnostic]
) -> dict[str, list[Diagnostic]]:
    """Each tool's findings: its own, plus its vendor's findings about certifications it cites."""
    own: dict[str, list[Diagnostic]] = {}
    by_vendor: dict[str, list[Diagnostic]] = {}
    for d in findings:
        if d.subject is None:
            continue
        if d.subject in handbook.tools:
            own.setdefault(d.subject, []).append(d)
        elif d.subject in handbook.vendors:
            by_vendor.setdefault(d.subject, []).append(d)
    for tool in handbook.tools.values():
        vendor = handbook.vendors.get(tool.vendor)
        if vendor is None or not by_vendor.get(vendor.id):
            continue
        relied = {
            current_until(c, handbook.policy).isoformat()
            for c in vendor.certifications
            if c.id in tool.relied_certifications
        }
        cited = [d for d in by_vendor[vendor.id] if d.due in relied]
        if cited:
            own.setdefault(tool.id, []).extend(cited)
    return own


def step_states(
    handbook: Handbook, tool: Tool, findings: Iterable[Diagnostic] = ()
) -> list[StepState]:
    """The state of every procedure step for ``tool``, in procedure order."""
    required = required_steps(handbook, tool)
    by_step: dict[str, list[Diagnostic]] = {}
    for d in findings:
        if d.step:
            by_step.setdefault(d.step, []).append(d)
    out = []
    for phase in handbook.phases:
        for step in phase.steps:
            found = tuple(by_step.get(step.id, ()))
            severities = {d.severity for d in found}
            if Severity.ERROR in severities:
                state = "stale"
            elif Severity.WARNING in severities:
                state = "due-soon"
            elif evidence_present(tool, step):
                state = "excepted" if Severity.NOTE in severities else "done"
            elif step.id in required:
                state = "missing"
            else:
                state = "excepted" if Severity.NOTE in severities else "not-yet"
            out.append(StepState(step, state, step.id in required, found))
    return out


# -- what falls due when -------------------------------------------------------------------------


def dues(handbook: Handbook) -> list[Due]:
    """Every current due date in the registry, soonest first (past ones included)."""
    out = [
        Due(
            current_until(cert, handbook.policy),
            f"cert.{vendor.id}.{cert.id}",
            f"{cert.name} of {vendor.name} ({cert.id}) stops being current",
            vendor.id,
            "vendor",
            "vendor-due-diligence",
            owners(users),
        )
        for vendor, cert, users in relied_on(handbook)
    ]
    for tool in handbook.tools.values():
        out += tool_dues(handbook, tool)
    return sorted(out, key=lambda d: (d.day, d.uid))


def tool_dues(handbook: Handbook, tool: Tool) -> list[Due]:
    """The tool's own due dates: recurring reviews, pilot, stay in a status, offboarding."""
    policy = handbook.policy
    out: list[Due] = []

    def add(day: date, what: str, summary: str, step: str | None) -> None:
        uid = f"tool.{tool.id}.{what}"
        out.append(Due(day, uid, f"{tool.name}: {summary}", tool.id, "tool", step, tool.contact))

    for review in REVIEWS:
        if tool.status in review.statuses:
            # Also when a review that the checks leave to validate has no record yet.
            day = next_review(tool, review, policy)
            add(day, review.key, f"{review.label} due", review.step)
    end = pilot_decision_due(tool)
    if end is not None:
        add(end, "pilot-decision", "pilot ends; decide its outcome", "pilot")
    stay = stage_due(tool, policy)
    if stay is not None:
        add(stay, f"stage-{tool.status}", f"longest allowed stay in {tool.status} ends", None)
    offboard = offboarding_due(tool, policy)
    if offboard is not None:
        add(offboard, "offboarding", "offboarding deadline", "offboarding")
    for exc in tool.exceptions:
        add(exc.until, f"exception.{exc.index}", f"exception for {exc.rule} ends", None)
    return out
