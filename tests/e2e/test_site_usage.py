"""`handbook build --usage DIR` in headless Chromium: the dashboard's "AI in use" table and a
tool page's "Use in practice" show counts from the usage inputs, never who, and load nothing
from another host."""

from __future__ import annotations

import contextlib
import io
import shutil
from pathlib import Path

import pytest
from browser import Visit
from conftest import copy_shipped

from generator.cli import main

REPO = Path(__file__).resolve().parents[2]
DATA = REPO / "tests/data/reconcile"
PEOPLE = ("ana.lima", "ben.okafor", "10.20.0.14", "ws-014", "ANA LIMA")

pytestmark = [pytest.mark.browser, pytest.mark.slow]


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("usage") / "handbook"
    copy_shipped(root)
    tool = root / "registry/tools/northwind-assist.yaml"
    head, rest = tool.read_text(encoding="utf-8").split("\nvendor:", 1)
    tool.write_text(f"{head}\naliases:\n  - ChatGPT Enterprise\nvendor:{rest}", encoding="utf-8")
    usage = root.parent / "usage"
    usage.mkdir()
    for p in DATA.iterdir():
        if p.suffix in (".csv", ".log"):
            shutil.copy(p, usage / p.name)
    out = io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(out):
        code = main(["build", "--usage", str(usage), "--root", str(root)])
    assert code == 0, out.getvalue()
    return root / "site"


def test_the_dashboard_lists_the_ai_in_use(visit: Visit) -> None:
    page = visit.goto("dashboard/")
    table = page.locator("xpath=//h2[@id='usage']/following::table[1]")
    rows = table.locator("tbody tr")
    assert rows.count() >= 5
    text = table.inner_text()
    assert "Gemini" in text and "not registered" in text
    link = table.get_by_role("link", name="Northwind Assist")
    assert link.get_attribute("href").endswith("tools/northwind-assist/")
    for person in PEOPLE:
        assert person not in page.content()
    visit.shot("dashboard-usage")
    assert visit.foreign() == []


def test_a_tool_page_shows_its_use_in_practice(visit: Visit) -> None:
    page = visit.goto("tools/northwind-assist/")
    section = page.locator("h2", has_text="Use in practice")
    assert section.count() == 1
    assert " users, " in page.locator("h2:has-text('Use in practice') + p").inner_text()
    for person in PEOPLE:
        assert person not in page.content()
    assert visit.foreign() == []
