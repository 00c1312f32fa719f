"""Certification findings: lapsing certificates and reports, and tools without a current one.

Which certifications are checked, and why ``cert-type-insufficient`` is only a warning, is
described in ``generator.checks.expiry``.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date

from generator.checks.due import current_until, is_current, owners
from generator.checks.findings import Findings
from generator.diagnostics import Diagnostic, Severity, plural
from generator.model import IN_USE, RELYING, Certification, Tool, Vendor


def certifications(run: Findings) -> Iterator[Diagnostic]:
    """``cert-expired`` / ``cert-expiring``, once per vendor certification that tools rely on
    (the ``certificate`` obligations)."""
    for due in run.dues:
        if due.what != "certificate":
            continue
        vendor = run.hb.vendors[due.subject]
        cert = next(c for c in vendor.certifications if c.id == due.certificate)
        users = [run.hb.tools[t] for t in due.tools]
        yield from certification(run, vendor, cert, users, due.day)


def certification(
    run: Findings, vendor: Vendor, cert: Certification, users: list[Tool], until: date
) -> Iterator[Diagnostic]:
    picked = run.timed(
        ("cert-expiring", "cert-expired"), until, run.policy.warning_days["certification"]
    )
    if picked is None:
        return
    rule, severity = picked
    days = (until - run.today).days
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
            f"{plural(run.policy.soc2_freshness_months, 'month')}"
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
    message = f"{cert.name} {what} of vendor {vendor.name!r} {message_tail}; relied on by {names}"
    hint += " and cite it in vendor_due_diligence.certifications of " + ", ".join(
        t.path for t in users
    )
    yield run.finding(
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
        certificate=cert.id,
    )


def tool_certifications(run: Findings, tool: Tool) -> Iterator[Diagnostic]:
    """``cert-type-insufficient`` and ``cert-none-current`` for one tool."""
    vendor = run.hb.vendors.get(tool.vendor)
    if vendor is None or tool.status not in RELYING:
        return
    required = run.policy.required_certifications
    if "soc2-type2" in required and "soc2-type1" not in required:
        for j, cid in enumerate(tool.relied_certifications):
            cert = vendor.certification(cid)
            if cert is not None and cert.type == "soc2-type1":
                yield run.finding(
                    "cert-type-insufficient",
                    Severity.WARNING,
                    f"{run.tool_ref(tool)} relies on SOC 2 Type I report {cid!r}, "
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
    if any(is_current(c, run.policy, run.today) for c in qualifying):
        return
    lapsed = max((current_until(c, run.policy) for c in qualifying), default=None)
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
    yield run.finding(
        "cert-none-current",
        Severity.ERROR,
        f"{run.tool_ref(tool)} is in {tool.status!r}, but vendor {vendor.name!r} holds no "
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
