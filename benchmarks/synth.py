"""Synthetic handbooks for benchmarks: the shipped procedure and policy, N generated tools.

Every generated tool is valid and current as of the policy's pinned date, so a benchmark measures
the normal path (a clean nightly run), not error reporting; unless ``finding`` names one of
``FINDINGS``, which gives every tool file one finding of that kind.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from collections.abc import Callable
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
STATUSES = ["approved"] * 6 + ["restricted", "pilot", "sandbox", "proposed", "rejected"]

VENDOR = """\
# yaml-language-server: $schema=../../schemas/vendor.schema.json
id: {vid}
name: Synthetic Vendor {n}
website: https://vendor-{n}.example/
trust_page: https://trust.vendor-{n}.example/
privacy_policy: https://vendor-{n}.example/privacy
certifications:
  - id: soc2
    type: soc2-type2
    scope: All hosted products
    issuer: Example Assurance LLP
    issued: 2026-07-15
    period: {{start: 2025-07-01, end: 2026-06-30}}
    evidence: https://docs.example.com/vendors/{vid}/soc2.pdf
    verified: {{by: Dana Ruiz (Security), on: 2026-07-20}}
  - id: iso27001
    type: iso27001
    issuer: Example Certification Body
    issued: 2025-03-01
    expires: 2028-02-28
    evidence: https://docs.example.com/vendors/{vid}/iso27001.pdf
    verified: {{by: Dana Ruiz (Security), on: 2025-03-10}}
"""

TOOL_HEAD = """\
# yaml-language-server: $schema=../../schemas/tool.schema.json
id: {tid}
name: Synthetic Tool {n}
vendor: {vid}
description: >-
  Generated tool number {n}, a drafting and summarising assistant used by the
  {team} team for routine documents.
owner:
  team: {team}
  contact: team-{t}@example.com
status:
  value: {status}
  since: {since}
problem: >-
  The {team} team spends about forty minutes on each routine summary and wants
  to halve that without lowering quality.
uses:
  approved:
    - First drafts of internal summaries
    - Rewording text the user wrote
  prohibited:
    - Final decisions on financial transactions or HR matters without human review
license:
  tier: enterprise
data:
  allowed: [public, internal]
"""

AI_ACT = """\
eu_ai_act:
  class: {cls}
  general_purpose: system
  role: deployer
  rationale: Drafts internal summaries that a person checks; no Annex III use.
  decided_by: Hannah Okafor (Legal)
  decided_on: 2026-02-01
"""
#: A high-risk use (every 20th tool) with each obligation of the shipped policy recorded.
AI_ACT_HIGH = """\
eu_ai_act:
  class: high-risk
  basis: annex-iii
  annex_iii_area: employment
  general_purpose: system
  role: deployer
  rationale: Ranks internal applicants for open roles before a recruiter reads them.
  decided_by: Hannah Okafor (Legal)
  decided_on: 2026-02-01
  obligations:
""" + "".join(
    f"    {ob}:\n      date: 2026-03-01\n      by: HR lead\n"
    for ob in (
        "instructions-for-use",
        "human-oversight",
        "input-data",
        "data-protection-impact",
        "monitoring-and-incidents",
        "log-retention",
        "worker-information",
        "affected-persons",
    )
)

EVIDENCE = """\
evidence:
  privacy_audit:
    date: 2026-01-10
    reviewer: Tomas Ferreira (Privacy)
    result: pass
    personal_data: false
    proprietary_ip: true
    enterprise_instance: true
    trains_on_our_data: false
  vendor_due_diligence:
    date: 2026-07-21
    reviewer: Dana Ruiz (Security)
    certifications: [soc2, iso27001]
  compliance_review:
    date: 2026-02-01
    reviewer: Hannah Okafor (Legal)
    regulations: [GDPR, EU AI Act]
    outcome: pass
"""

EVIDENCE_TEST = """\
  sandbox:
    environment: ai-sandbox-{t}
    isolated_from_production: true
    start: 2026-02-10
    end: 2026-03-10
  benchmark:
    date: 2026-03-01
    expert: Rachel Kim (Analyst)
    results: evidence/{tid}/benchmark-2026-03.csv
  integration:
    architecture: Internal AI gateway to the vendor REST API
    authentication: OAuth client credentials
    secrets_ref: vault://kv/ai/{tid}
  access_control:
    administrators: [Marcus Lee (IT/Ops)]
    roles: [grp-ai-{tid}]
    last_review: 2026-09-20
  security_review:
    date: 2026-03-05
    reviewer: Dana Ruiz (Security)
    result: pass
"""

# 40 tasks: both right 35, the AI only 2, the expert only 3; one hallucination. Clears the
# policy's bar (the AI-minus-expert interval's lower end is about -16 points).
BENCHMARK_ROWS = "task,category,ai_correct,expert_correct,ai_hallucination,tone\n" + "".join(
    f"T{i:02d},routine,{'yes' if i < 37 else 'no'},{'yes' if i < 35 or i > 36 else 'no'},"
    f"{'yes' if i == 39 else 'no'},4\n"
    for i in range(40)
)

EVIDENCE_DEPLOY = """\
  pilot:
    power_users: [Omar Haddad, Mei Tanaka]
    start: 2026-03-15
    end: 2026-04-10
    outcome: adopt
  human_review:
    verifiers: [The author]
    checks: Every fact and figure is checked against its source.
    applies_to: [Content]
  metrics:
    measured: 2026-10-01
    error_rate: 0.04
    latency_ms: 1800
    time_saved_minutes: 22
  feedback:
    channel: https://tickets.example.com/ai-feedback/{tid}
  output_audits:
    - date: 2026-10-20
      reviewer: Ben Carter
      drift: false
  vendor_review:
    date: 2026-09-01
    reviewer: Hannah Okafor (Legal)
    changes: none
"""


EXCEPTION = """\
exceptions:
  - rule: cert-expiring
    reason: The renewed report is due next month.
    approver: Dana Ruiz (Security)
    until: 2031-01-31
"""

#: One finding in every tool file: name -> (what it is, the tool's text -> the text with it).
FINDINGS: dict[str, tuple[str, Callable[[str], str]]] = {
    "warning": (
        "a name-duplicate warning on line 3: every tool named alike, bar the first",
        lambda text: re.sub(r"(?m)^name: .*$", "name: Synthetic Tool", text, count=1),
    ),
    "deep-error": (
        "an exception-invalid error on the last line: exceptions[0].until too late",
        lambda text: text + EXCEPTION,
    ),
    "schema-error": (
        "a schema-unknown-key error on the last line, in the last top-level entry (evidence, "
        "most of the file, or data)",
        lambda text: text + "  remarks: Reviewed by the board in March.\n",
    ),
}


def make_handbook(
    root: Path,
    tools: int,
    vendors: int | None = None,
    finding: str | None = None,
    history: bool = False,
) -> Path:
    """Write a complete handbook tree with ``tools`` generated tools under ``root``.

    ``finding``: a key of ``FINDINGS`` to give every tool file that one finding; None: none.
    ``history``: make ``root`` a git repository whose tools went proposed -> sandbox -> pilot
    -> their status in four commits (what the tool pages' status history reads).
    """
    add_finding = FINDINGS[finding][1] if finding else None
    vendors = vendors or max(1, tools // 25)
    if root.exists():
        shutil.rmtree(root)
    for folder in ("schemas", "content", "frameworks"):
        shutil.copytree(REPO / folder, root / folder)
    (root / "registry" / "tools").mkdir(parents=True)
    (root / "registry" / "vendors").mkdir(parents=True)
    shutil.copy(REPO / "registry" / "policy.yaml", root / "registry" / "policy.yaml")
    if (REPO / "mkdocs.yml").exists():
        shutil.copy(REPO / "mkdocs.yml", root / "mkdocs.yml")
    for v in range(vendors):
        vid = f"vendor-{v:04d}"
        (root / "registry" / "vendors" / f"{vid}.yaml").write_text(VENDOR.format(vid=vid, n=v))
    for t in range(tools):
        tid = f"tool-{t:05d}"
        status = STATUSES[t % len(STATUSES)]
        since = {"pilot": "2026-10-01", "sandbox": "2026-10-05"}.get(status, "2026-04-15")
        fields = {"tid": tid, "n": t, "t": t, "vid": f"vendor-{t % vendors:04d}"}
        text = TOOL_HEAD.format(**fields, team=f"Team {t % 40}", status=status, since=since)
        if status in {"sandbox", "pilot", "approved", "restricted"}:
            cls = "limited" if t % 10 == 5 else "minimal"
            text += AI_ACT_HIGH if t % 20 == 0 else AI_ACT.format(cls=cls)
            if cls == "limited":
                text += "  obligations:\n    transparency-notice:\n      date: 2026-03-01\n"
                text += "      by: Content lead\n"
            text += EVIDENCE
        if status in {"pilot", "approved", "restricted"}:
            text += EVIDENCE_TEST.format(**fields)
            (root / "evidence" / tid).mkdir(parents=True)
            (root / "evidence" / tid / "benchmark-2026-03.csv").write_text(BENCHMARK_ROWS)
        if status in {"approved", "restricted"}:
            text += EVIDENCE_DEPLOY.format(**fields)
        if status == "pilot":
            text += (
                "  pilot:\n    power_users: [Omar Haddad]\n    start: 2026-10-01\n"
                "    end: 2026-11-20\n    outcome: pending\n"
            )
        if add_finding is not None:
            text = add_finding(text)
        (root / "registry" / "tools" / f"{tid}.yaml").write_text(text)
    if history:
        commit_history(root)
    return root


#: The statuses a synthetic tool passed through, with the day each commit is dated.
STEPS = (("proposed", "2026-01-12"), ("sandbox", "2026-03-02"), ("pilot", "2026-05-04"))
ORDER = ("proposed", "sandbox", "pilot", "approved", "restricted")


def git(root: Path, *args: str, day: str = "2026-06-01") -> None:
    """Run git in ``root`` as a fixed author, committing on ``day`` (noon UTC)."""
    when = f"{day}T12:00:00+00:00"
    env = {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "HOME": str(root),
        "GIT_AUTHOR_NAME": "Bench",
        "GIT_AUTHOR_EMAIL": "bench@example.com",
        "GIT_COMMITTER_NAME": "Bench",
        "GIT_COMMITTER_EMAIL": "bench@example.com",
        "GIT_AUTHOR_DATE": when,
        "GIT_COMMITTER_DATE": when,
    }
    subprocess.run(["git", *args], cwd=root, env=env, check=True, capture_output=True)


def commit_history(root: Path) -> None:
    """Commit the tree as if each tool had moved through :data:`STEPS` to its status today."""
    files = sorted((root / "registry" / "tools").glob("*.yaml"))
    final = {f: f.read_text() for f in files}
    git(root, "init", "-q", "-b", "main")
    for status, day in STEPS:
        for f, text in final.items():
            now = re.search(r"^  value: (\S+)$", text, re.M)
            if now and now.group(1) in ORDER and ORDER.index(now.group(1)) > ORDER.index(status):
                f.write_text(text.replace(f"  value: {now.group(1)}\n", f"  value: {status}\n", 1))
        git(root, "add", "-A", day=day)
        git(root, "commit", "-q", "-m", f"Move tools to {status}", day=day)
    for f, text in final.items():
        f.write_text(text)
    git(root, "add", "-A")
    git(root, "commit", "-q", "-m", "Approve the tools")
