"""render.py is pure: Handbook (+ findings) -> {path: Markdown}. Escaping, step states, tables."""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

import markdown
import pytest
from conftest import TODAY, MakeTree

from generator.cli import load_and_validate
from generator.diagnostics import Diagnostic, Severity, exit_code
from generator.model import Handbook, build
from generator.render import Inputs, Site, badge, pages, render
from generator.rules import RULES
from generator.status import step_states

EVIL = "<script>window.pwned=1</script> *bold* [x](javascript:alert(1)) | pipe"


def handbook_of(root: Path, *, valid: bool = True) -> Handbook:
    tree, diags, _ = load_and_validate(root, None)
    if valid:
        assert exit_code(diags) == 0, diags
    return build(tree)


def finding(severity: Severity, subject: str, step: str) -> Diagnostic:
    return Diagnostic(
        "output-audit-overdue",
        severity,
        "the output audit is overdue",
        f"registry/tools/{subject}.yaml",
        1,
        1,
        subject=subject,
        step=step,
        due="2026-10-20",
        days=-12,
    )


@pytest.fixture
def hb(handbook_tree: MakeTree) -> Handbook:
    return handbook_of(handbook_tree())


def states_of(hb: Handbook, tool: str, findings: list[Diagnostic] | None = None) -> dict[str, str]:
    return {s.step.id: s.state for s in step_states(hb, hb.tools[tool], findings or [])}


def test_step_states_done_and_not_yet(hb: Handbook) -> None:
    assert states_of(hb, "acme-chat") == {
        "define-problem": "done",
        "privacy-audit": "done",
        "vendor-due-diligence": "done",
        "sandbox": "done",
        "benchmark": "done",
        "pilot": "done",
        "feedback": "done",
        "offboarding": "not-yet",
    }
    assert states_of(hb, "globex-notes") == {
        "define-problem": "done",
        "privacy-audit": "not-yet",
        "vendor-due-diligence": "not-yet",
        "sandbox": "not-yet",
        "benchmark": "not-yet",
        "pilot": "not-yet",
        "feedback": "not-yet",
        "offboarding": "not-yet",
    }


def test_step_states_stale_due_soon_excepted(hb: Handbook) -> None:
    got = states_of(
        hb,
        "acme-chat",
        [
            finding(Severity.ERROR, "acme-chat", "pilot"),
            finding(Severity.WARNING, "acme-chat", "feedback"),
            finding(Severity.NOTE, "acme-chat", "benchmark"),
        ],
    )
    assert (got["pilot"], got["feedback"], got["benchmark"]) == ("stale", "due-soon", "excepted")
    assert got["sandbox"] == "done"


def test_step_missing_when_the_status_requires_it(handbook_tree: MakeTree) -> None:
    root = handbook_tree()
    text = (root / "registry/tools/acme-chat.yaml").read_text(encoding="utf-8")
    cut = text.index("  sandbox:\n")
    end = text.index("  benchmark:\n")
    (root / "registry/tools/acme-chat.yaml").write_text(text[:cut] + text[end:], encoding="utf-8")
    hb = handbook_of(root, valid=False)  # validation reports evidence-missing; render shows it
    assert states_of(hb, "acme-chat")["sandbox"] == "missing"


def test_registry_values_are_escaped_everywhere(handbook_tree: MakeTree) -> None:
    root = handbook_tree()
    path = root / "registry/tools/globex-notes.yaml"
    text = path.read_text(encoding="utf-8")
    text = text.replace("name: Globex Notes", f"name: {EVIL!r}".replace("'", '"'))
    text = text.replace("problem: Meeting", f'description: "{EVIL}"\nproblem: Meeting')
    path.write_text(text, encoding="utf-8")
    out = render(handbook_of(root), Inputs(TODAY))
    md = markdown.Markdown(extensions=["tables", "attr_list", "admonition", "toc"])
    for name in ("tools/globex-notes.md", "tools/index.md", "vendors/globex.md", "dashboard.md"):
        html = md.reset().convert(out[name])
        assert "<script>" not in html, name
        assert "&lt;script&gt;window.pwned=1&lt;/script&gt;" in html, name
        assert "javascript:" not in re.findall(r'href="([^"]*)"', html), name
    page = md.reset().convert(out["tools/globex-notes.md"])
    assert "*bold* [x](javascript:alert(1)) | pipe" in page


def test_tools_index_row(hb: Handbook) -> None:
    site = Site(hb, Inputs(TODAY))
    due = site.next_due(hb.tools["acme-chat"])
    assert due is not None
    # no output audit recorded: one was due a cadence after approval (as the expiry check says)
    assert (due.uid, due.day) == ("tool.acme-chat.output_audit", date(2026, 4, 2))
    rows = [line for line in pages(site)["tools/index.md"].splitlines() if line.startswith("| [")]
    assert rows[0] == (
        f"| [Acme Chat](acme-chat.md) | Acme AI | {badge('approved')} | internal, personal "
        "| Knowledge Management | 2026-04-02 (overdue) |"
    )
    assert [r.split("]")[0] for r in rows] == ["| [Acme Chat", "| [Acme Code", "| [Globex Notes"]


def test_tool_page_shows_states_findings_and_links(hb: Handbook) -> None:
    stale = finding(Severity.ERROR, "acme-chat", "pilot")
    out = render(hb, Inputs(TODAY, findings=[stale], last_changed={}))
    page = out["tools/acme-chat.md"]
    stale_line = '<span class="hb-state hb-state-stale">✗ stale</span> [Pilot](../procedure/'
    assert stale_line + "phase-2.md#pilot) (required)" in page
    assert '<span class="hb-state hb-state-done">✓ done</span> [Sandbox](' in page
    assert "## Findings as of 2026-11-01" in page
    assert "the output audit is overdue" in page
    assert "| Entry last changed | unknown (not committed yet) |" in page
    assert "[Report an inaccuracy](" in page
    assert f"{badge('approved')} since 2026-03-02" in page


def test_every_rule_has_an_anchor(hb: Handbook) -> None:
    text = render(hb, Inputs(TODAY))["rules.md"]
    for rule_id in RULES:
        assert f"{{ #{rule_id} }}" in text


def test_pages_are_pure_and_complete(hb: Handbook) -> None:
    first = render(hb, Inputs(TODAY))
    assert first == render(hb, Inputs(TODAY))
    assert set(first) == {
        "index.md",
        "report-inaccuracy.md",
        "procedure/index.md",
        "procedure/phase-1.md",
        "procedure/phase-2.md",
        "procedure/guidance.md",
        "tools/index.md",
        "tools/acme-chat.md",
        "tools/acme-code.md",
        "tools/globex-notes.md",
        "vendors/index.md",
        "vendors/acme-ai.md",
        "vendors/globex.md",
        "dashboard.md",
        "which-tools.md",
        "rules.md",
        "exports.md",
    }


def test_dashboard_counts_per_phase(hb: Handbook) -> None:
    site = Site(hb, Inputs(TODAY, findings=[finding(Severity.ERROR, "acme-chat", "pilot")]))
    text = pages(site)["dashboard.md"]
    # columns: done, due soon, stale, missing, exception, not yet
    assert "| [Phase 1: " in text
    phase2 = next(line for line in text.splitlines() if line.startswith("| [Phase 2: "))
    cells = [c.strip() for c in phase2.split("|")[2:-1]]
    total = sum(int(c) for c in cells)
    assert total == 3 * 5  # three tools x five steps
    assert cells[2] == "1"  # one stale step
    assert '<td class="hb-stale">✗ stale</td>' in text


def test_phase_page_lists_steps_with_anchors_and_evidence(hb: Handbook) -> None:
    text = render(hb, Inputs(TODAY, field_docs={"evidence.sandbox": "Phase 2 - sandbox."}))
    phase = text["procedure/phase-2.md"]
    assert "## Sandbox { #sandbox }" in phase
    assert "`evidence.sandbox`: Phase 2 \\- sandbox." not in phase  # '-' mid-line is not escaped
    assert "`evidence.sandbox`: Phase 2 - sandbox." in phase
    assert "- [ ] The sandbox cannot reach production." in phase


def test_as_of_date_is_the_given_day(hb: Handbook) -> None:
    out = render(hb, Inputs(date(2027, 1, 5)))
    assert "as of 2027-01-05" in out["tools/index.md"]


def test_vendor_certificate_findings_reach_the_tools_that_rely_on_them(hb: Handbook) -> None:
    from generator.checks.expiry import current_until
    from generator.status import findings_by_tool

    vendor = hb.vendors["acme-ai"]
    cert = next(
        c for c in vendor.certifications if c.id in hb.tools["acme-chat"].relied_certifications
    )
    lapsed = Diagnostic(
        "cert-expired",
        Severity.ERROR,
        "the certificate expired",
        vendor.path,
        subject="acme-ai",
        step="vendor-due-diligence",
        due=current_until(cert, hb.policy).isoformat(),
    )
    other = Diagnostic(
        "cert-expired",
        Severity.ERROR,
        "another one",
        vendor.path,
        subject="acme-ai",
        due="1999-01-01",
    )
    by_tool = findings_by_tool(hb, [lapsed, other])
    assert by_tool["acme-chat"] == [lapsed]
    assert states_of(hb, "acme-chat", by_tool["acme-chat"])["vendor-due-diligence"] == "stale"
    page = render(hb, Inputs(TODAY, findings=[lapsed]))["tools/acme-chat.md"]
    assert "## Certifications relied on" in page
    assert f"(`{cert.id}`)" in page
    assert "the certificate expired" in page
