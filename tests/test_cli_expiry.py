"""`handbook check-expiry` and `handbook report`: exit codes, outputs, the files the report writes.

Trees are the shared base tree (tests/cases/base, pinned to 2026-11-01) with the approved tool's
recurring evidence made current, so each test controls what is stale through --as-of alone.
"""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from datetime import date
from pathlib import Path
from typing import Any

import pytest
import yaml
from conftest import PINNED, REPO, MakeTree

from generator import pipeline
from generator.cli import main

TOOL = "registry/tools/acme-chat.yaml"
SCHEMA_LINE = "# yaml-language-server: $schema=../../schemas/tool.schema.json\n"
# acme-chat's output audit falls due on 2026-11-20 (window 7 days), its vendor review on
# 2026-12-30 (window 14 days); nothing else in the base tree is due before 2026-12-16.
QUIET, WARNING, OVERDUE = "2026-11-01", "2026-11-15", "2026-11-21"
# By 2026-12-20 the audit is 30 days late and both the vendor review and acme-code's stay in
# the sandbox (90 days from 2026-10-01) are 10 days from due.
LATER = "2026-12-20"


@pytest.fixture(autouse=True)
def _not_in_actions(monkeypatch: pytest.MonkeyPatch) -> None:
    """`--format auto` must mean text here, also when the tests run inside GitHub Actions."""
    for key in ("GITHUB_ACTIONS", "GITHUB_TOKEN", "GITHUB_REPOSITORY", "GITHUB_API_URL"):
        monkeypatch.delenv(key, raising=False)


@pytest.fixture
def tree(handbook_tree: MakeTree) -> Path:
    root = handbook_tree()
    data: dict[str, Any] = yaml.safe_load((root / TOOL).read_text(encoding="utf-8"))
    data["evidence"]["output_audits"] = [
        {
            "date": "2026-10-20",
            "reviewer": "Aisha Bello (KM)",
            "drift": False,
            "sample_size": 40,
            "errors": 3,
        }
    ]
    data["evidence"]["vendor_review"] = {
        "date": "2026-10-01",
        "reviewer": "Dana Ruiz (Security)",
        "changes": "none",
    }
    (root / TOOL).write_text(SCHEMA_LINE + yaml.safe_dump(data, sort_keys=False), encoding="utf-8")
    return root


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


def line_of(root: Path, rel: str, text: str) -> int:
    lines = (root / rel).read_text(encoding="utf-8").splitlines()
    return next(i for i, line in enumerate(lines, 1) if text in line)


# -- check-expiry ---------------------------------------------------------------------------------


def test_check_expiry_clean(tree: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(capsys, "check-expiry", "--root", str(tree), "--strict")
    assert (code, out) == (0, "no problems found\n")
    assert err == PINNED  # the policy's pinned as_of is said


def test_check_expiry_warning(tree: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "check-expiry", "--root", str(tree), "--as-of", WARNING)
    line = line_of(tree, TOOL, "date: '2026-10-20'")
    assert out == (
        f"{TOOL}:{line}:11: warning[output-audit-due] the output audit of 'Acme Chat' "
        "(vendor 'Acme AI') is due in 5 days (on 2026-11-20): the last was on 2026-10-20, and "
        "one is due every 31 days\n"
        "  hint: do the output audit and record it in evidence.output_audits "
        "(step 'output-audit')\n"
        "1 warning\n"
    )
    assert code == 0
    strict, _, _ = run(capsys, "check-expiry", "--root", str(tree), "--as-of", WARNING, "--strict")
    assert strict == 1


def test_check_expiry_error(tree: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(capsys, "check-expiry", "--root", str(tree), "--as-of", OVERDUE)
    assert code == 1
    assert "error[output-audit-overdue]" in out
    assert "overdue by 1 day (due 2026-11-20)" in out
    assert out.endswith("1 error\n")
    assert err == "handbook: dates judged as of 2026-11-21 (set with --as-of)\n"


def break_other_tool(tree: Path) -> None:
    """A schema error in acme-code (a tag that is not text): acme-chat is untouched."""
    other = tree / "registry/tools/acme-code.yaml"
    other.write_text(other.read_text(encoding="utf-8") + "tags: [1, 2]\n", encoding="utf-8")


def test_one_invalid_tool_does_not_blind_the_check(
    tree: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    break_other_tool(tree)
    code, out, err = run(
        capsys, "check-expiry", "--root", str(tree), "--format", "text", "--as-of", OVERDUE
    )
    assert code == 1
    assert "registry/tools/acme-code.yaml" in out and "error[schema]" in out
    assert "error[output-audit-overdue] the output audit of 'Acme Chat'" in out
    assert "some entries failed validation" in err


def test_an_invalid_record_leaves_the_rest_of_its_entry_checked(
    tree: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """An incident with a malformed date is left out; the output audit still goes stale."""
    text = (tree / TOOL).read_text(encoding="utf-8")
    (tree / TOOL).write_text(
        text.replace(
            "  output_audits:",
            "  incidents:\n  - date: yesterday\n    summary: x\n    severity: low\n"
            "  output_audits:",
        ),
        encoding="utf-8",
    )
    code, out, _ = run(
        capsys, "check-expiry", "--root", str(tree), "--format", "text", "--as-of", OVERDUE
    )
    assert code == 1
    assert "evidence.incidents[0].date" in out
    assert "error[output-audit-overdue]" in out


def test_an_invalid_vendor_certification_leaves_the_others_checked(
    tree: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    vendor = tree / "registry/vendors/acme-ai.yaml"
    vendor.write_text(
        vendor.read_text(encoding="utf-8").replace("issued: 2025-03-15", "issued: last spring"),
        encoding="utf-8",
    )
    code, out, _ = run(
        capsys, "check-expiry", "--root", str(tree), "--format", "text", "--as-of", "2027-07-02"
    )
    assert code == 1
    assert "certifications[1].issued" in out
    # the SOC 2 report (certifications[0]) is still judged: it went stale after 2027-06-30
    assert "error[cert-expired] SOC 2 Type II report 'soc2-2026'" in out


@pytest.mark.parametrize(
    ("path", "old", "new", "where"),
    [
        (TOOL, "tier: enterprise", "tier: enterprize", "license.tier"),
        (TOOL, "team: Knowledge Management", "team: [KM]", "owner.team"),
        (TOOL, "contact: km@example.com", "contact: 5", "owner.contact"),
        (TOOL, "  since: 2026-03-02\n", "  since: 2026-03-02\n  reason: 5\n", "status.reason"),
        (TOOL, "\nproblem:", "\nexceptions: none\nproblem:", "exceptions"),
        (TOOL, "\nproblem:", "\nwebsite: 7\nproblem:", "website"),
        (TOOL, "  tier: enterprise\n", "", "license"),  # a descriptive field left out
        (TOOL, "\nproblem:", "\ntags: [1]\nproblem:", "tags[0]"),
        ("registry/vendors/acme-ai.yaml", "trust_page: https:", "trust_page: htps:", "trust_page"),
    ],
)
def test_a_typo_in_a_descriptive_field_leaves_the_dates_judged(
    tree: Path, capsys: pytest.CaptureFixture[str], path: str, old: str, new: str, where: str
) -> None:
    """A wrong licence tier, owner team or tag is reported, and the entry's evidence and its
    vendor's certificates are still judged: one typo must not hide an overdue audit."""
    text = (tree / path).read_text(encoding="utf-8")
    assert text.count(old) == 1
    (tree / path).write_text(text.replace(old, new), encoding="utf-8")
    code, out, err = run(
        capsys, "check-expiry", "--root", str(tree), "--format", "text", "--as-of", "2027-07-02"
    )
    assert code == 1, err
    assert f"{path}:" in out and where in out
    assert "error[output-audit-overdue] the output audit of " in out
    assert "error[cert-expired] SOC 2 Type II report 'soc2-2026'" in out


@pytest.mark.parametrize(
    ("setting", "value"),
    [("pilot_min_days", "two weeks"), ("benchmark_tasks", "{min: '20', max: 50}")],
)
def test_a_policy_typo_is_reported_not_raised(
    tree: Path, capsys: pytest.CaptureFixture[str], setting: str, value: str
) -> None:
    policy = tree / "registry/policy.yaml"
    text = policy.read_text(encoding="utf-8")
    text = "\n".join(
        line for line in text.splitlines() if not line.startswith(f"{setting}:")
    )  # drop the setting (it may span lines), then write it wrong
    text = "\n".join(
        line
        for line in text.splitlines()
        if not (setting == "benchmark_tasks" and line.startswith(("  min:", "  max:")))
    )
    policy.write_text(text + f"\n{setting}: {value}\n", encoding="utf-8")
    for command in ("validate", "check-expiry"):
        code, out, err = run(capsys, command, "--root", str(tree), "--as-of", OVERDUE)
        assert code == 1, (command, out, err)
        assert "internal error" not in err
        assert "registry/policy.yaml:" in out and "error[schema]" in out
    # staleness still ran, on the policy's defaults for the broken setting
    assert "error[output-audit-overdue]" in out


@pytest.mark.parametrize(
    ("fmt", "check"),
    [
        ("json", lambda out: json.loads(out)["summary"] == {"error": 1, "warning": 0, "note": 0}),
        ("markdown", lambda out: "| error | `acme-chat` |" in out),
        ("junit", lambda out: ET.fromstring(out).attrib["failures"] == "1"),
        ("github", lambda out: out.startswith(f"::error file={TOOL},line=")),
    ],
)
def test_check_expiry_formats(
    tree: Path, capsys: pytest.CaptureFixture[str], fmt: str, check: Any
) -> None:
    code, out, _ = run(
        capsys, "check-expiry", "--root", str(tree), "--as-of", OVERDUE, "--format", fmt
    )
    assert code == 1
    assert check(out)


def test_check_expiry_auto_format_in_github_actions(
    tree: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("GITHUB_ACTIONS", "true")
    _, out, _ = run(capsys, "check-expiry", "--root", str(tree), "--as-of", OVERDUE)
    assert out.startswith("::error ")


def test_check_expiry_without_a_handbook(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, err = run(capsys, "check-expiry", "--root", str(tmp_path))
    assert (code, out) == (2, "")
    assert "has no registry/ or content/ folder" in err


# -- report ---------------------------------------------------------------------------------------


def test_report_writes_three_files(
    tree: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out_dir = tmp_path / "out" / "nightly"
    code, out, err = run(
        capsys, "report", "--root", str(tree), "--as-of", LATER, "--out", str(out_dir)
    )
    assert code == 1
    assert err == "handbook: dates judged as of 2026-12-20 (set with --as-of)\n"
    assert out == (
        "as of 2026-12-20 (set with --as-of): 1 error, 2 warnings\n"
        "  km@example.com: 1 error, 1 warning\n"
        "  platform@example.com: 1 warning\n"
        f"report written to {out_dir.as_posix()}/ (report.md, report.json, report.junit.xml)\n"
    )
    assert sorted(p.name for p in out_dir.iterdir()) == [
        ".handbook-output",  # the marker that lets the next run replace the folder
        "report.json",
        "report.junit.xml",
        "report.md",
    ]
    md = (out_dir / "report.md").read_text(encoding="utf-8")
    assert md.startswith(
        "# Governance report, 2026-12-20 \\(set with --as-of\\)\n\n**1 error, 2 warnings**\n"
    )
    assert md.index("## km@\u200dexample.com") < md.index("## platform@\u200dexample.com")
    km = md[md.index("## km@") : md.index("## platform@")]
    assert km.index("| error | `acme-chat` |") < km.index("| warning | `acme-chat` |")
    assert "2026-11-20 (30 days overdue)" in km
    assert "2026-12-30 (10 days left)" in km
    assert f"{TOOL}:{line_of(tree, TOOL, 'date: ' + repr('2026-10-20'))}:11" in km
    assert "| warning | `acme-code` |" in md[md.index("## platform@") :]
    report = json.loads((out_dir / "report.json").read_text(encoding="utf-8"))
    assert report["version"] == 1
    assert (report["as_of"], report["as_of_source"]) == ("2026-12-20", "set with --as-of")
    assert [(d["rule"], d["subject"], d["days"]) for d in report["diagnostics"]] == [
        ("output-audit-overdue", "acme-chat", -30),
        ("vendor-review-due", "acme-chat", 10),
        ("stage-overdue", "acme-code", 10),
    ]
    suites = ET.fromstring((out_dir / "report.junit.xml").read_text(encoding="utf-8"))
    assert [(s.attrib["name"], s.attrib["failures"]) for s in suites] == [
        ("output-audit-overdue", "1"),
        ("stage-overdue", "1"),
        ("vendor-review-due", "1"),
    ]


def test_report_clean_exits_0(
    tree: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, _ = run(capsys, "report", "--root", str(tree), "--out", str(tmp_path / "r"))
    assert code == 0
    assert out.startswith("as of 2026-11-01 (pinned in registry/policy.yaml): no problems found\n")
    assert "Nothing is stale" in (tmp_path / "r" / "report.md").read_text(encoding="utf-8")


def test_report_warnings_fail_only_under_strict(
    tree: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    args = ["report", "--root", str(tree), "--as-of", WARNING, "--out", str(tmp_path / "r")]
    assert run(capsys, *args)[0] == 0
    assert run(capsys, *args, "--strict")[0] == 1


def test_report_includes_validation_findings(
    tree: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    break_other_tool(tree)
    code, _, _ = run(
        capsys,
        "report",
        "--root",
        str(tree),
        "--out",
        str(tmp_path / "r"),
        "--as-of",
        OVERDUE,
        "--no-links",
    )
    assert code == 1
    report = json.loads((tmp_path / "r" / "report.json").read_text(encoding="utf-8"))
    # the broken entry beside the stale approval of another: one bad PR cannot blind the report
    assert [(d["path"], d["rule"]) for d in report["diagnostics"]] == [
        ("registry/tools/acme-chat.yaml", "output-audit-overdue"),
        ("registry/tools/acme-code.yaml", "schema"),
        ("registry/tools/acme-code.yaml", "schema"),
    ]


def test_report_json_format_keeps_stdout_machine_readable(
    tree: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, err = run(
        capsys,
        "report",
        "--root",
        str(tree),
        "--as-of",
        OVERDUE,
        "--out",
        str(tmp_path / "r"),
        "--format",
        "json",
    )
    assert code == 1
    assert out == (tmp_path / "r" / "report.json").read_text(encoding="utf-8")
    assert err.startswith(
        "handbook: dates judged as of 2026-11-21 (set with --as-of)\n"
        "as of 2026-11-21 (set with --as-of): 1 error\n  km@example.com: 1 error\n"
    )


@pytest.mark.parametrize(
    ("env", "missing"),
    [
        ({}, "GITHUB_TOKEN and GITHUB_REPOSITORY"),
        ({"GITHUB_TOKEN": "ghs_secret-token-value"}, "GITHUB_REPOSITORY"),
        ({"GITHUB_REPOSITORY": "acme/handbook"}, "GITHUB_TOKEN"),
    ],
)
def test_report_github_issue_needs_token_and_repository(
    tree: Path,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    env: dict[str, str],
    missing: str,
) -> None:
    for key, value in env.items():
        monkeypatch.setenv(key, value)
    code, out, err = run(
        capsys, "report", "--root", str(tree), "--out", str(tmp_path / "r"), "--github-issue"
    )
    assert code == 2
    assert out == ""
    assert f"handbook: error: --github-issue needs {missing} in the environment\n" in err
    assert "secret-token-value" not in err
    assert not (tmp_path / "r").exists()  # refused before doing any work


@pytest.mark.parametrize(("as_of", "expect_body", "code"), [(OVERDUE, True, 1), (QUIET, False, 0)])
def test_report_github_issue_passes_the_rendered_body(
    tree: Path,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    as_of: str,
    expect_body: bool,
    code: int,
) -> None:
    publish = pytest.importorskip("generator.publish")
    issue = pytest.importorskip("generator.report.issue")
    calls: list[dict[str, Any]] = []

    def fake_sync(**kwargs: Any) -> Any:
        calls.append(kwargs)
        return publish.SyncResult("created" if kwargs["body"] else "none", 7, "https://x/7")

    monkeypatch.setattr(publish, "sync_issue", fake_sync)
    monkeypatch.setenv("GITHUB_TOKEN", "ghs_secret-token-value")
    monkeypatch.setenv("GITHUB_REPOSITORY", "acme/handbook")
    monkeypatch.setenv("GITHUB_API_URL", "https://ghe.example.com/api/v3")
    got, out, err = run(
        capsys,
        "report",
        "--root",
        str(tree),
        "--as-of",
        as_of,
        "--out",
        str(tmp_path / "r"),
        "--github-issue",
    )
    assert got == code
    (call,) = calls
    assert (call["api_url"], call["repo"], call["token"]) == (
        "https://ghe.example.com/api/v3",
        "acme/handbook",
        "ghs_secret-token-value",
    )
    assert (call["body"] is not None) is expect_body
    checked = pipeline.check(tree, date.fromisoformat(as_of), date.fromisoformat(as_of))
    today = checked.today
    found = checked.diagnostics + pipeline.staleness(checked)
    why = " (set with --as-of)"
    assert call["body"] == issue.render_issue(found, today=today, mention_owners=False, why=why)
    if expect_body:
        assert issue.MARKER in call["body"]
    assert call["comment"] == issue.resolved_comment(today, why)
    assert "secret-token-value" not in out + err
    assert out.endswith(
        "github issue #7 " + ("created" if expect_body else "none") + ": https://x/7\n"
    )


# -- the shipped example ------------------------------------------------------------------------

SHIPPED = REPO / "registry" / "policy.yaml"


@pytest.mark.skipif(not SHIPPED.is_file(), reason="the shipped example registry is not there yet")
def test_shipped_example_warns_but_has_no_errors_on_its_pinned_date(
    capsys: pytest.CaptureFixture[str],
) -> None:
    code, out, err = run(capsys, "check-expiry", "--root", str(REPO), "--format", "json")
    assert err == PINNED
    summary = json.loads(out)["summary"]
    assert summary["error"] == 0
    assert summary["warning"] > 0
    assert code == 0


@pytest.mark.skipif(not SHIPPED.is_file(), reason="the shipped example registry is not there yet")
def test_shipped_example_goes_stale(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(
        capsys, "check-expiry", "--root", str(REPO), "--as-of", "2027-06-01", "--format", "json"
    )
    rules = {d["rule"] for d in json.loads(out)["diagnostics"] if d["severity"] == "error"}
    assert code == 1
    assert {"cert-expired", "output-audit-overdue", "access-review-overdue"} <= rules


def test_one_bad_nested_policy_value_keeps_the_rest_of_its_setting(
    tree: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A stricter output-audit cadence (10 days) still applies when its sibling is invalid:
    only ``cadence_days.vendor_review`` falls back to its default."""
    policy = tree / "registry/policy.yaml"
    text = policy.read_text(encoding="utf-8")
    text = text.replace(
        "  output_audit: 31\n  vendor_review: 90\n", "  output_audit: 10\n  vendor_review: 0\n"
    )
    policy.write_text(text, encoding="utf-8")
    code, out, _ = run(
        capsys, "check-expiry", "--root", str(tree), "--format", "text", "--as-of", QUIET
    )
    assert code == 1
    assert "cadence_days.vendor_review" in out
    # audited 2026-10-20, every 10 days: overdue by 2026-11-01 (not under the default 31)
    assert "error[output-audit-overdue] the output audit of 'Acme Chat'" in out


@pytest.mark.parametrize(
    "added",
    [
        # an audit dated in the future: left out, the real last audit is still overdue
        "  - date: '2027-10-20'\n    reviewer: Aisha Bello (KM)\n    drift: false\n",
    ],
)
def test_a_future_evidence_date_does_not_push_the_due_date_away(
    tree: Path, capsys: pytest.CaptureFixture[str], added: str
) -> None:
    text = (tree / TOOL).read_text(encoding="utf-8")
    marker = "  - date: '2026-10-20'\n"
    assert text.count(marker) == 1
    (tree / TOOL).write_text(text.replace(marker, added + marker), encoding="utf-8")
    code, out, _ = run(
        capsys, "check-expiry", "--root", str(tree), "--format", "text", "--as-of", OVERDUE
    )
    assert code == 1
    assert "error[date-future]" in out
    assert "error[output-audit-overdue] the output audit of 'Acme Chat'" in out


def test_an_exception_the_policy_refuses_accepts_nothing(
    tree: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    exception = (
        "exceptions:\n- rule: output-audit-overdue\n  reason: Audit team on leave.\n"
        "  approver: Dana Ruiz (Security)\n  until: 2030-11-30\n"
    )
    (tree / TOOL).write_text(
        (tree / TOOL).read_text(encoding="utf-8") + exception, encoding="utf-8"
    )
    code, out, _ = run(
        capsys, "check-expiry", "--root", str(tree), "--format", "text", "--as-of", OVERDUE
    )
    assert code == 1
    assert "error[exception-invalid]" in out
    assert "error[output-audit-overdue] the output audit of 'Acme Chat'" in out
