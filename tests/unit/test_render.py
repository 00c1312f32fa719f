"""render.py is pure: Handbook (+ findings) -> {path: Markdown}. Escaping, step states, tables."""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

import markdown
import pytest
from conftest import TODAY, MakeTree

from generator import pipeline
from generator.diagnostics import Diagnostic, Severity, exit_code
from generator.model import Handbook, build
from generator.render import Inputs, Site, badge, list_item, loose_items, pages, render
from generator.rules import RULES
from generator.status import findings_by_tool, step_states

EVIL = "<script>window.pwned=1</script> *bold* [x](javascript:alert(1)) | pipe"


def handbook_of(root: Path, *, valid: bool = True) -> Handbook:
    checked = pipeline.check(root, None, TODAY)
    tree, diags = checked.tree, checked.diagnostics
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
    page = pages(site)["tools/index.md"]
    rows = page.split("<tbody>\n", 1)[1].split("</tbody>", 1)[0].split("</tr>\n")
    # the classes hb-v-* and <time> are what assets/table-filter.js filters and sorts by
    assert rows[0] == (
        '<tr>\n<td><a href="acme-chat/">Acme Chat</a></td>\n<td class="hb-v-vendor">Acme AI</td>\n'
        f'<td class="hb-v-status-approved">{badge("approved")}</td>\n'
        '<td><span class="hb-v-data-internal">internal</span>, '
        '<span class="hb-v-data-personal">personal</span></td>\n'
        '<td><span class="hb-v-act-none">not classified</span></td>\n'
        '<td class="hb-v-team">Knowledge Management</td>\n<td class="hb-v-findings">0</td>\n'
        '<td><time datetime="2026-04-02">2026-04-02</time> (overdue)</td>\n'
    )
    names = [r.split('/">', 1)[1].split("<", 1)[0] for r in rows if r]
    assert names == ["Acme Chat", "Acme Code", "Globex Notes"]


def sections(page: str) -> dict[str, str]:
    """A generated page by its "## " sections (the text before the first one under "")."""
    head, *rest = page.split("\n## ")
    return {"": head, **{s.split("\n", 1)[0]: s.split("\n", 1)[1] for s in rest}}


def test_tool_page_shows_states_findings_and_links(hb: Handbook) -> None:
    stale = finding(Severity.ERROR, "acme-chat", "pilot")
    out = render(hb, Inputs(TODAY, findings=[stale], last_changed={}))
    page = sections(out["tools/acme-chat.md"])
    assert list(page) == [
        "",
        "Findings as of 2026-11-01",
        "Status history { #history }",
        "Deadlines { #deadlines }",
        "Measured evidence",
        "Problem",
        "Uses",
        "Certifications relied on",
        "Procedure steps { #procedure }",
        "EU AI Act",
        "Frameworks",
    ]
    assert "History unavailable" in page["Status history { #history }"]  # no timelines given
    deadlines = page["Deadlines { #deadlines }"]
    assert '<figure class="hb-figure" id="hb-chart-deadlines">' in deadlines
    assert "<details" in deadlines and "<td>2026-04-02</td>" in deadlines  # the text equivalent
    measured = page["Measured evidence"]
    # the base records: 37 of 40 for the AI, 38 for the expert, both right on 35
    assert "<td>37 of 40 (92.5%)</td>" in measured and "<td>38 of 40 (95%)</td>" in measured
    assert "exact McNemar test, p = 1.00" in measured  # 2 against 3 discordant tasks
    assert "No output audit is recorded." in measured
    lead = page[""].split("\n\n")[:3]
    assert lead == [
        "# Acme Chat",
        f'<p class="hb-lead">{badge("approved")} since 2026-03-02 · vendor '
        '<a href="../../vendors/acme-ai/">Acme AI</a> · owned by Knowledge Management</p>',
        '<p><a class="md-button" href="mailto:ai-feedback@example.com">'
        "Report an inaccuracy</a></p>",
    ]
    assert (
        "<tr>\n<td>Entry last changed</td>\n<td>unknown (not committed yet)</td>\n</tr>"
        in (page[""])
    )
    assert page["Findings as of 2026-11-01"] == (
        "\n<ul>\n"
        '<li><span class="hb-sev hb-sev-error">error</span> the output audit is overdue'
        ' (due 2026-10-20) · <a href="../../rules/#output-audit-overdue">output-audit-overdue</a>'
        "</li>\n</ul>\n"
    )
    assert page["Uses"] == (
        "\n<p><strong>Approved uses</strong></p>\n<p>None recorded.</p>\n\n"
        "<p><strong>Prohibited uses</strong></p>\n<p>None recorded.</p>\n"
    )
    done, stale_, not_yet = (
        '<span class="hb-state hb-state-done">✓ done</span>',
        '<span class="hb-state hb-state-stale">✗ stale</span>',
        '<span class="hb-state hb-state-not-yet">- not yet</span>',
    )
    # Items set apart by a blank line in Markdown were paragraphs: the first item stays tight.
    assert page["Procedure steps { #procedure }"] == (
        "\n### Phase 1: Assess\n\n<ul>\n"
        f'<li id="hb-step-define-problem">{done} '
        '<a href="../../procedure/phase-1/#define-problem">Define the problem</a>'
        " (required)</li>\n"
        f'<li id="hb-step-privacy-audit">\n<p>{done} '
        '<a href="../../procedure/phase-1/#privacy-audit">Data privacy audit</a>'
        " (required)\nDate: 2025-11-03 · Reviewer: Tomas Ferreira (Privacy) · Result: pass"
        " · Personal data: yes · Proprietary ip: yes · Enterprise instance: yes"
        " · Trains on our data: no</p>\n</li>\n"
        f'<li id="hb-step-vendor-due-diligence">\n<p>{done} '
        '<a href="../../procedure/phase-1/#vendor-due-diligence">Vendor due diligence</a>'
        " (required)\nDate: 2026-09-01 · Reviewer: Dana Ruiz (Security)"
        " · Certifications: soc2-2026, iso27001</p>\n</li>\n</ul>\n\n"
        "### Phase 2: Test, deploy and maintain\n\n<ul>\n"
        f'<li id="hb-step-sandbox">\n<p>{done} '
        '<a href="../../procedure/phase-2/#sandbox">Sandbox</a> (required)\n'
        "Environment: ai-sandbox-1 · Isolated from production: yes · Start: 2025-11-10"
        " · End: 2026-01-09</p>\n</li>\n"
        f'<li id="hb-step-benchmark">\n<p>{done} '
        '<a href="../../procedure/phase-2/#benchmark">Benchmark</a> (required)\n'
        "Date: 2025-12-12 · Tasks: 40 · Expert: Rachel Kim (Research)"
        " · Results: evidence/acme-chat/benchmark-2025-12.csv · Report: "
        '<a href="https://docs.example.com/benchmarks/acme-chat.xlsx">docs.example.com</a>'
        "</p>\n</li>\n"
        f'<li id="hb-step-pilot">\n<p>{stale_} '
        '<a href="../../procedure/phase-2/#pilot">Pilot</a> (required)\n'
        "Power users: Rachel Kim (Research), Omar Haddad (Accounts) · Start: 2026-01-12"
        " · End: 2026-02-06 · Outcome: adopt</p>\n</li>\n"
        f'<li id="hb-step-feedback">\n<p>{done} '
        '<a href="../../procedure/phase-2/#feedback">Feedback channel</a>'
        ' (required)\nChannel: <a href="mailto:ai-feedback@example.com">'
        "ai-feedback@example.com</a></p>\n</li>\n"
        f'<li id="hb-step-offboarding">\n<p>{not_yet} '
        '<a href="../../procedure/phase-2/#offboarding">Offboarding</a>'
        "</p>\n</li>\n</ul>\n"
    )


def test_list_items_are_paragraphs_where_markdown_made_them_so() -> None:
    # An item is loose when a blank line separates it from a neighbour item.
    assert loose_items([False, True, False, False, True]) == [False, True, True, False, False]
    assert loose_items([True]) == [False]
    records = [{"date": "2026-01-02", "by": "<b>"}, {"date": "2026-02-03"}]
    assert list_item("H", [records], loose=False) == (
        "<li>H\n<ul>\n<li>Date: 2026-01-02 · By: &lt;b&gt;</li>\n<li>Date: 2026-02-03</li>\n"
        "</ul></li>"
    )
    assert list_item("H", [{"a": 1}, "https://x.example/p", records[1:]], loose=True) == (
        "<li>\n<p>H\nA: 1</p>\n"
        '<p><a href="https://x.example/p">x.example</a></p>\n'
        "<ul>\n<li>Date: 2026-02-03</li>\n</ul>\n</li>"
    )


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
        "how-we-measure.md",
        "frameworks/index.md",
        "frameworks/acme-controls.md",
        "eu-ai-act/index.md",
        "eu-ai-act/prohibited.md",
        "eu-ai-act/high-risk.md",
        "eu-ai-act/limited.md",
        "eu-ai-act/minimal.md",
    }


def test_dashboard_counts_per_phase(hb: Handbook) -> None:
    site = Site(hb, Inputs(TODAY, findings=[finding(Severity.ERROR, "acme-chat", "pilot")]))
    text = pages(site)["dashboard.md"]
    # the completion chart's table; columns: done, due soon, stale, missing, exception, not yet
    assert '<td><a href="../procedure/phase-1/">Phase 1: ' in text
    phase2 = next(line for line in text.splitlines() if "procedure/phase-2/" in line)
    cells = re.findall(r"<td[^>]*>([\d,]+)</td>", phase2)
    total = sum(int(c) for c in cells)
    assert total == 3 * 5  # three tools x five steps
    assert cells[2] == "1"  # one stale step
    # the heat map: the stale cell links to the step's evidence on the tool's page
    assert '<a xlink:href="../tools/acme-chat/#hb-step-pilot" tabindex="-1"><title>Acme' in text
    assert '<td><a href="../tools/acme-chat/#hb-step-pilot">✗ stale</a></td>' in text


def test_phase_page_lists_steps_with_anchors_and_evidence(hb: Handbook) -> None:
    text = render(hb, Inputs(TODAY, field_docs={"evidence.sandbox": "Phase 2 - sandbox."}))
    phase = text["procedure/phase-2.md"]
    assert "## Sandbox { #sandbox }" in phase
    assert "`evidence.sandbox`: Phase 2 \\- sandbox." not in phase  # '-' mid-line is not escaped
    assert "`evidence.sandbox`: Phase 2 - sandbox." in phase
    # a plain list: no task-list extension is on, and a disabled checkbox without a label is an
    # axe "label" violation, so "[ ]" would show as text
    assert "**Checklist**\n\n- The sandbox cannot reach production.\n" in phase
    assert not [
        line
        for name, page in text.items()
        if name.startswith("procedure/")
        for line in page.splitlines()
        if line.lstrip().startswith(("- [ ]", "- [x]"))
    ]


def test_as_of_date_is_the_given_day(hb: Handbook) -> None:
    out = render(hb, Inputs(date(2027, 1, 5)))
    assert "as of 2027-01-05" in out["tools/index.md"]


def test_certificate_findings_reach_exactly_the_tools_that_rely_on_them(
    handbook_tree: MakeTree,
) -> None:
    """Two certificates of one vendor lapse on the same day; acme-chat relies on only the ISO
    certificate, acme-code on only the SOC 2 report: each finding reaches its own tool."""
    root = handbook_tree()
    vendor = root / "registry/vendors/acme-ai.yaml"
    vendor.write_text(
        vendor.read_text(encoding="utf-8").replace("expires: 2028-03-14", "expires: 2027-06-30"),
        encoding="utf-8",
    )
    chat = root / "registry/tools/acme-chat.yaml"
    chat.write_text(
        chat.read_text(encoding="utf-8").replace(
            "      - soc2-2026\n      - iso27001\n", "      - iso27001\n"
        ),
        encoding="utf-8",
    )
    checked = pipeline.check(root, date(2027, 7, 2), TODAY)
    hb = checked.handbook
    found = [d for d in pipeline.staleness(checked) if d.rule == "cert-expired"]
    assert sorted((d.certificate, d.tools) for d in found) == [
        ("iso27001", ("acme-chat",)),
        ("soc2-2026", ("acme-code",)),
    ]
    by_tool = findings_by_tool(hb, found)
    assert [d.certificate for d in by_tool["acme-chat"]] == ["iso27001"]
    assert [d.certificate for d in by_tool["acme-code"]] == ["soc2-2026"]
    pages = render(hb, Inputs(date(2027, 7, 2), findings=found))
    assert "ISO/IEC 27001 certificate" in pages["tools/acme-chat.md"]

    def findings_section(page: str) -> str:
        return page.split("## Findings", 1)[1].split("\n## ", 1)[0]

    assert "soc2-2026" in findings_section(pages["tools/acme-code.md"])
    assert "iso27001" not in findings_section(pages["tools/acme-code.md"])
    assert "soc2-2026" not in findings_section(pages["tools/acme-chat.md"])
    assert states_of(hb, "acme-code", by_tool["acme-code"])["vendor-due-diligence"] == "stale"


@pytest.mark.parametrize(
    ("edit", "expected"),
    [
        (None, "https://git.example.com/h/edit/main/registry/tools/acme-chat.yaml"),
        (
            "/-/edit/{branch}/{path}",
            "https://git.example.com/h/-/edit/main/registry/tools/acme-chat.yaml",
        ),
        (
            "/src/{branch}/{path}?mode=edit",
            "https://git.example.com/h/src/main/registry/tools/acme-chat.yaml?mode=edit",
        ),
    ],
)
def test_edit_link_follows_the_policy(
    handbook_tree: MakeTree, edit: str | None, expected: str
) -> None:
    root = handbook_tree()
    policy = root / "registry/policy.yaml"
    repo = "repository:\n  url: https://git.example.com/h/\n  branch: main\n"
    if edit is not None:
        repo += f"  edit: {edit}\n"
    policy.write_text(policy.read_text(encoding="utf-8") + repo, encoding="utf-8")
    page = render(handbook_of(root), Inputs(TODAY, last_changed={}))["tools/acme-chat.md"]
    assert f'href="{expected}"' in page
