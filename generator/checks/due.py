"""When each kind of evidence falls due, and how due it is on a given day (pure date arithmetic).

:func:`obligations` is the one computation of every due date in the registry: the staleness
findings (``generator.checks.certificates`` and ``deadlines``), the site's "next due" column, the
tool pages and the calendar feed are all drawn from it, so they cannot disagree. Each
:class:`Due` names its subject explicitly: the tool or vendor, the certificate, the procedure
step and the tools it concerns. The rules themselves are described in ``generator.checks.expiry``.
"""

from __future__ import annotations

import calendar
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import date

from generator.diagnostics import Severity, plural
from generator.model import (
    RELYING,
    Certification,
    Handbook,
    Policy,
    Tool,
    Vendor,
    is_soc2,
    shift,
)


@dataclass(frozen=True, slots=True)
class Review:
    """A recurring review: where its date lives and which statuses it applies to."""

    key: str  # the policy's cadence_days / warning_days key
    step: str
    label: str
    section: str  # evidence.<section>
    field: str  # the date field inside it (inside each entry of a list section)
    statuses: tuple[str, ...]
    # True: a first review falls due one cadence after status.since when none is recorded.
    # False: the record is an earlier step's evidence; whether it must exist is the policy's
    # `requirements` (validate's evidence-missing), so a missing one is not reported here.
    first_from_status: bool
    listed: bool = False  # a list of dated entries (output_audits, metrics), newest counts


REVIEWS = (
    Review(
        "output_audit",
        "output-audit",
        "output audit",
        "output_audits",
        "date",
        ("approved", "restricted"),
        True,
        listed=True,
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
    Review(
        "metrics",
        "metrics",
        "performance measurement",
        "metrics",
        "measured",
        ("approved", "restricted"),
        False,
        listed=True,
    ),
)


# -- certifications -------------------------------------------------------------------------------


def add_months(start: date, months: int) -> date:
    """``start`` plus ``months`` calendar months, the day clamped to the month's last day."""
    index = start.month - 1 + months
    year, month = start.year + index // 12, index % 12 + 1
    if year > date.max.year:
        return date.max
    return date(year, month, min(start.day, calendar.monthrange(year, month)[1]))


def current_until(cert: Certification, policy: Policy) -> date:
    """The last day ``cert`` counts as current (:func:`current_until_of`)."""
    until = current_until_of(
        cert.type,
        expires=cert.expires,
        period_end=cert.period_end,
        bridge_until=cert.bridge_until,
        soc2_freshness_months=policy.soc2_freshness_months,
    )
    assert until is not None  # the schema requires expires, or a SOC 2 report's period
    return until


def current_until_of(
    cert_type: str,
    *,
    expires: date | None,
    period_end: date | None,
    bridge_until: date | None,
    soc2_freshness_months: int,
) -> date | None:
    """The last day a certification of ``cert_type`` with these dates counts as current; None
    when they do not say (a file not validated yet, as ``handbook diff`` reads it).

    ISO-style certificate (and ``other``): its ``expires`` date. SOC 2 report: ``period.end``
    plus ``soc2_freshness_months`` months, or the bridge letter's ``covers_until`` when later.
    """
    if not is_soc2(cert_type):
        return expires
    if period_end is None:
        return bridge_until
    until = add_months(period_end, soc2_freshness_months)
    return bridge_until if bridge_until is not None and bridge_until > until else until


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
    """The date of the tool's last ``review`` (and its index, for a list section)."""
    if review.listed:
        return tool.last_of(review.section, review.field)
    last = tool.date_of(review.section, review.field)
    return (last, 0) if last else None


def next_review(tool: Tool, review: Review, policy: Policy) -> date:
    """One cadence after the last ``review``, or after ``status.since`` when none is recorded."""
    last = last_review(tool, review)
    return shift(last[0] if last else tool.since, policy.cadence_days[review.key])


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
    return shift(tool.since, limit)


def offboarding_due(tool: Tool, policy: Policy) -> date | None:
    """``status.since`` plus ``offboarding_deadline_days`` for a deprecated tool, else None."""
    if tool.status != "deprecated":
        return None
    return shift(tool.since, policy.offboarding_deadline_days)


# -- how due --------------------------------------------------------------------------------------


def timing(due: date, today: date, window: int) -> Severity | None:
    """The severity of something due on ``due``: None (not yet), warning (window), error (late)."""
    if today > due:
        return Severity.ERROR
    if today >= shift(due, -window):
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


def offboarding_missing(tool: Tool) -> list[str]:
    """What a deprecated tool's offboarding still lacks (empty when it is complete)."""
    rec = tool.record("offboarding")
    if rec is None:
        return ["an offboarding record"]
    missing = [k for k in ("keys_revoked", "data_wiped") if rec.get(k) is not True]
    if not rec.get("completed"):
        missing.append("completed")
    return missing


# -- the obligations ------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Due:
    """Something that falls due on ``day``: a review, an audit, a certificate's last day.

    ``what`` says which: ``certificate``, a review key (``output_audit``, ``access_review``,
    ``vendor_review``, ``compliance_review``), ``pilot``, ``stage``, ``offboarding`` or
    ``exception``. ``subject`` is the tool (``kind`` "tool") or vendor (``kind`` "vendor") it
    belongs to; ``tools`` the tools it concerns (for a certificate: those relying on it).
    """

    day: date
    uid: str  # stable across builds while it describes the same obligation
    summary: str
    subject: str
    kind: str
    what: str
    step: str | None
    owner: str | None
    tools: tuple[str, ...] = ()
    certificate: str | None = None
    index: int | None = None  # the exception's or certification's index in its file


def owners(tools: Iterable[Tool]) -> str | None:
    """The contacts of ``tools``, sorted and comma-separated; None when there are none."""
    contacts = sorted({t.contact for t in tools if t.contact})
    return ", ".join(contacts) or None


def obligations(handbook: Handbook) -> list[Due]:
    """Every current due date in the registry, soonest first (past ones included)."""
    out = [
        Due(
            current_until(cert, handbook.policy),
            f"cert.{vendor.id}.{cert.id}",
            f"{cert.name} of {vendor.name} ({cert.id}) stops being current",
            vendor.id,
            "vendor",
            "certificate",
            "vendor-due-diligence",
            owners(users),
            tuple(t.id for t in users),
            cert.id,
            cert.index,
        )
        for vendor, cert, users in relied_on(handbook)
    ]
    for tool in handbook.tools.values():
        out += tool_obligations(handbook.policy, tool)
    return sorted(out, key=lambda d: (d.day, d.uid))


def tool_obligations(policy: Policy, tool: Tool) -> list[Due]:
    """The tool's own due dates: recurring reviews, pilot, stay in a status, offboarding, and
    the end of its exceptions."""
    out: list[Due] = []

    def add(
        day: date, what: str, key: str, summary: str, step: str | None, index: int | None = None
    ) -> None:
        out.append(
            Due(
                day,
                f"tool.{tool.id}.{key}",
                f"{tool.name}: {summary}",
                tool.id,
                "tool",
                what,
                step,
                tool.contact,
                (tool.id,),
                None,
                index,
            )
        )

    for review in REVIEWS:
        due = review_due(tool, review, policy)
        if due is not None:
            add(due, review.key, review.key, f"{review.label} due", review.step)
    end = pilot_decision_due(tool)
    if end is not None:
        add(end, "pilot", "pilot-decision", "pilot ends; decide its outcome", "pilot")
    stay = stage_due(tool, policy)
    if stay is not None:
        add(
            stay,
            "stage",
            f"stage-{tool.status}",
            f"longest allowed stay in {tool.status} ends",
            None,
        )
    offboard = offboarding_due(tool, policy)
    if offboard is not None and offboarding_missing(tool):
        add(offboard, "offboarding", "offboarding", "offboarding deadline", "offboarding")
    for exc in tool.exceptions:
        add(
            exc.until,
            "exception",
            f"exception.{exc.index}",
            f"exception for {exc.rule} ends",
            None,
            exc.index,
        )
    return out
