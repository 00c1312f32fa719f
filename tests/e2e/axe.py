"""axe-core accessibility checks for the browser tests (tests/e2e/browser.py's pages).

axe-core is vendored into the test run, never into the site: `python tests/e2e/vendor_axe.py`
(nox's ``tests`` session runs it first) puts one pinned release in .cache/, and ``violations``
injects that file's text into the page, so checking a page makes no request. Outside CI a
missing axe.min.js skips the test with the command that fetches it; with CI=true it fails, as a
missing browser does.
"""

from __future__ import annotations

import functools
import os
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

import pytest
from vendor_axe import SCRIPT, VERSION

#: axe's impacts, lowest first. The site's pages have no violation of any of them.
IMPACTS = ("minor", "moderate", "serious", "critical")

#: Violations in Material's own markup that the handbook cannot change, as (rule, CSS selector
#: of the element) with the reason. Only that rule on that element is passed over: the element
#: and what it contains are still checked for every other rule.
MATERIAL: dict[tuple[str, str], str] = {
    # partials/search.html: <div class="md-search" role="dialog"> has no aria-label; the
    # theme's template is not ours (mkdocs.yml may not set custom_dir), and the search box
    # inside it is labelled ("Search"), so a screen reader still names what it is for.
    ("aria-dialog-name", ".md-search"): "Material's search dialog has no accessible name",
}

# axe's default rule set: every rule but the experimental ones, that is WCAG 2.0-2.2 A and AA
# plus best practices. Only violations are gathered (not passes, incomplete or inapplicable),
# which keeps the result small; elementRef gives each node's element, to match ``ignore``.
RUN = """async ([ignore]) => {
  const result = await axe.run(document, {resultTypes: ["violations"], elementRef: true});
  const ignored = (rule, element) =>
    ignore.some(([id, selector]) => id === rule && element && element.matches(selector));
  return result.violations.map(v => ({
    id: v.id,
    impact: v.impact,
    help: v.help,
    helpUrl: v.helpUrl,
    nodes: v.nodes.filter(n => !ignored(v.id, n.element)).map(n => ({
      target: n.target.map(t => Array.isArray(t) ? t.join(" >>> ") : t),
      impact: n.impact,
      summary: n.failureSummary || "",
    })),
  })).filter(v => v.nodes.length > 0);
}"""


@dataclass(frozen=True)
class Node:
    target: tuple[str, ...]  # CSS selectors, outermost frame or shadow root first
    impact: str
    summary: str  # axe's "Fix any of the following: ..." for this element


@dataclass(frozen=True)
class Violation:
    id: str  # the rule, e.g. "color-contrast"
    impact: str
    help: str
    help_url: str
    nodes: tuple[Node, ...]


@functools.cache
def _source() -> str:
    return SCRIPT.read_text(encoding="utf-8")


def source() -> str:
    """axe.min.js's text; skips (fails in CI) when it has not been fetched."""
    if not SCRIPT.is_file():
        reason = f"axe-core {VERSION} is missing ({SCRIPT}): run python tests/e2e/vendor_axe.py"
        if os.environ.get("CI") == "true":
            pytest.fail(f"CI must run the accessibility tests: {reason}")
        pytest.skip(reason)
    return _source()


def violations(
    page: Any,
    impacts: Iterable[str] = IMPACTS,
    ignore: Mapping[tuple[str, str], str] = MATERIAL,
) -> list[Violation]:
    """axe's violations on ``page`` (a loaded Playwright page) of the given impacts.

    ``ignore`` maps (rule id, CSS selector) to why that rule is not held against the elements
    the selector matches; by default only Material's known ones (``MATERIAL``)."""
    if not page.evaluate("typeof window.axe === 'object'"):
        page.add_script_tag(content=source())
    wanted = set(impacts)
    found = page.evaluate(RUN, [[list(key) for key in ignore]])
    return [
        Violation(
            id=v["id"],
            impact=v["impact"],
            help=v["help"],
            help_url=v["helpUrl"],
            nodes=tuple(
                Node(tuple(n["target"]), n["impact"] or "", n["summary"]) for n in v["nodes"]
            ),
        )
        for v in found
        if v["impact"] in wanted
    ]


def report(found: Iterable[Violation], where: str = "") -> str:
    """The violations as an assertion message: rule, impact, help, then each element."""
    lines = [f"accessibility violations{f' on {where}' if where else ''}:"]
    for v in found:
        lines.append(f"- {v.id} ({v.impact}): {v.help} <{v.help_url}>")
        for n in v.nodes:
            lines.append(f"    {' '.join(n.target)}")
            lines.extend(
                f"      {line.strip()}" for line in n.summary.splitlines()[1:] if line.strip()
            )
    return "\n".join(lines)
