"""Schema errors in plain words, at the right place: the kinds the golden cases do not cover."""

from __future__ import annotations

import json

import pytest
from conftest import BASE, REPO

from generator import chars
from generator.load import Document, parse_yaml
from generator.schema import FORMS, Schemas, dotted, shown

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
            (
                "    results: evidence/acme-chat/benchmark-2025-12.csv",
                "    accuracy:\n      ai: 1.5\n      human: 0.95\n    hallucination_rate: 0.05",
            ),
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
                "(policy default: 20-50). With results, the number of rows; may be left out.",
            ),
        ),
        (
            ("    reviewer: Tomas Ferreira (Privacy)", "    reviewer: X"),
            (
                "23:15",
                "schema",
                "evidence.privacy_audit.reviewer is 'X', shorter than 2 characters",
                "write a person's name or role, e.g. 'Dana Ruiz (Security)'",
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
                "49:9",
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
                "52:14",
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
                "owner.contact is 'km at example.com': it has no '@'",
                "write an e-mail address, e.g. team@example.com",
            ),
        ),
        (
            ("problem: Research briefs take an hour each to write.", "problem: '   '"),
            (
                "12:10",
                "schema",
                "problem is blank: it holds only white space",
                "The pain point or inefficiency the tool addresses (Phase 1: define the problem).",
            ),
        ),
        (
            (
                "    power_users:\n      - Rachel Kim (Research)\n      - Omar Haddad (Accounts)\n",
                "    power_users: Rachel Kim (Research)\n",
            ),
            (
                "47:18",
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
            ("  contact: km@example.com", "  contact: km@example.com\n  github: example/research"),
            (
                "9:11",
                "schema",
                "owner.github is 'example/research': it does not start with '@'",
                "write a GitHub user or team: @user or @organisation/team, e.g. @acme/ml-platform",
            ),
        ),
        (
            ("  contact: km@example.com", "  contact: km@example.com\n  github: '@acme ml'"),
            (
                "9:11",
                "schema",
                "owner.github is '@acme ml', which is not a GitHub user or team",
                "write a GitHub user or team: @user or @organisation/team, e.g. @acme/ml-platform",
            ),
        ),
        (
            ("  contact: km@example.com", "  contact: km@example"),
            (
                "8:12",
                "schema",
                "owner.contact is 'km@example': its domain 'example' has no dot",
                "write an e-mail address, e.g. team@example.com",
            ),
        ),
        (
            ("  contact: km@example.com", "  contact: km@ai@example.com"),
            (
                "8:12",
                "schema",
                "owner.contact is 'km@ai@example.com': it has more than one '@'",
                "write an e-mail address, e.g. team@example.com",
            ),
        ),
        (
            # one finding, not also "shorter than 1 characters" from minLength
            ("  team: Knowledge Management", "  team: ''"),
            ("7:9", "schema", "owner.team is empty", "The team accountable for the tool."),
        ),
        (
            ("  since: 2026-03-02", "  since: 2026-02-30"),
            (
                "11:10",
                "schema",
                "status.since is '2026-02-30': February 2026 has 28 days",
                "write a date as YYYY-MM-DD in the years 1900-2999, e.g. 2026-03-31",
            ),
        ),
        (
            ("  since: 2026-03-02", "  since: 2026-13-02"),
            (
                "11:10",
                "schema",
                "status.since is '2026-13-02': there is no month 13",
                "write a date as YYYY-MM-DD in the years 1900-2999, e.g. 2026-03-31",
            ),
        ),
        (
            ("  since: 2026-03-02", "  since: 1850-03-02"),
            (
                "11:10",
                "schema",
                "status.since is '1850-03-02': the year 1850 is outside 1900-2999",
                "write a date as YYYY-MM-DD in the years 1900-2999, e.g. 2026-03-31",
            ),
        ),
        (
            ("id: acme-chat", "id: Acme Chat"),
            (
                "3:5",
                "schema",
                "id is 'Acme Chat', which is not an id",
                "write an id: lower-case letters, digits and hyphens, e.g. 'acme-chat'",
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
    """The date type has a pattern and a format; a date failing both is one finding."""
    assert check(schemas, "tool", ("  since: 2026-03-02", "  since: 2026-3-2")) == [
        (
            "11:10",
            "schema",
            "status.since is '2026-3-2': it is not written YYYY-MM-DD",
            "write a date as YYYY-MM-DD in the years 1900-2999, e.g. 2026-03-31",
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
        "write a web address (https://...) or an e-mail link (mailto:...)",
    )
    assert message == (
        f"evidence.feedback.channel is {value!r}: "
        f"{scheme}: links are not allowed; only https:// (or mailto:) links are"
    )


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


# -- one-line and multi-line text ---------------------------------------------------------------

#: The fields that may hold several lines (schema type ``text``); every other text is ``line``.
MULTI_LINE = {
    "guidance": {"tips[].text", "pitfalls[].text", "faq[].answer"},
    "phase": {"intro", "steps[].purpose", "steps[].details"},
    "policy": set(),
    "tool": {
        "description",
        "status.reason",
        "problem",
        "data.notes",
        "eu_ai_act.rationale",
        "evidence.privacy_audit.notes",
        "evidence.vendor_due_diligence.notes",
        "evidence.compliance_review.notes",
        "evidence.sandbox.notes",
        "evidence.benchmark.tone",
        "evidence.integration.architecture",
        "evidence.integration.notes",
        "evidence.security_review.notes",
        "evidence.pilot.summary",
        "evidence.human_review.checks",
        "evidence.incidents[].summary",
        "evidence.output_audits[].notes",
        "evidence.vendor_review.changes",
        "evidence.vendor_review.action",
        "evidence.offboarding.notes",
        "exceptions[].reason",
    },
    "vendor": {"notes"},
}


def quoted(value: str) -> str:
    """A YAML double-quoted scalar spelling every character outside printable ASCII as an escape."""
    inner = "".join(c if " " <= c <= "~" and c not in '"\\' else f"\\U{ord(c):08x}" for c in value)
    return f'"{inner}"'


def string_fields(schemas: Schemas, kind: str) -> dict[str, tuple[str | None, dict[str, object]]]:
    """Every string-valued field of a kind: dotted path -> (shared type name, its schema)."""
    out: dict[str, tuple[str | None, dict[str, object]]] = {}

    def walk(where: list[str | int], label: str, depth: int) -> None:
        node, name = schemas.at(kind, where)
        if node.get("type") == "string":
            out[label] = (name, node)
        if depth > 8:
            return
        for key in node.get("properties", {}):
            walk([*where, key], f"{label}.{key}" if label else key, depth + 1)
        if "items" in node:
            walk([*where, 0], f"{label}[]", depth + 1)

    walk([], "", 0)
    return out


def test_the_text_patterns_are_built_from_one_list() -> None:
    common = json.loads((REPO / "schemas/common.schema.json").read_text(encoding="utf-8"))
    defs = common["$defs"]
    assert defs["line"]["pattern"] == chars.LINE_PATTERN
    assert defs["person"]["pattern"] == chars.LINE_PATTERN
    assert defs["text"]["pattern"] == chars.TEXT_PATTERN


@pytest.mark.parametrize("kind", FILES)
def test_every_free_text_field_is_line_or_text(schemas: Schemas, kind: str) -> None:
    """A string field is ``text`` only where several lines make sense; the rest are ``line`` or
    have a pattern or format of their own (ids, dates, links, handles)."""
    fields = string_fields(schemas, kind)
    assert {f for f, (name, _) in fields.items() if name == "text"} == MULTI_LINE[kind]
    for field, (name, node) in fields.items():
        assert name in {"line", "text", "person"} or "pattern" in node or "format" in node, field


@pytest.mark.parametrize(
    ("char", "named"),
    [
        ("\u202e", "U+202E RIGHT-TO-LEFT OVERRIDE"),
        ("\u202a", "U+202A LEFT-TO-RIGHT EMBEDDING"),
        ("\u2066", "U+2066 LEFT-TO-RIGHT ISOLATE"),
        ("\u2069", "U+2069 POP DIRECTIONAL ISOLATE"),
        ("\u200e", "U+200E LEFT-TO-RIGHT MARK"),
        ("\u200f", "U+200F RIGHT-TO-LEFT MARK"),
        ("\u061c", "U+061C ARABIC LETTER MARK"),
        ("\u200b", "U+200B ZERO WIDTH SPACE"),
        ("\u200c", "U+200C ZERO WIDTH NON-JOINER"),
        ("\u200d", "U+200D ZERO WIDTH JOINER"),
        ("\u2060", "U+2060 WORD JOINER"),
        ("\u2064", "U+2064 INVISIBLE PLUS"),
        ("\ufeff", "U+FEFF ZERO WIDTH NO-BREAK SPACE"),
        ("\u180e", "U+180E MONGOLIAN VOWEL SEPARATOR"),
        ("\u00ad", "U+00AD SOFT HYPHEN"),
        ("\u3164", "U+3164 HANGUL FILLER"),
        ("\U000e0041", "U+E0041 TAG LATIN CAPITAL LETTER A"),
        ("\n", "U+000A LINE FEED"),
        ("\r", "U+000D CARRIAGE RETURN"),
        ("\t", "U+0009 CHARACTER TABULATION"),
        ("\x85", "U+0085 NEXT LINE"),
        ("\u2028", "U+2028 LINE SEPARATOR"),
        ("\x07", "U+0007 BELL"),
        ("\x9b", "U+009B <control>"),
    ],
)
def test_a_line_refuses_controls_and_invisible_characters(
    schemas: Schemas, char: str, named: str
) -> None:
    value = quoted(f"Acme {char}Chat")
    [(where, rule, message, hint)] = check(schemas, "tool", ("name: Acme Chat", f"name: {value}"))
    assert (where, rule, message) == ("4:7", "schema", f"name contains {named} at character 6")
    assert hint is not None
    assert hint.startswith(
        "write the value on one line"
        if char in "\n\r\x85\u2028"
        else "bidirectional controls"
        if char in "\u202e\u202a\u2066\u2069\u200e\u200f\u061c"
        else "control characters"
        if char in "\t\x07\x9b"
        else "invisible characters"
    )


@pytest.mark.parametrize("char", ["\u202e", "\u202b", "\u2067", "\u2068", "\x00", "\x1b", "\x9b"])
def test_multi_line_text_refuses_bidi_overrides_and_controls(schemas: Schemas, char: str) -> None:
    value = quoted(f"Briefs take{char} an hour.")
    [(where, _, message, _)] = check(
        schemas,
        "tool",
        ("problem: Research briefs take an hour each to write.", f"problem: {value}"),
    )
    assert (where, message) == ("12:10", f"problem contains {chars.describe(char)} at character 12")


@pytest.mark.parametrize(
    "value",
    [
        "Line one.\nLine two.\n",
        "Columns:\ta\tb",
        "Pair programming 👩\u200d💻 with a zero-width joiner",
        "An Arabic note \u200f\u0645\u0631\u062d\u0628\u0627\u200f with right-to-left marks",
        "Überprüfung, 利用ガイド, Проверка",
    ],
)
def test_multi_line_text_keeps_what_prose_needs(schemas: Schemas, value: str) -> None:
    edit = ("problem: Research briefs take an hour each to write.", f"problem: {quoted(value)}")
    assert check(schemas, "tool", edit) == []


@pytest.mark.parametrize("value", ["Überprüfung", "利用ガイド", "✔️ Acme", "Acme Chat (EU)"])
def test_a_line_keeps_ordinary_text_of_any_script(schemas: Schemas, value: str) -> None:
    assert check(schemas, "tool", ("name: Acme Chat", f"name: {quoted(value)}")) == []


def test_a_blank_line_is_not_text(schemas: Schemas) -> None:
    assert check(schemas, "tool", ("name: Acme Chat", "name: '  '")) == [
        (
            "4:7",
            "schema",
            "name is blank: it holds only white space",
            "The tool's name as people know it.",
        )
    ]


# -- every shape a value must have is said in words ------------------------------------------


def _constrained(node: object, where: str) -> list[str]:
    """The JSON pointers of the nodes of a schema that carry a pattern or a format."""
    if isinstance(node, list):
        return [p for i, item in enumerate(node) for p in _constrained(item, f"{where}/{i}")]
    if not isinstance(node, dict):
        return []
    here = [where] if "pattern" in node or "format" in node else []
    return here + [p for k, v in node.items() for p in _constrained(v, f"{where}/{k}")]


@pytest.mark.parametrize("file", sorted(p.name for p in (REPO / "schemas").glob("*.schema.json")))
def test_every_pattern_and_format_is_a_type_with_words(file: str) -> None:
    """A value that does not match a pattern is told what it should be in words: every pattern
    and format belongs to a shared type of common.schema.json that the messages describe
    (schema.FORMS), never to one field, whose description would have to stand in for them."""
    raw = json.loads((REPO / "schemas" / file).read_text(encoding="utf-8"))
    for pointer in _constrained(raw, ""):
        parts = pointer.split("/")
        assert file == "common.schema.json" and parts[1] == "$defs", f"{file}#{pointer}"
        assert parts[2] in FORMS, f"{file}#{pointer}: no words for the type {parts[2]!r}"


@pytest.mark.parametrize(
    ("type_name", "value"),
    [
        ("github", "@acme/ml-platform"),
        ("github", "@dana-ruiz"),
        ("rule_id", "cert-expired"),
        ("field_path", "evidence.privacy_audit"),
        ("secret_ref", "vault://ai/acme-chat"),
        ("secret_ref", "env://ACME_TOKEN"),
        ("edit_path", "/-/edit/{branch}/{path}"),
    ],
)
def test_the_examples_in_the_words_are_valid(schemas: Schemas, type_name: str, value: str) -> None:
    assert schemas.value_problem(type_name, value) is None
