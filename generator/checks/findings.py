"""How one staleness run builds its findings: a Diagnostic plus its step, owner and due date.

The run also remembers which tools each finding concerns, so that their exceptions
(``generator.checks.exceptions``) can cover it.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from generator.checks.due import Due, obligations, timing
from generator.diagnostics import Diagnostic, Severity
from generator.load import Mark
from generator.model import Handbook, Tool

#: The procedure step each rule concerns.
STEP = {
    "cert-expired": "vendor-due-diligence",
    "cert-expiring": "vendor-due-diligence",
    "cert-type-insufficient": "vendor-due-diligence",
    "cert-none-current": "vendor-due-diligence",
    "output-audit-overdue": "output-audit",
    "output-audit-due": "output-audit",
    "access-review-overdue": "access-control",
    "access-review-due": "access-control",
    "vendor-review-overdue": "vendor-review",
    "vendor-review-due": "vendor-review",
    "compliance-review-overdue": "compliance-review",
    "compliance-review-due": "compliance-review",
    "pilot-undecided": "pilot",
    "metrics-overdue": "metrics",
    "metrics-due": "metrics",
    "benchmark-accuracy-gap": "benchmark",
    "benchmark-accuracy-low": "benchmark",
    "benchmark-hallucination-rate": "benchmark",
    "drift-detected": "output-audit",
    "audit-sample-too-small": "output-audit",
    "drift-trend": "output-audit",
    "audit-not-counted": "output-audit",
    "offboarding-overdue": "offboarding",
}


class Findings:
    """The findings of one run over ``handbook`` as of ``today``, and the tools each concerns."""

    def __init__(self, handbook: Handbook, today: date) -> None:
        self.hb = handbook
        self.policy = handbook.policy
        self.today = today
        self.about: dict[Diagnostic, tuple[Tool, ...]] = {}  # the tools a finding concerns
        self.dues = obligations(handbook)  # the one computation of due dates

    def dues_of(self, tool: Tool) -> list[Due]:
        """The tool's own obligations (not its vendor's certificates)."""
        return [d for d in self.dues if d.kind == "tool" and d.subject == tool.id]

    def finding(
        self,
        rule: str,
        severity: Severity,
        message: str,
        path: str,
        mark: Mark,
        hint: str,
        *,
        subject: str,
        owner: str | None,
        due: date | None,
        step: str | None = None,
        tools: Iterable[Tool] = (),
        certificate: str | None = None,
        frameworks: tuple[str, ...] = (),
    ) -> Diagnostic:
        tools = tuple(tools)
        d = Diagnostic(
            rule,
            severity,
            message,
            path,
            mark[0],
            mark[1],
            hint,
            subject=subject,
            step=step or STEP.get(rule),
            owner=owner,
            due=due.isoformat() if due else None,
            days=(due - self.today).days if due else None,
            certificate=certificate,
            tools=tuple(t.id for t in tools),
            frameworks=frameworks,
        )
        self.about[d] = tools
        return d

    def subjects(self, d: Diagnostic) -> tuple[Tool, ...]:
        """The tools whose exceptions can cover ``d``."""
        return self.about.get(d, ())

    def vendor_name(self, tool: Tool) -> str:
        vendor = self.hb.vendors.get(tool.vendor)
        return vendor.name if vendor else tool.vendor

    def tool_ref(self, tool: Tool) -> str:
        return f"{tool.name!r} (vendor {self.vendor_name(tool)!r})"

    def timed(
        self,
        rules: tuple[str, str],
        due: date,
        window: int,
    ) -> tuple[str, Severity] | None:
        """Pick (rule, severity) for a due date: rules = (warning rule, error rule)."""
        severity = timing(due, self.today, window)
        if severity is None:
            return None
        return (rules[1] if severity is Severity.ERROR else rules[0]), severity
