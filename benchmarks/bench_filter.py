"""How quickly the registry table answers a filter or a sort with 5,000 tools, in headless
Chromium (Debian's /usr/bin/chromium, or $HANDBOOK_CHROMIUM).

    python benchmarks/bench_filter.py [--tools 5000] [--runs 9] [--limit N] [--with-search]
                                      [--reuse]

Builds the whole site of a synthetic registry (benchmarks/synth.py) with the real, strict MkDocs
build (--reuse: the one built before, with the current script and style sheet), serves it from
127.0.0.1 and opens tools/ (the 5,000-row registry). Each operation is done inside the page, as
the reader's click does it: a checkbox is ticked (or a button clicked) and its event
dispatched. Two times per run, from just before the event:
  script + layout  the script's handler, then a forced style and layout (offsetHeight);
  next frame       until two requestAnimationFrame ticks later: the frame showing the updated
                   table has been drawn (which rounds up to the display's frame rate).
The first run of each operation is a warm-up and is not counted; median and max of the others,
in milliseconds. Also: the page's size and when the controls were ready.

The script keeps at most its LIMIT matching rows (100) in the table until "Show all" is clicked;
--limit N sets another (--limit 5000: every matching row, as a plain "hide the other rows"
design would). Material's search worker is kept from loading the search index (46 MB for 5,000
pages, which it indexes for tens of seconds after each page load, competing for the CPU) unless
--with-search is given. Figures are printed; nothing is asserted.
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import sys
import time
from datetime import date
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests" / "e2e"))  # browser.py

from browser import ARGS, CHROMIUM, serving
from synth import make_handbook

from generator import pipeline
from generator.build import Layout, build_site, inputs_for

REPO = Path(__file__).resolve().parent.parent
OUT = REPO / "benchmarks" / "out"

# Ticks a checkbox (or clicks a button) and times the update, in the page.
TIME = """async (selector) => {
  const control = document.querySelector(selector);
  if (!control) throw new Error("no " + selector);
  const frames = () => new Promise(r => requestAnimationFrame(() => requestAnimationFrame(r)));
  await frames();  // start on a quiet frame
  const t0 = performance.now();
  if (control.tagName === "BUTTON") {
    control.click();
  } else {
    control.checked = !control.checked;
    control.dispatchEvent(new Event("change", {bubbles: true}));
  }
  void document.body.offsetHeight;  // style and layout, now
  const t1 = performance.now();
  await frames();
  const t2 = performance.now();
  const matching = parseInt(document.querySelector(".hb-filter-count").textContent, 10);
  const rows = document.querySelectorAll("#hb-tools tbody tr:not([hidden])").length;
  return [t1 - t0, t2 - t0, matching + " / " + rows];
}"""

# When the count of matches first showed, from the start of the navigation.
READY_INIT = """
new MutationObserver((_, observer) => {
  const count = document.querySelector(".hb-filter-count");
  if (count && count.textContent) {  // rows read, controls made, the filters of the URL applied
    window.__ready = performance.now();
    observer.disconnect();
  }
}).observe(document, {childList: true, subtree: true});
"""

#: Filters: (what, selector of the checkbox); each run ticks it, then unticks it (all rows again).
FILTERS = [
    ("status=pilot", '.hb-filter-status input[value="pilot"]'),
    ("status=approved (about half the rows)", '.hb-filter-status input[value="approved"]'),
    ("owner team (1 in 40)", ".hb-filter-team input"),
    ("has findings", 'input[name="findings"]'),
]
#: Sorts: (what, selector of the header's button); each run clicks them in turn, so each click
#: sorts ascending by its column, starting from the previous column's order.
SORTS = [
    ("sort by next due", "th.hb-col-due button"),
    ("sort by tool name (text)", "th.hb-col-tool button"),
    ("sort by status (lifecycle order)", "th.hb-col-status button"),
]


def build(n: int, reuse: bool) -> Path:
    site = OUT / f"filter-{n}" / "site"
    if reuse and (site / "tools" / "index.html").is_file():
        print(f"reusing {site}, with the current assets/table-filter.js and handbook.css")
        for name in ("table-filter.js", "handbook.css"):
            shutil.copy(REPO / "generator" / "assets" / name, site / "assets" / name)
        return site
    root = make_handbook(OUT / f"filter-{n}", n)
    checked = pipeline.check(root, None, date.today())
    assert not checked.failed, "the synthetic registry must be valid"
    handbook = checked.handbook
    layout = Layout.at(root)
    t0 = time.perf_counter()
    result = build_site(
        layout,
        handbook,
        inputs_for(checked, handbook, pipeline.staleness(checked)),
        checked.tree,
        checked.site.config,
        banner=checked.as_of.banner,
    )
    assert result.problems == [], result.problems
    print(f"built the whole site of {n} tools in {time.perf_counter() - t0:.1f} s", flush=True)
    return layout.site_dir


Times = tuple[list[float], list[float], list[str]]


def measure(page: Any, selectors: list[str], runs: int) -> list[Times]:
    """Per selector: (script + layout times, next frame times, "matching / rows in the table")
    of ``runs`` runs after a warm-up; each run does every selector once, in order."""
    out: list[Times] = [([], [], []) for _ in selectors]
    for i in range(runs + 1):
        for selector, (work, frame, shown) in zip(selectors, out, strict=True):
            a, b, rows = page.evaluate(TIME, selector)
            if i > 0:
                work.append(a)
                frame.append(b)
                shown.append(rows)
    return out


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--tools", type=int, default=5000)
    parser.add_argument("--runs", type=int, default=9)
    parser.add_argument("--limit", type=int, default=0, help="rows shown at most (0: the script's)")
    parser.add_argument("--with-search", action="store_true")
    parser.add_argument("--reuse", action="store_true", help="reuse the site built before")
    args = parser.parse_args()
    if not CHROMIUM.exists():
        sys.exit(f"{CHROMIUM} is missing: install Debian's chromium (apt-get install chromium)")
    site = build(args.tools, args.reuse)
    page_bytes = (site / "tools" / "index.html").stat().st_size
    from playwright.sync_api import sync_playwright

    with serving(site) as url, sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        context = browser.new_context(viewport={"width": 1280, "height": 900})
        context.add_init_script(READY_INIT)
        if args.limit:
            context.add_init_script(f"window.hbTableLimit = {args.limit}")
        if not args.with_search:
            context.route("**/search/search_index.json", lambda route: route.abort())
        page = context.new_page()
        page.goto(url + "tools/")
        page.wait_for_selector(".hb-filter-count")
        page.wait_for_timeout(2000)  # let the page settle
        timing = page.evaluate(
            "[window.__ready, performance.getEntriesByType('navigation')[0]"
            ".domContentLoadedEventStart]"
        )
        print(
            f"tools/: {args.tools} tools, {page_bytes / 1e6:.1f} MB of HTML; DOMContentLoaded at "
            f"{timing[1]:.0f} ms, the controls ready at {timing[0]:.0f} ms; "
            f"{page.locator('.hb-filter-count').inner_text()!r}; search index "
            f"{'loaded' if args.with_search else 'not loaded'}; {args.runs} runs each after a "
            "warm-up"
        )
        head = f"{'operation':40} {'matching / shown':>16}   script + layout    next frame"
        print(head + " (median / max)")
        for what, selector in FILTERS:
            on, off = measure(page, [selector, selector], args.runs)
            report(f"filter {what}", *on)
            report("  and clear it", *off)
        sorted_ = measure(page, [selector for _, selector in SORTS], args.runs)
        for (what, _), result in zip(SORTS, sorted_, strict=True):
            report(what, *result)
        if page.locator(".hb-filter-more").is_visible():
            # "Show all", then a filter ticked and cleared again (not timed) to hide them
            pilot = FILTERS[0][1]
            show_all, _, _ = measure(page, [".hb-filter-more", pilot, pilot], args.runs)
            report("show all (the button below the table)", *show_all)
        browser.close()


def report(what: str, work: list[float], frame: list[float], shown: list[str]) -> None:
    print(
        f"{what:40} {shown[-1]:>16}   {statistics.median(work):6.1f} / {max(work):6.1f} ms"
        f"   {statistics.median(frame):6.1f} / {max(frame):6.1f} ms",
        flush=True,
    )


if __name__ == "__main__":
    main()
