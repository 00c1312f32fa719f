"""Measured evidence in headless Chromium: the tool page shows the benchmark's intervals, the
audits' verdicts and the drift the reviewer missed; "How we measure" explains them; the
dashboard adds up the hours saved."""

from __future__ import annotations

import contextlib
import io
from pathlib import Path

import pytest
from browser import Visit
from conftest import copy_shipped

from generator.cli import main

pytestmark = [pytest.mark.browser, pytest.mark.slow]


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("evidence") / "handbook"
    copy_shipped(root)
    out = io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(out):
        code = main(["build", "--root", str(root)])
    assert code == 0, out.getvalue()
    return root / "site"


def test_the_tool_page_shows_intervals_and_the_missed_drift(visit: Visit) -> None:
    page = visit.goto("tools/northwind-assist/")
    bench = page.locator("xpath=//h3[@id='benchmark']/following::table[1]")
    text = bench.inner_text()
    # 44 of 50 right: Wilson 76.2% to 94.4%; the paired difference -18.3 to +5.8 points
    assert "44 of 50 (88%)" in text and "76.2% to 94.4%" in text
    assert "-18.3 points to +5.8 points" in text
    assert "exact McNemar test, p = 0.45" in text
    assert "met: lower end at least -20 points" in text
    audits = page.locator("xpath=//h3[@id='output-audits']/following::table[1]")
    first = audits.locator("tbody tr").first.inner_text()
    assert "2026-10-20" in first and "8 of 30" in first and "p = 0.022" in first
    assert "drift; the reviewer recorded none" in first
    findings = page.locator("xpath=//h2[starts-with(@id, 'findings')]/following::ul[1]")
    finding = findings.inner_text()
    assert "drift-detected" in finding and "The reviewer recorded drift: false." in finding
    assert page.get_by_role("link", name="How we measure").first.get_attribute("href")
    visit.shot("tool-measured-evidence")
    assert visit.foreign() == []


def test_a_too_small_audit_says_so(visit: Visit) -> None:
    page = visit.goto("tools/vectorhaus-search/")
    audits = page.locator("xpath=//h3[@id='output-audits']/following::table[1]")
    # 25 outputs against a 10% baseline (4 of 40): 62% power; 40 outputs reach 80%
    row = audits.locator("tbody tr").first.inner_text()
    assert "3 of 25" in row and "62.2%" in row and "too small to tell (needs 40)" in row
    assert "audit-sample-too-small" in page.content()


def test_how_we_measure_explains_the_figures(visit: Visit) -> None:
    page = visit.goto("how-we-measure/")
    body = page.locator("article").inner_text()
    assert "8 errors in 30 outputs (26.7%) against a baseline of 12%: p = 0.022, drift" in body
    assert "6 errors in 30 outputs (20%) against a baseline of 12%: p = 0.14" in body
    assert "Wilson" in body and "McNemar" in body and "Newcombe" in body
    nav = page.locator("nav").get_by_role("link", name="How we measure")
    assert nav.count() >= 1
    visit.shot("how-we-measure")


def test_the_dashboard_adds_up_the_hours_saved(visit: Visit) -> None:
    page = visit.goto("dashboard/")
    section = page.locator("xpath=//h2[@id='time-saved']/following::p[1]").inner_text()
    # 31 min x 520 + 12 min x 640 + 18 min x 165 = 16,120 + 7,680 + 2,970 min = 446 h
    assert "446 h per month" in section
    table = page.locator("xpath=//h2[@id='quality']/following::table[1]").inner_text()
    assert "drift" in table and "missed by the reviewer" in table
