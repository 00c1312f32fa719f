"""generator/checks/expiry.py: every staleness rule at the edges of its warning window.

Handbooks are built from small YAML documents through the real loader (so positions are real)
and model.build_*; no files, no clock. Each rule is checked as of five fixed days around its due
date D with warning window W: D-W-1 (nothing), D-W (warning), D-1 (warning), D ("due today",
still a warning), D+1 (error).
"""

from __future__ import annotations

import copy
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

import pytest
import yaml

from generator.checks import due, exceptions, expiry, findings
from generator.diagnostics import Diagnostic, Severity
from generator.load import parse_yaml
from generator.model import Guidance, Handbook, build_policy, build_tool, build_vendor
from generator.report import text
from generator.rules import RULES

E, W, N = Severity.ERROR, Severity.WARNING, Severity.NOTE

VENDOR: dict[str, Any] = {
    "id": "acme-ai",
    "name": "Acme AI",
    "website": "https://acme-ai.example/",
    "trust_page": "https://acme-ai.example/trust",
    "privacy_policy": "https://acme-ai.example/privacy",
    "certifications": [
        {
            "id": "soc2-2026",
            "type": "soc2-type2",
            "issuer": "Calder Assurance LLP",
            "issued": "2026-08-14",
            "period": {"start": "2025-07-01", "end": "2026-06-30"},
            "evidence": "https://docs.example.com/acme/soc2.pdf",
            "verified": {"by": "Dana Ruiz (Security)", "on": "2026-08-28"},
        },
        {
            "id": "iso27001",
            "type": "iso27001",
            "issuer": "Meridian Certification Ltd.",
            "issued": "2025-03-15",
            "expires": "2028-03-14",
            "evidence": "https://docs.example.com/acme/iso.pdf",
            "verified": {"by": "Dana Ruiz (Security)", "on": "2025-04-02"},
        },
    ],
}

TOOL: dict[str, Any] = {
    "id": "acme-chat",
    "name": "Acme Chat",
    "vendor": "acme-ai",
    "owner": {"team": "Knowledge Management", "contact": "km@example.com"},
    "status": {"value": "approved", "since": "2026-03-02"},
    "problem": "Briefs take an hour each.",
    "license": {"tier": "enterprise"},
    "data": {"allowed": ["internal"]},
    "evidence": {
        "vendor_due_diligence": {
            "date": "2026-09-01",
            "reviewer": "Dana Ruiz (Security)",
            "certifications": ["soc2-2026", "iso27001"],
        },
        "compliance_review": {
            "date": "2026-03-01",
            "reviewer": "Hannah Okafor (Legal)",
            "regulations": ["GDPR"],
            "outcome": "pass",
        },
        "access_control": {
            "administrators": ["Marcus Lee (IT)"],
            "roles": ["grp-ai-users"],
            "last_review": "2026-09-01",
        },
        "pilot": {
            "power_users": ["Rachel Kim (Research)"],
            "start": "2026-01-12",
            "end": "2026-02-06",
            "outcome": "adopt",
        },
        "output_audits": [
            {"date": "2026-09-01", "reviewer": "Aisha Bello (KM)", "drift": False},
            {"date": "2026-10-01", "reviewer": "Aisha Bello (KM)", "drift": False},
        ],
        "vendor_review": {
            "date": "2026-09-15",
            "reviewer": "Dana Ruiz (Security)",
            "changes": "none",
        },
    },
}

POLICY: dict[str, Any] = {
    "warning_days": {
        "certification": 60,
        "output_audit": 7,
        "access_review": 14,
        "vendor_review": 14,
        "compliance_review": 30,
        "pilot": 7,
        "stage": 14,
        "offboarding": 7,
        "exception": 14,
    },
    "cadence_days": {
        "output_audit": 31,
        "access_review": 90,
        "vendor_review": 90,
        "compliance_review": 365,
    },
    "requirements": {},
}


def change(base: dict[str, Any], edits: dict[str, Any]) -> dict[str, Any]:
    """A deep copy of ``base`` with dotted paths set (a value of None deletes the key)."""
    out = copy.deepcopy(base)
    for dotted, value in edits.items():
        *parents, last = dotted.split(".")
        node = out
        for part in parents:
            node = node.setdefault(part, {})
        if value is None:
            node.pop(last, None)
        else:
            node[last] = value
    return out


def loaded(data: dict[str, Any], path: str) -> Any:
    """``data`` dumped to YAML and read back by the real loader, with its positions."""
    doc, diags = parse_yaml(yaml.safe_dump(data, sort_keys=False), path)
    assert diags == []
    return doc


def make(
    tools: list[dict[str, Any]] | None = None,
    vendors: list[dict[str, Any]] | None = None,
    policy: dict[str, Any] | None = None,
) -> Handbook:
    tools = [TOOL] if tools is None else tools
    vendors = [VENDOR] if vendors is None else vendors
    return Handbook(
        policy=build_policy("registry/policy.yaml", loaded(policy or POLICY, "p")),
        phases=(),
        guidance=Guidance(),
        vendors={
            v["id"]: build_vendor(
                f"registry/vendors/{v['id']}.yaml",
                loaded(v, f"registry/vendors/{v['id']}.yaml"),
            )
            for v in vendors
        },
        tools={
            t["id"]: build_tool(
                f"registry/tools/{t['id']}.yaml", loaded(t, f"registry/tools/{t['id']}.yaml")
            )
            for t in tools
        },
    )


def of(found: list[Diagnostic], *rules: str) -> list[Diagnostic]:
    return [d for d in found if d.rule in rules]


# -- every timed rule at the edges of its window --------------------------------------------------


@dataclass(frozen=True)
class Timed:
    name: str
    warn: str  # the warning rule
    fail: str  # the error rule
    due: date
    window: int
    tool: dict[str, Any]
    vendor: dict[str, Any]
    step: str
    subject: str
    path: str


def timed(
    name: str,
    rules: tuple[str, str],
    due: str,
    window: int,
    step: str,
    *,
    tool: dict[str, Any] | None = None,
    vendor: dict[str, Any] | None = None,
    subject: str = "acme-chat",
) -> Timed:
    return Timed(
        name,
        rules[0],
        rules[1],
        date.fromisoformat(due),
        window,
        change(TOOL, tool or {}),
        change(VENDOR, vendor or {}),
        step,
        subject,
        f"registry/{'vendors' if subject == 'acme-ai' else 'tools'}/{subject}.yaml",
    )


SOC2 = VENDOR["certifications"][0]
ISO = VENDOR["certifications"][1]
ISO_ONLY = {"certifications": [ISO | {"expires": "2027-03-14"}]}
PENDING_PILOT = {
    "status": {"value": "pilot", "since": "2026-10-19"},
    "evidence.pilot": {
        "power_users": ["Rachel Kim (Research)"],
        "start": "2026-10-20",
        "end": "2026-11-20",
        "outcome": "pending",
    },
}
OFFBOARDING = {
    "started": "2026-10-02",
    "keys_revoked": True,
    "data_wiped": False,
}

TIMED = [
    timed(
        "iso-certificate",
        ("cert-expiring", "cert-expired"),
        "2027-03-14",
        60,
        "vendor-due-diligence",
        vendor={
            "certifications": [
                SOC2 | {"period": {"start": "2027-01-01", "end": "2028-06-30"}},
                ISO | {"expires": "2027-03-14"},
            ]
        },
        subject="acme-ai",
    ),
    timed(
        "soc2-report-12-months",
        ("cert-expiring", "cert-expired"),
        "2027-06-30",
        60,
        "vendor-due-diligence",
        subject="acme-ai",
    ),
    timed(
        "soc2-report-bridge-letter-later",
        ("cert-expiring", "cert-expired"),
        "2027-09-30",
        60,
        "vendor-due-diligence",
        vendor={
            "certifications": [
                SOC2 | {"bridge_letter": {"issued": "2026-09-01", "covers_until": "2027-09-30"}},
                ISO,
            ]
        },
        subject="acme-ai",
    ),
    timed(
        "soc2-report-bridge-letter-earlier-ignored",
        ("cert-expiring", "cert-expired"),
        "2027-06-30",
        60,
        "vendor-due-diligence",
        vendor={
            "certifications": [
                SOC2 | {"bridge_letter": {"issued": "2026-09-01", "covers_until": "2027-01-31"}},
                ISO,
            ]
        },
        subject="acme-ai",
    ),
    timed(
        "soc2-report-month-end-clamped",
        ("cert-expiring", "cert-expired"),
        "2027-02-28",
        60,
        "vendor-due-diligence",
        vendor={
            "certifications": [SOC2 | {"period": {"start": "2025-03-01", "end": "2026-02-28"}}, ISO]
        },
        subject="acme-ai",
    ),
    timed(
        "output-audit-newest-of-list",
        ("output-audit-due", "output-audit-overdue"),
        "2026-11-01",
        7,
        "output-audit",
    ),
    timed(
        "output-audit-list-out-of-order",
        ("output-audit-due", "output-audit-overdue"),
        "2026-11-01",
        7,
        "output-audit",
        tool={"evidence.output_audits": list(reversed(TOOL["evidence"]["output_audits"]))},
    ),
    timed(
        "output-audit-none-since-approval",
        ("output-audit-due", "output-audit-overdue"),
        "2026-04-02",
        7,
        "output-audit",
        tool={"evidence.output_audits": None},
    ),
    timed(
        "output-audit-restricted",
        ("output-audit-due", "output-audit-overdue"),
        "2026-11-01",
        7,
        "output-audit",
        tool={"status": {"value": "restricted", "since": "2026-03-02"}},
    ),
    timed(
        "access-review",
        ("access-review-due", "access-review-overdue"),
        "2026-11-30",
        14,
        "access-control",
    ),
    timed(
        "access-review-pilot",
        ("access-review-due", "access-review-overdue"),
        "2026-11-30",
        14,
        "access-control",
        tool={"status": {"value": "pilot", "since": "2026-10-19"}},
    ),
    timed(
        "vendor-review",
        ("vendor-review-due", "vendor-review-overdue"),
        "2026-12-14",
        14,
        "vendor-review",
    ),
    timed(
        "vendor-review-none-since-approval",
        ("vendor-review-due", "vendor-review-overdue"),
        "2026-05-31",
        14,
        "vendor-review",
        tool={"evidence.vendor_review": None},
    ),
    timed(
        "compliance-review",
        ("compliance-review-due", "compliance-review-overdue"),
        "2027-03-01",
        30,
        "compliance-review",
    ),
    timed(
        "compliance-review-pilot",
        ("compliance-review-due", "compliance-review-overdue"),
        "2027-03-01",
        30,
        "compliance-review",
        tool={"status": {"value": "pilot", "since": "2026-10-19"}},
    ),
    timed(
        "pilot-undecided",
        ("pilot-undecided", "pilot-undecided"),
        "2026-11-20",
        7,
        "pilot",
        tool=PENDING_PILOT,
    ),
    timed(
        "stage-sandbox",
        ("stage-overdue", "stage-overdue"),
        "2026-10-30",
        14,
        "sandbox",
        tool={"status": {"value": "sandbox", "since": "2026-08-01"}},
    ),
    timed(
        "stage-pilot",
        ("stage-overdue", "stage-overdue"),
        "2026-12-18",
        14,
        "pilot",
        tool=PENDING_PILOT | {"evidence.pilot": None},
    ),
    timed(
        "offboarding-incomplete",
        ("offboarding-overdue", "offboarding-overdue"),
        "2026-10-31",
        7,
        "offboarding",
        tool={
            "status": {"value": "deprecated", "since": "2026-10-01"},
            "evidence.offboarding": OFFBOARDING,
        },
    ),
    timed(
        "offboarding-no-record",
        ("offboarding-overdue", "offboarding-overdue"),
        "2026-10-31",
        7,
        "offboarding",
        tool={"status": {"value": "deprecated", "since": "2026-10-01"}},
    ),
]

EDGES = [
    ("before-window", lambda c: c.due - timedelta(days=c.window + 1), None),
    ("window-opens", lambda c: c.due - timedelta(days=c.window), W),
    ("day-before", lambda c: c.due - timedelta(days=1), W),
    ("due-day", lambda c: c.due, W),
    ("day-after", lambda c: c.due + timedelta(days=1), E),
]


@pytest.mark.parametrize(("edge", "when", "expected"), EDGES, ids=[e[0] for e in EDGES])
@pytest.mark.parametrize("case", TIMED, ids=[c.name for c in TIMED])
def test_timed_rule_at_edges(case: Timed, edge: str, when: Any, expected: Severity | None) -> None:
    today = when(case)
    found = of(expiry.check(make([case.tool], [case.vendor]), today), case.warn, case.fail)
    if expected is None:
        assert found == []
        return
    assert len(found) == 1, text.render(found)
    d = found[0]
    assert (d.rule, d.severity) == (case.fail if expected is E else case.warn, expected)
    assert d.due == case.due.isoformat()
    assert d.days == (case.due - today).days
    assert (d.subject, d.step, d.path) == (case.subject, case.step, case.path)
    assert d.owner == "km@example.com"
    assert d.line is not None
    assert d.column is not None
    assert d.hint
    assert "Acme Chat" in d.message
    assert "Acme AI" in d.message
    assert case.due.isoformat() in d.message
    if d.days == 0:
        assert "today" in d.message
    elif d.days < 0:
        assert f"{-d.days} day" in d.message


def test_every_rule_the_check_reports_is_in_the_rules_table() -> None:
    reported = {c.warn for c in TIMED} | {c.fail for c in TIMED} | set(findings.STEP)
    reported |= {"exception-expired", "exception-expiring"}
    assert all(RULES[r].stage == "check" for r in reported)


# -- which tools and statuses a rule applies to ---------------------------------------------------


@pytest.mark.parametrize(
    ("status", "expected"),
    [
        ("proposed", []),
        ("sandbox", []),
        ("pilot", ["access-review-overdue", "compliance-review-overdue"]),
        (
            "approved",
            [
                "access-review-overdue",
                "compliance-review-overdue",
                "output-audit-overdue",
                "vendor-review-overdue",
            ],
        ),
        (
            "restricted",
            [
                "access-review-overdue",
                "compliance-review-overdue",
                "output-audit-overdue",
                "vendor-review-overdue",
            ],
        ),
        ("deprecated", []),
        ("offboarded", []),
        ("rejected", []),
    ],
)
def test_recurring_reviews_by_status(status: str, expected: list[str]) -> None:
    tool = change(TOOL, {"status": {"value": status, "since": "2027-06-01"}})
    found = expiry.check(make([tool]), date(2027, 6, 1))
    assert sorted(d.rule for d in found if d.step in REVIEW_STEPS) == expected


REVIEW_STEPS = {"output-audit", "access-control", "vendor-review", "compliance-review"}


def test_pilot_with_a_decision_is_not_undecided() -> None:
    tool = change(TOOL, PENDING_PILOT | {"evidence.pilot.outcome": "extend"})
    assert of(expiry.check(make([tool]), date(2027, 1, 1)), "pilot-undecided") == []


def test_complete_offboarding_is_never_overdue() -> None:
    done = OFFBOARDING | {"data_wiped": True, "completed": "2026-10-20"}
    tool = change(
        TOOL,
        {"status": {"value": "deprecated", "since": "2026-10-01"}, "evidence.offboarding": done},
    )
    assert of(expiry.check(make([tool]), date(2027, 1, 1)), "offboarding-overdue") == []


def test_offboarding_names_what_is_missing_and_points_at_it() -> None:
    tool = change(
        TOOL,
        {
            "status": {"value": "deprecated", "since": "2026-10-01"},
            "evidence.offboarding": OFFBOARDING,
        },
    )
    hb = make([tool])
    (d,) = of(expiry.check(hb, date(2026, 11, 3)), "offboarding-overdue")
    assert d.message == (
        "offboarding of 'Acme Chat' (vendor 'Acme AI'), deprecated since 2026-10-01, is overdue "
        "by 3 days (due 2026-10-31); still missing: data_wiped, completed"
    )
    assert (d.line, d.column) == hb.tools["acme-chat"].at("evidence", "offboarding", "data_wiped")


# -- certifications -------------------------------------------------------------------------------


def test_cert_finding_is_reported_once_per_vendor_cert_naming_every_relying_tool() -> None:
    other = change(
        TOOL, {"id": "acme-code", "name": "Acme Code", "owner.contact": "dev@example.com"}
    )
    hb = make([TOOL, other])
    found = of(expiry.check(hb, date(2027, 7, 1)), "cert-expired")
    assert len(found) == 1
    (d,) = found
    assert d.message == (
        "SOC 2 Type II report 'soc2-2026' of vendor 'Acme AI' was current until 2027-06-30 "
        "(1 day ago): its period ended 2026-06-30 and reports count for 12 months; "
        "relied on by 'Acme Chat', 'Acme Code'"
    )
    assert d.owner == "dev@example.com, km@example.com"
    assert d.path == "registry/vendors/acme-ai.yaml"
    assert (d.line, d.column) == hb.vendors["acme-ai"].at("certifications", 0, "period", "end")


def test_iso_cert_points_at_expires() -> None:
    hb = make(vendors=[change(VENDOR, ISO_ONLY)])
    (d,) = of(expiry.check(hb, date(2027, 3, 15)), "cert-expired")
    assert (d.line, d.column) == hb.vendors["acme-ai"].at("certifications", 0, "expires")
    assert d.message.startswith(
        "ISO/IEC 27001 certificate 'iso27001' of vendor 'Acme AI' expired on 2027-03-14 (1 day ago)"
    )


def test_bridge_letter_finding_points_at_covers_until() -> None:
    bridged = SOC2 | {"bridge_letter": {"issued": "2026-09-01", "covers_until": "2027-09-30"}}
    hb = make(vendors=[change(VENDOR, {"certifications": [bridged, ISO]})])
    (d,) = of(expiry.check(hb, date(2027, 9, 1)), "cert-expiring")
    assert (d.line, d.column) == hb.vendors["acme-ai"].at(
        "certifications", 0, "bridge_letter", "covers_until"
    )
    assert "its bridge letter covers until 2027-09-30" in d.message


@pytest.mark.parametrize(
    ("status", "reported"),
    [
        ("proposed", False),
        ("sandbox", True),
        ("pilot", True),
        ("approved", True),
        ("restricted", True),
        ("deprecated", False),
        ("offboarded", False),
        ("rejected", False),
    ],
)
def test_cert_findings_only_for_certs_a_live_tool_relies_on(status: str, reported: bool) -> None:
    tool = change(TOOL, {"status": {"value": status, "since": "2027-06-01"}})
    found = of(expiry.check(make([tool]), date(2027, 7, 1)), "cert-expired")
    assert bool(found) is reported


def test_cert_nobody_cites_is_not_reported() -> None:
    tool = change(TOOL, {"evidence.vendor_due_diligence.certifications": ["iso27001"]})
    assert of(expiry.check(make([tool]), date(2027, 7, 1)), "cert-expired", "cert-expiring") == []


@pytest.mark.parametrize(
    ("status", "today", "expected"),
    [
        ("approved", "2027-06-30", []),  # the SOC 2 report's last day: still current
        ("approved", "2027-07-01", ["cert-none-current"]),
        ("restricted", "2027-07-01", ["cert-none-current"]),
        ("pilot", "2027-07-01", ["cert-none-current"]),
        ("sandbox", "2027-07-01", []),
        ("proposed", "2027-07-01", []),
    ],
)
def test_cert_none_current(status: str, today: str, expected: list[str]) -> None:
    vendor = change(VENDOR, {"certifications": [SOC2, ISO | {"type": "iso42001"}]})
    tool = change(TOOL, {"status": {"value": status, "since": "2027-06-01"}})
    found = of(expiry.check(make([tool], [vendor]), date.fromisoformat(today)), "cert-none-current")
    assert [d.rule for d in found] == expected
    for d in found:
        assert d.severity is E
        assert d.subject == "acme-chat"
        assert d.path == "registry/tools/acme-chat.yaml"
        assert d.due == "2027-06-30"
        assert d.days == -1
        assert "'soc2-type2' or 'iso27001'" in d.message


def test_cert_none_current_with_no_certification_at_all_points_at_the_vendor_field() -> None:
    vendor = change(VENDOR, {"certifications": None})
    tool = change(TOOL, {"evidence.vendor_due_diligence": None})
    hb = make([tool], [vendor])
    (d,) = of(expiry.check(hb, date(2026, 11, 1)), "cert-none-current")
    assert (d.line, d.column) == hb.tools["acme-chat"].at("vendor")
    assert d.message.endswith("it lists none")
    assert (d.due, d.days) == (None, None)


TYPE1 = SOC2 | {"id": "soc2-type1-2026", "type": "soc2-type1"}


@pytest.mark.parametrize(
    ("required", "expected"),
    [
        (["soc2-type2", "iso27001"], ["cert-type-insufficient"]),
        (["soc2-type2"], ["cert-type-insufficient"]),
        (["soc2-type1", "soc2-type2"], []),
        (["iso27001"], []),
    ],
)
def test_soc2_type1_where_type2_is_required(required: list[str], expected: list[str]) -> None:
    vendor = change(VENDOR, {"certifications": [TYPE1, ISO]})
    tool = change(
        TOOL, {"evidence.vendor_due_diligence.certifications": ["soc2-type1-2026", "iso27001"]}
    )
    policy = change(POLICY, {"required_certifications": required})
    hb = make([tool], [vendor], policy)
    found = of(expiry.check(hb, date(2026, 11, 1)), "cert-type-insufficient")
    assert [d.rule for d in found] == expected
    for d in found:
        assert d.severity is W
        assert (d.line, d.column) == hb.tools["acme-chat"].at(
            "evidence", "vendor_due_diligence", "certifications", 0
        )


def test_type1_alone_is_not_current_where_type2_is_required() -> None:
    vendor = change(VENDOR, {"certifications": [TYPE1]})
    tool = change(TOOL, {"evidence.vendor_due_diligence.certifications": ["soc2-type1-2026"]})
    found = of(
        expiry.check(make([tool], [vendor]), date(2026, 11, 1)),
        "cert-none-current",
        "cert-type-insufficient",
    )
    assert sorted(d.rule for d in found) == ["cert-none-current", "cert-type-insufficient"]


# -- policy drives the numbers ------------------------------------------------------------------


def test_policy_cadence_and_window_are_used() -> None:
    policy = change(POLICY, {"cadence_days.output_audit": 10, "warning_days.output_audit": 0})
    hb = make(policy=policy)
    # last audit 2026-10-01 + 10 days = 2026-10-11; window 0 means only the due day warns
    assert of(expiry.check(hb, date(2026, 10, 10)), "output-audit-due") == []
    assert [d.days for d in of(expiry.check(hb, date(2026, 10, 11)), "output-audit-due")] == [0]
    assert [d.days for d in of(expiry.check(hb, date(2026, 10, 12)), "output-audit-overdue")] == [
        -1
    ]


def test_soc2_freshness_months_from_policy() -> None:
    hb = make(policy=change(POLICY, {"soc2_freshness_months": 6}))
    (d,) = of(expiry.check(hb, date(2026, 12, 1)), "cert-expiring")
    assert d.due == "2026-12-30"
    assert "reports count for 6 months" in d.message


# -- exceptions -----------------------------------------------------------------------------------

EXC = {
    "rule": "output-audit-overdue",
    "reason": "Reviewer on leave; audit booked.",
    "approver": "Priya Natarajan (AI Governance)",
    "until": "2026-11-30",
}


def excepted(*exceptions: dict[str, Any]) -> Handbook:
    return make([change(TOOL, {"exceptions": list(exceptions)})])


def test_active_exception_downgrades_to_note() -> None:
    found = expiry.check(excepted(EXC), date(2026, 11, 5))
    (d,) = of(found, "output-audit-overdue")
    assert d.severity is N
    assert d.message.endswith(
        "(accepted until 2026-11-30 by Priya Natarajan (AI Governance): "
        "Reviewer on leave; audit booked.)"
    )
    assert of(found, "exception-expired", "exception-expiring") == []


def test_exception_applies_on_its_last_day() -> None:
    (d,) = of(expiry.check(excepted(EXC), date(2026, 11, 30)), "output-audit-overdue")
    assert d.severity is N


def test_expired_exception_restores_severity_and_warns() -> None:
    hb = excepted(EXC)
    found = expiry.check(hb, date(2026, 12, 1))
    (d,) = of(found, "output-audit-overdue")
    assert d.severity is E
    (x,) = of(found, "exception-expired")
    assert x.severity is W
    assert x.message == (
        "the exception of 'Acme Chat' (vendor 'Acme AI') for 'output-audit-overdue' ended on "
        "2026-11-30 (1 day ago); the finding is reported at full severity again"
    )
    assert (x.line, x.column) == hb.tools["acme-chat"].at("exceptions", 0, "until")
    assert (x.step, x.due, x.days) == ("output-audit", "2026-11-30", -1)


def test_expired_exception_without_finding_asks_to_delete_it() -> None:
    hb = excepted(EXC | {"until": "2026-10-15"})
    (x,) = of(expiry.check(hb, date(2026, 10, 20)), "exception-expired")
    assert x.hint == "the finding is gone: delete the expired exception"


def test_exception_expiring_warns_only_while_it_covers_a_finding() -> None:
    hb = excepted(EXC)
    # 2026-11-16: 14 days before 'until', inside warning_days.exception
    assert [d.days for d in of(expiry.check(hb, date(2026, 11, 16)), "exception-expiring")] == [14]
    assert of(expiry.check(hb, date(2026, 11, 15)), "exception-expiring") == []
    # an exception for a rule with no finding gives no warning
    other = excepted(EXC | {"rule": "vendor-review-overdue"})
    assert of(expiry.check(other, date(2026, 11, 16)), "exception-expiring") == []


def test_exception_for_error_rule_covers_its_warning_sibling() -> None:
    (d,) = of(expiry.check(excepted(EXC), date(2026, 10, 30)), "output-audit-due")
    assert d.severity is N


def test_exception_for_warning_rule_does_not_cover_the_error() -> None:
    hb = excepted(EXC | {"rule": "output-audit-due"})
    (d,) = of(expiry.check(hb, date(2026, 11, 5)), "output-audit-overdue")
    assert d.severity is E


def test_exception_without_approver_is_not_applied() -> None:
    hb = excepted({k: v for k, v in EXC.items() if k != "approver"})
    (d,) = of(expiry.check(hb, date(2026, 11, 5)), "output-audit-overdue")
    assert d.severity is E


def test_exception_of_another_tool_does_not_apply() -> None:
    other = change(TOOL, {"id": "acme-code", "name": "Acme Code", "exceptions": [EXC]})
    found = expiry.check(make([TOOL, other]), date(2026, 11, 5))
    by_tool = {d.subject: d.severity for d in of(found, "output-audit-overdue")}
    assert by_tool == {"acme-chat": E, "acme-code": N}


def test_vendor_finding_downgraded_only_when_every_relying_tool_accepts_it() -> None:
    exc = EXC | {"rule": "cert-expired", "until": "2027-07-31"}
    one = change(TOOL, {"exceptions": [exc]})
    two = change(TOOL, {"id": "acme-code", "name": "Acme Code"})
    today = date(2027, 7, 5)
    (d,) = of(expiry.check(make([one, two]), today), "cert-expired")
    assert d.severity is E
    both = change(two, {"exceptions": [exc]})
    (d,) = of(expiry.check(make([one, both]), today), "cert-expired")
    assert d.severity is N


def test_open_exceptions() -> None:
    later = EXC | {"rule": "vendor-review-overdue", "until": "2026-12-15"}
    ended = EXC | {"rule": "access-review-overdue", "until": "2026-10-31"}
    hb = excepted(later, EXC, ended)
    got = exceptions.open_exceptions(hb, date(2026, 11, 1))
    assert [(o.rule, o.until, o.days_left) for o in got] == [
        ("output-audit-overdue", date(2026, 11, 30), 29),
        ("vendor-review-overdue", date(2026, 12, 15), 44),
    ]
    first = got[0]
    assert (first.tool, first.tool_name, first.owner, first.path) == (
        "acme-chat",
        "Acme Chat",
        "km@example.com",
        "registry/tools/acme-chat.yaml",
    )
    assert (first.line, first.column) == hb.tools["acme-chat"].at("exceptions", 1)
    assert first.approver == "Priya Natarajan (AI Governance)"


# -- a whole output -----------------------------------------------------------------------------


def test_whole_text_output() -> None:
    tool = change(TOOL, {"exceptions": [EXC]})
    got = text.render(expiry.check(make([tool]), date(2026, 11, 20)))
    assert got == (
        "registry/tools/acme-chat.yaml:34:18: warning[access-review-due] the access review of "
        "'Acme Chat' (vendor 'Acme AI') is due in 10 days (on 2026-11-30): the last was on "
        "2026-09-01, and one is due every 90 days\n"
        "  hint: do the access review and record it in evidence.access_control "
        "(step 'access-control')\n"
        "registry/tools/acme-chat.yaml:45:11: note[output-audit-overdue] the output audit of "
        "'Acme Chat' (vendor 'Acme AI') is overdue by 19 days (due 2026-11-01): the last was on "
        "2026-10-01, and one is due every 31 days (accepted until 2026-11-30 by Priya Natarajan "
        "(AI Governance): Reviewer on leave; audit booked.)\n"
        "  hint: do the output audit and record it in evidence.output_audits "
        "(step 'output-audit')\n"
        "registry/tools/acme-chat.yaml:56:10: warning[exception-expiring] the exception of "
        "'Acme Chat' (vendor 'Acme AI') for 'output-audit-overdue' ends in 10 days "
        "(until 2026-11-30); the finding it covers is still there\n"
        "  hint: fix the finding before then, or ask for a renewed exception\n"
        "2 warnings, 1 note\n"
    )


def test_dates_helpers() -> None:
    assert due.add_months(date(2024, 2, 29), 12) == date(2025, 2, 28)
    assert due.add_months(date(2026, 8, 31), 6) == date(2027, 2, 28)
    assert due.add_months(date(2026, 12, 15), 1) == date(2027, 1, 15)
    assert due.add_months(date(2026, 1, 31), 25) == date(2028, 2, 29)


def test_missing_access_or_compliance_record_is_left_to_validate() -> None:
    tool = change(TOOL, {"evidence.access_control": None, "evidence.compliance_review": None})
    found = expiry.check(make([tool]), date(2027, 6, 1))
    assert [d for d in found if d.step in {"access-control", "compliance-review"}] == []


def test_review_due_is_the_date_the_check_reports() -> None:
    hb = make([change(TOOL, {"evidence.vendor_review": None})])
    tool = hb.tools["acme-chat"]
    dues = {r.key: due.review_due(tool, r, hb.policy) for r in due.REVIEWS}
    assert dues == {
        "output_audit": date(2026, 11, 1),
        "access_review": date(2026, 11, 30),
        "vendor_review": date(2026, 5, 31),  # none recorded: one cadence after status.since
        "compliance_review": date(2027, 3, 1),
        "metrics": None,  # none recorded: its absence is evidence-missing, not staleness
    }
    found = expiry.check(hb, date(2027, 6, 1))
    assert sorted(d.due for d in found if d.step in REVIEW_STEPS) == sorted(
        d.isoformat() for d in dues.values() if d
    )
