"""`handbook diff`: the governance meaning of a change, between revisions of small git repos."""

from __future__ import annotations

import contextlib
import copy
import json
import os
from collections.abc import Callable, Iterator
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest
from conftest import BASE, REPO, MakeTree
from gitrepo import GitRepo

from generator import diff
from generator.cli import main
from generator.diff import GovDiff, Snapshot, compare, pair, render
from generator.diff.changes import ATTENTION, INFO, WARNING, plain
from generator.load import parse_yaml
from generator.model import build_policy, effective_policy, policy_defaults
from generator.siteconfig import PYTHON_NAMES

TOOL = "registry/tools/acme-chat.yaml"
VENDOR = "registry/vendors/acme-ai.yaml"


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture
def repo(handbook_tree: MakeTree) -> GitRepo:
    """The base test tree, committed once."""
    g = GitRepo.init(handbook_tree())
    g.commit("Add the registry", "2026-01-05")
    return g


def pilot_then_approval(g: GitRepo) -> tuple[str, str]:
    """The realistic change: acme-chat leaves its pilot for approval, widens its data classes
    (personal data, now that the privacy audit allows it), and the vendor's SOC 2 report is
    renewed (a new issue date, period and evidence link). Returns (base, head) shas."""
    g.edit(TOOL, "  value: approved\n  since: 2026-03-02", "  value: pilot\n  since: 2026-01-12")
    g.edit(TOOL, "    - internal\n    - personal\n", "    - internal\n")
    g.edit(
        TOOL,
        "    outcome: adopt\n  feedback:\n    channel: mailto:ai-feedback@example.com\n",
        "    outcome: pending\n",
    )
    g.edit(VENDOR, "    issued: 2026-08-14\n", "    issued: 2025-08-11\n")
    g.edit(
        VENDOR,
        "start: 2025-07-01\n      end: 2026-06-30",
        "start: 2024-07-01\n      end: 2025-06-30",
    )
    g.edit(VENDOR, "acme-ai/soc2-2026.pdf", "acme-ai/soc2-2025.pdf")
    base = g.commit("Start the Acme Chat pilot", "2026-01-12")
    g.edit(TOOL, "  value: pilot\n  since: 2026-01-12", "  value: approved\n  since: 2026-10-20")
    g.edit(TOOL, "    - internal\n", "    - internal\n    - personal\n")
    g.edit(
        TOOL,
        "    outcome: pending\n",
        "    outcome: adopt\n  feedback:\n    channel: mailto:ai-feedback@example.com\n",
    )
    g.edit(VENDOR, "    issued: 2025-08-11\n", "    issued: 2026-08-14\n")
    g.edit(
        VENDOR,
        "start: 2024-07-01\n      end: 2025-06-30",
        "start: 2025-07-01\n      end: 2026-06-30",
    )
    g.edit(VENDOR, "acme-ai/soc2-2025.pdf", "acme-ai/soc2-2026.pdf")
    head = g.commit("Approve Acme Chat after its pilot", "2026-10-20")
    return base, head


MARKDOWN = """\
<!-- handbook:governance-diff -->
### Governance changes

Comparing `{base}` with `{head}`: 0 warnings, 2 need attention, 5 other changes.

#### Needs a reviewer's attention

- ⚠️ **Tool `acme-chat`**: status `pilot` → `approved` (wider use) since `2026-10-20`; evidence added alongside: `feedback`; evidence updated alongside: `pilot`
- ⚠️ **Tool `acme-chat`**: data classifications widened: `personal` newly allowed (now `internal`, `personal`)

#### Tools

**Tool `acme-chat`** Acme Chat · `registry/tools/acme-chat.yaml`

- ⚠️ status `pilot` → `approved` (wider use) since `2026-10-20`; evidence added alongside: `feedback`; evidence updated alongside: `pilot`
- ⚠️ data classifications widened: `personal` newly allowed (now `internal`, `personal`)
- `evidence.pilot.outcome`: `pending` → `adopt`
- `evidence.feedback.channel`: *(none)* → `mailto:ai-feedback@example.com`

#### Vendors

**Vendor `acme-ai`** Acme AI · `registry/vendors/acme-ai.yaml`

- certification `soc2-2026` (`soc2-type2`) renewed: issued `2025-08-11` → `2026-08-14`, period.end `2025-06-30` → `2026-06-30`, so current until `2026-06-30` → `2027-06-30`
- `certifications[soc2-2026].period.start`: `2024-07-01` → `2025-07-01`
- `certifications[soc2-2026].evidence`: `https://docs.example.com/vendors/acme-ai/soc2-2025.pdf` → `https://docs.example.com/vendors/acme-ai/soc2-2026.pdf`

<sub>Posted by <code>handbook diff</code>. It states what changed; <code>handbook validate</code> checks the rules.</sub>
"""  # the comment, line for line


def test_status_transition_widened_data_and_renewed_certification_markdown(
    repo: GitRepo, capsys: pytest.CaptureFixture[str]
) -> None:
    base, head = pilot_then_approval(repo)
    code, out, err = run(
        capsys, "diff", base, head, "--root", str(repo.root), "--format", "markdown"
    )
    assert (code, err) == (0, "")
    assert out == MARKDOWN.format(base=base, head=head)


def test_status_transition_text(repo: GitRepo, capsys: pytest.CaptureFixture[str]) -> None:
    base, head = pilot_then_approval(repo)
    code, out, err = run(capsys, "diff", "HEAD~1", "HEAD", "--root", str(repo.root))
    assert (code, err) == (0, "")
    assert out == (
        f"governance changes from {base} to {head}: "
        "0 warnings, 2 need attention, 5 other changes\n"
        "\n"
        "tool acme-chat (Acme Chat)  registry/tools/acme-chat.yaml\n"
        "  attention  status pilot → approved (wider use) since 2026-10-20; evidence added alongside: feedback;"
        " evidence updated alongside: pilot\n"
        "  attention  data classifications widened: personal newly allowed "
        "(now internal, personal)\n"
        "  info       evidence.pilot.outcome: pending → adopt\n"
        "  info       evidence.feedback.channel: (none) → mailto:ai-feedback@example.com\n"
        "\n"
        "vendor acme-ai (Acme AI)  registry/vendors/acme-ai.yaml\n"
        "  info       certification soc2-2026 (soc2-type2) renewed: issued 2025-08-11 → 2026-08-14,"
        " period.end 2025-06-30 → 2026-06-30, so current until 2026-06-30 → 2027-06-30\n"
        "  info       certifications[soc2-2026].period.start: 2024-07-01 → 2025-07-01\n"
        "  info       certifications[soc2-2026].evidence: "
        "https://docs.example.com/vendors/acme-ai/soc2-2025.pdf → "
        "https://docs.example.com/vendors/acme-ai/soc2-2026.pdf\n"
    )


def test_json_is_versioned(repo: GitRepo, capsys: pytest.CaptureFixture[str]) -> None:
    pilot_then_approval(repo)
    code, out, _ = run(
        capsys, "diff", "HEAD~1", "HEAD", "--root", str(repo.root), "--format", "json"
    )
    doc = json.loads(out)
    full = {rev: repo.git("rev-parse", rev).strip() for rev in ("HEAD~1", "HEAD")}
    assert code == 0
    assert doc == {
        "version": 1,
        "base": {"rev": full["HEAD~1"], "label": repo.short("HEAD~1")},
        "head": {"rev": full["HEAD"], "label": repo.short("HEAD")},
        "summary": {"warning": 0, "attention": 2, "info": 5},
        "changes": [
            {
                "level": "attention",
                "kind": "status",
                "area": "tool",
                "subject": "acme-chat",
                "name": "Acme Chat",
                "path": TOOL,
                "message": "status pilot → approved (wider use) since 2026-10-20; evidence added "
                "alongside: feedback; evidence updated alongside: pilot",
                "values": {
                    "old": "pilot",
                    "new": "approved",
                    "since": "2026-10-20",
                    "added": ["feedback"],
                    "updated": ["pilot"],
                },
            },
            {
                "level": "attention",
                "kind": "data-widened",
                "area": "tool",
                "subject": "acme-chat",
                "name": "Acme Chat",
                "path": TOOL,
                "message": "data classifications widened: personal newly allowed "
                "(now internal, personal)",
                "values": {"added": ["personal"], "now": ["internal", "personal"]},
            },
            {
                "level": "info",
                "kind": "other",
                "area": "tool",
                "subject": "acme-chat",
                "name": "Acme Chat",
                "path": TOOL,
                "message": "evidence.pilot.outcome: pending → adopt",
                "values": {"key": "evidence.pilot.outcome", "old": "pending", "new": "adopt"},
            },
            {
                "level": "info",
                "kind": "other",
                "area": "tool",
                "subject": "acme-chat",
                "name": "Acme Chat",
                "path": TOOL,
                "message": "evidence.feedback.channel: (none) → mailto:ai-feedback@example.com",
                "values": {
                    "key": "evidence.feedback.channel",
                    "old": None,
                    "new": "mailto:ai-feedback@example.com",
                },
            },
            {
                "level": "info",
                "kind": "certification-renewed",
                "area": "vendor",
                "subject": "acme-ai",
                "name": "Acme AI",
                "path": VENDOR,
                "message": "certification soc2-2026 (soc2-type2) renewed: issued 2025-08-11 → "
                "2026-08-14, period.end 2025-06-30 → 2026-06-30, so current until 2026-06-30 → "
                "2027-06-30",
                "values": {
                    "id": "soc2-2026",
                    "type": "soc2-type2",
                    "issued_old": "2025-08-11",
                    "issued_new": "2026-08-14",
                    "period_end_old": "2025-06-30",
                    "period_end_new": "2026-06-30",
                    "old": "2026-06-30",
                    "new": "2027-06-30",
                },
            },
            {
                "level": "info",
                "kind": "other",
                "area": "vendor",
                "subject": "acme-ai",
                "name": "Acme AI",
                "path": VENDOR,
                "message": "certifications[soc2-2026].period.start: 2024-07-01 → 2025-07-01",
                "values": {
                    "key": "certifications[soc2-2026].period.start",
                    "old": "2024-07-01",
                    "new": "2025-07-01",
                },
            },
            {
                "level": "info",
                "kind": "other",
                "area": "vendor",
                "subject": "acme-ai",
                "name": "Acme AI",
                "path": VENDOR,
                "message": "certifications[soc2-2026].evidence: "
                "https://docs.example.com/vendors/acme-ai/soc2-2025.pdf → "
                "https://docs.example.com/vendors/acme-ai/soc2-2026.pdf",
                "values": {
                    "key": "certifications[soc2-2026].evidence",
                    "old": "https://docs.example.com/vendors/acme-ai/soc2-2025.pdf",
                    "new": "https://docs.example.com/vendors/acme-ai/soc2-2026.pdf",
                },
            },
        ],
        "problems": [],
    }


def test_approval_without_the_required_evidence_warns(
    repo: GitRepo, capsys: pytest.CaptureFixture[str]
) -> None:
    repo.edit(
        "registry/tools/acme-code.yaml",
        "  value: sandbox\n  since: 2026-10-01",
        "  value: approved\n  since: 2026-10-20",
    )
    head = repo.commit("Approve Acme Code", "2026-10-20")
    code, out, _ = run(capsys, "diff", "HEAD~1", "HEAD", "--root", str(repo.root))
    assert code == 0
    assert out == (
        f"governance changes from {repo.short('HEAD~1')} to {head}: "
        "1 warning, 1 needs attention, 0 other changes\n"
        "\n"
        "tool acme-code (Acme Code)  registry/tools/acme-code.yaml\n"
        "  attention  status sandbox → approved (wider use) since 2026-10-20; no evidence changed "
        "alongside\n"
        "  warning    status approved lacks evidence the policy requires: evidence.benchmark "
        "(step benchmark), evidence.pilot (step pilot), evidence.feedback (step feedback)\n"
    )


def test_tool_deleted_in_head(repo: GitRepo, capsys: pytest.CaptureFixture[str]) -> None:
    (repo.root / "registry/tools/globex-notes.yaml").unlink()
    head = repo.commit("Remove Globex Notes", "2026-10-20")
    code, out, _ = run(capsys, "diff", "HEAD~1", "HEAD", "--root", str(repo.root))
    assert code == 0
    assert out == (
        f"governance changes from {repo.short('HEAD~1')} to {head}: "
        "0 warnings, 1 needs attention, 0 other changes\n"
        "\n"
        "tool globex-notes (Globex Notes)  registry/tools/globex-notes.yaml\n"
        "  attention  removed from the registry (status was proposed); the procedure deprecates "
        "and offboards a tool rather than deleting its record\n"
    )


def test_renamed_file_is_one_tool_not_a_removal_and_an_addition(
    repo: GitRepo, capsys: pytest.CaptureFixture[str]
) -> None:
    old, new = "registry/tools/acme-code.yaml", "registry/tools/acme-coder.yaml"
    repo.git("mv", old, new)
    repo.edit(new, "id: acme-code\nname: Acme Code\n", "id: acme-coder\nname: Acme Coder\n")
    head = repo.commit("Rename acme-code to acme-coder", "2026-10-20")
    code, out, _ = run(capsys, "diff", "HEAD~1", "HEAD", "--root", str(repo.root))
    assert code == 0
    assert out == (
        f"governance changes from {repo.short('HEAD~1')} to {head}: "
        "0 warnings, 0 need attention, 3 other changes\n"
        "\n"
        "tool acme-coder (Acme Coder)  registry/tools/acme-coder.yaml\n"
        "  info       file renamed from registry/tools/acme-code.yaml to "
        "registry/tools/acme-coder.yaml\n"
        "  info       name Acme Code → Acme Coder\n"
        "  info       id: acme-code → acme-coder\n"
    )


def test_working_tree_is_the_default_head(
    repo: GitRepo, capsys: pytest.CaptureFixture[str]
) -> None:
    """Uncommitted edits and an untracked new tool (from `handbook new-tool`) both count."""
    base = repo.short("HEAD")
    repo.edit(TOOL, "    - internal\n    - personal\n", "    - internal\n")
    root = str(repo.root)
    assert run(capsys, "new-tool", "globex-draft", "--vendor", "globex", "--root", root)[0] == 0
    code, out, err = run(capsys, "diff", "HEAD", "--root", root)
    assert (code, err) == (0, "")
    assert out == (
        f"governance changes from {base} to working tree: "
        "0 warnings, 0 need attention, 2 other changes\n"
        "\n"
        "tool acme-chat (Acme Chat)  registry/tools/acme-chat.yaml\n"
        "  info       data classifications narrowed: personal no longer allowed\n"
        "\n"
        "tool globex-draft (Globex Draft)  registry/tools/globex-draft.yaml\n"
        "  info       added with status proposed, vendor globex, data allowed: public\n"
    )


def test_shallow_clone_without_the_base_revision(
    repo: GitRepo, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    pilot_then_approval(repo)
    clone = repo.shallow_clone(tmp_path / "clone")
    code, out, err = run(capsys, "diff", "HEAD~1", "--root", str(clone.root))
    assert (code, out) == (2, "")
    assert err == (
        "handbook: error: revision 'HEAD~1' is not in this repository\n"
        "  hint: this is a shallow clone, so older commits are missing: fetch them with "
        "`git fetch --unshallow` (in GitHub Actions: actions/checkout with fetch-depth: 0)\n"
    )


def test_unknown_revision(repo: GitRepo, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(capsys, "diff", "no-such-branch", "--root", str(repo.root))
    assert (code, out) == (2, "")
    assert err == (
        "handbook: error: revision 'no-such-branch' is not in this repository\n"
        "  hint: check the name with `git log --oneline`; fetch the branch if it is remote\n"
    )


def test_option_like_revision_is_refused(repo: GitRepo, capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run(capsys, "diff", "--root", str(repo.root), "--", "--output=/tmp/x")
    assert code == 2
    assert err == (
        "handbook: error: '--output=/tmp/x' is not a revision\n"
        "  hint: name a commit, branch or tag\n"
    )


def test_not_a_git_repository(handbook_tree: MakeTree, capsys: pytest.CaptureFixture[str]) -> None:
    root = handbook_tree()
    code, out, err = run(capsys, "diff", "HEAD", "--root", str(root))
    assert (code, out) == (2, "")
    assert err == (
        f"handbook: error: {root.resolve()} is not inside a git repository\n"
        "  hint: run the command in a clone of the handbook repository\n"
    )


def test_a_repository_git_refuses_is_named_so(
    repo: GitRepo, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """Not "not inside a git repository": git refuses another user's repository."""
    monkeypatch.setenv("GIT_CONFIG_GLOBAL", os.devnull)
    monkeypatch.setenv("GIT_CONFIG_NOSYSTEM", "1")
    monkeypatch.setenv("GIT_TEST_ASSUME_DIFFERENT_OWNER", "1")  # git's own test switch
    code, out, err = run(capsys, "diff", "HEAD", "--root", str(repo.root))
    top = repo.root.resolve()
    assert (code, out) == (2, "")
    assert err == (
        f"handbook: error: git refuses to read the repository at {top}: detected dubious "
        "ownership (it belongs to another user than the one running git)\n"
        f"  hint: if you trust it, run `git config --global --add safe.directory {top}`\n"
    )


def test_prohibited_uses_policy_numbers_and_procedure_steps(
    repo: GitRepo, capsys: pytest.CaptureFixture[str]
) -> None:
    repo.edit(
        TOOL,
        "problem: Research briefs take an hour each to write.\n",
        "problem: Research briefs take an hour each to write.\n"
        "uses:\n  prohibited:\n    - HR decisions without human review\n"
        "    - Legal advice\n",
    )
    base = repo.commit("Record prohibited uses", "2026-02-01")
    repo.edit(TOOL, "    - HR decisions without human review\n", "")
    repo.edit(TOOL, "    - Legal advice\n", "    - Legal advice\n    - Medical advice\n")
    repo.edit("registry/policy.yaml", "pilot_min_days: 14\n", "pilot_min_days: 21\n")
    repo.edit(
        "registry/policy.yaml",
        "    - pilot\n    - feedback\n  restricted:",
        "    - pilot\n  restricted:",
    )
    repo.edit(
        "content/procedure/2-run.yaml",
        "  - id: offboarding\n",
        "  - id: red-team\n    title: Red-team exercise\n    purpose: Try to make it misbehave.\n"
        "    owner_role: Security\n    evidence: []\n    checklist:\n      - Done.\n"
        "  - id: offboarding\n",
    )
    head = repo.commit("Loosen the approval rules", "2026-10-20")
    code, out, err = run(capsys, "diff", base, head, "--root", str(repo.root))
    assert (code, err) == (0, "")
    assert out == (
        f"governance changes from {base} to {head}: 0 warnings, 2 need attention, 3 other changes\n"
        "\n"
        "tool acme-chat (Acme Chat)  registry/tools/acme-chat.yaml\n"
        "  attention  removed from the prohibited uses: HR decisions without human review\n"
        "  info       added to the prohibited uses: Medical advice\n"
        "\n"
        "policy policy  registry/policy.yaml\n"
        "  attention  status approved no longer requires: feedback\n"
        "  info       pilot_min_days: 14 → 21\n"
        "\n"
        "procedure red-team (Red-team exercise)  content/procedure/2-run.yaml\n"
        "  info       step added to content/procedure/2-run.yaml\n"
    )


# -- comparing snapshots directly ----------------------------------------------------------------


def tool(tid: str, name: str, **extra: object) -> dict[str, object]:
    return {"id": tid, "name": name, "vendor": "v", "status": {"value": "proposed"}, **extra}


def test_same_name_in_a_different_file_is_a_rename() -> None:
    old = {"registry/tools/a.yaml": tool("a", "Acme Chat")}
    new = {"registry/tools/b.yaml": tool("b", "ACME chat", problem="entirely rewritten")}
    assert pair(old, new, {}) == [("registry/tools/a.yaml", "registry/tools/b.yaml")]
    assert pair(old, {"registry/tools/b.yaml": tool("b", "Other")}, {}) == [
        ("registry/tools/a.yaml", None),
        (None, "registry/tools/b.yaml"),
    ]


def test_certifications_added_replaced_and_removed() -> None:
    def cert(cid: str, ctype: str, **dates: object) -> dict[str, object]:
        return {"id": cid, "type": ctype, **dates}

    old = {
        "registry/vendors/v.yaml": {
            "id": "v",
            "name": "V",
            "certifications": [
                cert(
                    "soc2-2025",
                    "soc2-type2",
                    period={"start": "2024-01-01", "end": "2024-12-31"},
                    issued="2025-02-01",
                    evidence="https://docs.example.com/soc2-2025.pdf",
                ),
                cert("iso27001", "iso27001", expires="2027-01-01"),
            ],
        }
    }
    new = {
        "registry/vendors/v.yaml": {
            "id": "v",
            "name": "V",
            "certifications": [
                cert(
                    "soc2-2026",
                    "soc2-type2",
                    period={"start": "2025-01-01", "end": "2025-12-31"},
                    issued="2026-02-01",
                    evidence="https://docs.example.com/soc2-2026.pdf",
                ),
                cert("iso42001", "iso42001", expires="2029-01-31"),
            ],
        }
    }
    d = compare(Snapshot("a", None, old), Snapshot("b", None, new))
    assert [(c.level, c.text()) for c in d.changes] == [
        (
            "info",
            "certification soc2-2025 replaced by soc2-2026 (soc2-type2): "
            "current until 2025-12-31 → 2026-12-31",
        ),
        ("info", "certification iso42001 (iso42001) added, current until 2029-01-31"),
        ("attention", "certification iso27001 (iso27001) removed"),
    ]


def test_unreadable_file_is_a_problem_not_a_removal() -> None:
    base = Snapshot("a", None, {"registry/tools/a.yaml": tool("a", "A")})
    head = Snapshot("b", None, {"registry/tools/a.yaml": None})
    assert compare(base, head).changes == ()


def test_markdown_escapes_user_data() -> None:
    hostile = "@admins <img src=x onerror=alert(1)> ![x](https://evil.example/x.png) #1"
    new = {
        "registry/tools/x.yaml": tool(
            "x", hostile, uses={"prohibited": ["Nothing"]}, data={"allowed": ["@everyone"]}
        )
    }
    out = render.render_markdown(compare(Snapshot("a", "1" * 40, {}), Snapshot("b", None, new)))
    assert out.splitlines()[7:10] == [
        "**Tool `x`** @\u200dadmins &lt;img src=x onerror=alert\\(1\\)&gt; \\!\\[x\\]\\(https\\://"
        "evil.example/x.png\\) #\u200d1 · `registry/tools/x.yaml`",
        "",
        "- added with status `proposed`, vendor `v`, data allowed: `@everyone`",
    ]


def test_markdown_without_changes() -> None:
    snap = Snapshot("abc1234", "a" * 40, {})
    assert render.render_markdown(compare(snap, snap)) == (
        "<!-- handbook:governance-diff -->\n"
        "### Governance changes\n"
        "\n"
        "Comparing `abc1234` with `abc1234`: 0 warnings, 0 need attention, 0 other changes.\n"
        "\n"
        "No change to the registry, the procedure, the schemas or the site.\n"
        "\n"
        "<sub>Posted by <code>handbook diff</code>. It states what changed; "
        "<code>handbook validate</code> checks the rules.</sub>\n"
    )


def test_markdown_stays_under_githubs_comment_limit(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(render, "MAX_MARKDOWN", 900)
    new = {f"registry/tools/t{i:02}.yaml": tool(f"t{i:02}", f"Tool {i}") for i in range(20)}
    out = render.render_markdown(compare(Snapshot("a", "f" * 40, {}), Snapshot("b", "e" * 40, new)))
    assert len(out) < 1200
    assert out.count("**Tool `t") == 6
    assert "\n… and 14 more entries changed; run `handbook diff a b` for the full list.\n" in out


def test_code_spans_survive_backticks() -> None:
    assert render.md_code("a`b") == "``a`b``"
    assert render.md_code("`x`") == "`` `x` ``"
    # a hidden override or line break is shown, not silently turned into a space
    assert render.md_code("a\u202eb\nc") == "`a\\u202eb\\nc`"


def test_owner_license_exceptions_evidence_and_other_fields() -> None:
    old = tool(
        "a",
        "A",
        owner={"team": "Research", "contact": "r@example.com", "github": "@org/research"},
        license={"tier": "enterprise", "seats": 10},
        description="Old words.",
        evidence={
            "privacy_audit": {"result": "pass"},
            "output_audits": [{"date": "2026-08-01"}, {"date": "2026-09-01"}],
        },
    )
    new = tool(
        "a",
        "A",
        owner={"team": "Knowledge", "contact": "r@example.com", "github": "@org/knowledge"},
        license={"tier": "personal", "seats": 12},
        description="New words.",
        exceptions=[{"rule": "output-audit-overdue"}],
        evidence={"output_audits": [{"date": "2026-09-01"}]},
    )
    vendors_old = {"registry/vendors/gone.yaml": {"id": "gone", "name": "Gone"}}
    vendors_new = {"registry/vendors/new.yaml": {"id": "new", "name": "New", "certifications": []}}
    d = compare(
        Snapshot("a", None, {"registry/tools/a.yaml": old, **vendors_old}),
        Snapshot("b", None, {"registry/tools/a.yaml": new, **vendors_new}),
    )
    assert [(c.area, c.subject, c.level, c.text()) for c in d.changes] == [
        ("tool", "a", "info", "evidence updated: output_audits"),
        (
            "tool",
            "a",
            "attention",
            "evidence removed: privacy_audit, output_audits (1 of 2 entries)",
        ),
        ("tool", "a", "info", "owner team: Research → Knowledge"),
        ("tool", "a", "attention", "owner github: @org/research → @org/knowledge"),
        ("tool", "a", "attention", "license tier enterprise → personal"),
        (
            "tool",
            "a",
            "attention",
            "exception added for rule output-audit-overdue: until (none), approver (none)",
        ),
        ("tool", "a", "info", "license.seats: 10 → 12"),
        ("tool", "a", "info", "description: Old words. → New words."),
        ("vendor", "gone", "attention", "removed from the registry"),
        ("vendor", "new", "info", "added, with certifications: (none)"),
    ]


def test_data_that_is_not_valid_yet_is_still_described() -> None:
    """The diff runs before validation: odd shapes become text, never a crash."""
    old = tool("a", "A", vendor=["x", 1], data={"allowed": "everything"})
    new = tool("a", "A", vendor={"id": "y"}, status={"value": ["approved"]})
    d = compare(
        Snapshot("a", None, {"registry/tools/a.yaml": old}),
        Snapshot("b", None, {"registry/tools/a.yaml": new}),
    )
    assert [c.text() for c in d.changes] == [
        "status proposed → approved; no evidence changed alongside",
        "data.allowed: everything → (none)",
        "vendor x, 1 → {'id': 'y'}",
    ]
    assert json.loads(render.render_json(d))["summary"] == {
        "warning": 0,
        "attention": 0,
        "info": 3,
    }


def test_handbook_in_a_subfolder(
    handbook_tree: MakeTree, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    outer = tmp_path / "outer"
    (outer / "docs").mkdir(parents=True)
    root = handbook_tree().rename(outer / "docs" / "handbook")
    g = GitRepo.init(outer)
    base = g.commit("Add the handbook", "2026-01-05")
    g.git(
        "mv", "docs/handbook/registry/tools/acme-code.yaml", "docs/handbook/registry/tools/x.yaml"
    )
    g.edit(
        "docs/handbook/registry/tools/x.yaml", "id: acme-code\nname: Acme Code", "id: x\nname: X"
    )
    code, out, err = run(capsys, "diff", "HEAD", "--root", str(root))
    assert (code, err) == (0, "")
    assert out == (
        f"governance changes from {base} to working tree: "
        "0 warnings, 0 need attention, 3 other changes\n"
        "\n"
        "tool x (X)  registry/tools/x.yaml\n"
        "  info       file renamed from registry/tools/acme-code.yaml to registry/tools/x.yaml\n"
        "  info       name Acme Code → X\n"
        "  info       id: acme-code → x\n"
    )


# -- the rules, the site's configuration, pages and assets --------------------------------------

SITE = "site_name: Handbook\ntheme:\n  name: material\n  font: false\nplugins:\n  - search\n"
ABOUT = "# About\n\nWe use AI tools with care.\n"
OWNERS = "# Generated.\n* @org/gov\nregistry/tools/acme-chat.yaml @org/km\n"


def edit_json(root: Path, rel: str, change: Callable[[Any], None]) -> None:
    data = json.loads((root / rel).read_text(encoding="utf-8"))
    change(data)
    (root / rel).write_text(json.dumps(data, indent=4), encoding="utf-8")


def site_inputs_changed(repo: GitRepo) -> tuple[str, str]:
    """Every kind of input around the registry, each added, changed and removed."""
    root = repo.root
    (root / "mkdocs.yml").write_text(SITE, encoding="utf-8")
    (root / "content/pages").mkdir()
    (root / "content/pages/about.md").write_text(ABOUT, encoding="utf-8")
    (root / "content/pages/old.md").write_text("# Old\n", encoding="utf-8")
    (root / "content/assets").mkdir()
    (root / "content/assets/logo.svg").write_bytes(b"<svg/>")
    (root / "content/assets/old.png").write_bytes(b"\x89PNG")
    (root / ".github").mkdir()
    (root / ".github/CODEOWNERS").write_text(OWNERS, encoding="utf-8")
    base = repo.commit("Add the site's pages and assets", "2026-02-01")
    edit_json(root, "schemas/common.schema.json", lambda s: s["$defs"]["line"].pop("pattern"))
    edit_json(root, "schemas/tool.schema.json", lambda s: s["required"].remove("owner"))
    repo.edit(
        "mkdocs.yml", "  - search\n", "  []\nextra_javascript:\n  - https://cdn.example/x.js\n"
    )
    repo.edit(
        "content/pages/about.md",
        "with care.",
        "with care.\n<span hidden>Approved by Security.</span>",
    )
    (root / "content/pages/faq.md").write_text("# FAQ\n\nAsk us.\n", encoding="utf-8")
    (root / "content/pages/old.md").unlink()
    (root / "content/assets/logo.svg").write_bytes(b'<svg onload="alert(1)"/>')
    (root / "content/assets/style.css").write_bytes(b"body { color: red }")
    (root / "content/assets/old.png").unlink()
    repo.edit(
        ".github/CODEOWNERS", "registry/tools/acme-chat.yaml @org/km\n", "registry/ @mallory\n"
    )
    head = repo.commit("Change the rules and the site", "2026-10-20")
    return base, head


def test_schemas_site_configuration_pages_and_assets_are_compared(
    repo: GitRepo, capsys: pytest.CaptureFixture[str]
) -> None:
    base, head = site_inputs_changed(repo)
    code, out, err = run(capsys, "diff", base, head, "--root", str(repo.root))
    assert (code, err) == (0, "")
    lines = out.splitlines()
    pattern = lines.pop(3)  # the one-line pattern is long: its ends say enough
    assert pattern.startswith("  attention  $defs.line.pattern: ^[^\\u0000-\\u001F")
    assert pattern.endswith("]*$ → (none) (changes the rules every file is checked against)")
    assert "\n".join(lines) + "\n" == (
        f"governance changes from {base} to {head}: 0 warnings, 8 need attention, 4 other changes\n"
        "\n"
        "schema common.schema.json  schemas/common.schema.json\n"
        "\n"
        "schema tool.schema.json  schemas/tool.schema.json\n"
        "  attention  required: id, name, vendor, owner, status, problem, license, data → id, name, "
        "vendor, status, problem, license, data (removed owner; changes the rules every file is "
        "checked against)\n"
        "\n"
        "site mkdocs.yml  mkdocs.yml\n"
        "  attention  plugins: search → [] (removed search; changes how the site is built and what "
        "it loads)\n"
        "  attention  extra_javascript: (none) → https://cdn.example/x.js (added "
        "https://cdn.example/x.js; changes how the site is built and what it loads)\n"
        "\n"
        "page about  content/pages/about.md\n"
        "  info       page changed: lines added: 1, removed: 0\n"
        "  attention  raw markup added: <span hidden>, </span> (check what the page shows a reader)\n"
        "\n"
        "page faq  content/pages/faq.md\n"
        "  info       page added (lines: 3)\n"
        "\n"
        "page old  content/pages/old.md\n"
        "  info       page removed (it had lines: 1)\n"
        "\n"
        "asset logo.svg  content/assets/logo.svg\n"
        "  attention  asset changed: 6 → 24 bytes, SHA-256 d4dc56669143 → 357fe84c688d (published "
        "as it is: validate refuses what would run or load, not what it shows)\n"
        "\n"
        "asset old.png  content/assets/old.png\n"
        "  info       asset removed (it had 4 bytes)\n"
        "\n"
        "asset style.css  content/assets/style.css\n"
        "  attention  asset added: 19 bytes, SHA-256 925e8741be69 (published as it is: validate "
        "refuses what would run or load, not what it shows)\n"
        "\n"
        "codeowners .github/CODEOWNERS  .github/CODEOWNERS\n"
        "  attention  rules added: registry/ @mallory; rules removed: registry/tools/acme-chat.yaml "
        "@org/km (changes who must review which files)\n"
    )
    code, out, _ = run(capsys, "diff", base, head, "--root", str(repo.root), "--format", "json")
    doc = json.loads(out)
    assert doc["version"] == 1
    assert [(c["area"], c["kind"], c["level"]) for c in doc["changes"]] == [
        ("schema", "schema-changed", ATTENTION),
        ("schema", "schema-changed", ATTENTION),
        ("site", "site-config-changed", ATTENTION),
        ("site", "site-config-changed", ATTENTION),
        ("page", "page-changed", INFO),
        ("page", "page-html-changed", ATTENTION),
        ("page", "page-added", INFO),
        ("page", "page-removed", INFO),
        ("asset", "asset-changed", ATTENTION),
        ("asset", "asset-removed", INFO),
        ("asset", "asset-added", ATTENTION),
        ("codeowners", "codeowners-changed", ATTENTION),
    ]
    assert doc["changes"][1]["values"] == {
        "key": "required",
        "old": ["id", "name", "vendor", "owner", "status", "problem", "license", "data"],
        "new": ["id", "name", "vendor", "status", "problem", "license", "data"],
        "removed": ["owner"],
    }
    code, out, _ = run(capsys, "diff", base, head, "--root", str(repo.root), "--format", "markdown")
    assert "<span" not in out and "onload" not in out and "@mallory" not in out
    assert (
        "- ⚠️ **Page `about`**: raw markup added: “&lt;span hidden&gt;”, `</span>` (check what the "
        "page shows a reader)\n"
    ) in out
    assert "\n**Site configuration** · `mkdocs.yml`\n" in out


def test_the_working_tree_reads_the_site_inputs_like_a_revision(repo: GitRepo) -> None:
    """Nothing changed: the same files read from git and from the disk compare equal, hidden
    files are no input either way, and a link is refused at both."""
    root = repo.root
    (root / "mkdocs.yml").write_text(SITE, encoding="utf-8")
    (root / "content/pages").mkdir()
    (root / "content/pages/about.md").write_text(ABOUT, encoding="utf-8")
    (root / "content/assets").mkdir()
    (root / "content/assets/logo.svg").write_bytes(b"<svg/>")
    (root / "content/assets/.DS_Store").write_bytes(b"\0")
    (root / "registry/tools/.draft.yaml").write_text("id: draft\n", encoding="utf-8")
    (root / "content/assets/passwd").symlink_to("/etc/passwd")
    (root / ".github").mkdir()
    (root / ".github/CODEOWNERS").write_text(OWNERS, encoding="utf-8")
    repo.commit("Add the site's inputs", "2026-02-01")
    result = diff.diff(root, "HEAD")
    assert result.changes == ()
    assert {(p.path, p.rule) for p in result.problems} == {
        ("content/assets/passwd", "file-symlink")
    }
    from generator.diff.revisions import at_revision, working_tree
    from generator.history import open_repo

    inputs = set(working_tree(root).docs)
    assert inputs == set(at_revision(open_repo(root), "HEAD").docs)
    assert {
        ".github/CODEOWNERS",
        "mkdocs.yml",
        "schemas/tool.schema.json",
        "content/pages/about.md",
        "content/assets/logo.svg",
        "content/assets/passwd",  # refused: None
    } <= inputs


def test_site_inputs_that_cannot_be_read_are_problems_not_changes(
    repo: GitRepo, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    from generator.diff import revisions

    monkeypatch.setattr(revisions, "MAX_ASSET_BYTES", 100)
    root = repo.root
    (root / "content/pages").mkdir()
    (root / "content/pages/about.md").write_text(ABOUT, encoding="utf-8")
    (root / "content/assets").mkdir()
    (root / "content/assets/logo.svg").write_bytes(b"<svg/>")
    repo.commit("Add a page and an asset", "2026-02-01")
    (root / "schemas/common.schema.json").write_text("{", encoding="utf-8")
    (root / "schemas/tool.schema.json").write_text("[" * 100_000, encoding="utf-8")
    (root / "schemas/vendor.schema.json").write_text("[" * 200 + "]" * 200, encoding="utf-8")
    (root / "content/pages/about.md").write_bytes(b"caf\xe9\n")
    (root / "content/assets/logo.svg").write_bytes(b"<svg>" + b" " * 200 + b"</svg>")
    (root / "mkdocs.yml").write_text("site_name: [\n", encoding="utf-8")
    result = diff.diff(root, "HEAD")
    assert result.changes == ()
    assert [(p.path, p.rule, p.message) for p in result.problems] == [
        ("content/assets/logo.svg", "file-too-large", "file is 211 bytes; the limit is 100"),
        ("content/pages/about.md", "file-encoding", "byte 0xe9 is not valid UTF-8"),
        ("mkdocs.yml", "yaml-syntax", result.problems[2].message),
        (
            "schemas/common.schema.json",
            "file-unreadable",
            "not valid JSON: Expecting property name enclosed in double quotes: line 1 column 2 "
            "(char 1)",
        ),
        ("schemas/tool.schema.json", "file-unreadable", "not valid JSON: nested too deeply"),
        ("schemas/vendor.schema.json", "file-too-large", "nested deeper than 100 levels"),
    ]
    repo.commit("Break them", "2026-02-02")
    code, out, err = run(capsys, "diff", "HEAD~1", "HEAD", "--root", str(root))
    assert (code, err) == (0, "")
    assert "0 warnings, 0 need attention, 0 other changes" in out


@pytest.mark.parametrize(
    ("change", "fragment"),
    [
        (lambda s: s["$defs"]["id"].update(enum=[]), "$defs.id.enum: (none) → []"),
        (lambda s: s["$defs"]["line"].update(minLength=None), "$defs.line.minLength: 1 → null"),
        (lambda s: s["$defs"]["line"].update(minLength=1.0), None),  # the same number
    ],
    ids=["an empty enum is not an absent one", "null is not absent", "1.0 is 1"],
)
def test_schemas_are_compared_exactly(
    handbook_tree: MakeTree, change: Callable[[Any], None], fragment: str | None
) -> None:
    root = handbook_tree()
    old = {
        "schemas/common.schema.json": json.loads((root / "schemas/common.schema.json").read_text())
    }
    new = copy.deepcopy(old)
    change(new["schemas/common.schema.json"])
    d = compare(Snapshot("a", None, old), Snapshot("b", None, new))
    assert [c.text() for c in d.changes if fragment and fragment in c.text()] == (
        [f"{fragment} (changes the rules every file is checked against)"] if fragment else []
    )
    assert len(d.changes) == (1 if fragment else 0)


# -- nothing is read behind a link or above the size limit ------------------------------------


def test_a_huge_file_at_a_revision_is_refused_unread(
    repo: GitRepo, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """A 64 MiB tool file in a commit: its size is asked, its content never requested."""
    big = "registry/tools/big-one.yaml"
    (repo.root / big).write_bytes(b"id: big-one\n" + b"#" * (64 << 20) + b"\n")
    head = repo.commit("Add a huge file", "2026-02-01")
    from generator import history

    sent: list[bytes] = []
    real = history.run_git

    def spy(cwd: Path, args: list[str], stdin: bytes | None = None) -> bytes:
        if "--batch" in args and stdin:
            sent.append(stdin)
        return real(cwd, args, stdin)

    monkeypatch.setattr(history, "run_git", spy)
    result = diff.diff(repo.root, "HEAD~1", head)
    assert [(p.path, p.rule) for p in result.problems] == [(big, "yaml-too-large")]
    assert not any(c.subject == "big-one" for c in result.changes)  # not reported as added
    assert not any(big.encode() in s for s in sent)
    code, out, err = run(capsys, "diff", "--root", str(repo.root), "HEAD~1", head)
    assert code == 0 and "internal error" not in err
    assert f"could not read {big}:1:1: file is 67,108,877 bytes; the limit is 1,000,000" in out


def test_a_link_at_a_revision_is_refused_unread(
    repo: GitRepo, capsys: pytest.CaptureFixture[str]
) -> None:
    link = repo.root / "registry/tools/linked.yaml"
    link.symlink_to("/etc/passwd")
    head = repo.commit("Add a link", "2026-02-01")
    result = diff.diff(repo.root, "HEAD~1", head)
    assert [(p.path, p.rule) for p in result.problems] == [
        ("registry/tools/linked.yaml", "file-symlink")
    ]
    # the working tree is read the same way
    wt = diff.diff(repo.root, "HEAD")
    assert {(p.path, p.rule) for p in wt.problems} == {
        ("registry/tools/linked.yaml", "file-symlink")
    }
    assert wt.changes == ()


# -- effective policy values ---------------------------------------------------------------------


@pytest.mark.parametrize(
    "raw",
    [
        {},
        {"cadence_days": {"output_audit": 7}, "links": {"exclude": ["^x"]}},
        {"benchmark_tasks": {"min": 5, "max": 9}, "report": {"mention_owners": True}},
    ],
)
def test_effective_policy_applies_the_models_defaults(raw: dict[str, object]) -> None:
    """Filling in the defaults changes nothing the model sees, and leaves nothing to fill in."""
    filled = effective_policy(raw)
    assert build_policy("p", filled) == build_policy("p", raw)
    assert effective_policy(filled) == filled
    assert {k: filled[k] for k in raw} == {k: {**filled[k], **v} for k, v in raw.items()}


# -- the issue: loosening that went unreported ----------------------------------------------------

POLICY = "registry/policy.yaml"
EXCEPTION = (
    "exceptions:\n  - rule: output-audit-overdue\n    reason: The auditor is on leave.\n"
    "    approver: Dana Ruiz (Security)\n    until: {until}\n"
)


def test_the_issues_loosening_needs_attention_with_old_and_new_values(
    repo: GitRepo, capsys: pytest.CaptureFixture[str]
) -> None:
    feedback = "  feedback:\n    channel: mailto:ai-feedback@example.com\n"
    repo.edit(TOOL, feedback, feedback + EXCEPTION.format(until="2026-11-15"))
    base = repo.commit("Accept an overdue output audit", "2026-10-01")
    repo.edit(TOOL, "until: 2026-11-15", "until: 2027-01-29")
    repo.edit(POLICY, "  output_audit: 31\n  vendor_review", "  output_audit: 365\n  vendor_review")
    repo.edit(POLICY, "exception_max_days: 90\n", "exception_max_days: 3650\n")
    head = repo.commit("Extend the exception", "2026-10-20")

    code, out, _ = run(capsys, "diff", base, head, "--root", str(repo.root))
    assert code == 0
    assert out == (
        f"governance changes from {base} to {head}: 0 warnings, 3 need attention, "
        "0 other changes\n"
        "\n"
        "tool acme-chat (Acme Chat)  registry/tools/acme-chat.yaml\n"
        "  attention  exceptions[output-audit-overdue].until: 2026-11-15 → 2027-01-29 "
        "(looser: the exception runs longer)\n"
        "\n"
        "policy policy  registry/policy.yaml\n"
        "  attention  cadence_days.output_audit: 31 → 365 "
        "(looser: recurring reviews fall due less often)\n"
        "  attention  exception_max_days: 90 → 3650 (looser: exceptions may run longer)\n"
    )

    code, out, _ = run(capsys, "diff", base, head, "--root", str(repo.root), "--format", "json")
    doc = json.loads(out)
    assert doc["version"] == 1
    assert [(c["level"], c["kind"], c["values"]) for c in doc["changes"]] == [
        (
            "attention",
            "loosened",
            {
                "key": "exceptions[output-audit-overdue].until",
                "old": "2026-11-15",
                "new": "2027-01-29",
            },
        ),
        ("attention", "loosened", {"key": "cadence_days.output_audit", "old": 31, "new": 365}),
        ("attention", "loosened", {"key": "exception_max_days", "old": 90, "new": 3650}),
    ]

    code, out, _ = run(capsys, "diff", base, head, "--root", str(repo.root), "--format", "markdown")
    urgent = out.split("#### Needs a reviewer's attention\n\n", 1)[1].split("\n\n", 1)[0]
    assert urgent.splitlines() == [
        "- ⚠️ **Tool `acme-chat`**: `exceptions[output-audit-overdue].until`: `2026-11-15` → "
        "`2027-01-29` (looser: the exception runs longer)",
        "- ⚠️ **Policy**: `cadence_days.output_audit`: `31` → `365` "
        "(looser: recurring reviews fall due less often)",
        "- ⚠️ **Policy**: `exception_max_days`: `90` → `3650` (looser: exceptions may run longer)",
    ]


def test_markdown_escapes_values_in_general_lines() -> None:
    hostile = "@admins <img src=x onerror=alert(1)> [x](https://evil.example/)"
    exception = {"rule": "r", "reason": "why", "approver": "Dana", "until": "2026-12-01"}
    old = tool("a", "A", exceptions=[exception])
    new = tool("a", "A", exceptions=[{**exception, "approver": hostile}])
    d = compare(
        Snapshot("a", "1" * 40, {"registry/tools/a.yaml": old}),
        Snapshot("b", None, {"registry/tools/a.yaml": new}),
    )
    out = render.render_markdown(d)
    assert (
        "- ⚠️ **Tool `a`**: `exceptions[r].approver`: `Dana` → “@\u200dadmins &lt;img src=x "
        "onerror=alert\\(1\\)&gt; \\[x\\]\\(https\\://evil.example/\\)” (changes who accepted "
        "the risk)\n"
    ) in out
    assert "<img" not in out


# -- one row per field of the table in looser.py, both ways ------------------------------------------

Edit = Callable[[dict[str, Any]], None]
CODE = "registry/tools/acme-code.yaml"
STEPS, GUIDANCE = "content/procedure/2-run.yaml", "content/guidance.yaml"


def base_docs() -> dict[str, Any]:
    """The base test tree's YAML files, parsed as plain data."""
    docs = {}
    for file in sorted(BASE.rglob("*.yaml")):
        rel = file.relative_to(BASE).as_posix()
        docs[rel] = parse_yaml(file.read_text(encoding="utf-8"), rel, marks=False)[0]
    return docs


def _walk_to(data: Any, keys: list[str]) -> Any:
    for key in keys:
        data = data[int(key)] if isinstance(data, list) else data.setdefault(key, {})
    return data


def put(file: str, dotted: str, value: object) -> Edit:
    """Set ``dotted`` ("exceptions.0.until") in ``file``, creating mappings on the way."""
    *parents, last = dotted.split(".")

    def edit(docs: dict[str, Any]) -> None:
        target = _walk_to(docs[file], parents)
        if isinstance(target, list):
            target[int(last)] = value
        else:
            target[last] = value

    return edit


def drop(file: str, dotted: str) -> Edit:
    *parents, last = dotted.split(".")

    def edit(docs: dict[str, Any]) -> None:
        target = _walk_to(docs[file], parents)
        del target[int(last) if isinstance(target, list) else last]

    return edit


def append(file: str, dotted: str, item: object) -> Edit:
    return lambda docs: _walk_to(docs[file], dotted.split(".")).append(item)


def diff_of(before: list[Edit], after: list[Edit]) -> GovDiff:
    old = base_docs()
    for edit in before:
        edit(old)
    new = copy.deepcopy(old)
    for edit in after:
        edit(new)
    return compare(Snapshot("a", None, old), Snapshot("b", None, new))


EXC = {
    "rule": "output-audit-overdue",
    "reason": "On leave.",
    "approver": "Dana",
    "until": "2026-11-15",
}
OFFBOARDING = {"started": "2026-10-01", "keys_revoked": True, "data_wiped": True}
# (before: edits to both revisions, after: edits to the head, level, a fragment of its line);
# level None: no change at all (the fragment says why). One row a line (E501 is off for this file).
# fmt: off
ROWS = [
    # policy, as effective values
    ([], [put(POLICY, "cadence_days.output_audit", 365)], ATTENTION, "cadence_days.output_audit: 31 → 365"),
    ([], [put(POLICY, "cadence_days.output_audit", 7)], INFO, "cadence_days.output_audit: 31 → 7"),
    ([], [put(POLICY, "cadence_days.access_review", 180)], ATTENTION, "cadence_days.access_review: 90 → 180"),
    ([put(POLICY, "cadence_days.output_audit", 7)], [drop(POLICY, "cadence_days.output_audit")], ATTENTION, "cadence_days.output_audit: 7 → 31"),
    ([], [put(POLICY, "cadence_days.compliance_review", 365)], None, "the default written out"),
    ([], [drop(POLICY, "cadence_days.output_audit")], None, "a key equal to its default deleted"),
    ([], [put(POLICY, "links.cache_max_age_hours", 24)], None, "the default 24.0 written as 24"),
    ([], [put(POLICY, "soc2_freshness_months", 18)], ATTENTION, "soc2_freshness_months: 12 → 18"),
    ([], [put(POLICY, "soc2_freshness_months", 6)], INFO, "soc2_freshness_months: 12 → 6"),
    ([], [put(POLICY, "warning_days.certification", 30)], ATTENTION, "warning_days.certification: 60 → 30"),
    ([], [put(POLICY, "warning_days.exception", 3)], ATTENTION, "warning_days.exception: 14 → 3"),
    ([], [put(POLICY, "warning_days.certification", 90)], INFO, "warning_days.certification: 60 → 90"),
    ([], [put(POLICY, "exception_max_days", 3650)], ATTENTION, "exception_max_days: 90 → 3650"),
    ([], [put(POLICY, "exception_max_days", 30)], INFO, "exception_max_days: 90 → 30"),
    ([], [put(POLICY, "max_days_in_status", {"pilot": 120})], ATTENTION, "max_days_in_status.pilot: 60 → 120"),
    ([], [put(POLICY, "max_days_in_status", {"sandbox": 30})], INFO, "max_days_in_status.sandbox: 90 → 30"),
    ([], [put(POLICY, "offboarding_deadline_days", 90)], ATTENTION, "offboarding_deadline_days: 30 → 90"),
    ([], [put(POLICY, "pilot_min_days", 7)], ATTENTION, "pilot_min_days: 14 → 7"),
    ([], [put(POLICY, "pilot_min_days", 21)], INFO, "pilot_min_days: 14 → 21"),
    ([], [put(POLICY, "benchmark_tasks.min", 5)], ATTENTION, "benchmark_tasks.min: 20 → 5"),
    ([], [put(POLICY, "benchmark_tasks.max", 500)], ATTENTION, "benchmark_tasks.max: 50 → 500"),
    ([], [put(POLICY, "benchmark_tasks.max", 40)], INFO, "benchmark_tasks.max: 50 → 40"),
    ([], [drop(POLICY, "required_certifications.1")], ATTENTION, "required_certifications: soc2-type2, iso27001 → soc2-type2 (removed iso27001"),
    ([], [append(POLICY, "required_certifications", "soc2-type1")], ATTENTION, "(added soc2-type1; changes which certifications qualify a vendor)"),
    ([], [drop(POLICY, "requirements.approved.6")], ATTENTION, "status approved no longer requires: feedback"),
    ([], [append(POLICY, "requirements.sandbox", "benchmark")], INFO, "status sandbox now also requires: benchmark"),
    ([], [append(POLICY, "links.exclude", "^https://intra")], ATTENTION, "(added ^https://intra; looser: more links skip the link check)"),
    ([], [drop(POLICY, "links.exclude.1")], INFO, "(removed ^https?://[^/?#]*\\.example([/:?#]|$))"),
    ([], [put(POLICY, "links.accept_status", [403])], ATTENTION, "links.accept_status: (none) → 403 (added 403; looser"),
    ([], [put(POLICY, "links.allow_private", True)], ATTENTION, "links.allow_private: false → true"),
    ([], [put(POLICY, "links.cache_max_age_hours", 168)], ATTENTION, "links.cache_max_age_hours: 24.0 → 168"),
    ([], [put(POLICY, "as_of", "2026-06-01")], ATTENTION, "as_of: 2026-11-01 → 2026-06-01 (looser: a pinned date"),
    ([drop(POLICY, "as_of")], [put(POLICY, "as_of", "2026-11-01")], ATTENTION, "as_of: (none) → 2026-11-01"),
    ([], [drop(POLICY, "as_of")], INFO, "as_of: 2026-11-01 → (none)"),
    ([], [put(POLICY, "repository", {"default_owner": "@org/gov"})], ATTENTION, "repository.default_owner: (none) → @org/gov (changes who must review"),
    ([put(POLICY, "report", {"mention_owners": True})], [put(POLICY, "report.mention_owners", False)], ATTENTION, "report.mention_owners: true → false"),
    ([], [put(POLICY, "requirements", ["a"])], ATTENTION, "→ a (added a; removed sandbox: define-problem, privacy-audit, vendor-due-diligence, pilot:"),
    # tools
    ([put(TOOL, "exceptions", [EXC])], [put(TOOL, "exceptions.0.until", "2027-01-29")], ATTENTION, "exceptions[output-audit-overdue].until: 2026-11-15 → 2027-01-29"),
    ([put(TOOL, "exceptions", [EXC])], [put(TOOL, "exceptions.0.until", "2026-11-08")], INFO, "exceptions[output-audit-overdue].until: 2026-11-15 → 2026-11-08"),
    ([put(TOOL, "exceptions", [EXC, {**EXC, "until": "2026-12-01"}])], [put(TOOL, "exceptions.1.until", "2027-06-01")], ATTENTION, "exceptions[output-audit-overdue#2].until: 2026-12-01 → 2027-06-01"),
    ([put(TOOL, "exceptions", [EXC])], [put(TOOL, "exceptions.0.approver", "Sam")], ATTENTION, "exceptions[output-audit-overdue].approver: Dana → Sam (changes who accepted the risk)"),
    ([put(TOOL, "exceptions", [EXC])], [put(TOOL, "exceptions.0.reason", "Away.")], INFO, "exceptions[output-audit-overdue].reason: On leave. → Away."),
    ([], [put(TOOL, "exceptions", [EXC])], ATTENTION, "exception added for rule output-audit-overdue: until 2026-11-15, approver Dana"),
    ([put(TOOL, "exceptions", [EXC])], [drop(TOOL, "exceptions.0")], INFO, "exception removed for rule output-audit-overdue (was until 2026-11-15)"),
    ([], [append(TOOL, "data.allowed", "confidential")], ATTENTION, "data classifications widened: confidential newly allowed"),
    ([], [drop(TOOL, "data.allowed.1")], INFO, "data classifications narrowed: personal no longer allowed"),
    ([put(TOOL, "uses", {"prohibited": ["HR decisions"]})], [drop(TOOL, "uses.prohibited.0")], ATTENTION, "removed from the prohibited uses: HR decisions"),
    ([], [put(TOOL, "uses", {"approved": ["Code review"]})], ATTENTION, "added to the approved uses: Code review"),
    ([], [put(TOOL, "license.tier", "free")], ATTENTION, "license tier enterprise → free"),
    ([], [put(TOOL, "license.tier", "team")], INFO, "license tier enterprise → team"),
    ([], [put(TOOL, "owner.github", "@org/km")], ATTENTION, "owner github: (none) → @org/km"),
    ([], [put(TOOL, "owner.team", "Research")], INFO, "owner team: Knowledge Management → Research"),
    ([], [put(TOOL, "status.since", "2026-10-01")], ATTENTION, "status.since: 2026-03-02 → 2026-10-01 (looser: restarts the clock"),
    ([], [put(CODE, "evidence.privacy_audit.personal_data", True)], ATTENTION, "evidence.privacy_audit.personal_data: false → true (looser: no longer rules out personal data)"),
    ([], [put(TOOL, "evidence.privacy_audit.personal_data", False)], INFO, "evidence.privacy_audit.personal_data: true → false"),
    ([], [put(TOOL, "evidence.privacy_audit.trains_on_our_data", True)], ATTENTION, "evidence.privacy_audit.trains_on_our_data: false → true"),
    ([], [put(TOOL, "evidence.privacy_audit.enterprise_instance", False)], ATTENTION, "evidence.privacy_audit.enterprise_instance: true → false"),
    ([put(TOOL, "evidence.privacy_audit.proprietary_ip", False)], [put(TOOL, "evidence.privacy_audit.proprietary_ip", True)], ATTENTION, "evidence.privacy_audit.proprietary_ip: false → true"),
    ([], [put(TOOL, "evidence.sandbox.isolated_from_production", False)], ATTENTION, "evidence.sandbox.isolated_from_production: true → false"),
    ([], [drop(TOOL, "evidence.sandbox.isolated_from_production")], ATTENTION, "evidence.sandbox.isolated_from_production: true → (none) (looser: the sandbox is no longer"),
    ([], [drop(TOOL, "evidence.privacy_audit.trains_on_our_data")], ATTENTION, "evidence.privacy_audit.trains_on_our_data: false → (none) (looser"),
    ([put(TOOL, "evidence.offboarding", OFFBOARDING)], [put(TOOL, "evidence.offboarding.keys_revoked", False)], ATTENTION, "evidence.offboarding.keys_revoked: true → false"),
    ([put(TOOL, "evidence.offboarding", OFFBOARDING)], [put(TOOL, "evidence.offboarding.data_wiped", False)], ATTENTION, "evidence.offboarding.data_wiped: true → false"),
    ([], [drop(TOOL, "evidence.vendor_due_diligence.certifications.1")], ATTENTION, "evidence.vendor_due_diligence.certifications: soc2-2026, iso27001 → soc2-2026"),
    ([], [put(TOOL, "evidence.privacy_audit.result", "fail")], INFO, "evidence.privacy_audit.result: pass → fail"),
    ([put(TOOL, "evidence.privacy_audit.result", "fail")], [put(TOOL, "evidence.privacy_audit.result", "pass")], INFO, "evidence.privacy_audit.result: fail → pass"),
    ([], [put(TOOL, "evidence.pilot.outcome", "reject")], INFO, "evidence.pilot.outcome: adopt → reject"),
    ([], [put(TOOL, "evidence.benchmark.tasks", 10)], ATTENTION, "evidence.benchmark.tasks: 40 → 10 (looser: fewer benchmark tasks)"),
    ([], [put(TOOL, "evidence.benchmark.tasks", 45)], INFO, "evidence.benchmark.tasks: 40 → 45"),
    ([put(TOOL, "evidence.access_control", {"administrators": ["Ann"], "roles": ["km"], "last_review": "2026-09-01"})], [append(TOOL, "evidence.access_control.roles", "everyone")], ATTENTION, "evidence.access_control.roles: km → km, everyone (added everyone; looser"),
    ([put(TOOL, "evidence.output_audits", [{"date": "2026-09-01"}, {"date": "2026-10-01"}])], [drop(TOOL, "evidence.output_audits.0")], ATTENTION, "evidence removed: output_audits (1 of 2 entries)"),
    ([], [drop(TOOL, "evidence.feedback")], ATTENTION, "evidence removed: feedback"),
    # evidence deleted inside a record: less evidence
    ([put(TOOL, "evidence.privacy_audit.report", "https://docs.example.com/privacy/acme-chat.pdf")], [drop(TOOL, "evidence.privacy_audit.report")], ATTENTION, "evidence.privacy_audit.report: https://docs.example.com/privacy/acme-chat.pdf → (none) (looser: less evidence)"),
    ([], [put(TOOL, "evidence.benchmark.report", "")], ATTENTION, "evidence.benchmark.report: https://docs.example.com/benchmarks/acme-chat.xlsx →  (looser: less evidence)"),
    ([put(TOOL, "evidence.benchmark.accuracy", {"ai": 0.925, "human": 0.95})], [drop(TOOL, "evidence.benchmark.accuracy")], ATTENTION, "evidence.benchmark.accuracy.human: 0.95 → (none) (looser: less evidence)"),
    ([put(TOOL, "evidence.output_audits", [{"date": "2026-10-01", "reviewer": "Ann", "drift": False, "sample_size": 40, "errors": 6}])], [put(TOOL, "evidence.output_audits.0.errors", 2)], ATTENTION, "evidence.output_audits[2026-10-01].errors: 6 → 2 (looser: fewer errors recorded in an audit)"),
    ([], [put(POLICY, "benchmark", {"max_accuracy_gap": 0.3})], ATTENTION, "benchmark.max_accuracy_gap: 0.2 → 0.3 (looser: the AI may fall further behind the expert)"),
    ([put(POLICY, "benchmark", {"min_accuracy": 0.7})], [put(POLICY, "benchmark.min_accuracy", 0.5)], ATTENTION, "benchmark.min_accuracy: 0.7 → 0.5 (looser: a less accurate AI is accepted)"),
    ([put(POLICY, "benchmark", {"min_accuracy": 0.7})], [drop(POLICY, "benchmark.min_accuracy")], ATTENTION, "benchmark.min_accuracy: 0.7 → (none) (looser: a less accurate AI is accepted)"),
    ([], [put(POLICY, "drift", {"alpha": 0.01})], ATTENTION, "drift.alpha: 0.05 → 0.01 (looser: an audit needs stronger evidence to show drift)"),
    ([], [drop(TOOL, "evidence.pilot.power_users.1")], ATTENTION, "evidence.pilot.power_users: Rachel Kim (Research), Omar Haddad (Accounts) → Rachel Kim (Research) (removed Omar Haddad (Accounts); looser: less evidence)"),
    ([], [put(TOOL, "evidence.privacy_audit", "done")], ATTENTION, "→ done (looser: less evidence)"),
    ([], [put(TOOL, "evidence.benchmark.report", "https://docs.example.com/b.xlsx")], INFO, "evidence.benchmark.report: https://docs.example.com/benchmarks/acme-chat.xlsx → https://docs.example.com/b.xlsx"),
    ([], [put(TOOL, "evidence.pilot.power_users", ["Rachel Kim (Research)", "Omar Haddad (Accounts)", "Ann Lee"])], INFO, "(added Ann Lee)"),
    # an evidence date moved later in place: a prompt to check that new evidence backs it
    ([put(TOOL, "evidence.privacy_audit.date", "2026-01-19")], [put(TOOL, "evidence.privacy_audit.date", "2026-10-19")], ATTENTION, "evidence.privacy_audit.date: 2026-01-19 → 2026-10-19 (the date moved later: check that new evidence backs it)"),
    ([], [put(TOOL, "evidence.privacy_audit.date", "2025-10-03")], INFO, "evidence.privacy_audit.date: 2025-11-03 → 2025-10-03"),
    ([], [put(TOOL, "evidence.vendor_due_diligence.date", "2026-10-01")], ATTENTION, "evidence.vendor_due_diligence.date: 2026-09-01 → 2026-10-01 (the date moved later"),
    ([put(TOOL, "evidence.access_control", {"administrators": ["Ann"], "roles": ["km"], "last_review": "2026-09-01"})], [put(TOOL, "evidence.access_control.last_review", "2026-10-30")], ATTENTION, "evidence.access_control.last_review: 2026-09-01 → 2026-10-30 (the date moved later"),
    ([], [put(TOOL, "evidence.pilot.end", "2026-04-06")], ATTENTION, "evidence.pilot.end: 2026-02-06 → 2026-04-06 (the date moved later"),
    # vendors
    ([], [put(VENDOR, "certifications.0.type", "soc2-type1")], ATTENTION, "certifications[soc2-2026].type: soc2-type2 → soc2-type1 (looser: a weaker kind of assurance)"),
    ([], [put(VENDOR, "certifications.1.type", "other")], ATTENTION, "certifications[iso27001].type: iso27001 → other"),
    ([put(VENDOR, "certifications.0.type", "soc2-type1")], [put(VENDOR, "certifications.0.type", "soc2-type2")], INFO, "certifications[soc2-2026].type: soc2-type1 → soc2-type2"),
    ([], [drop(VENDOR, "certifications.1")], ATTENTION, "certification iso27001 (iso27001) removed"),
    ([], [put(VENDOR, "certifications.1.expires", "2027-01-01")], ATTENTION, "certification iso27001 (iso27001) dates changed: current until 2028-03-14 → 2027-01-01"),
    # a certification current for longer: a renewal with a new issue date and evidence link, else a claim without new evidence
    ([put(VENDOR, "certifications.1.expires", "2026-12-10")], [put(VENDOR, "certifications.1.expires", "2029-12-10")], ATTENTION, "certification iso27001 (iso27001) dates changed: current until 2026-12-10 → 2029-12-10 (looser: valid for longer without a new issue date and evidence link)"),
    ([], [put(VENDOR, "certifications.1.expires", "2029-03-14"), put(VENDOR, "certifications.1.issued", "2026-03-15")], ATTENTION, "renewed: issued 2025-03-15 → 2026-03-15, current until 2028-03-14 → 2029-03-14 (looser: valid for longer"),
    ([], [put(VENDOR, "certifications.1.expires", "2029-03-14"), put(VENDOR, "certifications.1.evidence", "https://docs.example.com/iso-2026.pdf")], ATTENTION, "dates changed: current until 2028-03-14 → 2029-03-14 (looser: valid for longer"),
    ([], [put(VENDOR, "certifications.1.expires", "2029-03-14"), put(VENDOR, "certifications.1.issued", "2026-03-15"), put(VENDOR, "certifications.1.evidence", "https://docs.example.com/iso-2026.pdf")], INFO, "renewed: issued 2025-03-15 → 2026-03-15, current until 2028-03-14 → 2029-03-14"),
    ([], [put(VENDOR, "certifications.1.expires", "2029-03-14"), put(VENDOR, "certifications.1.issued", "2024-03-15"), put(VENDOR, "certifications.1.evidence", "https://docs.example.com/iso-2024.pdf")], ATTENTION, "renewed: issued 2025-03-15 → 2024-03-15, current until 2028-03-14 → 2029-03-14 (looser: valid for longer"),
    ([], [put(VENDOR, "certifications.0.period.end", "2027-06-30")], ATTENTION, "certification soc2-2026 (soc2-type2) dates changed: period.end 2026-06-30 → 2027-06-30, so current until 2027-06-30 → 2028-06-30 (looser: valid for longer"),
    ([put(VENDOR, "certifications.0.bridge_letter", {"issued": "2027-06-15", "covers_until": "2027-09-30"})], [put(VENDOR, "certifications.0.bridge_letter.covers_until", "2027-12-31")], ATTENTION, "dates changed: bridge_letter.covers_until 2027-09-30 → 2027-12-31, so current until 2027-09-30 → 2027-12-31 (looser: valid for longer"),
    ([], [put(VENDOR, "certifications.0.bridge_letter", {"issued": "2027-06-15", "covers_until": "2027-09-30"})], ATTENTION, "dates changed: bridge_letter.covers_until (none) → 2027-09-30, so current until 2027-06-30 → 2027-09-30 (looser: valid for longer"),
    ([], [put(VENDOR, "certifications.0.bridge_letter", {"issued": "2027-06-15", "covers_until": "2027-09-30"}), put(VENDOR, "certifications.0.evidence", "https://docs.example.com/bridge.pdf")], INFO, "dates changed: bridge_letter.covers_until (none) → 2027-09-30, so current until 2027-06-30 → 2027-09-30"),
    ([put(VENDOR, "certifications.0.bridge_letter", {"issued": "2027-06-15", "covers_until": "2027-12-31"})], [put(VENDOR, "certifications.0.period.end", "2026-09-30")], ATTENTION, "certifications[soc2-2026].period.end: 2026-06-30 → 2026-09-30 (looser: valid for longer"),
    # how long a SOC 2 report stays current is the head's policy: the dates the site will show
    ([], [append(VENDOR, "certifications", {"id": "soc2-b", "type": "soc2-type2", "period": {"start": "2025-07-01", "end": "2026-06-30"}})], INFO, "certification soc2-b (soc2-type2) added, current until 2027-06-30"),
    ([], [put(POLICY, "soc2_freshness_months", 6), put(VENDOR, "certifications.0.period.end", "2026-09-30")], ATTENTION, "certification soc2-2026 (soc2-type2) dates changed: period.end 2026-06-30 → 2026-09-30, so current until 2026-12-30 → 2027-03-30 (looser: valid for longer"),
    ([], [put(VENDOR, "certifications.1.id", "iso27001-b"), put(VENDOR, "certifications.1.expires", "2029-01-01")], ATTENTION, "certification iso27001 replaced by iso27001-b (iso27001): current until 2028-03-14 → 2029-01-01 (looser: valid for longer"),
    ([], [put(VENDOR, "certifications.1.id", "iso27001-b"), put(VENDOR, "certifications.1.expires", "2029-01-01"), put(VENDOR, "certifications.1.issued", "2026-01-02"), put(VENDOR, "certifications.1.evidence", "https://docs.example.com/iso-b.pdf")], INFO, "certification iso27001 replaced by iso27001-b (iso27001): current until 2028-03-14 → 2029-01-01"),
    ([], [put(VENDOR, "certifications.1.expires", "2027-01-01"), put(VENDOR, "certifications.1.issued", "2026-03-15"), put(VENDOR, "certifications.1.evidence", "https://docs.example.com/iso-2026.pdf")], ATTENTION, "current until 2028-03-14 → 2027-01-01 (looser: current for less time)"),
    # evidence on file for a certification
    ([], [drop(VENDOR, "certifications.1.evidence")], ATTENTION, "certifications[iso27001].evidence: https://docs.example.com/vendors/acme-ai/iso27001.pdf → (none) (looser: less evidence)"),
    ([], [put(VENDOR, "certifications.1.evidence", " ")], ATTENTION, "certifications[iso27001].evidence: https://docs.example.com/vendors/acme-ai/iso27001.pdf →  (looser: less evidence)"),
    ([], [put(VENDOR, "certifications.1.evidence", "https://docs.example.com/iso.pdf")], INFO, "certifications[iso27001].evidence: https://docs.example.com/vendors/acme-ai/iso27001.pdf → https://docs.example.com/iso.pdf"),
    ([], [put(VENDOR, "certifications.1.verified.on", "2026-10-02")], ATTENTION, "certifications[iso27001].verified.on: 2025-04-02 → 2026-10-02 (verified on a later day: check that someone read the new document)"),
    ([], [put(VENDOR, "certifications.1.verified.on", "2025-04-01")], INFO, "certifications[iso27001].verified.on: 2025-04-02 → 2025-04-01"),
    ([], [drop(VENDOR, "certifications.1.verified")], ATTENTION, "certifications[iso27001].verified.by: Dana Ruiz (Security) → (none) (looser: no longer recorded as verified)"),
    ([], [put(VENDOR, "certifications", "none")], ATTENTION, "; looser: a certification is no longer on file)"),
    ([], [put(VENDOR, "certifications.1.issuer", "Other Ltd.")], INFO, "certifications[iso27001].issuer: Meridian Certification Ltd. → Other Ltd."),
    # findings cleared or evidence thinned in place
    ([put(TOOL, "evidence.output_audits", [{"date": "2026-10-01", "reviewer": "A B", "drift": True, "sample_size": 30}])], [put(TOOL, "evidence.output_audits.0.drift", False)], ATTENTION, "drift no longer recorded in an earlier audit"),
    ([put(TOOL, "evidence.output_audits", [{"date": "2026-10-01", "reviewer": "A B", "drift": False, "sample_size": 30}])], [put(TOOL, "evidence.output_audits.0.sample_size", 2)], ATTENTION, "sample_size: 30 → 2 (looser: a smaller audit sample)"),
    ([put(TOOL, "evidence.incidents", [{"date": "2026-10-01", "summary": "Wrong figures", "resolved": False}])], [put(TOOL, "evidence.incidents.0.resolved", True)], ATTENTION, "an incident now recorded as resolved"),
    ([put(TOOL, "evidence.security_review", {"date": "2026-01-01", "reviewer": "A B", "result": "pass", "findings": 2})], [put(TOOL, "evidence.security_review.findings", 0)], ATTENTION, "fewer open security findings"),
    ([put(TOOL, "status.decided_by", "Ana Lima (CISO)")], [put(TOOL, "status.decided_by", "Someone Else")], ATTENTION, "changes who decided the status"),
    # procedure and guidance
    ([], [drop(STEPS, "steps.3")], ATTENTION, "step removed from the procedure"),
    ([], [put(STEPS, "steps.2.evidence", [])], ATTENTION, "no longer asks for evidence: evidence.pilot"),
    ([], [append(STEPS, "steps.2.evidence", "evidence.metrics")], INFO, "now also asks for evidence: evidence.metrics"),
    ([], [drop(STEPS, "steps.4.checklist.1")], ATTENTION, "checklist: API keys are revoked., Stored data is wiped. → API keys are revoked. (removed Stored data is wiped.; looser: fewer checks)"),
    ([put(STEPS, "steps.3.cadence", {"policy": "output_audit", "label": "Monthly"})], [put(STEPS, "steps.3.cadence.policy", "vendor_review")], ATTENTION, "cadence output_audit → vendor_review (every 31 → 90 days; looser: the step recurs less often)"),
    ([put(STEPS, "steps.3.cadence", {"policy": "vendor_review", "label": "Quarterly"})], [put(STEPS, "steps.3.cadence.policy", "output_audit")], INFO, "cadence vendor_review → output_audit (every 90 → 31 days)"),
    ([put(STEPS, "steps.3.cadence", {"policy": "output_audit", "label": "Monthly"})], [drop(STEPS, "steps.3.cadence")], ATTENTION, "cadence output_audit → (none) (every 31 → (none) days; looser"),
    ([], [put(STEPS, "steps.0.purpose", "Test it.")], INFO, "purpose: Test away from production. → Test it."),
    ([], [put(STEPS, "title", "Run")], INFO, "title: Test, deploy and maintain → Run"),
    ([], [put(GUIDANCE, "tips.0.text", "Pilot first.")], INFO, "tips[start-small].text: Pilot with a handful"),
    # Markdown the site renders: raw markup a reader of the source does not see as prose
    ([], [put(GUIDANCE, "tips.0.text", "Pilot first.\n{: hidden }")], ATTENTION, "raw markup changed"),
    ([], [put(GUIDANCE, "tips.0.text", "```{.x .mermaid}\ngraph\n```")], ATTENTION, "raw markup changed"),
    ([], [put(STEPS, "steps.0.purpose", "Test <span hidden>it</span>.")], ATTENTION, "raw markup changed"),
]
# fmt: on


def row_id(row: tuple[list[Edit], list[Edit], str | None, str]) -> str:
    return f"{row[2] or 'no change'}: {row[3][:60]}"


@pytest.mark.parametrize(("before", "after", "level", "fragment"), ROWS, ids=map(row_id, ROWS))
def test_each_field_is_compared_by_content_and_direction(
    before: list[Edit], after: list[Edit], level: str | None, fragment: str
) -> None:
    d = diff_of(before, after)
    lines = [(c.level, c.text()) for c in d.changes]
    if level is None:
        assert lines == []
        return
    assert [lvl for lvl, text in lines if fragment in text] == [level], lines
    if level == INFO:
        assert d.count(ATTENTION) == d.count(WARNING) == 0, lines


# -- completeness: any one value of the base tree changed or deleted is reported ------------------

Where = tuple[str | int, ...]


def leaves(data: Any, where: Where = ()) -> Iterator[tuple[Where, Any]]:
    if isinstance(data, dict):
        for key, value in data.items():
            yield from leaves(value, (*where, key))
    elif isinstance(data, list):
        for i, value in enumerate(data):
            yield from leaves(value, (*where, i))
    else:
        yield where, data


def edited(value: Any) -> Any:
    if isinstance(value, bool):
        return not value
    if isinstance(value, int | float):
        return value + 1
    with contextlib.suppress(ValueError):
        return (date.fromisoformat(value) + timedelta(days=1)).isoformat()
    return f"{value}-edited"


def default_at(where: Where) -> Any:
    value: Any = policy_defaults()
    for key in where:
        value = value.get(key) if isinstance(value, dict) else None
    return value


EVERY_VALUE = [
    pytest.param(file, where, id=f"{file}:{'.'.join(map(str, where))}")
    for file, data in base_docs().items()
    for where, _ in leaves(data)
]


def _reported(d: GovDiff, file: str, value: Any) -> bool:
    """Some change of ``file`` shows ``value``."""
    text = plain(value)
    return any(c.path == file and (text in c.text() or text == c.subject) for c in d.changes)


@pytest.mark.parametrize(("file", "where"), EVERY_VALUE)
def test_any_value_changed_is_reported_with_its_new_value(file: str, where: Where) -> None:
    value = dict(leaves(base_docs()[file]))[where]
    d = diff_of([], [put(file, ".".join(map(str, where)), edited(value))])
    assert _reported(d, file, edited(value)), [c.text() for c in d.changes]


@pytest.mark.parametrize(("file", "where"), EVERY_VALUE)
def test_any_value_deleted_is_reported_with_its_old_value(file: str, where: Where) -> None:
    value = dict(leaves(base_docs()[file]))[where]
    d = diff_of([], [drop(file, ".".join(map(str, where)))])
    if file == POLICY and default_at(where) == value:
        assert d.changes == ()  # deleting a value equal to its default changes nothing
    else:
        assert _reported(d, file, value), [c.text() for c in d.changes]


# -- any shape anywhere: the diff reads data nobody has validated yet ------------------------------

Shape = tuple[str, Any]
#: What each value (and each container, the whole file included) is replaced by in turn; the list
#: and the mapping carry an id, a date and a key written like a list item, so matching by
#: identity, date comparisons and item-looking paths all meet them.
SHAPES: list[Shape] = [
    ("scalar", "2027-01-01"),
    ("list", ["x", {"id": "x", "date": "2027-01-01"}, None]),
    ("mapping", {"id": "x", "[x]": ["x"], "date": {"x": None}}),
    ("null", None),
]


def nodes(data: Any, where: Where = (), depth: int = 99) -> Iterator[Where]:
    """Every value's path down to ``depth``, containers and the whole document (``()``)
    included; of a list, the first two items stand for the rest."""
    yield where
    if len(where) >= depth:
        return
    if isinstance(data, dict):
        for key, value in data.items():
            yield from nodes(value, (*where, key), depth)
    elif isinstance(data, list):
        for i, value in enumerate(data[:2]):
            yield from nodes(value, (*where, i), depth)


def around_docs() -> dict[str, Any]:
    """The schemas of the base tree and the shipped mkdocs.yml, parsed as the diff reads them."""
    docs = {
        f"schemas/{f.name}": json.loads(f.read_text(encoding="utf-8"))
        for f in sorted((REPO / "schemas").glob("*.json"))
    }
    text = (REPO / "mkdocs.yml").read_text(encoding="utf-8")
    docs["mkdocs.yml"] = parse_yaml(text, "mkdocs.yml", names=PYTHON_NAMES)[0]
    return docs


def replaced(data: Any, where: Where, value: Any) -> Any:
    """A copy of ``data`` with the value at ``where`` replaced."""
    if not where:
        return copy.deepcopy(value)
    out = copy.deepcopy(data)
    target = out
    for key in where[:-1]:
        target = target[key]
    target[where[-1]] = copy.deepcopy(value)
    return out


def shaped(files: dict[str, Any]) -> list[Any]:
    return [
        pytest.param(file, side, shape, id=f"{file}:{side}:{shape[0]}")
        for file in files
        for side in ("base", "head")
        for shape in SHAPES
    ]


@pytest.mark.parametrize(("file", "side", "shape"), shaped({**base_docs(), **around_docs()}))
def test_any_value_of_any_shape_is_compared_without_an_internal_error(
    file: str, side: str, shape: Shape
) -> None:
    """Each value in turn a scalar, a list, a mapping or null, at one revision: the comparison
    and every renderer finish (an exception here is `handbook diff`'s exit 3). The registry's
    files are compared together (a tool's checks read the policy and the procedure); a schema
    or mkdocs.yml alone, down to three levels."""
    docs = base_docs()
    depth = 99
    if file not in docs:
        docs, depth = {file: around_docs()[file]}, 3
    for where in nodes(docs[file], depth=depth):
        other = {**docs, file: replaced(docs[file], where, shape[1])}
        old, new = (other, docs) if side == "base" else (docs, other)
        d = compare(Snapshot("a", "1" * 40, old), Snapshot("b", None, new))
        for renderer in render.RENDERERS.values():
            renderer(d)
        json.loads(render.render_json(d))  # strict JSON: no NaN, no Infinity


@pytest.mark.parametrize(
    ("file", "old", "new"),
    [
        (
            "registry/policy.yaml",
            "requirements:\n  sandbox:",
            "requirements:\n  - a\nx:\n  sandbox:",
        ),
        (
            "registry/tools/acme-chat.yaml",
            "evidence:\n  privacy_audit:",
            "evidence:\n  - a\nx:\n  privacy_audit:",
        ),
    ],
    ids=["policy requirements a list", "tool evidence a list"],
)
def test_a_list_where_a_mapping_belongs_is_compared_at_either_revision(
    repo: GitRepo, capsys: pytest.CaptureFixture[str], file: str, old: str, new: str
) -> None:
    """The review's two crashes: `diff HEAD` with the working tree's policy ``requirements:`` a
    list, and with the base commit's tool ``evidence:`` a list."""
    repo.edit(file, old, new)
    code, out, err = run(capsys, "diff", "HEAD", "--root", str(repo.root))
    assert (code, err) == (0, "")
    assert f"  {file}\n" in out and "x." in out
    repo.commit("Break the file", "2026-10-20")
    repo.git("checkout", "HEAD~1", "--", ".")
    code, out, err = run(capsys, "diff", "HEAD", "--root", str(repo.root))
    assert (code, err) == (0, "")
    assert f"  {file}\n" in out and "x." in out


def test_a_file_that_is_not_a_mapping_is_a_problem_not_silence(repo: GitRepo) -> None:
    (repo.root / CODE).write_text("- a\n- b\n", encoding="utf-8")
    (repo.root / "registry/tools/one.yaml").write_text("just text\n", encoding="utf-8")
    result = diff.diff(repo.root, "HEAD")
    assert [(p.path, p.message) for p in result.problems] == [
        (CODE, "(top level) should be a mapping (key: value lines), not a list"),
        (
            "registry/tools/one.yaml",
            "(top level) should be a mapping (key: value lines), not a single value",
        ),
    ]
    assert result.changes == ()


def test_a_number_python_cannot_print_is_a_problem(
    repo: GitRepo, capsys: pytest.CaptureFixture[str]
) -> None:
    """0x followed by 5,000 digits is read by int() but cannot be printed: the loader refuses it,
    so the diff lists the file instead of failing on it."""
    repo.edit(TOOL, "  seats: 120\n", "  seats: 0x" + "f" * 5000 + "\n")
    code, out, err = run(capsys, "diff", "HEAD", "--root", str(repo.root))
    assert (code, err) == (0, "")
    assert f"could not read {TOOL}:15:10: the number '0xffff" in out


def test_nan_and_infinity_stay_valid_json() -> None:
    old = {"registry/tools/a.yaml": tool("a", "A", license={"seats": float("nan")})}
    new = {"registry/tools/a.yaml": tool("a", "A", license={"seats": float("inf")})}
    assert compare(Snapshot("a", None, old), Snapshot("b", None, old)).changes == ()
    d = compare(Snapshot("a", None, old), Snapshot("b", None, new))
    assert [c["values"] for c in json.loads(render.render_json(d))["changes"]] == [
        {"key": "license.seats", "old": "nan", "new": "inf"}
    ]


def test_look_alike_values_are_shown_by_code_point() -> None:
    """A reviewer must see that 'publ\\u0456c' (a Cyrillic i) is not 'public', in text and in
    the comment; the JSON keeps the values as they are, for programs."""
    old = {"registry/tools/a.yaml": tool("a", "Acme Chat", data={"allowed": ["public"]})}
    new = {
        "registry/tools/a.yaml": tool(
            "a",
            "\uff21cme Chat",
            owner={"team": "Res\u0435arch"},
            data={"allowed": ["publ\u0456c"]},
        )
    }
    d = compare(Snapshot("a", None, old), Snapshot("b", None, new))
    assert render.render_text(d).splitlines()[2:] == [
        "tool a (\\uff21cme Chat)  registry/tools/a.yaml",
        "  attention  data classifications widened: publ\\u0456c newly allowed (now publ\\u0456c)",
        "  info       data classifications narrowed: public no longer allowed",
        "  info       owner team: (none) → Res\\u0435arch",
        "  info       name Acme Chat → \\uff21cme Chat",
    ]
    markdown = render.render_markdown(d)
    assert "**Tool `a`** \\\\uff21cme Chat · `registry/tools/a.yaml`" in markdown
    assert "`publ\\u0456c` newly allowed" in markdown
    assert "\u0456" not in markdown and "\uff21" not in markdown
    values = [c["values"] for c in json.loads(render.render_json(d))["changes"]]
    assert "publ\u0456c" in values[0]["added"]


def test_an_asset_whose_name_holds_a_line_break_is_compared_not_hidden(
    repo: GitRepo, capsys: pytest.CaptureFixture[str]
) -> None:
    """git's batch reads one name a line: such a file is read by its object name, shown with
    its name escaped, and its change still needs attention, against a revision or the tree."""
    odd = repo.root / "content/assets/nl\nx.png"
    odd.parent.mkdir(parents=True, exist_ok=True)
    odd.write_bytes(b"x")
    base = repo.commit("Add an oddly named image")
    odd.write_bytes(b"y")
    head = repo.commit("Change it")
    for revs in ([base, head], [base]):
        code, out, _ = run(capsys, "diff", *revs, "--root", str(repo.root))
        assert code == 0
        assert "0 warnings, 1 needs attention, 0 other changes" in out, revs
        assert "asset nl\\nx.png  content/assets/nl\\nx.png\n  attention  asset changed" in out
        assert "content/assets/nl\\nx.png: the file's name holds a line break" in out


def test_oddly_named_files_with_the_same_content_are_each_compared(
    repo: GitRepo, capsys: pytest.CaptureFixture[str]
) -> None:
    """Two such files may share one blob: each is read under its own name."""
    for name in ("nl\na.png", "nl\nb.png"):
        odd = repo.root / "content/assets" / name
        odd.parent.mkdir(parents=True, exist_ok=True)
        odd.write_bytes(b"same")
    base = repo.commit("Add two oddly named images")
    for name in ("nl\na.png", "nl\nb.png"):
        (repo.root / "content/assets" / name).write_bytes(b"other")
    head = repo.commit("Change both")
    code, out, _ = run(capsys, "diff", base, head, "--root", str(repo.root))
    assert code == 0
    assert "2 need attention" in out or "2 needs attention" in out
    for name in ("nl\\na.png", "nl\\nb.png"):
        assert f"content/assets/{name}\n  attention  asset changed" in out


@pytest.mark.parametrize(
    ("added", "markup"),
    [
        # attr_list sets what the source does not show (hidden text, a class)
        ("Approvals are automatic.\n{: hidden=hidden }\n", True),
        ("Approvals are automatic.\n{hidden}\n", True),
        ("```{.x .mermaid}\ngraph TD; A-->B\n```\n", True),
        ("Read *this*{: .md-button } first.\n", True),
        ("Data may be used ==only after the audit=={: hidden } freely.\n", True),  # any extension
        ("Quick \\`<span hidden>Audits are optional.</span>\\` text.\n", True),  # not code
        # Markdown shows code and autolinks as written: nothing hides there
        ("Write `<customer name>` in the prompt.\n", False),
        ('```text\n<product> and f"{name}"\n```\n', False),
        ("See <https://intranet.example.com/ai/templates> or <ai@example.com>.\n", False),
    ],
)
def test_raw_markup_in_a_page_needs_attention(
    repo: GitRepo, capsys: pytest.CaptureFixture[str], added: str, markup: bool
) -> None:
    page = repo.root / "content/pages/notes.md"
    page.parent.mkdir(parents=True, exist_ok=True)
    page.write_text("# Notes\n\nPlain {braces} in prose are text.\n", encoding="utf-8")
    base = repo.commit("Add notes")
    page.write_text(page.read_text(encoding="utf-8") + "\n" + added, encoding="utf-8")
    code, out, _ = run(capsys, "diff", base, "--root", str(repo.root))
    assert code == 0
    if markup:
        assert "1 needs attention" in out and "attention  raw markup added:" in out, out
    else:
        assert "0 need attention" in out, out


def test_an_asset_whose_name_is_not_utf8_is_compared_not_hidden(
    repo: GitRepo, capsys: pytest.CaptureFixture[str]
) -> None:
    base = repo.commit("Start")
    odd = repo.root / "content/assets"
    odd.mkdir(parents=True, exist_ok=True)
    (odd / b"a\xff.txt".decode("utf-8", "surrogateescape")).write_bytes(b"x")
    head = repo.commit("Add a file whose name is not UTF-8")
    code, out, _ = run(capsys, "diff", base, head, "--root", str(repo.root))
    assert code == 0
    assert "1 needs attention" in out and "attention  asset added: 1 bytes" in out, out


# -- evidence tables: rows edited while the YAML stays the same -----------------------------------

RECORDS = "evidence/acme-chat/benchmark-2025-12.csv"


def with_tables(edit_rows: Any = None, audit: tuple[str, str] | None = None) -> GovDiff:
    """The base tree with its evidence tables, and a head whose tables ``edit_rows`` rewrote
    (``audit``: an audit table's text at base and head, named by a 2026-10-20 audit)."""
    old = base_docs()
    for path in sorted((BASE / "evidence").rglob("*.csv")):
        old[path.relative_to(BASE).as_posix()] = path.read_bytes()
    if audit is not None:
        old[TOOL]["evidence"]["output_audits"] = [
            {
                "date": "2026-10-20",
                "reviewer": "Ben Carter",
                "drift": False,
                "results": "evidence/acme-chat/audit-2026-10.csv",
            }
        ]
        old["evidence/acme-chat/audit-2026-10.csv"] = audit[0].encode()
    new = copy.deepcopy(old)
    if edit_rows is not None:
        new[RECORDS] = edit_rows(old[RECORDS].decode()).encode()
    if audit is not None:
        new["evidence/acme-chat/audit-2026-10.csv"] = audit[1].encode()
    return compare(Snapshot("a", None, old), Snapshot("b", None, new))


def lines_of(d: GovDiff) -> list[tuple[str, str]]:
    return [(c.level, c.text()) for c in d.changes]


def test_records_edited_in_place_to_flatter_the_ai_need_attention() -> None:
    # the expert-only task T40 now says the AI got it right too
    d = with_tables(lambda text: text.replace("T40,translation,no,yes", "T40,translation,yes,yes"))
    assert lines_of(d) == [
        (
            ATTENTION,
            "the task records of the benchmark of 2025-12-12 changed in place "
            "(evidence/acme-chat/benchmark-2025-12.csv): ai correct 37 → 38; "
            "the AI now looks better: check what backs the change",
        )
    ]


def test_records_that_make_the_ai_look_worse_are_info() -> None:
    d = with_tables(lambda text: text.replace("T01,summary,yes,yes", "T01,summary,no,yes"))
    assert [lvl for lvl, _ in lines_of(d)] == [INFO]
    assert "ai correct 37 → 36" in lines_of(d)[0][1]


def test_notes_edited_without_changing_a_count() -> None:
    d = with_tables(
        lambda text: text.replace("T01,summary,yes,yes,no,4,", "T01,summary,yes,yes,no,4,ok")
    )
    assert lines_of(d) == [
        (
            INFO,
            "the task records of the benchmark of 2025-12-12 were edited "
            "(evidence/acme-chat/benchmark-2025-12.csv); the counts are unchanged",
        )
    ]


def test_an_unchanged_table_is_no_change() -> None:
    assert lines_of(with_tables()) == []


def test_fewer_errors_in_an_audit_table_need_attention() -> None:
    before = "output,error\n" + "".join(f"O{i},{'yes' if i < 5 else 'no'}\n" for i in range(30))
    after = before.replace("O0,yes", "O0,no")
    d = with_tables(audit=(before, after))
    assert lines_of(d) == [
        (
            ATTENTION,
            "the sampled outputs of the output audit of 2026-10-20 changed in place "
            "(evidence/acme-chat/audit-2026-10.csv): errors 5 → 4; the error rate now looks "
            "lower: check what backs the change",
        )
    ]


AUDIT_ROWS = "output,error,notes\n" + "".join(
    f"O{i},{'yes' if i < 8 else 'no'},\n" for i in range(30)
)


def test_a_larger_sample_with_the_same_errors_needs_attention() -> None:
    # 8 in 30 was drift; 8 in 90 is not: rows added, no count of errors changed
    more = AUDIT_ROWS + "".join(f"P{i},no,\n" for i in range(60))
    ((level, text),) = lines_of(with_tables(audit=(AUDIT_ROWS, more)))
    assert level == ATTENTION and "sample size 30 → 90" in text and "looks lower" in text


def test_an_audit_note_edited_is_info() -> None:
    edited = AUDIT_ROWS.replace("O0,yes,", "O0,yes,checked twice")
    assert lines_of(with_tables(audit=(AUDIT_ROWS, edited))) == [
        (
            INFO,
            "the sampled outputs of the output audit of 2026-10-20 were edited "
            "(evidence/acme-chat/audit-2026-10.csv); the counts are unchanged",
        )
    ]


def test_a_worse_expert_narrows_the_gap_and_needs_attention() -> None:
    d = with_tables(lambda text: text.replace("T01,summary,yes,yes", "T01,summary,yes,no"))
    ((level, text),) = lines_of(d)
    assert level == ATTENTION and "expert correct 38 → 37" in text


def test_a_table_that_no_longer_reads_needs_attention() -> None:
    d = with_tables(lambda text: text.replace("T01,summary,yes,yes", "T01,summary,maybe,yes"))
    assert (
        ATTENTION,
        "the benchmark table evidence/acme-chat/benchmark-2025-12.csv no longer reads: its rows "
        "have errors (handbook validate names them), so its figures drop out of the checks",
    ) in lines_of(d)
