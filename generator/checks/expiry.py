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
"""

from __future__ import annotations

import calendar
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, replace
from datetime import date, timedelta

from generator.diagnostics import Diagnostic, Severity
from generator.load import Mark
from generator.model import Certification, Exception_, Handbook, Policy, Tool, Vendor

#: Statuses in which a tool's vendor certifications matter.
RELYING = ("sandbox", "pilot", "approved", "restricted")
#: Statuses that need a current certification of a required type.
IN_USE = ("pilot", "approved", "restricted")

#: The warning rule that an exception for the error rule also covers.
SIBLINGS = {
    "cert-expiring": "cert-expired",
    "output-audit-due": "output-audit-overdue",
    "access-review-due": "access-review-overdue",
    "vendor-review-due": "vendor-review-overdue",
    "compliance-review-due": "compliance-review-overdue",
}

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
    "offboarding-overdue": "offboarding",
}


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


# -- dates ----------------------------------------------------------------------------------------


def add_months(start: date, months: int) -> date:
    """``start`` plus ``months`` calendar months, the day clamped to the month's last day."""
    index = start.month - 1 + months
    year, month = start.year + index // 12, index % 12 + 1
    return date(year, month, min(start.day, calendar.monthrange(year, month)[1]))


def current_until(cert: Certification, policy: Policy) -> date:
    """The last day ``cert`` counts as current (see the module docstring)."""
    if cert.is_soc2:
        assert cert.period_end is not None  # the schema requires period for SOC 2
        until = add_months(cert.period_end, policy.soc2_freshness_months)
        if cert.bridge_until is not None and cert.bridge_until > until:
            return cert.bridge_until
        return until
    assert cert.expires is not None  # the schema requires expires for the others
    return cert.expires


def last_review(tool: Tool, review: Review) -> tuple[date, int] | None:
    """The date of the tool's last ``review`` (and its index, for the output-audit list)."""
    if review.field is None:
        return tool.last_output_audit
    last = tool.date_of(review.section, review.field)
    return (last, 0) if last else None


def review_due(tool: Tool, review: Review, policy: Policy) -> date | None:
    """When ``review`` next falls due for ``tool``; None when it does not apply or is not tracked.

    The same date the checks use, for calendars and "next due" columns.
    """
    if tool.status not in review.statuses:
        return None
    last = last_review(tool, review)
    if last is None and not review.first_from_status:
        return None
    return (last[0] if last else tool.since) + timedelta(days=policy.cadence_days[review.key])


def is_current(cert: Certification, policy: Policy, today: date) -> bool:
    return today <= current_until(cert, policy)


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


# -- the checker ----------------------------------------------------------------------------------


class _Expiry:
    def __init__(self, handbook: Handbook, today: date) -> None:
        self.hb = handbook
        self.policy = handbook.policy
        self.today = today
        self.about: dict[Diagnostic, tuple[Tool, ...]] = {}  # the tools a finding concerns

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
    ) -> Diagnostic:
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
        )
        self.about[d] = tuple(tools)
        return d

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

    # -- 1. certifications, once per vendor certification ---------------------------------------

    def certifications(self) -> Iterator[Diagnostic]:
        for vendor in self.hb.vendors.values():
            relying = [t for t in self.hb.tools_of(vendor.id) if t.status in RELYING]
            for cert in vendor.certifications:
                users = [t for t in relying if cert.id in t.relied_certifications]
                if users:
                    yield from self.certification(vendor, cert, users)

    def certification(
        self, vendor: Vendor, cert: Certification, users: list[Tool]
    ) -> Iterator[Diagnostic]:
        until = current_until(cert, self.policy)
        picked = self.timed(
            ("cert-expiring", "cert-expired"), until, self.policy.warning_days["certification"]
        )
        if picked is None:
            return
        rule, severity = picked
        days = (until - self.today).days
        if cert.is_soc2:
            bridged = cert.bridge_until is not None and cert.bridge_until == until
            where: tuple[str | int, ...] = (
                ("certifications", cert.index, "bridge_letter", "covers_until")
                if bridged
                else ("certifications", cert.index, "period", "end")
            )
            basis = (
                f"its bridge letter covers until {until}"
                if bridged
                else f"its period ended {cert.period_end} and reports count for "
                f"{plural(self.policy.soc2_freshness_months, 'month')}"
            )
            state = (
                f"was current until {until} ({plural(-days, 'day')} ago)"
                if days < 0
                else f"stops being current after {until}"
                + (" (today is its last day)" if days == 0 else f" ({plural(days, 'day')} left)")
            )
            what = f"report {cert.id!r}"
            hint = "obtain the new SOC 2 report (or a bridge letter), add it to the vendor"
            message_tail = f"{state}: {basis}"
        else:
            where = ("certifications", cert.index, "expires")
            state = (
                f"expired on {until} ({plural(-days, 'day')} ago)"
                if days < 0
                else f"expires today ({until})"
                if days == 0
                else f"expires on {until} ({plural(days, 'day')} left)"
            )
            what = f"certificate {cert.id!r}"
            hint = "obtain the renewed certificate, add it to the vendor"
            message_tail = state
        names = ", ".join(repr(t.name) for t in users)
        message = (
            f"{cert.name} {what} of vendor {vendor.name!r} {message_tail}; relied on by {names}"
        )
        hint += " and cite it in vendor_due_diligence.certifications of " + ", ".join(
            t.path for t in users
        )
        yield self.finding(
            rule,
            severity,
            message,
            vendor.path,
            vendor.at(*where),
            hint,
            subject=vendor.id,
            owner=owners(users),
            tools=users,
            due=until,
        )

    # -- 1b/2. per tool: type of certification, and whether any is current ----------------------

    def tool_certifications(self, tool: Tool) -> Iterator[Diagnostic]:
        vendor = self.hb.vendors.get(tool.vendor)
        if vendor is None or tool.status not in RELYING:
            return
        required = self.policy.required_certifications
        if "soc2-type2" in required and "soc2-type1" not in required:
            for j, cid in enumerate(tool.relied_certifications):
                cert = vendor.certification(cid)
                if cert is not None and cert.type == "soc2-type1":
                    yield self.finding(
                        "cert-type-insufficient",
                        Severity.WARNING,
                        f"{self.tool_ref(tool)} relies on SOC 2 Type I report {cid!r}, "
                        "but the policy requires a SOC 2 Type II",
                        tool.path,
                        tool.at("evidence", "vendor_due_diligence", "certifications", j),
                        "ask the vendor for its SOC 2 Type II report (or cite a current "
                        "certification of a required type instead)",
                        subject=tool.id,
                        owner=tool.contact,
                        tools=(tool,),
                        due=None,
                    )
        if tool.status not in IN_USE:
            return
        qualifying = [c for c in vendor.certifications if c.type in required]
        if any(is_current(c, self.policy, self.today) for c in qualifying):
            return
        lapsed = max((current_until(c, self.policy) for c in qualifying), default=None)
        wanted = " or ".join(repr(t) for t in required)
        history = (
            f"the last one stopped being current after {lapsed}"
            if lapsed is not None
            else "it lists none"
        )
        where = (
            ("evidence", "vendor_due_diligence", "certifications")
            if tool.record("vendor_due_diligence")
            else ("vendor",)
        )
        yield self.finding(
            "cert-none-current",
            Severity.ERROR,
            f"{self.tool_ref(tool)} is in {tool.status!r}, but vendor {vendor.name!r} holds no "
            f"current certification of type {wanted}: {history}",
            tool.path,
            tool.at(*where),
            f"add the vendor's current certificate or report to {vendor.path} and cite it here, "
            "or move the tool out of use",
            subject=tool.id,
            owner=tool.contact,
            tools=(tool,),
            due=lapsed,
        )

    # -- 3. recurring reviews ---------------------------------------------------------------------

    def reviews(self, tool: Tool) -> Iterator[Diagnostic]:
        for review in REVIEWS:
            if tool.status in review.statuses:
                yield from self.review(tool, review)

    def review(self, tool: Tool, review: Review) -> Iterator[Diagnostic]:
        cadence = self.policy.cadence_days[review.key]
        last = last_review(tool, review)
        due = review_due(tool, review, self.policy)
        if due is None:
            return
        if last is None:
            where: tuple[str | int, ...] = ("evidence", review.section)
            basis = f"none is recorded since the tool became {tool.status!r} on {tool.since}"
        else:
            where = (
                ("evidence", review.section, last[1], "date")
                if review.field is None
                else ("evidence", review.section, review.field)
            )
            basis = f"the last was on {last[0]}"
        prefix = review.key.replace("_", "-")
        picked = self.timed(
            (f"{prefix}-due", f"{prefix}-overdue"), due, self.policy.warning_days[review.key]
        )
        if picked is None:
            return
        rule, severity = picked
        yield self.finding(
            rule,
            severity,
            f"the {review.label} of {self.tool_ref(tool)} is {when(due, self.today)}: "
            f"{basis}, and one is due every {plural(cadence, 'day')}",
            tool.path,
            tool.at(*where),
            f"do the {review.label} and record it in evidence.{review.section} "
            f"(step {review.step!r})",
            subject=tool.id,
            owner=tool.contact,
            tools=(tool,),
            due=due,
        )

    # -- 4. pilot decisions and time in a trial status --------------------------------------------

    def pilot(self, tool: Tool) -> Iterator[Diagnostic]:
        rec = tool.record("pilot")
        end = tool.date_of("pilot", "end")
        if tool.status != "pilot" or rec is None or end is None or rec.get("outcome") != "pending":
            return
        severity = timing(end, self.today, self.policy.warning_days["pilot"])
        if severity is None:
            return
        days = (end - self.today).days
        state = (
            f"ended on {end} ({plural(-days, 'day')} ago)"
            if days < 0
            else f"ends today ({end})"
            if days == 0
            else f"ends on {end} ({plural(days, 'day')} left)"
        )
        yield self.finding(
            "pilot-undecided",
            severity,
            f"the pilot of {self.tool_ref(tool)} {state} and its outcome is still 'pending'",
            tool.path,
            tool.at("evidence", "pilot", "outcome"),
            "decide: set outcome to adopt, extend (with a new end date) or reject, "
            "and update the status",
            subject=tool.id,
            owner=tool.contact,
            tools=(tool,),
            due=end,
        )

    def stage(self, tool: Tool) -> Iterator[Diagnostic]:
        limit = self.policy.max_days_in_status.get(tool.status)
        if limit is None:
            return
        due = tool.since + timedelta(days=limit)
        severity = timing(due, self.today, self.policy.warning_days["stage"])
        if severity is None:
            return
        yield self.finding(
            "stage-overdue",
            severity,
            f"{self.tool_ref(tool)} has been in {tool.status!r} since {tool.since}; "
            f"the policy allows {plural(limit, 'day')}, so a decision is "
            f"{when(due, self.today)}",
            tool.path,
            tool.at("status", "since"),
            "move the tool on (or back), or reject it; then update status.value and status.since",
            subject=tool.id,
            owner=tool.contact,
            tools=(tool,),
            due=due,
            step=tool.status,
        )

    # -- 5. offboarding ----------------------------------------------------------------------------

    def offboarding(self, tool: Tool) -> Iterator[Diagnostic]:
        if tool.status != "deprecated":
            return
        rec = tool.record("offboarding")
        missing: list[str] = []
        if rec is None:
            missing = ["an offboarding record"]
            where: tuple[str | int, ...] = ("status", "value")
        else:
            missing = [k for k in ("keys_revoked", "data_wiped") if rec.get(k) is not True]
            if not rec.get("completed"):
                missing.append("completed")
            where = ("evidence", "offboarding", missing[0]) if missing else ()
        if not missing:
            return
        due = tool.since + timedelta(days=self.policy.offboarding_deadline_days)
        severity = timing(due, self.today, self.policy.warning_days["offboarding"])
        if severity is None:
            return
        yield self.finding(
            "offboarding-overdue",
            severity,
            f"offboarding of {self.tool_ref(tool)}, deprecated since {tool.since}, is "
            f"{when(due, self.today)}; still missing: {', '.join(missing)}",
            tool.path,
            tool.at(*where),
            "revoke the API keys, have the vendor wipe our data, then record keys_revoked: true, "
            "data_wiped: true and the completed date in evidence.offboarding",
            subject=tool.id,
            owner=tool.contact,
            tools=(tool,),
            due=due,
        )

    # -- 6. exceptions --------------------------------------------------------------------------

    def covering(self, tool: Tool, rule: str) -> list[Exception_]:
        names = {rule, SIBLINGS.get(rule, rule)}
        return [e for e in tool.exceptions if e.rule in names and e.approver]

    def apply_exceptions(self, found: list[Diagnostic]) -> list[Diagnostic]:
        out: list[Diagnostic] = []
        used: dict[tuple[str, int], Diagnostic] = {}
        for d in found:
            tools = self.subjects(d)
            chosen: list[tuple[Tool, Exception_]] = []
            for tool in tools:
                active = [e for e in self.covering(tool, d.rule) if self.today <= e.until]
                if not active:
                    break
                chosen.append((tool, max(active, key=lambda e: e.until)))
            else:
                if chosen:
                    for tool, exc in chosen:
                        used[(tool.id, exc.index)] = d
                    accepted = "; ".join(
                        f"accepted until {e.until} by {e.approver}: {e.reason.strip()}"
                        for _, e in chosen
                    )
                    d = replace(d, severity=Severity.NOTE, message=f"{d.message} ({accepted})")
            out.append(d)
        out += self.exception_findings(out, used)
        return out

    def subjects(self, d: Diagnostic) -> tuple[Tool, ...]:
        """The tools whose exceptions can cover ``d``."""
        return self.about.get(d, ())

    def exception_findings(
        self, found: list[Diagnostic], used: dict[tuple[str, int], Diagnostic]
    ) -> Iterator[Diagnostic]:
        for tool in self.hb.tools.values():
            for exc in tool.exceptions:
                where = ("exceptions", exc.index, "until")
                days = (exc.until - self.today).days
                if days < 0:
                    back = [
                        d
                        for d in found
                        if d.severity is not Severity.NOTE
                        and d.rule in {exc.rule, *(k for k, v in SIBLINGS.items() if v == exc.rule)}
                        and tool.id in {t.id for t in self.subjects(d)}
                    ]
                    yield self.finding(
                        "exception-expired",
                        Severity.WARNING,
                        f"the exception of {self.tool_ref(tool)} for {exc.rule!r} ended on "
                        f"{exc.until} ({plural(-days, 'day')} ago)"
                        + ("; the finding is reported at full severity again" if back else ""),
                        tool.path,
                        tool.at(*where),
                        "fix the finding, or renew the exception with a new approval"
                        if back
                        else "the finding is gone: delete the expired exception",
                        subject=tool.id,
                        owner=tool.contact,
                        due=exc.until,
                        step=STEP.get(exc.rule),
                    )
                elif (tool.id, exc.index) in used and days <= self.policy.warning_days["exception"]:
                    left = "ends today" if days == 0 else f"ends in {plural(days, 'day')}"
                    yield self.finding(
                        "exception-expiring",
                        Severity.WARNING,
                        f"the exception of {self.tool_ref(tool)} for {exc.rule!r} {left} "
                        f"(until {exc.until}); the finding it covers is still there",
                        tool.path,
                        tool.at(*where),
                        "fix the finding before then, or ask for a renewed exception",
                        subject=tool.id,
                        owner=tool.contact,
                        due=exc.until,
                        step=STEP.get(exc.rule),
                    )

    # -- all ------------------------------------------------------------------------------------

    def run(self) -> list[Diagnostic]:
        found = list(self.certifications())
        for tool in self.hb.tools.values():
            found += self.tool_certifications(tool)
            found += self.reviews(tool)
            found += self.pilot(tool)
            found += self.stage(tool)
            found += self.offboarding(tool)
        return self.apply_exceptions(found)


def owners(tools: Iterable[Tool]) -> str | None:
    contacts = sorted({t.contact for t in tools})
    return ", ".join(contacts) or None


def check(handbook: Handbook, today: date) -> list[Diagnostic]:
    """Every staleness finding for ``handbook`` as of ``today`` (unsorted; renderers sort)."""
    return _Expiry(handbook, today).run()


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
