"""Schema errors in plain words, at the right place: the kinds the golden cases do not cover."""

from __future__ import annotations

import pytest
from conftest import BASE, REPO

from generator.load import Document, parse_yaml
from generator.schema import Schemas, dotted, shown

Finding = tuple[str, str, str, str | None]
FILES = {
    "tool": "registry/tools/acme-chat.yaml",
    "vendor": "registry/vendors/acme-ai.yaml",
    "policy": "registry/policy.yaml",
    "phase": "content/procedure/2-run.yaml",
    "guidance": "content/guidance.yaml",
}


@pytest.fixture(scope="module")
def schemas() -> Schemas:
    return Schemas(REPO / "schemas")


def check(schemas: Schemas, kind: str, *edits: tuple[str, str]) -> list[Finding]:
    """Schema findings for the base tree's file of ``kind`` after text replacements."""
    text = (BASE / FILES[kind]).read_text(encoding="utf-8")
    for old, new in edits:
        assert text.count(old) == 1, old
        text = text.replace(old, new)
    data, problems = parse_yaml(text, "f.yaml")
    assert problems == []
    return [
        (f"{d.line}:{d.column}", d.rule, d.message, d.hint)
        for d in schemas.check(Document("f.yaml", kind, data, text))
    ]


@pytest.mark.parametrize("kind", FILES)
def test_base_files_are_valid(schemas: Schemas, kind: str) -> None:
    assert check(schemas, kind) == []


@pytest.mark.parametrize(
    ("edit", "finding"),
    [
        (
            ("  seats: 120", "  seats: -1"),
            ("15:10", "schema", "license.seats is -1; the smallest allowed is 0", None),
        ),
        (
            ("      ai: 0.88", "      ai: 1.5"),
            (
                "45:11",
                "schema",
                "evidence.benchmark.accuracy.ai is 1.5; the largest allowed is 1",
                "A fraction between 0 and 1 (0.93 = 93%).",
            ),
        ),
        (
            ("    tasks: 40", "    tasks: 0"),
            (
                "42:12",
                "schema",
                "evidence.benchmark.tasks is 0; the smallest allowed is 1",
                "How many routine tasks ran through both the tool and a human expert "
                "(policy default: 20-50).",
            ),
        ),
        (
            ("    reviewer: Tomas Ferreira (Privacy)", "    reviewer: X"),
            (
                "23:15",
                "schema",
                "evidence.privacy_audit.reviewer is 'X', shorter than 2 characters",
                "A person's name or role, e.g. 'Dana Ruiz (Security)'.",
            ),
        ),
        (
            ("      - soc2-2026\n      - iso27001\n", "      []\n"),
            (
                "33:7",
                "schema",
                "evidence.vendor_due_diligence.certifications is an empty list",
                "Ids of the vendor's certifications this approval relies on.",
            ),
        ),
        (
            ("      - Omar Haddad (Accounts)\n", "      - Rachel Kim (Research)\n"),
            (
                "52:9",
                "schema",
                "evidence.pilot.power_users lists 'Rachel Kim (Research)' more than once",
                "remove the repeated entry",
            ),
        ),
        (
            ("  value: approved", "  value: {a: 1}"),
            (
                "10:10",
                "schema",
                "status.value is a mapping, which is not one of: proposed, sandbox, pilot, "
                "approved, restricted, deprecated, offboarded, rejected",
                None,
            ),
        ),
        (
            ("  value: approved", "  value: 3"),
            (
                "10:10",
                "schema",
                "status.value is 3, which is not one of: proposed, sandbox, pilot, "
                "approved, restricted, deprecated, offboarded, rejected",
                None,
            ),
        ),
        (
            ("    outcome: adopt", "    outcome: adopted"),
            (
                "55:14",
                "schema",
                "evidence.pilot.outcome is 'adopted', which is not one of: "
                "pending, adopt, extend, reject",
                "did you mean 'adopt'?",
            ),
        ),
        (
            ("  contact: km@example.com", "  contact: km at example.com"),
            (
                "8:12",
                "schema",
                "owner.contact is 'km at example.com', which is not an e-mail address, "
                "e.g. team@example.com",
                "The team's contact address.",
            ),
        ),
        (
            ("problem: Research briefs take an hour each to write.", "problem: '   '"),
            (
                "12:10",
                "schema",
                "problem is '   ', which is not text",
                "The pain point or inefficiency the tool addresses (Phase 1: define the problem).",
            ),
        ),
        (
            (
                "    power_users:\n      - Rachel Kim (Research)\n      - Omar Haddad (Accounts)\n",
                "    power_users: Rachel Kim (Research)\n",
            ),
            (
                "50:18",
                "schema",
                "evidence.pilot.power_users should be a list (lines starting with '- '), "
                "not 'Rachel Kim (Research)'",
                None,
            ),
        ),
        (
            ("  tier: enterprise", "  tier: [enterprise]"),
            (
                "14:9",
                "schema",
                "license.tier is a list, which is not one of: enterprise, team, personal, free",
                "did you mean 'enterprise'?",
            ),
        ),
        (
            ("  seats: 120", "  seats: 1.5"),
            ("15:10", "schema", "license.seats should be a whole number, not 1.5", None),
        ),
        (
            ("    personal_data: true", "    personal_data: 'true'"),
            (
                "25:20",
                "schema",
                "evidence.privacy_audit.personal_data should be true or false, not 'true'",
                None,
            ),
        ),
        (
            ("  team: Knowledge Management", "  team: true"),
            ("7:9", "schema", "owner.team should be text, not True", "put the value in quotes"),
        ),
        (
            ("  value: approved\n", "  value: approved\n  valeu: approved\n"),
            (
                "11:3",
                "schema-unknown-key",
                "unknown key 'valeu' in status",
                "did you mean 'value'?",
            ),
        ),
        (
            ("    expert: Rachel Kim (Research)\n", ""),
            (
                "40:3",
                "schema-required",
                "evidence.benchmark is missing required key 'expert'",
                "add 'expert:' (The human subject-matter expert compared against.)",
            ),
        ),
    ],
)
def test_tool_messages(schemas: Schemas, edit: tuple[str, str], finding: Finding) -> None:
    assert check(schemas, "tool", edit) == [finding]


def test_a_date_failing_format_and_pattern_is_reported_once(schemas: Schemas) -> None:
    assert check(schemas, "tool", ("  since: 2026-03-02", "  since: 2026-3-2")) == [
        (
            "11:10",
            "schema",
            "status.since is '2026-3-2', which is not a date written YYYY-MM-DD, e.g. 2026-03-31",
            "check that the date exists (years 1900-2999), and write YYYY-MM-DD",
        )
    ]


@pytest.mark.parametrize(
    ("value", "scheme"),
    [
        ("javascript:alert(1)", "javascript"),
        ("JavaScript:alert(1)", "javascript"),
        ("data:text/html,<script>x</script>", "data"),
        ("file:///etc/passwd", "file"),
        ("vbscript:msgbox", "vbscript"),
    ],
)
def test_dangerous_link_schemes(schemas: Schemas, value: str, scheme: str) -> None:
    [(_, rule, message, hint)] = check(
        schemas, "tool", ("channel: mailto:ai-feedback@example.com", f"channel: {value!r}")
    )
    assert (rule, hint) == (
        "schema",
        f"{scheme}: links are not allowed; only https:// (or mailto:) links are",
    )
    assert message.startswith(f"evidence.feedback.channel is {value!r}, which is not a web ")


@pytest.mark.parametrize(
    "value",
    ["https://example.com/x", "http://example.com", "mailto:someone@example.com"],
)
def test_allowed_links(schemas: Schemas, value: str) -> None:
    edit = ("channel: mailto:ai-feedback@example.com", f"channel: {value}")
    assert check(schemas, "tool", edit) == []


def test_vendor_bridge_letter_only_for_soc2(schemas: Schemas) -> None:
    edit = (
        "    expires: 2028-03-14\n",
        "    expires: 2028-03-14\n"
        "    bridge_letter: {issued: 2026-07-01, covers_until: 2026-12-31}\n",
    )
    assert check(schemas, "vendor", edit) == [
        (
            "24:5",
            "schema",
            "certifications[1] has a bridge letter, which only a SOC 2 report can have",
            "remove 'bridge_letter', or correct the type",
        )
    ]


def test_vendor_soc2_needs_a_period(schemas: Schemas) -> None:
    edit = ("    period:\n      start: 2025-07-01\n      end: 2026-06-30\n", "")
    assert check(schemas, "vendor", edit) == [
        (
            "8:5",
            "schema-required",
            "certifications[0] is missing required key 'period'",
            "add 'period:' (The audit period of a SOC 2 report.)",
        )
    ]


def test_policy_unknown_status_in_requirements(schemas: Schemas) -> None:
    assert check(schemas, "policy", ("  deprecated:\n", "  depreciated:\n")) == [
        (
            "45:3",
            "schema-unknown-key",
            "unknown key 'depreciated' in requirements",
            "did you mean 'deprecated'?",
        )
    ]


def test_policy_unknown_status_without_a_close_match(schemas: Schemas) -> None:
    [(_, rule, message, hint)] = check(schemas, "policy", ("  deprecated:\n", "  gone:\n"))
    assert (rule, message) == ("schema-unknown-key", "unknown key 'gone' in requirements")
    assert hint == (
        "allowed: proposed, sandbox, pilot, approved, restricted, deprecated, offboarded, rejected"
    )


def test_phase_step_without_evidence(schemas: Schemas) -> None:
    edit = ("    evidence:\n      - evidence.feedback\n", "")
    assert check(schemas, "phase", edit) == [
        (
            "31:5",
            "schema-required",
            "steps[3] is missing required key 'evidence'",
            "add 'evidence:' (Tool fields (dotted paths, e.g. evidence.privacy_audit) that hold "
            "this step's evidence.)",
        )
    ]


def test_guidance_unknown_key_lists_what_is_allowed(schemas: Schemas) -> None:
    assert check(schemas, "guidance", ("faq:\n", "questions:\n")) == [
        (
            "14:1",
            "schema-unknown-key",
            "unknown key 'questions' in (top level)",
            "allowed here: faq, pitfalls, tips",
        )
    ]


@pytest.mark.parametrize(
    ("where", "text"),
    [
        ([], "(top level)"),
        (["id"], "id"),
        (["evidence", "pilot", "end"], "evidence.pilot.end"),
        (["certifications", 0, "period"], "certifications[0].period"),
        (["steps", 2], "steps[2]"),
    ],
)
def test_dotted(where: list[str | int], text: str) -> None:
    assert dotted(where) == text


@pytest.mark.parametrize(
    ("value", "text"),
    [("x", "'x'"), (3, "3"), (None, "None"), ([1, 2], "a list"), ({"a": 1}, "a mapping")],
)
def test_shown(value: object, text: str) -> None:
    assert shown(value) == text
