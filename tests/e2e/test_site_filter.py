"""The registry's and the vendors' filterable, sortable tables (assets/table-filter.js) in
headless Chromium (Debian's, never a downloaded one), on the shipped example built with MkDocs
and served from 127.0.0.1: exact rows per filter, the count, sorting by next due date, the state
in the URL (values no row has included: they count, and are shown as text, never as markup),
the first rows of a long table and "Show all", a filter's list closing when the focus leaves
it, the full table without JavaScript, Material's instant navigation, no request to another
host. Screenshots go to tests/artifacts/
(git-ignored).

The fixture adds tools and a vendor to the shipped example so that the filters have something
to separate: an approved tool without confidential data, a pilot without it, a vendor with a
lapsed ISO certificate beside a current SOC 2 report. Its mkdocs.yml turns on
``navigation.instant``, which a team may, so the script must run again after each navigation.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl, urlencode, urlsplit

import pytest
from browser import REPO, Visit, serving
from conftest import copy_shipped

from generator import pipeline
from generator.build import Layout, build_site, inputs_for
from generator.diagnostics import exit_code
from generator.model import CERT_NAMES, STATUSES
from generator.render import STATUS_WORDS, Site
from generator.tables import CERT_STATES

AS_OF = date(2026, 11, 25)
OLDCERT = """\
# yaml-language-server: $schema=../../schemas/vendor.schema.json
id: oldcert-labs
name: Oldcert Labs
website: https://oldcert.example/
trust_page: https://oldcert.example/trust
privacy_policy: https://oldcert.example/privacy
certifications:
  - id: soc2-2026
    type: soc2-type2
    issuer: Calder Assurance LLP
    issued: 2026-08-14
    period: {start: 2025-07-01, end: 2026-06-30}
    evidence: https://docs.example.com/vendors/oldcert/soc2-2026.pdf
    verified: {by: Dana Ruiz (Security), "on": 2026-08-28}
  - id: iso27001
    type: iso27001
    issuer: Meridian Certification Ltd.
    issued: 2023-07-01
    expires: 2026-06-30
    evidence: https://docs.example.com/vendors/oldcert/iso27001.pdf
    verified: {by: Dana Ruiz (Security), "on": 2023-07-10}
"""

pytestmark = [pytest.mark.browser, pytest.mark.slow]


def variant(root: Path, source: str, new_id: str, name: str, allowed: list[str]) -> None:
    """A copy of a shipped tool under another id and name, allowing only ``allowed`` data."""
    text = (root / f"registry/tools/{source}.yaml").read_text(encoding="utf-8")
    text = re.sub(r"(?m)^id: .*$", f"id: {new_id}", text, count=1)
    text = re.sub(r"(?m)^name: .*$", f"name: {name}", text, count=1)
    text = re.sub(r"(?m)^aliases:\n(?:  - .*\n)+", "", text)
    items = "".join(f"    - {c}\n" for c in allowed)
    text, found = re.subn(r"(?m)^(data:\n  allowed:\n)(?:    - .*\n)+", rf"\g<1>{items}", text)
    assert found == 1
    (root / f"registry/tools/{new_id}.yaml").write_text(text, encoding="utf-8")


@dataclass(frozen=True)
class Built:
    site: Path
    url: str  # where it is served, which is also its site_url
    model: Site


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Built]:
    root = tmp_path_factory.mktemp("filter") / "handbook"
    copy_shipped(root)
    variant(root, "northwind-assist", "northwind-notes", "Northwind Notes", ["public", "internal"])
    variant(root, "lumen-transcribe", "lumen-minutes", "Lumen Minutes", ["internal"])
    (root / "registry/vendors/oldcert-labs.yaml").write_text(OLDCERT, encoding="utf-8")
    layout = Layout.at(root)
    # Served before it is built: Material's instant navigation follows only the links its
    # sitemap lists, read with the page's scheme and host name but site_url's port.
    with serving(layout.site_dir) as url:
        config = (root / "mkdocs.yml").read_text(encoding="utf-8")
        config = config.replace(
            "    - navigation.top\n", "    - navigation.top\n    - navigation.instant\n"
        )
        config = config.replace("# site_url: https://handbook.example.com/", f"site_url: {url}")
        assert "navigation.instant" in config and f"\nsite_url: {url}" in config
        (root / "mkdocs.yml").write_text(config, encoding="utf-8")
        checked = pipeline.check(root, AS_OF, AS_OF)
        assert exit_code(checked.diagnostics) == 0, checked.diagnostics
        handbook = checked.handbook
        inputs = inputs_for(checked, handbook, pipeline.staleness(checked))
        result = build_site(
            layout, handbook, inputs, checked.tree, checked.site.config, banner=checked.as_of.banner
        )
        assert result.problems == []
        yield Built(layout.site_dir, url, Site(handbook, inputs))


@pytest.fixture(scope="module")
def site(built: Built) -> Path:
    return built.site


@pytest.fixture(scope="module")
def base_url(built: Built) -> str:
    return built.url


@pytest.fixture(scope="module")
def model(built: Built) -> Site:
    return built.model


@pytest.fixture
def dark(browser: Any, base_url: str) -> Iterator[Visit]:
    v = Visit(browser, base_url, color_scheme="dark")
    try:
        yield v
    finally:
        v.context.close()


ROWS = "#hb-tools tbody tr"


def shown(page: Any, table: str = "hb-tools") -> list[str]:
    """The first cell's text of each row the table shows, in order."""
    return page.eval_on_selector_all(
        f"#{table} tbody tr:not([hidden])", "rows => rows.map(r => r.cells[0].textContent.trim())"
    )


def pick(page: Any, key: str, *values: str) -> None:
    """Open a filter's list, tick ``values`` (their codes) and close it, as a reader would."""
    toggle = page.locator(f".hb-filter-{key} .hb-filter-toggle")
    toggle.click()
    for value in values:
        page.locator(f'.hb-filter-{key} input[value="{value}"]').check()
    page.keyboard.press("Escape")
    assert toggle.get_attribute("aria-expanded") == "false"


def state(page: Any) -> dict[str, Any]:
    """What the controls show: ticked values per filter, the count, the sorted column."""
    return page.evaluate(
        """() => ({
          ticked: Array.from(document.querySelectorAll('.hb-filters input:checked'))
            .map(i => i.name + '=' + i.value),
          count: document.querySelector('.hb-filter-count').textContent,
          sorted: Array.from(document.querySelectorAll('th[aria-sort]'))
            .map(th => th.className.split(' ')[0] + ' ' + th.getAttribute('aria-sort')),
        })"""
    )


def test_status_and_data_class_show_exactly_the_matching_tools(visit: Visit) -> None:
    page = visit.goto("tools/")
    total = page.locator(ROWS).count()
    assert total == 11
    assert page.locator(".hb-filter-count").inner_text() == "11 of 11 tools"
    assert page.locator(".hb-filter-reset").is_hidden()  # nothing to clear yet
    # Material still styles the table (only one without a class) and scrolls it sideways
    assert page.locator("#hb-tools").get_attribute("class") is None
    assert page.locator(".md-typeset__scrollwrap #hb-tools").count() == 1
    pick(page, "status", "approved")
    assert sorted(shown(page)) == [
        "Northwind Assist",
        "Northwind Notes",
        "Vectorhaus Enterprise Search",
    ]
    pick(page, "data", "confidential")
    assert sorted(shown(page)) == ["Northwind Assist", "Vectorhaus Enterprise Search"]
    assert page.locator(".hb-filter-count").inner_text() == "2 of 11 tools"
    assert page.locator(".hb-filter-status .hb-filter-picked").inner_text() == "approved"
    pick(page, "status", "pilot")  # several values of one filter: any of them
    assert sorted(shown(page)) == [
        "Lumen Transcribe",
        "Northwind Assist",
        "Vectorhaus Enterprise Search",
    ]
    assert page.locator(".hb-filter-status .hb-filter-picked").inner_text() == (
        "in pilot, approved"  # the badges' words, in lifecycle order
    )
    visit.shot("registry-filtered-light")
    assert urlsplit(page.url).query == (
        "status=pilot&status=approved&data=confidential"
    )  # ticked order is the list's order, whatever order they were ticked in
    history = page.evaluate("history.length")
    page.locator(".hb-filter-reset").click()
    assert len(shown(page)) == total
    assert urlsplit(page.url).query == ""
    assert page.evaluate("history.length") == history  # the address replaced, not added to
    assert visit.errors == []
    assert visit.foreign() == []


def lists(page: Any) -> dict[str, list[str]]:
    """Each filter's list: key -> the labels' text, in order."""
    return page.evaluate(
        """() => Object.fromEntries(Array.from(document.querySelectorAll('.hb-filter'))
          .map(f => [f.className.split(' ')[1].slice(10),
                     Array.from(f.querySelectorAll('label')).map(l => l.textContent.trim())]))"""
    )


def test_the_words_for_values_no_row_has_are_the_pages_own(visit: Visit) -> None:
    """The script's WORDS, which label the values of an order that no row shows (most of
    them never do in the example), against the generator's and the templates' words."""
    script = (REPO / "generator/assets/table-filter.js").read_text(encoding="utf-8")
    literal = script.split("var WORDS = ", 1)[1].split(";\n", 1)[0]
    page = visit.goto("")
    words = page.evaluate(f"() => ({literal})")  # a plain object literal
    labels = {
        "status": STATUS_WORDS,
        "type": CERT_NAMES,
        "act": {"none": "not classified"},  # tools.md.j2
        "state": {s.replace(" ", "-"): s for s in CERT_STATES},
    }
    for key, expected in labels.items():
        assert words[key] == {code: w for code, w in expected.items() if w != code}, key
    assert set(words) == set(labels)


def test_the_lists_offer_every_value_of_their_order(visit: Visit) -> None:
    page = visit.goto("tools/")
    values = lists(page)
    # the example has a tool in each status; the words are the pages' own
    assert (
        values["status"]
        == [STATUS_WORDS[s] for s in STATUSES]
        == [
            "proposed",
            "in sandbox",
            "in pilot",
            "approved",
            "approved with restrictions",
            "deprecated",
            "offboarded",
            "rejected",
        ]
    )
    # values no row has are listed too, marked as such
    assert values["data"] == [
        "public",
        "internal",
        "confidential",
        "personal",
        "restricted (no tools)",
    ]
    assert values["act"] == [
        "prohibited (no tools)",
        "high-risk (no tools)",
        "limited",
        "minimal",
        "not classified",
    ]
    assert values["vendor"][:2] == ["Brightline Analytics Inc.", "Lumen Speech Co."]
    assert "Customer Success" in values["team"]
    # the owner team and "has findings" filter alone
    pick(page, "team", "Customer Success")
    assert shown(page) == ["Lumen Minutes", "Lumen Transcribe"]
    page.get_by_label("Has findings").check()
    with_findings = page.eval_on_selector_all(
        f"{ROWS}:not([hidden]) .hb-v-findings", "cells => cells.map(c => c.textContent)"
    )
    assert with_findings and all(int(n) > 0 for n in with_findings)
    assert dict(parse_qsl(urlsplit(page.url).query)) == {
        "team": "Customer Success",
        "findings": "1",
    }
    page = visit.goto("vendors/")  # the certificates' words are the pages' own
    values = lists(page)
    assert [v.removesuffix(" (no vendors)") for v in values["type"]] == [
        *CERT_NAMES.values(),
        "other",
    ]
    assert values["type"] == [
        "SOC 2 Type I",
        "SOC 2 Type II",
        "ISO/IEC 27001",
        "ISO/IEC 27701 (no vendors)",
        "ISO/IEC 42001",
        "other (no vendors)",
    ]
    assert values["state"] == list(CERT_STATES)  # the fixture has one of each
    assert visit.errors == []


def expected_by_due(model: Site, *, descending: bool = False) -> list[str]:
    """Tool names by next due date, ties in page order, tools with nothing due last."""
    tools = list(model.hb.tools.values())
    due = {t.name: model.next_due(t) for t in tools}
    dated = [t.name for t in tools if due[t.name] is not None]
    dated.sort(key=lambda name: due[name].day, reverse=descending)  # type: ignore[union-attr]
    return dated + [t.name for t in tools if due[t.name] is None]


def test_sorting_by_next_due_date(visit: Visit, model: Site) -> None:
    page = visit.goto("tools/")
    before = shown(page)
    assert before == [t.name for t in model.hb.tools.values()]
    due = page.locator("th.hb-col-due")
    assert due.get_attribute("aria-sort") is None
    due.locator("button").click()
    assert due.get_attribute("aria-sort") == "ascending"
    assert shown(page) == expected_by_due(model)
    days = page.eval_on_selector_all(
        f"{ROWS} td:last-child", "cells => cells.map(c => c.querySelector('time')?.dateTime)"
    )
    dated = [d for d in days if d]
    assert days == sorted(dated) + [None] * (len(days) - len(dated))  # nothing due ("—"): last
    due.locator("button").press("Enter")  # a keyboard user sorts the same way
    assert due.get_attribute("aria-sort") == "descending"
    assert shown(page) == expected_by_due(model, descending=True)
    assert urlsplit(page.url).query == "sort=-due"
    # status in lifecycle order, not alphabetical; only one column says it is sorted
    page.locator("th.hb-col-status button").click()
    order = ["proposed", "sandbox", "pilot", "approved", "restricted", "deprecated"]
    order += ["offboarded", "rejected"]
    statuses = page.eval_on_selector_all(
        f"{ROWS} td:nth-child(3)", "cells => cells.map(c => c.className.slice(12))"
    )
    assert statuses == sorted(statuses, key=order.index)
    assert page.locator("th[aria-sort]").count() == 1
    assert visit.errors == []


def test_a_long_table_shows_its_first_rows_and_a_button_for_the_rest(
    browser: Any, base_url: str, model: Site
) -> None:
    visit = Visit(browser, base_url)
    try:
        visit.context.add_init_script("window.hbTableLimit = 3")  # 100 rows on the site
        page = visit.goto("tools/?sort=due")
        assert shown(page) == expected_by_due(model)[:3]
        count, more = page.locator(".hb-filter-count"), page.locator(".hb-filter-more")
        assert count.inner_text() == "11 of 11 tools, the first 3 shown"
        assert more.inner_text() == "Show all 11 tools"
        pick(page, "status", "approved")
        assert count.inner_text() == "3 of 11 tools"
        assert more.is_hidden()
        pick(page, "status", "pilot")
        assert count.inner_text() == "5 of 11 tools, the first 3 shown"
        first = shown(page)
        visit.shot("registry-first-rows-light")
        more.click()
        rows = shown(page)
        assert rows[:3] == first and len(rows) == 5
        assert page.evaluate("document.activeElement.textContent") == rows[3]  # where to go on
        assert (count.inner_text(), more.is_hidden()) == ("5 of 11 tools", True)
        page.locator("th.hb-col-tool button").click()  # sorting keeps them all
        assert shown(page) == sorted(rows)
        pick(page, "data", "internal")  # another choice: the first rows again
        assert count.inner_text() == "5 of 11 tools, the first 3 shown"
        assert visit.errors == []
    finally:
        visit.context.close()


def test_the_url_round_trips(visit: Visit, browser: Any, base_url: str) -> None:
    page = visit.goto("tools/")
    pick(page, "status", "approved", "pilot")
    pick(page, "data", "internal")
    page.locator("th.hb-col-due button").click()
    url = page.url
    assert urlsplit(url).query == "status=pilot&status=approved&data=internal&sort=due"
    rows, controls = shown(page), state(page)
    assert controls == {
        "ticked": ["status=pilot", "status=approved", "data=internal"],
        "count": f"{len(rows)} of 11 tools",
        "sorted": ["hb-col-due ascending"],
    }
    other = Visit(browser, base_url)  # a colleague opening the shared link
    try:
        again = other.page
        again.goto(url)
        assert shown(again) == rows
        assert state(again) == controls
        assert other.errors == []
        assert other.foreign() == []
    finally:
        other.context.close()


def test_unknown_keys_are_kept_and_an_unknown_value_still_counts(visit: Visit) -> None:
    page = visit.goto("tools/?status=nonsense&status=approved&colour=red&sort=nothing#x")
    assert sorted(shown(page)) == [
        "Northwind Assist",
        "Northwind Notes",
        "Vectorhaus Enterprise Search",
    ]
    assert state(page)["ticked"] == ["status=approved", "status=nonsense"]  # after the order
    assert lists(page)["status"][-1] == "nonsense (no tools)"
    assert page.locator("th[aria-sort]").count() == 0
    pick(page, "data", "confidential")
    parts = urlsplit(page.url)
    assert (parts.query, parts.fragment) == (
        "colour=red&status=approved&status=nonsense&data=confidential",
        "x",
    )
    assert visit.errors == []


def tools_where(model: Site, test: Any) -> list[str]:
    return sorted(t.name for t in model.hb.tools.values() if test(t))


def vendors_with(model: Site, cert_type: str) -> list[str]:
    return sorted(
        v.name
        for v in model.hb.vendors.values()
        if any(c.type == cert_type for c in v.certifications)
    )


@pytest.mark.parametrize(
    ("path", "params", "expected", "listed"),
    [
        # the only value of its filter: no row
        ("tools/", [("data", "restricted")], "none", "restricted (no tools)"),
        ("tools/", [("vendor", "Nobody Inc")], "none", "Nobody Inc (no tools)"),
        ("tools/", [("status", "approved"), ("team", "Ghost")], "none", "Ghost (no tools)"),
        ("vendors/", [("type", "iso27701")], "none", "ISO/IEC 27701 (no vendors)"),
        ("vendors/", [("state", "lapsed"), ("type", "other")], "none", "other (no vendors)"),
        # beside values rows have: theirs
        ("tools/", [("team", "Ghost"), ("team", "Customer Success")], "team", "Ghost (no tools)"),
        ("tools/", [("act", "high-risk"), ("act", "limited")], "act", "high-risk (no tools)"),
        ("vendors/", [("type", "other"), ("type", "iso42001")], "type", "other (no vendors)"),
    ],
)
def test_a_value_no_row_has_still_counts(
    visit: Visit,
    model: Site,
    path: str,
    params: list[tuple[str, str]],
    expected: str,
    listed: str,
) -> None:
    """A shared link never shows more than it says: "0 of 11 tools", not every tool."""
    table = "hb-tools" if path == "tools/" else "hb-vendors"
    total, noun = (11, "tools") if path == "tools/" else (7, "vendors")
    rows = {
        "none": [],
        "team": ["Lumen Minutes", "Lumen Transcribe"],
        "act": tools_where(model, lambda t: t.ai_act is not None and t.ai_act.cls == "limited"),
        "type": vendors_with(model, "iso42001"),
    }[expected]
    assert expected == "none" or rows  # the example has what the test expects
    page = visit.goto(path + "?" + urlencode(params))
    assert sorted(shown(page, table)) == rows
    assert page.locator(".hb-filter-count").inner_text() == f"{len(rows)} of {total} {noun}"
    assert page.locator(".hb-filter-reset").is_visible()
    assert parse_qsl(urlsplit(page.url).query) == params  # the address still says so
    key, value = params[-1] if expected == "none" else params[0]
    labels = lists(page)[key]
    assert listed in labels
    ticked = page.eval_on_selector_all(
        f".hb-filter-{key} input:checked", "boxes => boxes.map(b => b.value)"
    )
    assert value in ticked
    # unticking it gives the rows of the other values, or all
    page.locator(f".hb-filter-{key} .hb-filter-toggle").click()
    page.locator(f'.hb-filter-{key} input[value="{value}"]').uncheck()
    page.keyboard.press("Escape")
    rest = [(k, v) for k, v in params if (k, v) != (key, value)]
    assert parse_qsl(urlsplit(page.url).query) == rest
    if not rest:
        assert len(shown(page, table)) == total
        assert page.locator(".hb-filter-reset").is_hidden()
    elif expected != "none":
        assert sorted(shown(page, table)) == rows  # the value no row has added none
    assert lists(page)[key] == labels  # still offered
    assert visit.errors == []


def test_values_from_the_address_are_shown_as_text(visit: Visit) -> None:
    markup = "<img src=x onerror=alert(1)>"
    huge = "W" * 20_000  # http.server reads request lines up to 64 KiB
    params = [("vendor", markup), ("team", huge)]
    page = visit.goto("tools/?" + urlencode(params))
    assert shown(page) == []
    assert page.locator(".hb-filter-count").inner_text() == "0 of 11 tools"
    assert parse_qsl(urlsplit(page.url).query) == params
    assert f"{markup} (no tools)" in lists(page)["vendor"]
    assert page.locator(".hb-filter-vendor .hb-filter-picked").inner_text() == markup
    assert page.locator("img[src='x'], .hb-filters img").count() == 0
    team = page.locator(".hb-filter-team label").filter(has_text="WWW")
    assert team.get_attribute("title") == huge  # the whole value, as an attribute
    picked = page.locator(".hb-filter-team .hb-filter-picked").inner_text()
    assert picked == "W" * 59 + "…"
    box = page.locator(".hb-filters").bounding_box()
    assert box is not None and box["width"] <= 1280
    page.locator(".hb-filter-team .hb-filter-toggle").click()
    visit.shot("registry-address-values-light")
    page.keyboard.press("Escape")
    pick(page, "status", "approved")  # written back as they came
    assert parse_qsl(urlsplit(page.url).query) == [("status", "approved"), *params]
    page.wait_for_timeout(200)
    assert visit.dialogs == []
    assert visit.errors == []
    assert visit.foreign() == []


@pytest.mark.parametrize(
    ("path", "key", "after"),
    [
        ("tools/", "status", ".hb-filter-vendor .hb-filter-toggle"),
        ("vendors/", "state", "th.hb-col-vendor button"),  # the list covers the table
    ],
)
def test_a_list_closes_when_the_focus_leaves_it(
    visit: Visit, path: str, key: str, after: str
) -> None:
    page = visit.goto(path)
    toggle = page.locator(f".hb-filter-{key} .hb-filter-toggle")
    panel = page.locator(f".hb-filter-{key} .hb-filter-options")
    boxes = page.locator(f".hb-filter-{key} input")
    toggle.focus()
    page.keyboard.press("Enter")
    assert toggle.get_attribute("aria-expanded") == "true" and panel.is_visible()
    page.keyboard.press("Tab")  # into the list
    page.keyboard.press("Shift+Tab")  # back to its button: still open
    assert panel.is_visible()
    # a click on a label, which takes the focus off the button or box first, leaves it open
    label = page.locator(f".hb-filter-{key} label").first
    label.click()
    assert panel.is_visible() and boxes.first.is_checked()
    label.click()  # and again: nothing chosen, no "Clear filters" to tab to
    assert panel.is_visible() and not boxes.first.is_checked()
    boxes.first.focus()
    page.keyboard.press("Escape")  # closed, the focus back on the button
    assert panel.is_hidden() and toggle.get_attribute("aria-expanded") == "false"
    assert toggle.evaluate("t => t === document.activeElement")
    page.keyboard.press("Enter")
    for _ in range(boxes.count()):
        page.keyboard.press("Tab")
        assert panel.is_visible()
    assert boxes.last.evaluate("b => b === document.activeElement")
    page.keyboard.press("Tab")  # out of the last box
    assert panel.is_hidden() and toggle.get_attribute("aria-expanded") == "false"
    assert page.locator(after).evaluate("b => b === document.activeElement")
    assert visit.errors == []


def test_without_javascript_the_whole_table_and_no_controls(browser: Any, base_url: str) -> None:
    context = browser.new_context(java_script_enabled=False)
    try:
        page = context.new_page()
        page.goto(base_url + "tools/?status=approved")
        assert page.locator(ROWS).count() == 11
        assert page.locator(f"{ROWS}[hidden]").count() == 0
        assert page.locator(".hb-filters, .hb-sort, #hb-tools button").count() == 0
        page.goto(base_url + "vendors/")
        assert page.locator("#hb-vendors tbody tr").count() == 7
        assert page.locator(".hb-filters").count() == 0
    finally:
        context.close()


def test_instant_navigation_runs_the_script_again(visit: Visit) -> None:
    page = visit.goto("")
    assert page.evaluate("typeof window.document$") == "object"
    page.evaluate("window.hbSameDocument = true")  # gone if a link loaded a new document
    page.locator(".md-nav a[href$='/tools/']").first.click()
    page.wait_for_selector(".hb-filter-count")
    assert page.locator(".hb-filters").count() == 1
    assert page.locator(".hb-filter-count").inner_text() == "11 of 11 tools"
    page.locator(".md-nav a[href$='/vendors/']").first.click()
    page.wait_for_selector('.hb-filter-bar[aria-label="Filter the vendors"]')
    assert page.locator(".hb-filters").count() == 1
    assert page.locator(".hb-filter-count").inner_text() == "7 of 7 vendors"
    assert page.evaluate("window.hbSameDocument") is True  # both were instant navigations
    assert visit.errors == []
    assert visit.foreign() == []


def test_instant_navigation_shows_the_charts_and_follows_their_links(visit: Visit) -> None:
    """Material rewrites the relative links of a page it loads instantly; a chart's links
    (SVG ``<a>``) must survive that, and so must the navigation after it."""
    page = visit.goto("")
    page.evaluate("window.hbSameDocument = true")
    page.locator(".md-nav a[href$='/dashboard/']").first.click()
    page.wait_for_url(re.compile(r"/dashboard/$"))
    page.wait_for_selector("#hb-chart-matrix svg")
    assert (page.locator("h1").first.text_content() or "").startswith("Compliance dashboard")
    assert page.evaluate("window.hbSameDocument") is True
    cell = page.locator('#hb-chart-matrix svg a[*|href*="#hb-step-"]').first
    href = cell.get_attribute("xlink:href") or ""
    tool, step = re.fullmatch(r"\.\./tools/([a-z0-9-]+)/#(hb-step-[a-z0-9-]+)", href).groups()
    cell.scroll_into_view_if_needed()
    cell.click()
    page.wait_for_url(re.compile(f"/tools/{tool}/#{step}$"))
    assert page.locator(f"#{step} .hb-state").count() == 1
    page.go_back()
    page.wait_for_url(re.compile(r"/dashboard/$"))
    page.locator(".md-nav a[href$='/tools/']").first.click()  # instant navigation still works
    page.wait_for_selector(".hb-filter-count")
    assert visit.errors == []
    assert visit.foreign() == []


def test_vendors_by_certificate_type_and_state(visit: Visit) -> None:
    page = visit.goto("vendors/")
    assert page.locator(".hb-filter-count").inner_text() == "7 of 7 vendors"
    pick(page, "state", "lapsed")
    assert shown(page, "hb-vendors") == ["Oldcert Labs"]
    pick(page, "type", "soc2-type2")
    # Oldcert's SOC 2 report is current: type and state must hold for the same certificate
    assert shown(page, "hb-vendors") == []
    assert page.locator(".hb-filter-count").inner_text() == "0 of 7 vendors"
    page.goto(visit.base + "vendors/?state=expiring-soon&type=iso27001")
    assert shown(page, "hb-vendors") == ["Vectorhaus GmbH"]
    assert page.locator(".hb-filter-state .hb-filter-picked").inner_text() == "expiring soon"
    page.goto(visit.base + "vendors/?type=iso27001&sort=until")
    assert shown(page, "hb-vendors") == [
        "Oldcert Labs",  # lapsed 2026-06-30: its SOC 2 report runs to 2027-06-30
        "Vectorhaus GmbH",  # its ISO certificate expires on 2026-12-10
        "Quillmark Labs Ltd.",  # its SOC 2 bridge letter runs to 2027-01-31
        "Lumen Speech Co.",
        "Northwind AI, Inc.",
    ]
    page.locator("th.hb-col-tools button").click()
    tools = page.eval_on_selector_all(
        "#hb-vendors tbody tr:not([hidden]) td:last-child", "c => c.map(x => +x.textContent)"
    )
    assert tools == sorted(tools)
    visit.shot("vendors-filtered-light")
    assert visit.errors == []
    assert visit.foreign() == []


def test_dark_scheme_screenshots(dark: Visit) -> None:
    page = dark.goto("tools/?status=approved&status=pilot&data=confidential&sort=due")
    assert page.evaluate("document.body.getAttribute('data-md-color-scheme')") == "slate"
    assert sorted(shown(page)) == [
        "Lumen Transcribe",
        "Northwind Assist",
        "Vectorhaus Enterprise Search",
    ]
    dark.shot("registry-filtered-dark")
    page.locator(".hb-filter-status .hb-filter-toggle").click()
    dark.shot("registry-filter-list-dark")
    page = dark.goto("vendors/?state=expiring-soon&state=lapsed")
    assert shown(page, "hb-vendors") == ["Oldcert Labs", "Vectorhaus GmbH"]
    dark.shot("vendors-filtered-dark")
    assert dark.errors == []
    assert dark.foreign() == []
