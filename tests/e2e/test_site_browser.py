"""The built site in headless Chromium (Debian's, never a downloaded one), served from
127.0.0.1 by a real http.server: search, a tool page's states, "Which tools may I use?",
escaping of injected markup, and no request to any other host.

Outside CI these tests skip when /usr/bin/chromium (or $HANDBOOK_CHROMIUM) is missing; with CI=true
that is a failure.
Screenshots go to tests/artifacts/ (git-ignored).
"""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest
from browser import Visit, build_example
from conftest import copy_shipped

REPO = Path(__file__).resolve().parents[2]
# As of this day the example has stale steps (so the pages show them, as the preview would).
AS_OF = date(2026, 11, 25)
EVIL_TEXT = '<script>window.__pwned = 1</script><img src=x onerror="window.__pwned = 2">'

EVIL_TOOL = f"""\
# yaml-language-server: $schema=../../schemas/tool.schema.json
id: evil-tool
name: "Evil <b>Tool</b> *x*"
vendor: quillmark-labs
description: '{EVIL_TEXT}'
owner:
  team: Red Team
  contact: red-team@example.com
status:
  value: proposed
  since: 2026-10-27
problem: Someone will try to inject markup into the handbook.
license:
  tier: team
data:
  allowed: []
"""

pytestmark = [pytest.mark.browser, pytest.mark.slow]


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("browser") / "handbook"
    copy_shipped(root)
    (root / "registry/tools/evil-tool.yaml").write_text(EVIL_TOOL, encoding="utf-8")
    return build_example(root, AS_OF)  # stale steps as of AS_OF: test_tool_page_shows_...


def search(visit: Visit, query: str) -> list[str]:
    """Type into Material's search box; the hrefs of the results.

    The search worker starts after the page loads, and typing that happens before it is ready
    is not searched, so the query is typed again until results (or a no-match note) show."""
    page = visit.goto("")
    page.locator("input.md-search__input").click()
    box = page.locator("input.md-search__input")
    meta = page.locator(".md-search-result__meta")
    for _ in range(20):
        box.fill("")
        box.press_sequentially(query, delay=10)
        try:
            page.wait_for_function(
                # results counted ("3 matching documents") or none found; not "Initializing
                # search" (the index still loading) nor "Type to start searching"
                "el => /matching document/i.test(el.textContent)",
                arg=meta.element_handle(),
                timeout=1_000,
            )
            break
        except Exception:
            continue
    links = page.locator(".md-search-result__item a.md-search-result__link")
    return [links.nth(i).get_attribute("href") or "" for i in range(links.count())]


def test_search_finds_a_tool_by_vendor_owner_and_use(visit: Visit) -> None:
    hrefs = search(visit, "Vectorhaus")
    visit.shot("search-vendor")
    assert any("tools/vectorhaus-search/" in h for h in hrefs), hrefs
    hrefs = search(visit, "Knowledge Management")
    assert any("tools/northwind-assist/" in h for h in hrefs), hrefs
    hrefs = search(visit, "research briefs")  # an approved use
    assert any("tools/northwind-assist/" in h for h in hrefs), hrefs
    assert visit.foreign() == []


def test_tool_page_shows_status_and_a_stale_step(visit: Visit) -> None:
    page = visit.goto("tools/northwind-assist/")
    assert page.locator("article h1").inner_text().rstrip("¶") == "Northwind Assist"
    assert page.locator("article .hb-badge.hb-status-approved").first.inner_text() == "approved"
    steps = page.locator("article li").filter(has=page.locator(".hb-state"))
    audit = steps.filter(has=page.locator('a[href$="#output-audit"]'))
    audit.scroll_into_view_if_needed()
    visit.shot("tool-stale-step")
    assert audit.locator(".hb-state").inner_text() == "✗ stale"
    done = steps.filter(has=page.locator('a[href$="#privacy-audit"]'))
    assert done.locator(".hb-state").inner_text() == "✓ done"
    banner = page.locator(".md-banner .hb-asof").inner_text()
    assert banner == "Dates are checked as of 2026-11-25 (set with --as-of)"
    assert visit.errors == []
    assert visit.foreign() == []


def expected_tools(site: Path, classification: str) -> list[str]:
    registry = json.loads((site / "registry.json").read_text(encoding="utf-8"))
    return sorted(
        t["name"]
        for t in registry["tools"]
        if t["status"] in ("approved", "restricted") and classification in t["data_allowed"]
    )


def test_which_tools_lists_the_approved_tools_per_classification(visit: Visit, site: Path) -> None:
    page = visit.goto("which-tools/")
    rows = page.locator("#hb-which-table tbody tr td:first-child")
    for classification in ("public", "internal", "confidential", "personal", "restricted"):
        page.select_option("#hb-class", classification)
        wanted = expected_tools(site, classification)
        page.wait_for_function(
            "n => document.querySelectorAll('#hb-which-table tbody tr').length === n",
            arg=len(wanted),
        )
        assert sorted(rows.all_inner_texts()) == wanted, classification
        if classification == "personal":
            assert wanted == ["Northwind Assist"]
            visit.shot("which-tools-personal")
    assert "Parrotbox Chat" not in page.content()  # rejected: never listed
    page = visit.goto("which-tools/?data=internal")
    page.wait_for_function("document.querySelectorAll('#hb-which-table tbody tr').length > 0")
    assert sorted(rows.all_inner_texts()) == expected_tools(site, "internal")
    assert visit.errors == []
    assert visit.foreign() == []


def test_injected_markup_shows_as_text_and_never_runs(visit: Visit) -> None:
    for path in ("tools/evil-tool/", "tools/", "dashboard/", "vendors/quillmark-labs/"):
        page = visit.goto(path)
        assert page.evaluate("window.__pwned") is None, path
        assert page.locator("article b").count() == 0, path
        assert "Evil <b>Tool</b> *x*" in page.locator("article").inner_text(), path
    page = visit.goto("tools/evil-tool/")
    visit.shot("injected-script-as-text")
    assert EVIL_TEXT in page.locator("article").inner_text()
    assert page.locator("article script, article img[src='x']").count() == 0
    assert visit.foreign() == []


def test_no_request_leaves_127_0_0_1(visit: Visit) -> None:
    for path in (
        "",
        "procedure/",
        "procedure/phase-1/",
        "tools/",
        "tools/northwind-assist/",
        "vendors/northwind-ai/",
        "dashboard/",
        "which-tools/",
        "rules/",
        "exports/",
    ):
        visit.goto(path)
        visit.page.wait_for_load_state("networkidle")
        if path == "dashboard/":
            visit.page.locator("#matrix").scroll_into_view_if_needed()
            visit.shot("dashboard")
    search(visit, "Northwind")
    visit.shot("search-northwind")
    assert len(visit.requests) > 20
    assert visit.foreign() == []
    assert visit.errors == []


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        # identifiers are split where the pages split them: at _ . / : and -
        ("privacy_audit", "procedure/phase-1/"),
        ("evidence.privacy_audit", "procedure/phase-1/"),
        ("IEC", "vendors/"),
        ("ISO/IEC 27001", "vendors/"),
        # a word written in camelCase is found however the query is cased
        ("javascript", "which-tools/"),
        ("JavaScript", "which-tools/"),
    ],
)
def test_search_finds_words_inside_identifiers(visit: Visit, query: str, expected: str) -> None:
    hrefs = search(visit, query)
    assert any(expected in h for h in hrefs), (query, hrefs)
    assert visit.foreign() == []
