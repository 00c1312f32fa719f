"""`handbook reconcile`: each input kind, each finding, counts without personal data, bad
inputs, and the usage summary in the site and the nightly report."""

from __future__ import annotations

import contextlib
import io
import shutil
from pathlib import Path

import pytest
from conftest import REPO, TODAY, copy_shipped

from generator.cli import main
from generator.inventory import registry
from generator.inventory.names import Rules
from generator.reconcile import reconcile_reads
from generator.reconcile.sources import amount_of, read_input

DATA = REPO / "tests/data/reconcile"
INPUTS = sorted(p for p in DATA.iterdir() if p.suffix in (".csv", ".log"))
PEOPLE = ("ana.lima", "ben.okafor", "ANA LIMA", "Okafor, Ben", "10.20.0.14", "ws-014")


def run(*args: str, root: Path) -> tuple[int, str]:
    out = io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(out):
        code = main([*args, "--root", str(root)])
    return code, out.getvalue()


def _add(root: Path, tool: str, lines: str) -> None:
    path = root / "registry/tools" / f"{tool}.yaml"
    text = path.read_text(encoding="utf-8")
    head, rest = text.split("\nvendor:", 1)
    path.write_text(f"{head}\n{lines}vendor:{rest}", encoding="utf-8")


@pytest.fixture
def hb(tmp_path: Path) -> Path:
    """The shipped handbook, where ChatGPT Enterprise is the approved Northwind Assist's other
    name, claude.ai is the rejected Parrotbox Chat's host and Otter.ai the offboarded Lumen
    Dictate's (made-up ties, so each finding has a tool to find)."""
    root = copy_shipped(tmp_path / "hb")
    _add(root, "northwind-assist", "aliases:\n  - ChatGPT Enterprise\n")
    _add(root, "parrotbox-chat", "domains:\n  - claude.ai\n")
    _add(root, "lumen-dictate", "aliases:\n  - Otter.ai\n")
    return root


@pytest.mark.parametrize(
    ("name", "kind", "fmt", "events"),
    [
        ("okta-app-usage.csv", "idp", "Okta App Usage report", 22),
        ("okta-current-assignments.csv", "idp", "Okta application assignments", 13),
        ("okta-system-log.csv", "idp", "Okta System Log", 17),
        ("entra-signins.csv", "idp", "Microsoft Entra sign-in log", 24),
        ("entra-enterprise-apps.csv", "idp", "Microsoft Entra enterprise applications", 20),
        ("expenses-card.csv", "expenses", "card or expense export", 17),  # and 2 refunds
        ("expenses-concur.csv", "expenses", "card or expense export", 20),
        ("squid-access.log", "proxy", "Squid access.log", 30),
        ("bind-query.log", "dns", "BIND query log", 27),
        ("dnsmasq.log", "dns", "dnsmasq query log", 20),
    ],
)
def test_each_input_is_recognised(name: str, kind: str, fmt: str, events: int) -> None:
    read = read_input(DATA / name, name)
    assert (read.kind, read.format, len(read.events)) == (kind, fmt, events)


def test_malformed_log_lines_are_warnings_at_their_line() -> None:
    read = read_input(DATA / "squid-access.log", "squid-access.log")
    assert [(d.rule, d.line) for d in read.problems] == [("reconcile-input", 18)]


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("20.00", 20.0),
        ("$1,284.60", 1284.6),
        ("1.284,60 EUR", 1284.6),
        ("(20.00)", -20.0),
        ("x", None),
    ],
)
def test_amounts(text: str, value: float | None) -> None:
    assert amount_of(text) == value


def test_findings(hb: Path) -> None:
    code, out = run("reconcile", *map(str, INPUTS), root=hb)
    assert code == 1
    # an AI service nobody registered, at the first line it shows
    assert (
        "bind-query.log:9:1: error[shadow-ai] Gemini (Google) is in use but has no registry "
        "entry: 3 lookups, 2 users" in out
    )
    # the registered tool's catalogue service: ChatGPT traffic is Northwind Assist's, approved
    assert "error[shadow-ai] ChatGPT" not in out
    assert (
        "expenses-card.csv:2:1: error[personal-account] Northwind Assist is approved only as "
        "an enterprise tier" in out
    )
    assert "spend 60.00 (no currency given)" in out
    assert "error[use-of-rejected] Parrotbox Chat was rejected, but is in use" in out
    assert "error[use-of-offboarded] Lumen Dictate is offboarded, but is still in use" in out
    for person in PEOPLE:
        assert person not in out


def test_unknown_spelling(hb: Path, tmp_path: Path) -> None:
    apps = tmp_path / "apps.csv"
    apps.write_text("displayName,appId\nNortwind Asist,1\n", encoding="utf-8")
    _, out = run("reconcile", str(apps), root=hb)
    assert (
        "warning[unknown-spelling] 'Nortwind Asist' was taken for Northwind Assist only by "
        "similarity" in out
    )


def test_registry_entries_take_precedence_over_the_catalogue() -> None:
    reg = registry(REPO, [], TODAY)
    directory = reg.directory(Rules())
    hit = directory.by_host("chatgpt.com")
    assert hit is not None and hit.known.kind == "service" and hit.known.id == "chatgpt"
    assert directory.by_host("sub.chatgpt.com").known.id == "chatgpt"  # type: ignore[union-attr]
    result = reconcile_reads([read_input(DATA / "squid-access.log", "s")], directory)
    assert result.unmatched > 0  # example.org, login.microsoftonline.com: not AI


def test_details_hold_people_and_stay_local(hb: Path, tmp_path: Path) -> None:
    details = tmp_path / "details.csv"
    code, out = run("reconcile", str(DATA / "squid-access.log"), "--details", str(details), root=hb)
    assert "ana.lima" in details.read_text(encoding="utf-8")
    code, out = run("reconcile", str(DATA / "squid-access.log"), "--details", str(details), root=hb)
    assert code == 2 and "exists already" in out


@pytest.mark.parametrize(
    ("content", "says"),
    [
        (b"", "is empty"),
        (b"\x00\x01binary\x00" * 10, "not a text file"),
        (b"# notes\nNothing to see here\n", "not recognised"),
        (b"a,b\n1,2\n", "not recognised"),
    ],
)
def test_bad_inputs(hb: Path, tmp_path: Path, content: bytes, says: str) -> None:
    path = tmp_path / "in.txt"
    path.write_bytes(content)
    code, out = run("reconcile", str(path), root=hb)
    assert code == 2 and says in out and "Traceback" not in out


def test_nothing_in_the_registry_changes(hb: Path) -> None:
    before = {p: p.read_bytes() for p in (hb / "registry").rglob("*") if p.is_file()}
    run("reconcile", *map(str, INPUTS), root=hb)
    after = {p: p.read_bytes() for p in (hb / "registry").rglob("*") if p.is_file()}
    assert before == after


@pytest.mark.slow
def test_usage_in_the_site_and_the_report(hb: Path, tmp_path: Path) -> None:
    usage = tmp_path / "usage"
    usage.mkdir()
    for p in INPUTS:
        shutil.copy(p, usage / p.name)
    code, out = run("build", "--usage", str(usage), root=hb)
    assert code == 0, out
    dashboard = (hb / "site/dashboard/index.html").read_text(encoding="utf-8")
    assert "AI in use" in dashboard and "not registered" in dashboard and "Gemini" in dashboard
    tool = (hb / "site/tools/northwind-assist/index.html").read_text(encoding="utf-8")
    assert "Use in practice" in tool and "user(s)" in tool
    code, out = run(
        "report", "--usage", str(usage), "--no-links", "--out", str(tmp_path / "r"), root=hb
    )
    report = (tmp_path / "r/report.md").read_text(encoding="utf-8")
    assert "shadow-ai" in report and "personal-account" in report
    for text in (dashboard, tool, report, (tmp_path / "r/report.json").read_text(encoding="utf-8")):
        for person in PEOPLE:
            assert person not in text


def test_cli_kinds_are_the_readers_kinds() -> None:
    from generator.cli import reconcile as cli
    from generator.reconcile import sources

    assert cli.KINDS == sources.KINDS


def test_an_inventory_sheet_read_with_the_import_mapping(hb: Path) -> None:
    sheet = REPO / "examples/cots-2025/2025_consolidated_COTS_AI_use_cases.csv"
    mapping = REPO / "examples/cots-2025/cots.map.yaml"
    code, out = run("reconcile", str(sheet), "--map", str(mapping), root=hb)
    assert code == 1
    assert "inventory sheet, UTF-8 with BOM, comma-delimited (inventory), 900 lines" in out
    # the same count as `handbook import` groups under this product, by 35 agencies
    assert (
        "2025_consolidated_COTS_AI_use_cases.csv:4:1: error[shadow-ai] Microsoft 365 Copilot "
        "(Microsoft) is in use but has no registry entry: 187 inventory rows, 35 teams"
    ) in out


def test_a_workbook_needs_a_mapping(hb: Path, tmp_path: Path) -> None:
    import openpyxl

    wb = openpyxl.Workbook()
    wb.active.append(["Product"])
    wb.save(tmp_path / "x.xlsx")
    code, out = run("reconcile", str(tmp_path / "x.xlsx"), root=hb)
    assert code == 2 and "needs a mapping" in out and "--map" in out


@pytest.mark.parametrize(
    ("line", "service"),
    [
        ("OPENAI *CHATGPT SUBSCR HTTPSOPENAI.C CA", "chatgpt"),
        ("ANTHROPIC SAN FRANCISCO CA", "claude"),  # the vendor's consumer service
        ("OTTER.AI MOUNTAIN VIEW CA", "otter-ai"),
        ("DEEPL SE KOELN", "deepl"),
        ("MIDJOURNEY INC. SOUTH SAN FRAN", "midjourney"),
        ("PI PIZZERIA BROOKLYN NY", None),  # 'Pi' is too short a name to match by
        ("WRITER'S BOOKSHOP", None),
        ("HILTON LONDON", None),
    ],
)
def test_card_statement_lines(line: str, service: str | None) -> None:
    directory = registry(REPO, [], TODAY).directory(Rules())
    hit = directory.by_merchant(line)
    assert (hit.known.id if hit else None) == service
