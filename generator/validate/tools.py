"""Per-tool rules: dates, what each status requires, personal data, license, exceptions."""

from __future__ import annotations

from typing import Any

from generator.load import Document
from generator.model import IN_USE, has_path, shift
from generator.validate.checker import Checker, as_date
from generator.validate.credentials import secrets
from generator.validate.evidence import evidence
from generator.validate.frameworks import ai_act_records
from generator.validate.identity import rule_reference, vendor_reference


def tool(check: Checker, doc: Document, vendors: dict[str, dict[str, Any] | None]) -> None:
    """``vendors`` maps every vendor id to its data, or to None when its file is invalid."""
    data = doc.data
    ev = data.get("evidence", {})
    status = data["status"]["value"]
    check.not_future(doc, ["status", "since"], data["status"]["since"])
    vendor_reference(check, doc, vendors)
    _dates(check, doc, ev)
    _status(check, doc, data, ev, status)
    _exceptions(check, doc, data)
    evidence(check, doc)
    ai_act_records(check, doc)
    secrets(check, doc)


def _dates(check: Checker, doc: Document, ev: dict[str, Any]) -> None:
    policy = check.policy
    for section, start, end in (("sandbox", "start", "end"), ("pilot", "start", "end")):
        rec = ev.get(section)
        if rec and rec.get(end):
            check.order(
                doc,
                ["evidence", section, start],
                rec[start],
                ["evidence", section, end],
                rec[end],
            )
    for section in (
        "privacy_audit",
        "vendor_due_diligence",
        "compliance_review",
        "benchmark",
        "security_review",
        "vendor_review",
    ):
        if section in ev:
            check.not_future(doc, ["evidence", section, "date"], ev[section]["date"])
    for section, key in (
        ("sandbox", "start"),
        ("access_control", "last_review"),
        ("offboarding", "started"),
    ):
        if section in ev:
            check.not_future(doc, ["evidence", section, key], ev[section][key])
    for i, audit in enumerate(ev.get("output_audits", [])):
        check.not_future(doc, ["evidence", "output_audits", i, "date"], audit["date"])
    metrics = ev.get("metrics")
    if isinstance(metrics, dict):
        check.not_future(doc, ["evidence", "metrics", "measured"], metrics["measured"])
    for i, m in enumerate(metrics if isinstance(metrics, list) else []):
        check.not_future(doc, ["evidence", "metrics", i, "measured"], m["measured"])
    for i, inc in enumerate(ev.get("incidents", [])):
        check.not_future(doc, ["evidence", "incidents", i, "date"], inc["date"])
        if inc.get("resolved_on"):
            check.order(
                doc,
                ["evidence", "incidents", i, "date"],
                inc["date"],
                ["evidence", "incidents", i, "resolved_on"],
                inc["resolved_on"],
            )
    off = ev.get("offboarding")
    if off and off.get("completed"):
        check.order(
            doc,
            ["evidence", "offboarding", "started"],
            off["started"],
            ["evidence", "offboarding", "completed"],
            off["completed"],
        )
    pilot = ev.get("pilot")
    minimum = policy.pilot_min_days
    if pilot:
        days = (as_date(pilot["end"]) - as_date(pilot["start"])).days  # type: ignore[operator]
        if 0 <= days < minimum:
            check.emit(
                "pilot-too-short",
                doc,
                ["evidence", "pilot", "end"],
                f"the pilot runs {days} days ({pilot['start']} to {pilot['end']}); "
                f"the policy asks for at least {minimum}",
                f"set the end on or after {shift(as_date(pilot['start']), minimum)}",  # type: ignore[arg-type]
            )
    sandbox = ev.get("sandbox")
    if sandbox and sandbox["isolated_from_production"] is False:
        check.emit(
            "sandbox-not-isolated",
            doc,
            ["evidence", "sandbox", "isolated_from_production"],
            f"sandbox {sandbox['environment']!r} is not isolated from production",
            "isolate it before any testing with real data",
        )


def _status(
    check: Checker, doc: Document, data: dict[str, Any], ev: dict[str, Any], status: str
) -> None:
    steps = check.steps
    needed = check.policy.requirements.get(status, ())
    for sid in needed:
        step = steps.get(sid)
        if step is None:
            continue  # reported against the policy file
        for field in step.get("evidence", []):
            if field in check.unknown_fields:
                continue  # reported against the procedure
            if not has_path(data, field.split(".")):
                check.emit(
                    "evidence-missing",
                    doc,
                    ["status", "value"],
                    f"status {status!r} needs {field} (step {sid!r}), which is missing",
                    f"record {field}, or move the tool back to an earlier status",
                )
    if status in IN_USE:
        tier = data["license"]["tier"]
        if tier in {"personal", "free"}:
            check.emit(
                "personal-license",
                doc,
                ["license", "tier"],
                f"a {tier} license is recorded, yet the tool's status is {status!r}",
                "company work needs an enterprise or team license (no personal accounts)",
            )
        for section in ("privacy_audit", "compliance_review", "security_review"):
            rec = ev.get(section)
            key = "outcome" if section == "compliance_review" else "result"
            if rec and rec.get(key) == "fail":
                check.emit(
                    "review-failed",
                    doc,
                    ["evidence", section, key],
                    f"the {section.replace('_', ' ')} failed, yet the tool's status is {status!r}",
                    "repeat the review after the fixes, or reject the tool",
                )
    if "personal" in data["data"]["allowed"]:
        audit = ev.get("privacy_audit")
        problems = []
        if not audit:
            problems.append("there is no privacy audit")
        else:
            if not audit["personal_data"]:
                problems.append("the privacy audit does not allow personal data")
            if not audit["enterprise_instance"]:
                problems.append("the instance is not an enterprise one")
            if audit["trains_on_our_data"]:
                problems.append("the vendor trains on our data")
            if audit["result"] == "fail":
                problems.append("the privacy audit failed")
        if data["license"]["tier"] not in {"enterprise", "team"}:
            problems.append(f"the license is {data['license']['tier']}")
        if problems:
            i = data["data"]["allowed"].index("personal")
            check.emit(
                "personal-data-unsafe",
                doc,
                ["data", "allowed", i],
                "personal data is allowed, but " + "; ".join(problems),
                "remove 'personal' from data.allowed, or record a privacy audit that allows it",
            )
    off = ev.get("offboarding")
    if status == "offboarded" and off:
        missing = [k for k in ("keys_revoked", "data_wiped") if off.get(k) is not True]
        if not off.get("completed"):
            missing.append("completed")
        if missing:
            check.emit(
                "offboarding-incomplete",
                doc,
                ["evidence", "offboarding"],
                f"the tool is offboarded but offboarding lacks: {', '.join(missing)}",
                "finish offboarding, or set the status back to deprecated",
            )


def _exceptions(check: Checker, doc: Document, data: dict[str, Any]) -> None:
    longest = check.policy.exception_max_days
    for i, exc in enumerate(data.get("exceptions", [])):
        where: list[str | int] = ["exceptions", i]
        rule_reference(check, doc, where, exc["rule"])
        if not exc.get("approver"):
            check.emit(
                "exception-invalid",
                doc,
                where,
                f"the exception for {exc['rule']!r} names no approver",
                "add 'approver:' with the person who accepted the risk",
            )
        until = as_date(exc["until"])
        if until and until > shift(check.today, longest):
            check.emit(
                "exception-invalid",
                doc,
                [*where, "until"],
                f"the exception for {exc['rule']!r} runs until {exc['until']}, "
                f"more than {longest} days from {check.today}",
                f"set 'until' on or before {shift(check.today, longest)}",
            )
