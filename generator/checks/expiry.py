"""Staleness: certifications, recurring reviews, pilots, stages, offboarding -> list[Diagnostic].

Every check compares a *due date* with ``today``, the same way for every rule:

* ``today < due - window``: nothing to report (``window`` is the policy's ``warning_days`` entry);
* ``due - window <= today < due``: a warning, "due in N days";
* ``today == due``: still a warning, "due today" (``days`` = 0): the due date is the last day on
  which the thing is still in order, like a certificate's ``expires`` date;
* ``today > due``: an error, "overdue by N days" (``days`` < 0).

Due dates:

* ISO-style certificate (and ``other``): its ``expires`` date.
* SOC 2 report: ``period.end`` plus ``soc2_freshness_months`` months (the day of the month clamped
  to the month's end), or the bridge letter's ``covers_until`` when that is later.
* Recurring reviews: the last one's date plus ``cadence_days``. When no output audit or vendor
  review is recorded, the first is due one cadence after the tool reached its status
  (``status.since``). A missing access-control or compliance-review record is not a staleness
  finding: those are earlier steps' evidence, required or not by the policy's ``requirements``
  (``validate`` reports ``evidence-missing``).
* Pilot decision: ``evidence.pilot.end`` (while ``outcome`` is ``pending``).
* Stay in sandbox or pilot: ``status.since`` plus ``max_days_in_status``.
* Offboarding: ``status.since`` of a deprecated tool plus ``offboarding_deadline_days``.

Which certifications are checked: every certification that a tool in sandbox, pilot, approved
or restricted status cites in ``vendor_due_diligence.certifications``. Certifications nobody
relies on (a superseded report kept for the record, say) are not reported, so history does not
raise alarms. Each is reported once, at its line in the vendor file, naming the tools that rely
on it; its owner is their contacts.

``cert-type-insufficient`` is a warning: relying on a SOC 2 Type I where the policy wants a
Type II is weak evidence, but whether the vendor has *any* acceptable current certification is
``cert-none-current``'s job, and that one is an error.

Exceptions (``tool.exceptions``): while ``today <= until`` a finding of the excepted rule for that
tool becomes a note saying who accepted it and why. An exception for an error rule also covers
its early-warning sibling (``output-audit-overdue`` covers ``output-audit-due``). A vendor-level
finding is downgraded only when every tool relying on the certification holds such an exception.
An exception without an approver is never applied (``validate`` reports it). After ``until`` the
finding is back at full severity and ``exception-expired`` (warning) says so; an expired exception
whose finding is gone is reported too, so that it gets deleted. An exception in use that ends
within ``warning_days.exception`` days gives ``exception-expiring`` (warning).

Quality (``generator.checks.quality``): the benchmark's bar and drift in the output audits,
judged on intervals and exact tests; those findings have no due date.

EU AI Act (``generator.checks.ai_act``): each obligation that applies to a tool's classified use
and has no evidence: a warning before the date it applies from, an error from then on.

Where the code lives: due dates in ``due`` (:func:`~generator.checks.due.obligations`, the one
list of due dates the site and calendar show too); the findings in ``certificates`` and
``deadlines`` (built through ``findings``); exceptions in ``exceptions``. ``check`` runs them all.
"""

from __future__ import annotations

from datetime import date

from generator.checks import ai_act, certificates, deadlines, quality
from generator.checks.exceptions import apply_exceptions
from generator.checks.findings import Findings
from generator.diagnostics import Diagnostic
from generator.model import Handbook

__all__ = ["check"]


def check(handbook: Handbook, today: date) -> list[Diagnostic]:
    """Every staleness finding for ``handbook`` as of ``today`` (unsorted; renderers sort)."""
    run = Findings(handbook, today)
    found = list(certificates.certifications(run))
    for tool in handbook.tools.values():
        found += certificates.tool_certifications(run, tool)
        found += deadlines.deadlines(run, tool)
        found += quality.quality(run, tool)
        found += ai_act.obligations(run, tool)
    return apply_exceptions(run, found)
