"""Frameworks, the EU AI Act and the CycloneDX export, on copies of the shipped handbook.

The shipped example pins its dates to 2026-11-01: the high-risk obligations of the policy apply
from 2026-08-02 (Article 113), those of a use under Annex I from 2027-08-02 (Article 113(c)),
and Vectorhaus's ISO/IEC 27001 certificate is current until 2026-12-10.
"""

from __future__ import annotations

import contextlib
import csv
import io
import json
import re
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from conftest import copy_shipped

from generator import build, pipeline, render
from generator.cli import main
from generator.frameworks import cyclonedx
from generator.frameworks import exports as fx
from generator.frameworks.coverage import worst
from generator.frameworks.obligations import obligation_states

HIGH_RISK = """eu_ai_act:
  class: high-risk
  basis: {basis}
  {area}general_purpose: system
  role: deployer
  fria_required: {fria}
  rationale: Ranks applicants' CVs for the recruiting team before interviews.
  decided_by: Hannah Okafor (Legal & compliance)
  decided_on: 2026-03-01
{extra}"""
#: The deployer obligations of the shipped policy for a high-risk use under Annex III without
#: Article 27.
ANNEX_III = {
    "instructions-for-use",
    "human-oversight",
    "input-data",
    "data-protection-impact",
    "monitoring-and-incidents",
    "log-retention",
    "worker-information",
    "affected-persons",
}


def run(args: list[str]) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = main(args)
    return code, out.getvalue(), err.getvalue()


@pytest.fixture
def shipped(tmp_path: Path) -> Path:
    return copy_shipped(tmp_path / "handbook")


def classify(root: Path, tool: str, block: str) -> None:
    """Replace the tool's eu_ai_act block (or add one before evidence:) with ``block``."""
    path = root / "registry" / "tools" / f"{tool}.yaml"
    text = re.sub(r"(?m)^eu_ai_act:\n(?:(?:  .*)?\n)*", "", path.read_text(encoding="utf-8"))
    if "\nevidence:\n" in text:
        text = text.replace("\nevidence:\n", "\n" + block + "evidence:\n", 1)
    else:
        text += block
    path.write_text(text, "utf-8")


def line_of(root: Path, tool: str, text: str) -> int:
    lines = (root / "registry" / "tools" / f"{tool}.yaml").read_text(encoding="utf-8").split("\n")
    return lines.index(text) + 1


def high_risk(basis: str = "annex-iii", fria: bool = False, extra: str = "") -> str:
    area = "annex_iii_area: employment\n  " if basis == "annex-iii" else ""
    return HIGH_RISK.format(basis=basis, area=area, fria=str(fria).lower(), extra=extra)


def expiry_json(root: Path, *extra: str) -> tuple[int, dict[str, Any]]:
    code, out, _ = run(["check-expiry", "--root", str(root), "--format", "json", *extra])
    return code, json.loads(out)


def obligation_findings(doc: dict[str, Any], tool: str) -> dict[str, dict[str, Any]]:
    """ai-act-obligation-missing findings about ``tool``, by obligation id."""
    out = {}
    for d in doc["diagnostics"]:
        if d["rule"] == "ai-act-obligation-missing" and d.get("subject") == tool:
            out[re.search(r"obligation '([a-z-]+)'", d["message"]).group(1)] = d  # type: ignore[union-attr]
    return out


# -- EU AI Act obligations ------------------------------------------------------------------


def test_a_high_risk_tool_without_evidence_has_errors_once_the_obligations_apply(
    shipped: Path,
) -> None:
    classify(shipped, "northwind-assist", high_risk())
    code, doc = expiry_json(shipped)
    found = obligation_findings(doc, "northwind-assist")
    assert set(found) == ANNEX_III  # not Article 27 (fria_required false), not the provider's
    assert {d["severity"] for d in found.values()} == {"error"} and code == 1
    oversight = found["human-oversight"]
    assert "has applied since 2026-08-02 (Art. 113 (from 2 August 2026)" in oversight["message"]
    assert oversight["line"] == line_of(shipped, "northwind-assist", "  class: high-risk")
    assert oversight["step"] == "compliance-review"
    assert "eu_ai_act.obligations.human-oversight" in oversight["hint"]
    # the finding names the entries it puts at risk: its own, then the compliance review's
    assert oversight["frameworks"][:3] == [
        "eu-ai-act:Art. 26(2)",
        "nist-ai-rmf:MAP 3.5",
        "iso-42001:A.9.2",
    ]
    assert "eu-ai-act:Art. 6" in oversight["frameworks"]


@pytest.mark.parametrize(
    ("as_of", "severity"),
    [("2026-08-01", "warning"), ("2026-08-02", "error")],
    ids=["the-day-before", "the-day-it-applies"],
)
def test_an_obligation_is_a_warning_before_its_date_and_an_error_from_it(
    shipped: Path, as_of: str, severity: str
) -> None:
    classify(shipped, "northwind-assist", high_risk())
    # (judged on an earlier day, the example's later records are also reported as date-future)
    _, doc = expiry_json(shipped, "--as-of", as_of)
    found = obligation_findings(doc, "northwind-assist")
    assert set(found) == ANNEX_III
    assert {d["severity"] for d in found.values()} == {severity}
    assert {d["due"] for d in found.values()} == {"2026-08-02"}
    verb = "applies from" if severity == "warning" else "has applied since"
    assert f"{verb} 2026-08-02" in found["log-retention"]["message"]


def test_a_use_under_annex_i_takes_the_later_date(shipped: Path) -> None:
    classify(shipped, "northwind-assist", high_risk(basis="annex-i"))
    _, doc = expiry_json(shipped)
    found = obligation_findings(doc, "northwind-assist")
    assert "affected-persons" not in found  # Article 26(11) concerns Annex III uses
    assert set(found) == ANNEX_III - {"affected-persons"}
    assert {(d["severity"], d["due"]) for d in found.values()} == {("warning", "2027-08-02")}


def test_recorded_evidence_meets_an_obligation_and_article_27_follows_the_policy(
    shipped: Path,
) -> None:
    record = (
        "  obligations:\n"
        "    human-oversight:\n"
        "      date: 2026-07-01\n"
        "      by: Recruiting lead\n"  # evidence: is optional
    )
    classify(shipped, "northwind-assist", high_risk(fria=True, extra=record))
    _, doc = expiry_json(shipped)
    found = obligation_findings(doc, "northwind-assist")
    assert set(found) == ANNEX_III - {"human-oversight"} | {"fundamental-rights-impact"}
    checked = pipeline.check(shipped, None, date(2026, 11, 1))
    tool = checked.handbook.tools["northwind-assist"]
    states = {
        s.obligation.id: s.state
        for s in obligation_states(checked.handbook.policy, tool, checked.today)
    }
    assert states["human-oversight"] == "done" and states["log-retention"] == "missing"
    site, _ = site_of(shipped, date(2026, 11, 1))
    page = render.pages(site)["eu-ai-act/high-risk.md"]
    assert "2026-07-01, Recruiting lead" in page


def test_an_exception_accepts_missing_obligations(shipped: Path) -> None:
    classify(shipped, "northwind-assist", high_risk())
    path = shipped / "registry" / "tools" / "northwind-assist.yaml"
    text = path.read_text(encoding="utf-8").replace(
        "exceptions:\n",
        "exceptions:\n"
        "  - rule: ai-act-obligation-missing\n"
        "    reason: The recruiting use starts in January; the records are being written.\n"
        "    approver: Priya Natarajan (Head of AI Governance)\n"
        "    until: 2026-11-20\n",
        1,
    )
    path.write_text(text, encoding="utf-8")
    _, doc = expiry_json(shipped)
    found = obligation_findings(doc, "northwind-assist")
    assert {d["severity"] for d in found.values()} == {"note"}
    checked = pipeline.check(shipped, None, date(2026, 11, 1))
    tool = checked.handbook.tools["northwind-assist"]
    policy = checked.handbook.policy
    assert {s.state for s in obligation_states(policy, tool, checked.today)} == {"excepted"}


@pytest.mark.parametrize(("status", "refused"), [("pilot", True), ("rejected", False)])
def test_a_prohibited_use_is_refused_unless_the_tool_is_not_used(
    shipped: Path, status: str, refused: bool
) -> None:
    block = high_risk().replace("class: high-risk", "class: prohibited")
    classify(shipped, "lumen-transcribe", block)
    path = shipped / "registry" / "tools" / "lumen-transcribe.yaml"
    text = path.read_text(encoding="utf-8")
    path.write_text(re.sub(r"(?m)^  value: pilot$", f"  value: {status}", text), "utf-8")
    code, out, _ = run(["validate", "--root", str(shipped), "--format", "text"])
    assert ("error[ai-act-prohibited]" in out) is refused, out
    if refused:
        assert code == 1
        line = line_of(shipped, "lumen-transcribe", "  class: prohibited")
        assert f"registry/tools/lumen-transcribe.yaml:{line}:10: error[ai-act-prohibited]" in out


# -- coverage and staleness -------------------------------------------------------------------


def site_of(root: Path, as_of: date) -> tuple[render.Site, list[Any]]:
    checked = pipeline.check(root, as_of, as_of)
    stale = pipeline.staleness(checked)
    inputs = build.inputs_for(checked, checked.handbook, stale, None)
    return render.Site(checked.handbook, inputs), stale


def test_a_lapsed_certificate_turns_its_entries_stale_everywhere(shipped: Path) -> None:
    before, _ = site_of(shipped, date(2026, 12, 10))  # the certificate's last current day
    after, stale = site_of(shipped, date(2026, 12, 11))
    tool = after.hb.tools["vectorhaus-search"]
    ref = ("nist-ai-rmf", "GOVERN 6.1")
    assert before.coverage(before.hb.tools["vectorhaus-search"]).states[ref] == "due-soon"
    assert after.coverage(tool).states[ref] == "stale"
    assert ref not in after.coverage(tool).supported()
    # report.json: the finding names the entries it puts at risk
    expired = next(d for d in stale if d.rule == "cert-expired")
    assert "nist-ai-rmf:GOVERN 6.1" in expired.frameworks
    assert "iso-42001:A.10.3" in expired.frameworks
    # frameworks-coverage.csv
    from generator.exports import csv_cell

    rows = list(csv.DictReader(io.StringIO(fx.coverage_csv(after, csv_cell))))
    row = next(r for r in rows if r["tool"] == "vectorhaus-search" and r["entry"] == "GOVERN 6.1")
    assert (row["state"], row["supported"]) == ("stale", "no")
    # registry.json
    assert (
        fx.tool_frameworks(after.coverage(tool))["nist-ai-rmf"]["entries"]["GOVERN 6.1"] == "stale"
    )
    # the framework page
    page = render.pages(after)["frameworks/nist-ai-rmf.md"]
    row_html = page.split('<tr id="entry-govern-6-1">', 1)[1].split("</tr>", 1)[0]
    assert "hb-state-stale" in row_html and "Vectorhaus Enterprise Search" in row_html
    # the CycloneDX attestation
    doc = json.loads(cyclonedx.bom_json(after))
    attest = next(
        a for a in doc["declarations"]["attestations"] if a["summary"].startswith("Vectorhaus")
    )
    vdd = next(m for m in attest["map"] if m["requirement"] == "step:vendor-due-diligence")
    assert vdd["conformance"]["score"] == 0 and "cert-expired" in vdd["conformance"]["rationale"]


def test_gaps_are_the_entries_nothing_maps_to(shipped: Path) -> None:
    site, _ = site_of(shipped, date(2026, 11, 1))
    gaps = {m.entry.id for m in site.walk.gaps("eu-ai-act")}
    assert "Art. 4" in gaps and "Art. 86" in gaps  # organisation-wide, or nothing covers them
    assert "Art. 26(2)" not in gaps  # human review, and the human-oversight obligation
    assert site.walk.share_mapped("nist-ai-rmf")[1] == 72
    page = render.pages(site)["frameworks/eu-ai-act.md"]
    assert "## Gaps in the procedure" in page and 'href="#entry-art-4">Art. 4</a>' in page


def test_worst_state_wins() -> None:
    assert worst(["done", "due-soon", "stale"]) == "stale"
    assert worst(["done", "not-yet"]) == "not-yet"
    assert worst(["excepted", "due-soon"]) == "excepted"
    assert worst([]) is None


def test_a_team_adds_its_own_framework_without_code(shipped: Path) -> None:
    (shipped / "frameworks" / "acme-ai-policy.yaml").write_text(
        "# yaml-language-server: $schema=../schemas/framework.schema.json\n"
        "id: acme-ai-policy\n"
        "title: Acme AI policy\n"
        'version: "2026.1"\n'
        "publisher: Acme Governance Office\n"
        "url: https://intranet.example.com/ai-policy\n"
        "source:\n"
        "  name: Acme AI policy, section 4\n"
        "  url: https://intranet.example.com/ai-policy\n"
        "  taken: 2026-10-01\n"
        "licence:\n"
        "  name: Internal\n"
        "entries:\n"
        "  - id: P-4.1\n"
        "    title: Every AI tool has a named owner\n"
        "  - id: P-4.2\n"
        "    title: Outputs are reviewed before they leave the company\n",
        encoding="utf-8",
    )
    proc = shipped / "content" / "procedure" / "3-deploy.yaml"
    text = proc.read_text(encoding="utf-8")
    proc.write_text(
        text.replace(
            '      nist-ai-600-1: ["2.7"]\n',
            '      nist-ai-600-1: ["2.7"]\n      acme-ai-policy: [P-4.2]\n',
            1,
        ),
        encoding="utf-8",
    )
    code, out, _ = run(["validate", "--root", str(shipped)])
    assert code == 0, out
    site, _ = site_of(shipped, date(2026, 11, 1))
    page = render.pages(site)["frameworks/acme-ai-policy.md"]
    assert "1 of 2 entries (50%)" in page and "P-4.1" in page.split("## Gaps in the procedure")[1]


# -- CycloneDX --------------------------------------------------------------------------------


def test_the_cyclonedx_export_validates_and_says_what_the_site_says(shipped: Path) -> None:
    site, _ = site_of(shipped, date(2026, 11, 1))
    text = cyclonedx.bom_json(site)
    assert cyclonedx.problems(text) == []
    doc = json.loads(text)
    assert doc["specVersion"] == "1.6" and doc["serialNumber"].startswith("urn:uuid:")
    assert cyclonedx.bom_json(site) == text  # deterministic
    services = {s["bom-ref"]: s for s in doc["services"]}
    assert len(services) == len(site.hb.tools)
    nw = services["tool:northwind-assist"]
    assert nw["provider"]["name"] == site.hb.vendors["northwind-ai"].name
    assert {"flow": "bi-directional", "classification": "confidential"} in nw["data"]
    kinds = {r["type"] for r in nw["externalReferences"]}
    assert kinds == {"certification-report", "evidence"}
    assert any(r["url"].endswith(".csv") for r in nw["externalReferences"])
    standards = {s["bom-ref"]: s for s in doc["definitions"]["standards"]}
    steps = [r for r in standards["procedure"]["requirements"] if "parent" in r]
    assert [r["identifier"] for r in steps] == list(site.hb.steps)
    assert "framework:nist-ai-rmf" in standards
    decl = doc["declarations"]
    assert len(decl["attestations"]) == len(site.hb.tools)
    ev = next(
        e
        for e in decl["evidence"]
        if e["bom-ref"] == "evidence:vectorhaus-search:vendor-due-diligence"
    )
    assert ev["expires"] == "2026-12-10T00:00:00Z" and ev["created"].endswith("T00:00:00Z")


def test_the_validator_rejects_what_the_schema_refuses() -> None:
    good = {
        "bomFormat": "CycloneDX",
        "specVersion": "1.6",
        "version": 1,
        "services": [
            {"bom-ref": "a", "name": "A", "data": [{"flow": "sideways", "classification": "x"}]}
        ],
        "declarations": {"claims": [{"bom-ref": "a", "target": "nowhere"}]},
    }
    found = cyclonedx.problems(json.dumps(good))
    assert any("$.services[0].data[0].flow" in p and "'sideways'" in p for p in found)
    assert "bom-ref 'a' is not unique" in found
    assert "reference 'nowhere' resolves to no bom-ref" in found


def test_an_invalid_export_stops_the_build_as_a_bug(
    shipped: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    real = cyclonedx.bom

    def broken(site: Any) -> dict[str, Any]:
        doc = real(site)
        doc["services"][0]["data"] = [{"flow": "sideways", "classification": "public"}]
        return doc

    monkeypatch.setattr(cyclonedx, "bom", broken)
    code, _, err = run(["build", "--root", str(shipped)])
    assert code == 3, err
    assert "internal error" in err
    assert not (shipped / "site").exists()  # nothing half-built is published


# -- what the first probe found ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("wanted", "known", "meant"),
    [
        ("ac-1.1", ["AC-1.1", "AC-1.2"], "AC-1.1"),  # case
        ("A-6-2-6", ["A.6.2.6", "A.6.2.5"], "A.6.2.6"),  # punctuation
        ("GOVREN 6.1", ["GOVERN 6.1", "GOVERN 6.2"], "GOVERN 6.1"),  # a typo, same numbers
        ("MAP 1.7", ["MAP 1.6", "MAP 1.5"], None),  # another control: never suggested
        ("Art. 2", ["Art. 27", "Art. 26(2)"], None),
        ("Art. 7", ["Art. 73", "Art. 6"], None),
        ("Annex I", ["Annex III"], None),  # roman numerals are numbers too
        ("Art. 26(ii)", ["Art. 26(11)", "Art. 26(2)"], None),  # 'ii' is no look-alike of 11
        ("LLM1", ["LLM10:2025", "LLM01:2025"], None),
        ("Chapter V", ["Chapter IV", "Chapter I"], None),
        ("access-review", ["access-control", "compliance-review"], None),  # words too far
        ("vendor-review", ["vendor-due-diligence", "output-audit"], None),
        ("MG 3.1", ["MAP 3.1", "MEASURE 3.1", "MANAGE 3.1"], None),  # NIST's code for MANAGE
        ("Art. 4a", ["Art. 4", "Art. 5"], None),  # a letter after a number is part of it
        ("privacy-audits", ["privacy-audit", "vendor-review"], "privacy-audit"),
    ],
)
def test_did_you_mean_never_names_another_control(
    wanted: str, known: list[str], meant: str | None
) -> None:
    from generator.validate.suggest import closest

    assert closest(wanted, known) == meant
    assert closest("owasp", ["owasp-llm-top10", "nist-ai-rmf"], prefix=True) == "owasp-llm-top10"


def test_an_obligation_without_evidence_never_supports_an_entry(shipped: Path) -> None:
    classify(shipped, "lumen-transcribe", high_risk(fria=True))
    policy = shipped / "registry" / "policy.yaml"
    policy.write_text(
        policy.read_text(encoding="utf-8").replace(
            "applies_from: 2026-08-02", "applies_from: 2027-12-02"
        ),
        encoding="utf-8",
    )
    site, stale = site_of(shipped, date(2026, 11, 1))
    tool = site.hb.tools["lumen-transcribe"]
    states = {s.obligation.id: s.state for s in site.coverage(tool).obligations}
    assert states["fundamental-rights-impact"] == "due-soon"  # a warning on the class page
    cov = site.coverage(tool)
    assert cov.states[("eu-ai-act", "Art. 27")] == "not-yet"  # but no support for the entry
    assert ("eu-ai-act", "Art. 27") not in cov.supported()
    assert ("iso-42001", "A.5.2") not in cov.supported()
    warned = [d for d in stale if d.rule == "ai-act-obligation-missing" and d.subject == tool.id]
    assert warned and {d.severity.value for d in warned} == {"warning"}


@pytest.mark.parametrize(
    ("status", "severity"),
    [("proposed", None), ("rejected", None), ("sandbox", "warning"), ("deprecated", "error")],
)
def test_obligations_bind_the_tools_in_use_and_warn_in_the_sandbox(
    shipped: Path, status: str, severity: str | None
) -> None:
    classify(shipped, "quillmark-translate", high_risk())
    path = shipped / "registry" / "tools" / "quillmark-translate.yaml"
    text = path.read_text(encoding="utf-8")
    path.write_text(re.sub(r"(?m)^  value: proposed$", f"  value: {status}", text), "utf-8")
    checked = pipeline.check(shipped, None, date(2026, 11, 1))
    found = [
        d
        for d in pipeline.staleness(checked)
        if d.rule == "ai-act-obligation-missing" and d.subject == "quillmark-translate"
    ]
    assert {d.severity.value for d in found} == ({severity} if severity else set())
    tool = checked.handbook.tools["quillmark-translate"]
    states = {s.state for s in obligation_states(checked.handbook.policy, tool, checked.today)}
    expected = {"proposed": "not-yet", "rejected": "not-yet", "sandbox": "due-soon"}
    assert states == {expected.get(status, "missing")}


def test_an_accepted_overdue_audit_is_never_shown_as_current(shipped: Path) -> None:
    """Quillmark Draft's overdue audit is accepted by an exception (a note), and its last audit
    was too small (a warning): the step reads "exception", and so do its entries."""
    site, _ = site_of(shipped, date(2026, 11, 1))
    tool = site.hb.tools["quillmark-draft"]
    audit = next(s for s in site.states[tool.id] if s.step.id == "output-audit")
    assert audit.state == "excepted"
    assert site.coverage(tool).states[("nist-ai-rmf", "MEASURE 3.1")] == "excepted"
    doc = json.loads(cyclonedx.bom_json(site))
    attest = next(
        a for a in doc["declarations"]["attestations"] if a["summary"].startswith("Quillmark Draft")
    )
    mapped = next(m for m in attest["map"] if m["requirement"] == "step:output-audit")
    assert mapped["conformance"]["score"] == 0.5


@pytest.mark.parametrize(
    ("field", "value"),
    [
        (
            "evidence.benchmark.tone",
            "https://wiki.example.com/style has the house style; it matched",
        ),
        ("evidence.privacy_audit.notes", "See the console export.csv"),
        (
            "evidence.privacy_audit.report",
            "https://tickets.example.com/issues?filter[tool]=assist#a#b",
        ),
        ("evidence.privacy_audit.report", "https://tickets.example.com/[x]/a]b"),
    ],
)
def test_valid_registry_text_never_breaks_the_cyclonedx_export(
    shipped: Path, field: str, value: str
) -> None:
    path = shipped / "registry" / "tools" / "northwind-assist.yaml"
    text = path.read_text(encoding="utf-8")
    section, key = field.split(".")[1:]
    pattern = rf"(?m)^(  {section}:\n(?:    .*\n)*?)    {key}: .*\n(?:      .*\n)*"
    text, n = re.subn(pattern, lambda m: m.group(1) + f"    {key}: {json.dumps(value)}\n", text)
    if not n:  # not there yet: add it to the section
        text = text.replace(f"  {section}:\n", f"  {section}:\n    {key}: {json.dumps(value)}\n", 1)
    path.write_text(text, encoding="utf-8")
    code, out, _ = run(["validate", "--root", str(shipped)])
    assert code == 0, out
    site, _ = site_of(shipped, date(2026, 11, 1))
    assert cyclonedx.problems(cyclonedx.bom_json(site)) == []


def test_framework_ids_cannot_clash_with_the_documents_own_refs(shipped: Path) -> None:
    source = (shipped / "frameworks" / "owasp-llm-top10.yaml").read_text(encoding="utf-8")
    for name in ("procedure", "step", "phase", "tool"):
        (shipped / "frameworks" / f"{name}.yaml").write_text(
            source.replace("id: owasp-llm-top10", f"id: {name}").replace("LLM01:2025", "assess"),
            encoding="utf-8",
        )
    site, _ = site_of(shipped, date(2026, 11, 1))
    assert cyclonedx.problems(cyclonedx.bom_json(site)) == []


def test_a_warning_about_a_step_with_no_record_supports_nothing(shipped: Path) -> None:
    """Northwind Code has been in the sandbox nearly as long as the policy allows (a warning
    on the sandbox step) and records no sandbox evidence."""
    path = shipped / "registry" / "tools" / "northwind-code.yaml"
    text = re.sub(r"(?m)^  since: 2026-09-28$", "  since: 2026-08-10", path.read_text("utf-8"))
    text = re.sub(r"(?m)^  sandbox:\n(?:    .*\n)*", "", text)
    path.write_text(text, encoding="utf-8")
    site, stale = site_of(shipped, date(2026, 11, 1))
    assert any(d.rule == "stage-overdue" and d.subject == "northwind-code" for d in stale)
    tool = site.hb.tools["northwind-code"]
    state = next(s for s in site.states[tool.id] if s.step.id == "sandbox")
    assert (state.state, state.present) == ("due-soon", False)  # the dashboard: a date coming up
    assert site.coverage(tool).states[("nist-ai-rmf", "GOVERN 4.3")] == "not-yet"  # no claim
    doc = json.loads(cyclonedx.bom_json(site))
    attest = next(
        a for a in doc["declarations"]["attestations"] if a["summary"].startswith("Northwind Code")
    )
    mapped = next(m for m in attest["map"] if m["requirement"] == "step:sandbox")
    assert mapped["conformance"]["score"] == 0


def test_evidence_older_than_its_cadence_is_stale_whatever_the_status(shipped: Path) -> None:
    """A compliance review of 2019 on a tool in the sandbox: the staleness checks judge its
    cadence only from pilot on, but no entry may be claimed on it."""
    path = shipped / "registry" / "tools" / "northwind-code.yaml"
    text = path.read_text(encoding="utf-8")
    text = re.sub(
        r"(?m)^(  compliance_review:\n    date: )\d{4}-\d\d-\d\d$", r"\g<1>2019-01-15", text
    )
    path.write_text(text, encoding="utf-8")
    site, _ = site_of(shipped, date(2026, 11, 1))
    tool = site.hb.tools["northwind-code"]
    assert next(s for s in site.states[tool.id] if s.step.id == "compliance-review").state == "done"
    assert site.coverage(tool).states[("nist-ai-rmf", "GOVERN 1.1")] == "stale"
    doc = json.loads(cyclonedx.bom_json(site))
    attest = next(
        a for a in doc["declarations"]["attestations"] if a["summary"].startswith("Northwind Code")
    )
    mapped = next(m for m in attest["map"] if m["requirement"] == "step:compliance-review")
    assert (
        mapped["conformance"]["score"] == 0 and "older than" in mapped["conformance"]["rationale"]
    )


def test_tools_out_of_scope_are_not_attested_as_current(shipped: Path) -> None:
    site, _ = site_of(shipped, date(2026, 11, 1))
    doc = json.loads(cyclonedx.bom_json(site))
    attest = next(
        a for a in doc["declarations"]["attestations"] if a["summary"].startswith("Brightline")
    )
    scores = {m["requirement"]: m["conformance"] for m in attest["map"]}
    assert scores["step:vendor-due-diligence"]["score"] == 0
    assert (
        "not judged while the tool is deprecated"
        in scores["step:vendor-due-diligence"]["rationale"]
    )


def test_a_benchmark_below_the_bar_in_the_sandbox_supports_nothing(shipped: Path) -> None:
    """In the sandbox, missing the benchmark's bar is a warning without a due date: the
    evidence is recorded, but it does not show what the entries ask."""
    path = shipped / "registry" / "tools" / "northwind-code.yaml"
    text = path.read_text(encoding="utf-8").replace(
        "\n  sandbox:\n",
        "\n  benchmark:\n    date: 2026-10-20\n    expert: Ana Lopez (Senior engineer)\n"
        "    tasks: 20\n    accuracy: {ai: 0.30, human: 0.95}\n    hallucination_rate: 0.60\n"
        "    report: https://docs.example.com/governance/benchmarks/nc.pdf\n"
        "  sandbox:\n",
        1,
    )
    path.write_text(text, encoding="utf-8")
    code, out, _ = run(["validate", "--root", str(shipped)])
    assert code == 0, out
    site, stale = site_of(shipped, date(2026, 11, 1))
    assert any(d.rule == "benchmark-accuracy-gap" and d.subject == "northwind-code" for d in stale)
    tool = site.hb.tools["northwind-code"]
    bench = next(s for s in site.states[tool.id] if s.step.id == "benchmark")
    assert bench.state == "due-soon"  # the dashboard's word for a warning
    assert site.coverage(tool).states[("nist-ai-rmf", "MEASURE 2.5")] == "not-yet"
