"""Cross-field and cross-file rules: boundaries, policy settings and wording the goldens skip."""

from __future__ import annotations

from datetime import date

import pytest
from conftest import BASE, REPO, TODAY, MakeTree

from generator.diagnostics import sorted_diagnostics
from generator.load import load_tree
from generator.model import without as _pruned
from generator.schema import Schemas
from generator.validate import _SECRET, skeleton, validate

CHAT = "registry/tools/acme-chat.yaml"
CODE = "registry/tools/acme-code.yaml"
NOTES = "registry/tools/globex-notes.yaml"
ACME = "registry/vendors/acme-ai.yaml"
POLICY = "registry/policy.yaml"

Edits = dict[str, list[tuple[str, str]]]


@pytest.fixture(scope="module")
def schemas() -> Schemas:
    return Schemas(REPO / "schemas")


def edited(rel: str, *pairs: tuple[str, str], append: str = "") -> str:
    text = (BASE / rel).read_text(encoding="utf-8")
    for old, new in pairs:
        assert text.count(old) == 1, old
        text = text.replace(old, new)
    return text + append


def findings(
    handbook_tree: MakeTree, schemas: Schemas, files: dict[str, str], today: date = TODAY
) -> list[tuple[str, str, str]]:
    tree, diags = load_tree(handbook_tree(files=files))
    diags += validate(tree, schemas, today).diagnostics
    return [(d.location, d.rule, d.message) for d in sorted_diagnostics(diags)]


def pilot(start: str, end: str) -> dict[str, str]:
    return {
        CHAT: edited(
            CHAT, ("start: 2026-01-12", f"start: {start}"), ("end: 2026-02-06", f"end: {end}")
        )
    }


def tasks(n: int) -> dict[str, str]:
    """The base benchmark with ``n`` task records (and ``tasks: n`` typed, agreeing)."""
    header = "task,ai_correct,expert_correct,ai_hallucination\n"
    rows = "".join(f"T{i},{'yes' if i % 10 else 'no'},yes,no\n" for i in range(n))
    return {
        CHAT: edited(CHAT, ("    tasks: 40", f"    tasks: {n}")),
        "evidence/acme-chat/benchmark-2025-12.csv": header + rows,
    }


def exception(until: str, rule: str = "benchmark-size", approver: bool = True) -> dict[str, str]:
    who = "    approver: Priya Natarajan (Governance)\n" if approver else ""
    return {
        CODE: edited(
            CODE,
            append=f"exceptions:\n  - rule: {rule}\n    reason: Quota.\n{who}    until: {until}\n",
        )
    }


# -- boundaries ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("files", "expected"),
    [
        (pilot("2026-01-12", "2026-01-26"), []),  # exactly 14 days
        (
            pilot("2026-01-12", "2026-01-25"),
            [
                (
                    f"{CHAT}:51:10",
                    "pilot-too-short",
                    "the pilot runs 13 days (2026-01-12 to 2026-01-25); "
                    "the policy asks for at least 14",
                )
            ],
        ),
        (
            pilot("2026-01-12", "2026-01-12"),
            [
                (
                    f"{CHAT}:51:10",
                    "pilot-too-short",
                    "the pilot runs 0 days (2026-01-12 to 2026-01-12); "
                    "the policy asks for at least 14",
                )
            ],
        ),
        (
            pilot("2026-01-12", "2026-01-01"),  # backwards: one finding, not two
            [
                (
                    f"{CHAT}:51:10",
                    "date-order",
                    "evidence.pilot.end (2026-01-01) is before evidence.pilot.start (2026-01-12)",
                )
            ],
        ),
        (tasks(20), []),
        (tasks(50), []),
        (
            tasks(19),
            [
                (
                    f"{CHAT}:44:14",
                    "benchmark-size",
                    "the benchmark ran 19 tasks (evidence/acme-chat/benchmark-2025-12.csv has "
                    "19 rows); the policy asks for 20 to 50",
                )
            ],
        ),
        (exception("2027-01-30"), []),  # exactly 90 days from 2026-11-01
        (
            exception("2027-01-31"),
            [
                (
                    f"{CODE}:40:12",
                    "exception-invalid",
                    "the exception for 'benchmark-size' runs until 2027-01-31, "
                    "more than 90 days from 2026-11-01",
                )
            ],
        ),
        ({CODE: edited(CODE, ("date: 2026-09-10", "date: 2026-11-01"))}, []),  # today is fine
    ],
    ids=[
        "pilot-14-days",
        "pilot-13-days",
        "pilot-0-days",
        "pilot-backwards",
        "tasks-20",
        "tasks-50",
        "tasks-19",
        "exception-90-days",
        "exception-91-days",
        "evidence-dated-today",
    ],
)
def test_boundaries(
    handbook_tree: MakeTree,
    schemas: Schemas,
    files: dict[str, str],
    expected: list[tuple[str, str, str]],
) -> None:
    assert findings(handbook_tree, schemas, files) == expected


# -- the policy's numbers drive the rules --------------------------------------------------------


def test_policy_benchmark_range(handbook_tree: MakeTree, schemas: Schemas) -> None:
    files = {POLICY: edited(POLICY, ("  min: 20\n  max: 50", "  min: 41\n  max: 60"))}
    assert findings(handbook_tree, schemas, files) == [
        (
            f"{CHAT}:44:14",
            "benchmark-size",
            "the benchmark ran 40 tasks (evidence/acme-chat/benchmark-2025-12.csv has 40 rows); "
            "the policy asks for 41 to 60",
        )
    ]


def test_policy_exception_window(handbook_tree: MakeTree, schemas: Schemas) -> None:
    files = {
        POLICY: edited(POLICY, ("exception_max_days: 90", "exception_max_days: 30")),
        **exception("2026-12-15"),
    }
    assert findings(handbook_tree, schemas, files) == [
        (
            f"{CODE}:40:12",
            "exception-invalid",
            "the exception for 'benchmark-size' runs until 2026-12-15, "
            "more than 30 days from 2026-11-01",
        )
    ]


def test_policy_defaults_apply_when_unset(handbook_tree: MakeTree, schemas: Schemas) -> None:
    files = {
        POLICY: edited(
            POLICY,
            ("pilot_min_days: 14\n", ""),
            ("benchmark_tasks:\n  min: 20\n  max: 50\n", ""),
            ("exception_max_days: 90\n", ""),
        ),
        **tasks(51),
    }
    assert findings(handbook_tree, schemas, files) == [
        (
            f"{CHAT}:44:14",
            "benchmark-size",
            "the benchmark ran 51 tasks (evidence/acme-chat/benchmark-2025-12.csv has 51 rows); "
            "the policy asks for 20 to 50",
        )
    ]


def test_status_requirements_come_from_the_policy(
    handbook_tree: MakeTree, schemas: Schemas
) -> None:
    files = {POLICY: edited(POLICY, ("  sandbox:\n", "  sandbox:\n    - benchmark\n"))}
    assert findings(handbook_tree, schemas, files) == [
        (
            f"{CODE}:10:10",
            "evidence-missing",
            "status 'sandbox' needs evidence.benchmark (step 'benchmark'), which is missing",
        )
    ]


# -- no cascades -----------------------------------------------------------------------------


def test_cross_rules_skip_a_tool_that_fails_its_schema(
    handbook_tree: MakeTree, schemas: Schemas
) -> None:
    files = {
        CODE: edited(
            CODE,
            ("vendor: acme-ai", "vendor: nobody"),
            ("isolated_from_production: true", "isolated_from_production: false"),
            ("  tier: team", "  tier: team\n  colour: red"),
        )
    }
    assert findings(handbook_tree, schemas, files) == [
        (f"{CODE}:15:3", "schema-unknown-key", "unknown key 'colour' in license")
    ]


def test_an_invalid_vendor_file_still_exists(handbook_tree: MakeTree, schemas: Schemas) -> None:
    files = {ACME: edited(ACME, ("certifications:\n", "certifications: oops\nx-certs:\n"))}
    assert findings(handbook_tree, schemas, files) == [
        (
            f"{ACME}:7:17",
            "schema",
            "certifications should be a list (lines starting with '- '), not 'oops'",
        ),
        (f"{ACME}:8:1", "schema-unknown-key", "unknown key 'x-certs' in (top level)"),
    ]


def test_an_empty_file_is_reported_once(handbook_tree: MakeTree, schemas: Schemas) -> None:
    """The tools citing it get no ref-unknown-vendor: the file exists, it is just broken."""
    assert findings(handbook_tree, schemas, {ACME: ""}) == [
        (f"{ACME}:1:1", "yaml-empty", "file has no YAML content"),
    ]


# -- dates -----------------------------------------------------------------------------------


def test_date_order_everywhere(handbook_tree: MakeTree, schemas: Schemas) -> None:
    files = {
        ACME: edited(
            ACME,
            (
                "      end: 2026-06-30\n",
                "      end: 2026-06-30\n    bridge_letter:\n"
                "      issued: 2026-08-01\n      covers_until: 2026-07-31\n",
            ),
            ("    issued: 2026-08-14", "    issued: 2026-06-01"),
        ),
        CHAT: edited(
            CHAT,
            append="  incidents:\n    - date: 2026-05-02\n      summary: Wrong citation.\n"
            "      resolved: true\n      resolved_on: 2026-05-01\n",
        ),
        NOTES: edited(NOTES, ("  value: proposed", "  value: offboarded"))
        + "evidence:\n  offboarding:\n    started: 2026-10-21\n    completed: 2026-10-20\n"
        "    keys_revoked: true\n    data_wiped: true\n",
    }
    assert findings(handbook_tree, schemas, files) == [
        (
            f"{CHAT}:59:20",
            "date-order",
            "evidence.incidents[0].resolved_on (2026-05-01) is before "
            "evidence.incidents[0].date (2026-05-02)",
        ),
        (
            f"{NOTES}:21:16",
            "date-order",
            "evidence.offboarding.completed (2026-10-20) is before "
            "evidence.offboarding.started (2026-10-21)",
        ),
        (
            f"{ACME}:11:13",
            "date-order",
            "certifications[0].issued (2026-06-01) is before certifications[0].period.end "
            "(2026-06-30)",
        ),
        (
            f"{ACME}:17:21",
            "date-order",
            "certifications[0].bridge_letter.covers_until (2026-07-31) is before "
            "certifications[0].bridge_letter.issued (2026-08-01)",
        ),
    ]


def test_future_dates_everywhere(handbook_tree: MakeTree, schemas: Schemas) -> None:
    day = "2026-11-02"
    files = {
        ACME: edited(ACME, ("      on: 2026-08-28", f"      on: {day}")),
        CHAT: edited(
            CHAT,
            ("  since: 2026-03-02", f"  since: {day}"),
            ("    date: 2025-12-12", f"    date: {day}"),
        ),
    }
    assert findings(handbook_tree, schemas, files) == [
        (f"{CHAT}:11:10", "date-future", f"status.since is {day}, after 2026-11-01"),
        (f"{CHAT}:41:11", "date-future", f"evidence.benchmark.date is {day}, after 2026-11-01"),
        (
            f"{ACME}:18:11",
            "date-future",
            f"certifications[0].verified.on is {day}, after 2026-11-01",
        ),
    ]


def test_check_date_is_a_parameter(handbook_tree: MakeTree, schemas: Schemas) -> None:
    assert findings(handbook_tree, schemas, {}, today=date(2026, 10, 19)) == [
        (f"{NOTES}:11:10", "date-future", "status.since is 2026-10-20, after 2026-10-19")
    ]


# -- status rules ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("edits", "reasons"),
    [
        (
            [("    personal_data: true", "    personal_data: false")],
            "the privacy audit does not allow personal data",
        ),
        (
            [("    result: pass\n    personal_data", "    result: fail\n    personal_data")],
            "the privacy audit failed",
        ),
        ([("  tier: enterprise", "  tier: personal")], "the license is personal"),
    ],
)
def test_personal_data_reasons(
    handbook_tree: MakeTree, schemas: Schemas, edits: list[tuple[str, str]], reasons: str
) -> None:
    found = findings(handbook_tree, schemas, {CHAT: edited(CHAT, *edits)})
    assert (
        f"{CHAT}:19:7",
        "personal-data-unsafe",
        f"personal data is allowed, but {reasons}",
    ) in found


@pytest.mark.parametrize(
    ("section", "block", "message"),
    [
        (
            "compliance_review",
            "  compliance_review:\n    date: 2026-01-05\n    reviewer: Legal\n"
            "    regulations: [GDPR]\n    outcome: fail\n",
            "the compliance review failed, yet the tool's status is 'approved'",
        ),
        (
            "security_review",
            "  security_review:\n    date: 2026-01-05\n    reviewer: Security\n    result: fail\n",
            "the security review failed, yet the tool's status is 'approved'",
        ),
    ],
)
def test_review_failed(
    handbook_tree: MakeTree, schemas: Schemas, section: str, block: str, message: str
) -> None:
    files = {CHAT: edited(CHAT, ("  pilot:\n", block + "  pilot:\n"))}
    [(_, rule, got)] = findings(handbook_tree, schemas, files)
    assert (rule, got) == ("review-failed", message)


def test_a_failed_review_is_fine_once_rejected(handbook_tree: MakeTree, schemas: Schemas) -> None:
    block = "  security_review:\n    date: 2026-01-05\n    reviewer: Security\n    result: fail\n"
    files = {
        CHAT: edited(
            CHAT, ("  pilot:\n", block + "  pilot:\n"), ("value: approved", "value: rejected")
        )
    }
    assert findings(handbook_tree, schemas, files) == []


def test_offboarding_lacks_every_step(handbook_tree: MakeTree, schemas: Schemas) -> None:
    files = {
        NOTES: edited(NOTES, ("  value: proposed", "  value: offboarded"))
        + "evidence:\n  offboarding:\n    started: 2026-10-21\n    keys_revoked: false\n"
        "    data_wiped: false\n"
    }
    assert findings(handbook_tree, schemas, files) == [
        (
            f"{NOTES}:20:5",
            "offboarding-incomplete",
            "the tool is offboarded but offboarding lacks: keys_revoked, data_wiped, completed",
        )
    ]


def test_exception_for_an_unknown_rule_without_a_close_match(
    handbook_tree: MakeTree, schemas: Schemas
) -> None:
    tree, diags = load_tree(handbook_tree(files=exception("2026-12-01", rule="zzz")))
    [d] = validate(tree, schemas, TODAY).diagnostics + diags
    assert (d.rule, d.message, d.hint) == (
        "ref-unknown-rule",
        "exception names rule 'zzz', which does not exist",
        "see the rules reference",
    )


def test_step_evidence_must_be_a_tool_field(handbook_tree: MakeTree, schemas: Schemas) -> None:
    rel = "content/procedure/1-assess.yaml"
    files = {
        rel: edited(
            rel, ("      - problem\n", "      - problem\n      - owner.team\n      - nope\n")
        )
    }
    assert findings(handbook_tree, schemas, files) == [
        (
            f"{rel}:14:9",
            "ref-unknown-field",
            "step 'define-problem' names 'nope', which tools do not have",
        ),
    ]


# -- helpers ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("acme-chat", "acmechat"),
        ("acme-chat", "ACME Chat"),
        ("globex-notes", "globex-n0tes"),
        ("acme-mail", "acme-mai1"),
        ("sales", "$ales"),
        ("\uff26\uff55\uff4c\uff4c", "full"),  # NFKC folds full-width letters
    ],
)
def test_skeleton_matches_look_alikes(a: str, b: str) -> None:
    assert skeleton(a) == skeleton(b)


@pytest.mark.parametrize(("a", "b"), [("acme-chat", "acme-chart"), ("globex", "globe")])
def test_skeleton_keeps_real_differences(a: str, b: str) -> None:
    assert skeleton(a) != skeleton(b)


@pytest.mark.parametrize(
    "value",
    [
        "sk-proj-4f9KQ2x7LmN8pR3sT6vW",
        "key sk-ant-api03-abcdefghijklmnop",
        "ghp_" + "a" * 36,
        "github_pat_" + "B" * 40,
        "AKIAIOSFODNN7EXAMPLE",
        "xoxb-1234567890-abcdef",
        "AIza" + "x" * 35,
        "-----BEGIN RSA PRIVATE KEY-----",
        "-----BEGIN PRIVATE KEY-----",
    ],
)
def test_secret_patterns_match(value: str) -> None:
    assert _SECRET.search(value)


@pytest.mark.parametrize(
    "value",
    ["vault://kv/ai/acme", "sk-short", "task-force", "AKIA-not-a-key", "ask-ant-eater", ""],
)
def test_secret_patterns_leave_ordinary_text(value: str) -> None:
    assert not _SECRET.search(value)


def test_pruned_copies_only_the_way_to_what_it_removes() -> None:
    data = {
        "a": {"b": [1, 2, 3], "c": {"d": 4}},
        "e": [{"f": 5}, {"g": 6}],
        "h": {"i": 7},
    }
    drop = {("a", "b", 0), ("a", "b", 2), ("e", 0), ("e", 0, "f"), ("h", "x"), ("a", "b", "k")}
    out = _pruned(data, drop)
    assert out == {"a": {"b": [2], "c": {"d": 4}}, "e": [{"g": 6}], "h": {"i": 7}}
    assert data["a"]["b"] == [1, 2, 3]
    assert data["e"][0] == {"f": 5}
    assert out["a"]["c"] is data["a"]["c"]
    assert out["e"][0] is data["e"][1]
    assert _pruned(data, set()) is data


@pytest.mark.parametrize(
    ("pairs", "expected"),
    [
        ([("tier: enterprise", "tier: enterprize")], {("license",)}),
        ([("problem: Research briefs take an hour each to write.\n", "")], set()),
        ([("team: Knowledge Management", "team: 7")], {("owner", "team")}),
        (
            [("tier: enterprise", "tier: 1"), ("team: Knowledge Management", "team: 7")],
            {("license",), ("owner", "team")},
        ),
        ([("contact: ", "contact: not-an-address # ")], {("owner", "contact")}),
        ([("  contact: km@example.com\n", "")], set()),
        (
            [("  since: 2026-03-02\n", "  since: 2026-03-02\n  decided_by: 5\n")],
            {("status", "decided_by")},
        ),
        ([("\nproblem:", "\nexceptions: none\nproblem:")], {("exceptions",)}),
        # what the dates are judged by leaves nothing usable
        ([("  value: approved", "  value: aproved")], None),
        ([("since: 2026-", "since: 26-")], None),
        ([("vendor: acme-ai", "vendor: [acme-ai]")], None),
    ],
)
def test_a_descriptive_field_is_a_record_of_its_own(
    handbook_tree: MakeTree,
    schemas: Schemas,
    pairs: list[tuple[str, str]],
    expected: set[tuple[str, ...]] | None,
) -> None:
    """A tool's licence, problem or owner is left out alone; its status or vendor is not."""
    tree, _ = load_tree(handbook_tree(files={CHAT: edited(CHAT, *pairs)}))
    result = validate(tree, schemas, TODAY)
    assert result.usable.get(CHAT) == (None if expected is None else frozenset(expected))


@pytest.mark.parametrize(
    ("pairs", "expected"),
    [
        ([("  vendor_review: 90", "  vendor_review: 0")], {("cadence_days", "vendor_review")}),
        ([("  exclude:  # the", "  exclude:\n    - 7  # the")], {("links", "exclude", 0)}),
        ([("pilot_min_days: 14", "pilot_min_days: two weeks")], {("pilot_min_days",)}),
        ([("cadence_days:\n  output_audit: 31\n  vendor_review: 90\n", "")], set()),
    ],
)
def test_a_policy_setting_is_left_out_alone_however_deep(
    handbook_tree: MakeTree,
    schemas: Schemas,
    pairs: list[tuple[str, str]],
    expected: set[tuple[str | int, ...]],
) -> None:
    """One bad value of the policy falls back to its default; its siblings stay in force."""
    tree, _ = load_tree(handbook_tree(files={POLICY: edited(POLICY, *pairs)}))
    result = validate(tree, schemas, TODAY)
    assert result.usable.get(POLICY) == frozenset(expected)


@pytest.mark.parametrize("name", ["nl\nx.png", "rtl\u202egnp.png", "zw\u200bx.png"])
def test_an_asset_name_that_reads_differently_is_refused(
    handbook_tree: MakeTree, schemas: Schemas, name: str
) -> None:
    root = handbook_tree()
    (root / "content/assets").mkdir(parents=True, exist_ok=True)
    (root / "content/assets" / name).write_bytes(b"x")
    tree, _ = load_tree(root)
    found = [d for d in validate(tree, schemas, TODAY).diagnostics if d.rule == "file-name"]
    assert len(found) == 1 and found[0].path is not None and "\n" not in found[0].path
    assert found[0].message.startswith("the asset's path holds U+")
