"""Deadlines as charts draw them: each due date of :func:`generator.checks.due.obligations`
(certificate expiry, audit, review, pilot end, stay in a status, offboarding, exception end) with
how due it is on the build's day, in the same terms as the staleness checks.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Sequence
from dataclasses import dataclass
from datetime import date

from generator.checks.due import Due, timing
from generator.diagnostics import Diagnostic, Severity
from generator.model import Policy

#: A deadline's state -> (mark shape, word). Late: a cross; inside the policy's warning window: a
#: triangle; later: a circle. Shape and word say it without colour.
STATES = {
    "late": ("cross", "overdue"),
    "soon": ("triangle", "due soon"),
    "excepted": ("diamond", "covered by an exception"),
    "later": ("circle", "scheduled"),
}
#: Due.what -> the words for it.
KINDS = {
    "certificate": "certificate stops being current",
    "output_audit": "output audit",
    "access_review": "access review",
    "vendor_review": "vendor review",
    "compliance_review": "compliance review",
    "metrics": "performance measurement",
    "pilot": "pilot ends",
    "stage": "longest stay in status ends",
    "offboarding": "offboarding deadline",
    "exception": "exception ends",
}


@dataclass(frozen=True, slots=True)
class Deadline:
    """One due date of one tool: ``state`` is a key of :data:`STATES`."""

    tool: str
    day: date
    kind: str  # words, from KINDS
    summary: str  # the obligation's own sentence ("SOC 2 of Acme stops being current")
    state: str


def window(policy: Policy, what: str) -> int:
    """The policy's warning window in days for a ``Due.what``."""
    key = "certification" if what == "certificate" else what
    return policy.warning_days.get(key, 0)


def state(day: date, today: date, days: int) -> str:
    """``late`` after the day, ``soon`` inside the ``days``-day window before it, else ``later``
    (:func:`generator.checks.due.timing`, so charts and findings agree)."""
    severity = timing(day, today, days)
    return "late" if severity is Severity.ERROR else "soon" if severity else "later"


def excepted(findings: Iterable[Diagnostic]) -> set[tuple[str, str | None, str]]:
    """(due date, step, rule) of each finding an open exception accepts (it became a note):
    the deadline it is about is drawn as excepted, as the step is on the dashboard."""
    return {(f.due, f.step, f.rule) for f in findings if f.severity is Severity.NOTE and f.due}


def rule_prefix(what: str) -> str:
    """The start of the rule ids of the findings about a ``Due.what`` (``output_audit``:
    ``output-audit-due`` and ``-overdue``; ``certificate``: ``cert-expiring``...)."""
    return "cert-" if what == "certificate" else what.replace("_", "-") + "-"


def deadlines(
    dues: Iterable[Due],
    tool: str,
    policy: Policy,
    today: date,
    accepted: Collection[tuple[str, str | None, str]] = (),
) -> list[Deadline]:
    """The deadlines of ``tool`` among ``dues``, soonest first; one that is late or due soon
    and whose finding an exception accepts (``accepted``, from :func:`excepted`) is
    ``excepted``."""
    out = []
    for d in dues:
        if tool not in d.tools:
            continue
        kind = KINDS.get(d.what, d.what.replace("_", " "))
        if d.what == "certificate" and d.certificate:
            kind = f"certificate {d.certificate}"
        now = state(d.day, today, window(policy, d.what))
        if now != "later" and any(
            day == str(d.day) and step == d.step and rule.startswith(rule_prefix(d.what))
            for day, step, rule in accepted
        ):
            now = "excepted"
        out.append(Deadline(tool, d.day, kind, d.summary, now))
    return sorted(out, key=lambda d: (d.day, d.kind))


def in_window(found: Sequence[Deadline], today: date, days: int) -> list[Deadline]:
    """The deadlines up to ``days`` after ``today``, the overdue ones included."""
    return [d for d in found if (d.day - today).days <= days]
