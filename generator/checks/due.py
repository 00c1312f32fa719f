"""When each kind of evidence falls due, and how due it is on a given day (pure date arithmetic).

The rules themselves are described in ``generator.checks.expiry``; the site's calendar and "next
due" columns (``generator.status``) use these same functions, so they agree with the findings.
"""

from __future__ import annotations

import calendar
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, timedelta

from generator.diagnostics import Severity
from generator.model import Certification, Handbook, Policy, Tool, Vendor

#: Statuses in which a tool's vendor certifications matter.
RELYING = ("sandbox", "pilot", "approved", "restricted")
#: Statuses that need a current certification of a required type.
IN_USE = ("pilot", "approved", "restricted")


@dataclass(frozen=True, slots=True)
class Review:
    """A recurring review: where its date lives and which statuses it applies to."""

    key: str  # the policy's cadence_days / warning_days key
    step: str
    label: str
    section: str  # evidence.<section>
    field: str | None  # the date field inside it; None for the output_audits list
    statuses: tuple[str, ...]
    # True: a first review falls due one cadence after status.since when none is recorded.
    # False: the record is an earlier step's evidence; whether it must exist is the policy's
    # `requirements` (validate's evidence-missing), so a missing one is not reported here.
    first_from_status: bool


REVIEWS = (
    Review(
        "output_audit",
        "output-audit",
        "output audit",
        "output_audits",
        None,
        ("approved", "restricted"),
        True,
    ),
    Review(
        "access_review",
        "access-control",
        "access review",
        "access_control",
        "last_review",
        ("pilot", "approved", "restricted"),
        False,
    ),
    Review(
        "vendor_review",
        "vendor-review",
        "vendor review",
        "vendor_review",
        "date",
        ("approved", "restricted"),
        True,
    ),
    Review(
        "compliance_review",
        "compliance-review",
        "compliance review",
        "compliance_review",
        "date",
        ("pilot", "approved", "restricted"),
        False,
    ),
)


# -- certifications -------------------------------------------------------------------------------


def add_months(start: date, months: int) -> date:
    """``start`` plus ``months`` calendar months, the day clamped to the month's last day."""
    index = start.month - 1 + months
    year, month = start.year + index // 12, index % 12 + 1
    return date(year, month, min(start.day, calendar.monthrange(year, month)[1]))


def current_until(cert: Certification, policy: Policy) -> date:
    """The last day ``cert`` counts as current.

    ISO-style certificate (and ``other``): its ``expires`` date. SOC 2 report: ``period.end``
    plus ``soc2_freshness_months`` months, or the bridge letter's ``covers_until`` when later.
    """
    if cert.is_soc2:
        assert cert.period_end is not None  # the schema requires period for SOC 2
        until = add_months(cert.period_end, policy.soc2_freshness_months)
        if cert.bridge_until is not None and cert.bridge_until > until:
            return cert.bridge_until
        return until
    assert cert.expires is not None  # the schema requires expires for the others
    return cert.expires


def is_current(cert: Certification, policy: Policy, today: date) -> bool:
    return today <= current_until(cert, policy)


def relied_on(handbook: Handbook) -> Iterator[tuple[Vendor, Certification, list[Tool]]]:
    """Each vendor certification cited by a tool in a ``RELYING`` status, with those tools."""
    for vendor in handbook.vendors.values():
        relying = [t for t in handbook.tools_of(vendor.id) if t.status in RELYING]
        for cert in vendor.certifications:
            users = [t for t in relying if cert.id in t.relied_certifications]
            if users:
                yield vendor, cert, users


# -- recurring reviews ----------------------------------------------------------------------------


def last_review(tool: Tool, review: Review) -> tuple[date, int] | None:
    """The date of the tool's last ``review`` (and its index, for the output-audit list)."""
    if review.field is None:
        return tool.last_output_audit
    last = tool.date_of(review.section, review.field)
    return (last, 0) if last else None


def next_review(tool: Tool, review: Review, policy: Policy) -> date:
    """One cadence after the last ``review``, or after ``status.since`` when none is recorded."""
    last = last_review(tool, review)
    return (last[0] if last else tool.since) + timedelta(days=policy.cadence_days[review.key])


def review_due(tool: Tool, review: Review, policy: Policy) -> date | None:
    """When ``review`` next falls due for ``tool``; None when it does not apply or is not tracked.

    The same date the checks use, for calendars and "next due" columns.
    """
    if tool.status not in review.statuses:
        return None
    if last_review(tool, review) is None and not review.first_from_status:
        return None
    return next_review(tool, review, policy)


# -- pilots, stay in a status, offboarding --------------------------------------------------------


def pilot_decision_due(tool: Tool) -> date | None:
    """``evidence.pilot.end`` of a tool in pilot whose outcome is still ``pending``, else None."""
    rec = tool.record("pilot")
    end = tool.date_of("pilot", "end")
    if tool.status != "pilot" or rec is None or end is None or rec.get("outcome") != "pending":
        return None
    return end


def stage_due(tool: Tool, policy: Policy) -> date | None:
    """``status.since`` plus the policy's ``max_days_in_status``; None when there is no limit."""
    limit = policy.max_days_in_status.get(tool.status)
    if limit is None:
        return None
    return tool.since + timedelta(days=limit)


def offboarding_due(tool: Tool, policy: Policy) -> date | None:
    """``status.since`` plus ``offboarding_deadline_days`` for a deprecated tool, else None."""
    if tool.status != "deprecated":
        return None
    return tool.since + timedelta(days=policy.offboarding_deadline_days)


# -- how due --------------------------------------------------------------------------------------


def timing(due: date, today: date, window: int) -> Severity | None:
    """The severity of something due on ``due``: None (not yet), warning (window), error (late)."""
    if today > due:
        return Severity.ERROR
    if today >= due - timedelta(days=window):
        return Severity.WARNING
    return None


def when(due: date, today: date) -> str:
    """'due in 5 days (on 2026-11-06)', 'due today (2026-11-01)', 'overdue by 3 days (...)'."""
    days = (due - today).days
    if days > 0:
        return f"due in {plural(days, 'day')} (on {due})"
    if days == 0:
        return f"due today ({due})"
    return f"overdue by {plural(-days, 'day')} (due {due})"


def plural(n: int, word: str) -> str:
    return f"{n} {word}{'' if n == 1 else 's'}"
