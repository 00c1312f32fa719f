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
        ("okta-system-log.csv", "idp", "Okta System Log", 16),  # and 1 failed sign-in
        ("entra-signins.csv", "idp", "Microsoft Entra sign-in log", 21),  # and 3 failed
        ("entra-enterprise-apps.csv", "idp", "Microsoft Entra enterprise applications", 20),
        ("expenses-card.csv", "expenses", "card or expense export", 17),  # and 2 refunds
        ("expenses-concur.csv", "expenses", "card or expense export", 20),
        ("squid-access.log", "proxy", "Squid access.log", 27),  # and 3 denied
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
        "entry: 5 lookups, 2 requests, 3 users, in 3 inputs; matched by domain "
        "'gemini.google.com'" in out
    )
    # the registered tool's catalogue service: ChatGPT traffic is Northwind Assist's, approved
    assert "error[shadow-ai] ChatGPT" not in out
    assert (
        "expenses-card.csv:2:1: error[personal-account] Northwind Assist is licensed as a "
        "company (enterprise) tier, but is paid for on a card or used through a personal plan: "
        "6 payments, 2 users" in out
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
        "warning[unknown-spelling] 'Nortwind Asist' may be Northwind Assist (similarity 93: "
        "'Northwind Assist'), so it is counted for no product yet" in out
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
    assert "Use in practice" in tool and "inputs): " in tool
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


# --- what a hostile review found: each family, one test ---------------------------------------


def test_reports_quote_the_catalogues_words_never_the_inputs(hb: Path, tmp_path: Path) -> None:
    usage = tmp_path / "usage"
    usage.mkdir()
    (usage / "card.csv").write_text(
        "Date,Description,Amount,Currency\n"
        "11/01/2026,OPENAI *CHATGPT ana.lima@example.com,20.00,usd\n"
        "11/02/2026,OPENAI *CHATGPT ana.lima@example.com,-20.00,USD\n"
        "11/03/2026,MIDJOURNEY INC,10.00,€\n"
        "11/04/2026,MIDJOURNEY INC,10.00,<script>\n",
        encoding="utf-8",
    )
    (usage / "access.log").write_text(
        "1796025718.412 86 10.20.0.14 TCP_TUNNEL/200 7341 CONNECT "
        "ana.lima-at-example.com.claude.ai:443 ana.lima HIER_DIRECT/1.2.3.4 -\n"
        "1796025719.412 86 10.20.0.14 TCP_MISS/200 7341 GET http://[::1 ana.lima "
        "HIER_DIRECT/1.2.3.4 -\n",
        encoding="utf-8",
    )
    code, _ = run(
        "report", "--usage", str(usage), "--no-links", "--out", str(tmp_path / "r"), root=hb
    )
    assert code == 1  # the findings
    report = "".join(
        (tmp_path / "r" / n).read_text(encoding="utf-8") for n in ("report.md", "report.json")
    )
    _, text = run("reconcile", *(str(p) for p in sorted(usage.iterdir())), root=hb)
    for where in (report, text):
        assert "ana.lima" not in where and "10.20.0.14" not in where
    assert "matched by statement words 'OPENAI *CHATGPT'" in text  # the catalogue's words
    assert "matched by domain 'claude.ai'" in text
    assert "1 payment, spend 20.00 USD" in text  # the refund is no payment
    assert "spend 10.00 (no currency given), 10.00 EUR" in text
    assert "access.log:2:1: warning[reconcile-input] the request's address names no host" in text


def test_a_similar_name_is_only_a_guess(hb: Path, tmp_path: Path) -> None:
    apps = tmp_path / "apps.csv"
    apps.write_text(
        "displayName,appId\nNortwind Asist,1\nNortwind Asist,2\nNorthwind Assist,3\n",
        encoding="utf-8",
    )
    _, out = run("reconcile", str(apps), root=hb)
    assert "'Nortwind Asist' may be Northwind Assist" in out
    assert "counted for no product yet: 2 app registrations" in out  # this spelling's only
    assert "GitHub Enterprise" not in out
    apps.write_text("displayName,appId\nGitHub Enterprise Cloud,1\n", encoding="utf-8")
    _, out = run("reconcile", str(apps), root=hb)
    assert "shadow-ai" not in out  # a similar name never raises an error on its own


def test_kind_decides_when_a_header_fits_two(hb: Path, tmp_path: Path) -> None:
    both = tmp_path / "both.csv"
    both.write_text(
        "Date,Description,Amount,Instance name,Login\n11/01/2026,MIDJOURNEY INC,10.00,x,y\n",
        encoding="utf-8",
    )
    code, out = run("reconcile", str(both), "--kind", "expenses", root=hb)
    assert code == 1 and "card or expense export (expenses)" in out and "Midjourney" in out


def test_cells_larger_than_the_csv_modules_limit(hb: Path, tmp_path: Path) -> None:
    big = tmp_path / "big.csv"
    big.write_text(
        "Date,Description,Amount\n11/01/2026," + "X" * 200_000 + ",1.00\n", encoding="utf-8"
    )
    code, out = run("reconcile", str(big), root=hb)
    assert code == 0 and "1 line, 1 use" in out


def test_details_stay_out_of_the_repository(hb: Path) -> None:
    code, out = run(
        "reconcile",
        str(DATA / "squid-access.log"),
        "--details",
        str(hb / "registry/x.csv"),
        root=hb,
    )
    assert code == 2 and "inside the handbook repository" in out
    assert not (hb / "registry/x.csv").exists()
    mine = hb / "who.details.csv"  # ignored by git, and by --usage
    code, out = run("reconcile", str(DATA / "squid-access.log"), "--details", str(mine), root=hb)
    assert mine.is_file(), out


def test_usage_given_a_file_or_an_empty_folder(hb: Path, tmp_path: Path) -> None:
    code, out = run("build", "--usage", str(DATA / "squid-access.log"), root=hb)
    assert code == 2 and "is a file, not a folder" in out
    (tmp_path / "empty").mkdir()
    code, out = run("build", "--usage", str(tmp_path / "empty"), root=hb)
    assert code == 2 and "holds no input files" in out


def test_bind_clients_with_a_zone(tmp_path: Path) -> None:
    log = tmp_path / "q.log"
    log.write_text(
        "30-Nov-2026 08:02:40.871 queries: info: client @0x7f3a fe80::1%eth0#35852 (claude.ai): "
        "query: claude.ai IN A +E(0)K (10.20.0.1)\n",
        encoding="utf-8",
    )
    read = read_input(log, "q.log")
    assert [(e.host, e.user) for e in read.events] == [("claude.ai", "fe80::1%eth0")]


# --- the second review ------------------------------------------------------------------------


def test_app_labels_are_quoted_as_the_registry_writes_them(hb: Path, tmp_path: Path) -> None:
    okta = tmp_path / "okta.csv"
    okta.write_text(
        "Person,Login,Application username,Instance name,Login Date,Login Date_ISO8601\n"
        "B,b@example.com,b,Chat GPT Enterprise (ben.okafor@example.com),x,y\n"
        "C,c@example.com,c,Claude - 10.20.0.14,x,y\n"
        "D,d@example.com,d,Geminii (ana.lima),x,y\n",
        encoding="utf-8",
    )
    _, out = run("reconcile", str(okta), "--format", "text", root=hb)
    for person in ("ben.okafor", "10.20.0.14", "ana.lima"):
        assert person not in out
    assert "'Geminii (…)' may be Gemini" in out  # a guess quotes the label, masked


@pytest.mark.parametrize(
    "line",
    ["MICROSOFT*XBOX GAME PASS", "MICROSOFT STORE REDMOND", "PERPLEXITY BREWING CO"],
)
def test_a_company_name_on_a_card_is_at_most_a_guess(hb: Path, tmp_path: Path, line: str) -> None:
    card = tmp_path / "card.csv"
    card.write_text(f"Date,Description,Amount\n11/01/2026,{line},10.00\n", encoding="utf-8")
    _, out = run("reconcile", str(card), root=hb)
    assert "error[" not in out


def test_a_backslash_ends_the_host_as_browsers_read_it(hb: Path, tmp_path: Path) -> None:
    log = tmp_path / "access.log"
    log.write_text(
        "1796025718.412 86 10.20.0.14 TCP_MISS/200 7341 GET http://evil.example\\@chatgpt.com/ "
        "u HIER_DIRECT/1.2.3.4 text/html\n",
        encoding="utf-8",
    )
    _, out = run("reconcile", str(log), root=hb)
    assert "matched 0 uses" in out


def test_an_invalid_catalogue_stops_the_run_and_a_redefinition_is_said(
    hb: Path, tmp_path: Path
) -> None:
    bad = tmp_path / "cat.yaml"
    bad.write_text("services:\n  - id: x\n", encoding="utf-8")
    code, out = run("reconcile", str(DATA / "squid-access.log"), "--catalogue", str(bad), root=hb)
    assert code == 2 and "cat.yaml:2:" in out
    bad.write_text(
        "# yaml-language-server: $schema=x\nservices:\n  - id: chatgpt\n    name: Not ChatGPT\n"
        "    vendor: X\n    category: other\n    merchants: [THE]\n",
        encoding="utf-8",
    )
    code, out = run("reconcile", str(DATA / "squid-access.log"), "--catalogue", str(bad), root=hb)
    assert "service 'chatgpt' replaces the one of generator/data/ai-services.yaml" in out
    assert "statement words 'THE' are too short" in out


def test_json_even_when_the_run_cannot_start(hb: Path, tmp_path: Path) -> None:
    import json
    import subprocess
    import sys

    (tmp_path / "empty.csv").write_text("", encoding="utf-8")
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "generator",
            "reconcile",
            str(tmp_path / "empty.csv"),
            "--format",
            "json",
            "--root",
            str(hb),
        ],
        capture_output=True,
        text=True,
        cwd=REPO,
        check=False,
    )
    assert done.returncode == 2
    assert "is empty" in json.loads(done.stdout)["error"]["message"]


def test_details_files_in_a_usage_folder_are_skipped(hb: Path, tmp_path: Path) -> None:
    usage = tmp_path / "usage"
    usage.mkdir()
    shutil.copy(DATA / "squid-access.log", usage)
    code, _ = run(
        "reconcile",
        str(usage / "squid-access.log"),
        "--details",
        str(usage / "s.details.csv"),
        root=hb,
    )
    code, out = run(
        "report", "--usage", str(usage), "--no-links", "--out", str(tmp_path / "r"), root=hb
    )
    assert code == 1 and "not recognised" not in out


# --- the third review -------------------------------------------------------------------------

MAP_OVER_OKTA = """\
# yaml-language-server: $schema=../schemas/import-map.schema.json
columns:
  product: Instance name
names:
  abbreviations: {ChatGPT: Northwind Assist}
defaults:
  owner: {team: AI Governance, contact: ai@example.com}
  license_tier: enterprise
"""


def test_a_mapping_changes_neither_other_inputs_nor_their_kind(hb: Path, tmp_path: Path) -> None:
    (tmp_path / "m.yaml").write_text(MAP_OVER_OKTA, encoding="utf-8")
    inputs = [str(DATA / "okta-app-usage.csv"), str(DATA / "squid-access.log")]
    _, plain = run("reconcile", *inputs, root=hb)
    _, mapped = run("reconcile", *inputs, "--map", str(tmp_path / "m.yaml"), root=hb)
    assert "Okta App Usage report (idp)" in mapped
    assert plain == mapped


def test_a_log_read_as_an_inventory_is_not_quoted(hb: Path, tmp_path: Path) -> None:
    (tmp_path / "m.yaml").write_text(MAP_OVER_OKTA, encoding="utf-8")
    code, out = run(
        "reconcile",
        str(DATA / "squid-access.log"),
        "--kind",
        "inventory",
        "--map",
        str(tmp_path / "m.yaml"),
        root=hb,
    )
    assert code == 2 and "does not look like a header row" in out
    assert "ana.lima" not in out and "10.20.0.14" not in out


def test_a_tool_id_alone_does_not_make_a_service_the_tool(hb: Path) -> None:
    tool = hb / "registry/tools/parrotbox-chat.yaml"
    text = tool.read_text(encoding="utf-8").replace("domains:\n  - claude.ai\n", "")
    (hb / "registry/tools/claude.yaml").write_text(
        text.replace("id: parrotbox-chat", "id: claude"), encoding="utf-8"
    )
    tool.unlink()
    _, out = run("reconcile", str(DATA / "squid-access.log"), root=hb)
    assert "tool 'claude'" not in out and "catalogue service 'claude'" in out


def test_two_tools_going_by_one_service_are_said(hb: Path) -> None:
    _add(hb, "quillmark-draft", "aliases:\n  - Perplexity AI\n")
    path = hb / "registry/tools/northwind-assist.yaml"
    text = path.read_text(encoding="utf-8")
    path.write_text(
        text.replace(
            "  - ChatGPT Enterprise\n", "  - ChatGPT Enterprise\n  - Perplexity Enterprise Pro\n"
        ),
        encoding="utf-8",
    )
    _, out = run("reconcile", str(DATA / "squid-access.log"), root=hb)
    assert (
        "warning[name-duplicate] tools 'northwind-assist', 'quillmark-draft' all go by" in out
        or ("warning[name-duplicate] tools 'quillmark-draft', 'northwind-assist' all go by" in out)
    )


# --- more members of the bad-input families ---------------------------------------------------


def test_a_cell_larger_than_any_table_and_odd_line_breaks(hb: Path, tmp_path: Path) -> None:
    big = tmp_path / "okta.csv"
    big.write_text(
        (DATA / "okta-app-usage.csv").read_text(encoding="utf-8")
        + "X,x@example.com,x,"
        + "Y" * 33_000_000
        + ",x,y\n",
        encoding="utf-8",
    )
    code, out = run("reconcile", str(big), root=hb)
    assert code in (0, 1) and "Traceback" not in out and "internal error" not in out
    log = tmp_path / "squid.log"
    lines = (DATA / "squid-access.log").read_text(encoding="utf-8").split("\n")
    lines[1] += "\x0c"
    lines[2] = lines[2].replace(" ", " \x85", 1)
    log.write_text("\n".join(lines), encoding="utf-8")
    _, shifted = run("reconcile", str(log), root=hb)
    _, plain = run("reconcile", str(DATA / "squid-access.log"), root=hb)
    first = next(ln for ln in plain.splitlines() if "error[" in ln).split(":")[1]
    assert f"squid.log:{first}:1: error[" in shifted  # no line moved


def test_a_sign_in_export_without_its_outcome_column_says_so(hb: Path, tmp_path: Path) -> None:
    renamed = tmp_path / "entra.csv"
    renamed.write_text(
        (DATA / "entra-signins.csv")
        .read_text(encoding="utf-8-sig")
        .replace('"Status"', '"Sign-in status"', 1),
        encoding="utf-8",
    )
    _, out = run("reconcile", str(renamed), root=hb)
    assert "entra.csv:1:1: warning[reconcile-input] the export has no 'Status' column" in out
