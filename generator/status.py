"""Where each tool stands on each procedure step, and what falls due when (pure; no I/O).

A step's state, as of the build date, for one tool:

* ``stale``: a staleness check reports an error for the step (overdue review, lapsed
  certificate); the build refuses to publish the site while any step is stale;
* ``due-soon``: a staleness warning (inside the policy's ``warning_days``);
* ``excepted``: a finding is accepted by an open exception (it became a note); it outranks a
  warning about the same step, since an accepted problem (an overdue audit, say) is more than a
  date coming up, and must never read as current;
* ``missing``: the tool's status requires the step (``policy.requirements``) and the registry
  holds none of its evidence (whatever warning there is about it);
* ``done``: the evidence is recorded;
* ``not-yet``: no evidence, and the tool's status does not need it yet.

Due dates come from :func:`generator.checks.due.obligations`, the list the staleness checks draw
their findings from, so the calendar feed and the "next due" column agree with the findings.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from generator.diagnostics import Diagnostic, Severity
from generator.model import Handbook, Step, Tool, has_path

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
    "missing": "?",
    "excepted": "~",
    "not-yet": "-",
}


@dataclass(frozen=True, slots=True)
class StepState:
    step: Step
    state: str
    required: bool
    findings: tuple[Diagnostic, ...] = ()
    present: bool = False  # every field the step names holds a value

    @property
    def label(self) -> str:
        return LABELS[self.state]


def evidence_present(tool: Tool, step: Step) -> bool:
    """True when every field the step names holds a value (no fields: nothing to show)."""
    return bool(step.evidence) and all(has_path(tool.raw, f.split(".")) for f in step.evidence)


def required_steps(handbook: Handbook, tool: Tool) -> frozenset[str]:
    return frozenset(handbook.policy.requirements.get(tool.status, ()))


def findings_by_tool(
    handbook: Handbook, findings: Iterable[Diagnostic]
) -> dict[str, list[Diagnostic]]:
    """Each tool's findings: every finding that names the tool among those it concerns (its own,
    and its vendor's findings about a certificate the tool relies on)."""
    own: dict[str, list[Diagnostic]] = {}
    for d in findings:
        concerned = d.tools or ((d.subject,) if d.subject is not None else ())
        for tool in concerned:
            if tool in handbook.tools:
                own.setdefault(tool, []).append(d)
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
            present = evidence_present(tool, step)
            if Severity.ERROR in severities:
                state = "stale"
            elif Severity.NOTE in severities:
                state = "excepted"
            elif not present and step.id in required:
                state = "missing"
            elif Severity.WARNING in severities:
                state = "due-soon"
            elif present:
                state = "done"
            else:
                state = "not-yet"
            out.append(StepState(step, state, step.id in required, found, present))
    return out
