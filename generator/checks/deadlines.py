"""Per-tool deadline findings: recurring reviews, pilot decisions, stay in a status, offboarding.

Each finding comes from one of the tool's obligations (:func:`generator.checks.due.obligations`),
the same list the site and the calendar show.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date

from generator.checks.due import (
    REVIEWS,
    Due,
    Review,
    last_review,
    offboarding_missing,
    timing,
    when,
)
from generator.checks.findings import Findings
from generator.diagnostics import Diagnostic, plural
from generator.model import Tool

_REVIEWS = {r.key: r for r in REVIEWS}


def deadlines(run: Findings, tool: Tool) -> Iterator[Diagnostic]:
    """The findings of the tool's own obligations that are due soon or overdue."""
    for due in run.dues_of(tool):
        if due.what in _REVIEWS:
            yield from review_finding(run, tool, _REVIEWS[due.what], due.day)
        elif due.what == "pilot":
            yield from pilot(run, tool, due)
        elif due.what == "stage":
            yield from stage(run, tool, due)
        elif due.what == "offboarding":
            yield from offboarding(run, tool, due)


def review_finding(run: Findings, tool: Tool, review: Review, due: date) -> Iterator[Diagnostic]:
    cadence = run.policy.cadence_days[review.key]
    last = last_review(tool, review)
    if last is None:
        where: tuple[str | int, ...] = ("evidence", review.section)
        basis = f"none is recorded since the tool became {tool.status!r} on {tool.since}"
    else:
        listed = review.listed and isinstance(tool.evidence.get(review.section), list)
        where = (
            ("evidence", review.section, last[1], review.field)
            if listed
            else ("evidence", review.section, review.field)
        )
        basis = f"the last was on {last[0]}"
    prefix = review.key.replace("_", "-")
    picked = run.timed(
        (f"{prefix}-due", f"{prefix}-overdue"), due, run.policy.warning_days[review.key]
    )
    if picked is None:
        return
    rule, severity = picked
    yield run.finding(
        rule,
        severity,
        f"the {review.label} of {run.tool_ref(tool)} is {when(due, run.today)}: "
        f"{basis}, and one is due every {plural(cadence, 'day')}",
        tool.path,
        tool.at(*where),
        f"do the {review.label} and record it in evidence.{review.section} (step {review.step!r})",
        subject=tool.id,
        owner=tool.contact,
        tools=(tool,),
        due=due,
    )


def pilot(run: Findings, tool: Tool, due: Due) -> Iterator[Diagnostic]:
    end = due.day
    severity = timing(end, run.today, run.policy.warning_days["pilot"])
    if severity is None:
        return
    days = (end - run.today).days
    state = (
        f"ended on {end} ({plural(-days, 'day')} ago)"
        if days < 0
        else f"ends today ({end})"
        if days == 0
        else f"ends on {end} ({plural(days, 'day')} left)"
    )
    yield run.finding(
        "pilot-undecided",
        severity,
        f"the pilot of {run.tool_ref(tool)} {state} and its outcome is still 'pending'",
        tool.path,
        tool.at("evidence", "pilot", "outcome"),
        "decide: set outcome to adopt, extend (with a new end date) or reject, "
        "and update the status",
        subject=tool.id,
        owner=tool.contact,
        tools=(tool,),
        due=end,
    )


def stage(run: Findings, tool: Tool, obligation: Due) -> Iterator[Diagnostic]:
    due = obligation.day
    limit = run.policy.max_days_in_status[tool.status]
    severity = timing(due, run.today, run.policy.warning_days["stage"])
    if severity is None:
        return
    yield run.finding(
        "stage-overdue",
        severity,
        f"{run.tool_ref(tool)} has been in {tool.status!r} since {tool.since}; "
        f"the policy allows {plural(limit, 'day')}, so a decision is "
        f"{when(due, run.today)}",
        tool.path,
        tool.at("status", "since"),
        "move the tool on (or back), or reject it; then update status.value and status.since",
        subject=tool.id,
        owner=tool.contact,
        tools=(tool,),
        due=due,
        step=tool.status,
    )


def offboarding(run: Findings, tool: Tool, obligation: Due) -> Iterator[Diagnostic]:
    due = obligation.day
    missing = offboarding_missing(tool)
    if not missing:
        return
    where: tuple[str | int, ...] = (
        ("status", "value")
        if tool.record("offboarding") is None
        else ("evidence", "offboarding", missing[0])
    )
    severity = timing(due, run.today, run.policy.warning_days["offboarding"])
    if severity is None:
        return
    yield run.finding(
        "offboarding-overdue",
        severity,
        f"offboarding of {run.tool_ref(tool)}, deprecated since {tool.since}, is "
        f"{when(due, run.today)}; still missing: {', '.join(missing)}",
        tool.path,
        tool.at(*where),
        "revoke the API keys, have the vendor wipe our data, then record keys_revoked: true, "
        "data_wiped: true and the completed date in evidence.offboarding",
        subject=tool.id,
        owner=tool.contact,
        tools=(tool,),
        due=due,
    )
