"""Accessibility of the built site: axe-core (tests/e2e/axe.py) on the dashboard, a tool page
with a stale step, the registry, the vendors index, a vendor page and the other kinds of page
(home, a phase, "which tools", EU AI Act, a framework, the rules), in the light and the dark
colour scheme; no violation of any impact (minor to critical), and no request leaves
127.0.0.1.

axe-core comes from `python tests/e2e/vendor_axe.py` (nox's ``tests`` session runs it); outside
CI these tests skip when it or Debian's chromium is missing, with CI=true that is a failure.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from axe import report, source, violations
from browser import Visit, build_example
from conftest import copy_shipped

# As of this day the example has stale steps (so the pages show them, as the preview would).
AS_OF = date(2026, 11, 25)
PAGES = (
    "dashboard/",
    "tools/northwind-assist/",  # approved, with a stale step (test_site_browser checks which)
    "tools/",
    "vendors/",
    "vendors/northwind-ai/",
    "",  # the home page
    "procedure/phase-1/",  # each step with its table and checklist
    "which-tools/",
    "eu-ai-act/",
    "frameworks/nist-ai-rmf/",
    "rules/",
)
# Material picks its palette from prefers-color-scheme (mkdocs.yml): default, or slate.
SCHEMES = {"light": "default", "dark": "slate"}

pytestmark = [pytest.mark.browser, pytest.mark.slow]


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    source()  # no axe-core: skip (fail in CI) before building anything
    root = tmp_path_factory.mktemp("a11y") / "handbook"
    copy_shipped(root)
    return build_example(root, AS_OF)


@pytest.fixture(params=sorted(SCHEMES))
def scheme(request: pytest.FixtureRequest) -> str:
    return str(request.param)


@pytest.fixture
def visit(browser: Any, base_url: str, scheme: str) -> Iterator[Visit]:
    v = Visit(browser, base_url, color_scheme=scheme)
    try:
        yield v
    finally:
        v.context.close()


@pytest.mark.parametrize("path", PAGES)
def test_no_accessibility_violations(visit: Visit, scheme: str, path: str) -> None:
    page = visit.goto(path)
    page.wait_for_load_state("networkidle")
    palette = page.evaluate("document.body.getAttribute('data-md-color-scheme')")
    assert palette == SCHEMES[scheme], f"{path}: the {scheme} scheme showed {palette!r}"
    found = violations(page)
    assert found == [], report(found, f"{path} ({scheme})")
    assert visit.foreign() == []


def test_the_dashboard_on_a_phone(browser: Any, base_url: str) -> None:
    """At a phone's width each chart keeps its size in a box that scrolls sideways; the box
    takes focus, so the keyboard can scroll it (axe's scrollable-region-focusable)."""
    context = browser.new_context(viewport={"width": 390, "height": 844})
    try:
        page = context.new_page()
        page.goto(base_url + "dashboard/")
        page.wait_for_load_state("networkidle")
        scrolling = page.locator(".hb-chart-box").evaluate_all(
            "(boxes) => boxes.filter((b) => b.scrollWidth > b.clientWidth).length"
        )
        assert scrolling >= 3  # the test sees the boxes scroll
        found = violations(page)
        assert found == [], report(found, "dashboard/ at 390 px")
    finally:
        context.close()
