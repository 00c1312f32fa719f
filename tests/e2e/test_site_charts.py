"""The site's charts in headless Chromium (Debian's), served from 127.0.0.1: the dashboard's
four charts with their text equivalents, a deadline mark and a heat-map cell that lead to the
right tool and step, a tool page's status history from git, both colour schemes, without
JavaScript and in print, and no request to another host. Screenshots go to tests/artifacts/.

The shipped example is committed to a fresh git repository in four steps, so that Quillmark
Draft went proposed -> sandbox -> pilot -> restricted with dates, as a real registry would.
"""

from __future__ import annotations

import os
import re
import subprocess
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from browser import ARTIFACTS, REPO, Visit, build_example, launch, serving
from conftest import copy_shipped

from generator.charts import svg
from generator.charts.deadlines import STATES as DEADLINE_STATES
from generator.charts.pages import CERT_MARKS
from generator.model import STATUSES
from generator.status import STATES as STEP_STATES
from generator.status import SYMBOLS

AS_OF = date(2026, 11, 25)
TOOL = "registry/tools/quillmark-draft.yaml"
#: The statuses Quillmark Draft went through before today's (restricted), with their days.
STEPS = (("proposed", "2026-03-02"), ("sandbox", "2026-04-06"), ("pilot", "2026-06-01"))

pytestmark = [pytest.mark.browser, pytest.mark.slow]


def git(root: Path, *args: str, day: str = "2026-07-06") -> None:
    when = f"{day}T12:00:00+00:00"
    env = {
        **os.environ,
        "GIT_CONFIG_GLOBAL": os.devnull,
        "GIT_CONFIG_NOSYSTEM": "1",
        "GIT_AUTHOR_NAME": "Test",
        "GIT_AUTHOR_EMAIL": "test@example.com",
        "GIT_COMMITTER_NAME": "Test",
        "GIT_COMMITTER_EMAIL": "test@example.com",
        "GIT_AUTHOR_DATE": when,
        "GIT_COMMITTER_DATE": when,
    }
    subprocess.run(["git", *args], cwd=root, env=env, check=True, capture_output=True)


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = copy_shipped(tmp_path_factory.mktemp("charts") / "handbook")
    path = root / TOOL
    final = path.read_text(encoding="utf-8")
    git(root, "init", "-q", "-b", "main")
    for status, day in STEPS:
        path.write_text(final.replace("  value: restricted\n", f"  value: {status}\n"), "utf-8")
        git(root, "add", "-A", day=day)
        git(root, "commit", "-q", "-m", f"Quillmark Draft: {status}", day=day)
    path.write_text(final, encoding="utf-8")
    git(root, "commit", "-qam", "Quillmark Draft: approved with restrictions")
    return build_example(root, AS_OF)


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    yield from launch()


@pytest.fixture(scope="module")
def base(site: Path) -> Iterator[str]:
    with serving(site) as url:
        yield url


@pytest.fixture
def visit(browser: Any, base: str) -> Iterator[Visit]:
    v = Visit(browser, base)
    yield v
    assert v.foreign() == [], "a request left 127.0.0.1"
    assert v.errors == []
    v.context.close()


def figures(page: Any) -> dict[str, dict[str, Any]]:
    """Each chart of the page: its SVG's accessible name parts and its text equivalent."""
    return page.evaluate(
        """() => Object.fromEntries([...document.querySelectorAll('figure.hb-figure')].map(f => {
            const svg = f.querySelector('svg');
            const [t, d] = svg.getAttribute('aria-labelledby').split(' ')
                .map(id => document.getElementById(id));
            const box = svg.getBoundingClientRect();
            return [f.id, {
                role: svg.getAttribute('role'),
                title: t && t.textContent, desc: d && d.textContent,
                rows: f.querySelectorAll('details table tbody tr').length,
                open: f.querySelector('details').open,
                width: box.width, height: box.height,
            }];
        }))"""
    )


def test_dashboard_charts_have_titles_descriptions_and_tables(visit: Visit) -> None:
    page = visit.goto("dashboard/")
    found = figures(page)
    assert list(found) == [
        "hb-chart-status",
        "hb-chart-deadlines",
        "hb-chart-phases",
        "hb-chart-matrix",
    ]
    for key, chart in found.items():
        assert chart["title"] and chart["desc"], key
        assert chart["rows"] > 0, key  # the same data as a table
        assert chart["open"] is False, key  # collapsed
        assert chart["width"] > 200 and chart["height"] > 40, key
    assert found["hb-chart-status"]["title"] == "Tools by status"
    assert found["hb-chart-matrix"]["rows"] == len(list((REPO / "registry/tools").glob("*.yaml")))


def test_a_deadline_mark_leads_to_its_tool(visit: Visit) -> None:
    page = visit.goto("dashboard/")
    marks = "#hb-chart-deadlines svg a:has(polygon), #hb-chart-deadlines svg a:has(path)"
    mark = page.locator(marks)
    assert mark.count() > 0
    first = mark.first
    title = first.locator("title").text_content() or ""
    tool_name = title.split(":", 1)[0]
    first.scroll_into_view_if_needed()
    first.click()
    page.wait_for_load_state()
    assert re.search(r"/tools/[a-z0-9-]+/$", page.url)
    assert (page.locator("h1").first.text_content() or "").rstrip("¶") == tool_name


def test_a_heat_map_cell_leads_to_the_steps_evidence(visit: Visit) -> None:
    page = visit.goto("dashboard/")
    cell = page.locator('#hb-chart-matrix svg a[*|href*="#hb-step-"]').first
    href = cell.get_attribute("xlink:href") or ""
    step = href.split("#", 1)[1]
    cell.scroll_into_view_if_needed()
    cell.click()
    page.wait_for_url(re.compile(f"#{step}$"))
    target = page.locator(f"#{step}")
    assert target.count() == 1
    assert target.locator(".hb-state").count() == 1  # the step's state, then its evidence


def test_tool_page_shows_its_status_history_from_git(visit: Visit, browser: Any) -> None:
    page = visit.goto("tools/quillmark-draft/")
    found = figures(page)
    assert "hb-chart-history" in found and "hb-chart-deadlines" in found
    assert "hb-chart-audits" in found  # three counted audits
    history = found["hb-chart-history"]
    assert history["desc"].startswith(
        "From the repository's history, dated by commit: "
        "proposed (2026-03-02) → in sandbox (2026-04-06) → "
        "in pilot (2026-06-01) → approved with restrictions (2026-07-06)"
    )
    assert history["rows"] == 4
    page.locator("#history").scroll_into_view_if_needed()
    page.wait_for_timeout(600)  # the theme's header finishes its transition
    visit.shot("tool-status-history-light")
    dark = Visit(browser, visit.base, color_scheme="dark")
    try:
        dark.goto("tools/quillmark-draft/").locator("#history").scroll_into_view_if_needed()
        dark.page.wait_for_timeout(600)
        dark.shot("tool-status-history-dark")
    finally:
        dark.context.close()


def fill_of(page: Any, selector: str) -> str:
    return page.evaluate(f"getComputedStyle(document.querySelector('{selector}')).fill")


def test_charts_follow_the_colour_scheme(browser: Any, base: str) -> None:
    fills = {}
    for scheme in ("light", "dark"):
        v = Visit(browser, base, color_scheme=scheme)
        try:
            page = v.goto("dashboard/")
            assert page.evaluate("document.body.dataset.mdColorScheme") == (
                "default" if scheme == "light" else "slate"
            )
            fills[scheme] = (
                fill_of(page, "#hb-chart-matrix .hb-k-done"),
                fill_of(page, "#hb-chart-status text"),
            )
            v.shot(f"dashboard-{scheme}")
            assert v.foreign() == []
        finally:
            v.context.close()
    assert fills["light"][0] != fills["dark"][0]  # cells
    assert fills["light"][1] != fills["dark"][1]  # text follows the theme's ink


def test_charts_need_no_javascript_and_print(browser: Any, base: str) -> None:
    context = browser.new_context(java_script_enabled=False)
    try:
        page = context.new_page()
        page.goto(base + "dashboard/")
        assert len(figures_static(page)) == 4
        page.emulate_media(media="print")
        boxes = [page.locator(f"#{key} svg").bounding_box() for key in figures_static(page)]
        assert all(b is not None and b["width"] > 200 for b in boxes)
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        page.pdf(path=str(ARTIFACTS / "dashboard-print.pdf"))
    finally:
        context.close()


def figures_static(page: Any) -> list[str]:
    """The ids of the page's charts, read without the page's scripts."""
    return [
        page.locator("figure.hb-figure").nth(i).get_attribute("id") or ""
        for i in range(page.locator("figure.hb-figure").count())
    ]


def test_keyboard_reaches_each_tool_without_crossing_every_cell(visit: Visit) -> None:
    """Tab stops in the heat map: one per tool (its name); the cells are out of the tab order,
    and the chart's table, once opened, links each state to the same evidence."""
    page = visit.goto("dashboard/")
    links = page.locator("#hb-chart-matrix svg a")
    stops = page.locator('#hb-chart-matrix svg a:not([tabindex="-1"])')
    tools = len(list((REPO / "registry/tools").glob("*.yaml")))
    assert stops.count() == tools and links.count() > tools * 10
    page.locator("#hb-chart-matrix summary").click()
    cell = page.locator('#hb-chart-matrix details a[href*="#hb-step-"]').first
    href = cell.get_attribute("href") or ""
    cell.focus()
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(re.escape(href.split("/")[-1]) + "$"))


# -- contrast of the charts' colours (WCAG 2.2, 1.4.11 and 1.4.3) -----------------------------

#: One swatch per class a chart paints, put into a chart on the dashboard so the site's own
#: stylesheet colours it: every status, every deadline state as its mark and as a validity
#: bar, the lines, and each step state's cell with its symbol and with its percentage.
SWATCHES = "".join(
    [f'<rect class="{svg.status_class(s)}" width="9" height="9"/>' for s in (*STATUSES, "x")]
    + [svg.mark(shape, 5, 5, f"hb-k-{k}") for k, (shape, _) in DEADLINE_STATES.items()]
    + [svg.rect(0, 0, 9, 9, f"hb-k-{k} hb-bar") for k in CERT_MARKS.values()]
    + [f'<line class="{c}" x2="9"/>' for c in ("hb-series", "hb-whisker", "hb-baseline")]
    + [
        f'<g class="hb-cell"><rect class="hb-k-{s}"/><text class="{c}">{SYMBOLS[s]}</text></g>'
        for s in STEP_STATES
        for c in ("hb-sym", "hb-in")
    ]
)

PAINTED = """(swatches) => {
  const chart = document.querySelector('svg.hb-chart');
  const probe = document.createElementNS('http://www.w3.org/2000/svg', 'g');
  probe.innerHTML = swatches;
  chart.appendChild(probe);
  let bg = 'rgba(0, 0, 0, 0)';
  for (let e = chart; e && /rgba\\(.*, 0\\)$/.test(bg); e = e.parentElement) {
    bg = getComputedStyle(e).backgroundColor;
  }
  const paint = (e) => {
    const s = getComputedStyle(e);
    return {cls: e.getAttribute('class'), tag: e.tagName, fill: s.fill, stroke: s.stroke,
            opacity: s.opacity, fillOpacity: s.fillOpacity};
  };
  const marks = [...probe.children].filter((e) => e.tagName !== 'g').map(paint);
  const cells = [...probe.querySelectorAll('g.hb-cell')].map(
    (g) => [paint(g.querySelector('rect')), paint(g.querySelector('text'))]);
  probe.remove();
  return {bg: bg === 'rgba(0, 0, 0, 0)' ? 'rgb(255, 255, 255)' : bg, marks, cells};
}"""


def rgba(value: str) -> tuple[float, float, float, float] | None:
    """A computed CSS colour ("rgb(r, g, b)" or "rgba(r, g, b, a)") -> (r, g, b, a); None for
    "none"."""
    found = re.fullmatch(r"rgba?\(([\d.]+), ([\d.]+), ([\d.]+)(?:, ([\d.]+))?\)", value)
    if found is None:
        assert value == "none", value
        return None
    r, g, b, a = found.groups()
    return float(r), float(g), float(b), float(a) if a is not None else 1.0


def over(colour: tuple[float, float, float, float], alpha: float, bg: str) -> tuple[float, ...]:
    """``colour`` at ``alpha`` (times its own) painted over the opaque ``bg``."""
    under = rgba(bg)
    assert under is not None
    a = colour[3] * alpha
    return tuple(a * c + (1 - a) * u for c, u in zip(colour[:3], under[:3], strict=True))


def contrast(one: tuple[float, ...], two: tuple[float, ...]) -> float:
    """WCAG 2.2's contrast ratio of two sRGB colours (0-255 channels): (L1 + 0.05) / (L2 +
    0.05) of their relative luminances, lighter first (WCAG 2.2, "contrast ratio")."""

    def luminance(rgb: tuple[float, ...]) -> float:
        c = [v / 255 for v in rgb]
        c = [v / 12.92 if v <= 0.04045 else ((v + 0.055) / 1.055) ** 2.4 for v in c]
        return 0.2126 * c[0] + 0.7152 * c[1] + 0.0722 * c[2]

    high, low = sorted((luminance(one), luminance(two)), reverse=True)
    return (high + 0.05) / (low + 0.05)


def test_chart_colours_stand_out_in_both_schemes(browser: Any, base: str) -> None:
    """Every status, deadline mark and line a chart draws is at least 3:1 against the page in
    both schemes (WCAG 1.4.11, non-text contrast; a mark drawn as a stroke is measured by its
    stroke), and each step state's symbol or percentage at least 4.5:1 on its cell (1.4.3):
    a heat-map cell is read by its symbol, its colour only repeats it."""
    weak: list[str] = []
    for scheme in ("light", "dark"):
        v = Visit(browser, base, color_scheme=scheme)
        try:
            found = v.goto("dashboard/").evaluate(PAINTED, SWATCHES)
        finally:
            v.context.close()
        bg = found["bg"]
        assert found["marks"] and len(found["cells"]) == 2 * len(STEP_STATES)
        for m in found["marks"]:
            fill, stroke = rgba(m["fill"]), rgba(m["stroke"])
            alpha = float(m["opacity"])
            solid = (
                m["tag"] != "line"  # a line paints its stroke only
                and fill is not None
                and fill[3] * float(m["fillOpacity"]) * alpha >= 0.5
            )
            colour = fill if solid else stroke
            assert colour is not None, m
            alpha *= float(m["fillOpacity"]) if solid else 1.0
            ratio = contrast(over(colour, alpha, bg), over((0, 0, 0, 0), 1, bg))
            if ratio < 3:
                weak.append(f"{scheme}: {m['tag']}.{m['cls']} {ratio:.2f}:1 on the page")
        for cell, ink in found["cells"]:
            paper = over(rgba(cell["fill"]) or (0, 0, 0, 0), 1, bg)
            ink_colour = rgba(ink["fill"])
            assert ink_colour is not None
            ratio = contrast(paper, over(ink_colour, 1, "rgb({}, {}, {})".format(*paper)))
            if ratio < 4.5:
                weak.append(f"{scheme}: {ink['cls']} on .{cell['cls']} {ratio:.2f}:1")
    assert weak == [], "\n".join(weak)


def test_on_a_phone_charts_keep_readable_labels_and_scroll(browser: Any, base: str) -> None:
    """At a phone's width a chart is not shrunk to fit (its 12px labels would be 6px): it
    keeps its size and its box scrolls sideways."""
    context = browser.new_context(viewport={"width": 390, "height": 844})
    try:
        page = context.new_page()
        page.goto(base + "dashboard/")
        box = page.locator("#hb-chart-deadlines .hb-chart-box")
        sizes = box.evaluate(
            """(b) => ({scroll: b.scrollWidth, client: b.clientWidth,
                       label: b.querySelector('text').getBoundingClientRect().height})"""
        )
        assert sizes["scroll"] > sizes["client"]  # it scrolls
        assert sizes["label"] >= 11, sizes  # 12px text drawn at its size, not scaled down
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(ARTIFACTS / "dashboard-phone.png"))
    finally:
        context.close()
