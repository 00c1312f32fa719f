"""Every name the built site takes for itself, in one place.

The generator's own pages, folders, exports and assets (``render.py``, ``exports.py`` and
``build.py`` name their output from here) and what MkDocs and Material write beside them. The
site's URLs come from file names (``content/pages/<name>.md`` is ``/<name>/``) and ids
(``tools/<id>.md`` is ``/tools/<id>/``), so validation refuses a name that would take one of
these (``id-reserved``, :func:`taken`) rather than let a page silently replace another: a tool
with the id ``index`` would otherwise replace the registry's index page.

Three hand-written pages are the exception, on purpose: ``index`` (the home page) and
``report-inaccuracy`` replace the generated ones, and ``propose`` has its own place in the
navigation (:data:`FIXED_PAGES`).
"""

from __future__ import annotations

import functools
import importlib.resources
from typing import Any

HOME = "index"
PROPOSE = "propose"
REPORT_INACCURACY = "report-inaccuracy"
#: Hand-written pages that keep their place in the navigation (and may replace a generated one).
FIXED_PAGES = (HOME, PROPOSE, REPORT_INACCURACY)

DASHBOARD, WHICH_TOOLS, RULES, EXPORTS_PAGE = "dashboard", "which-tools", "rules", "exports"
HOW_WE_MEASURE = "how-we-measure"
#: The generated top-level pages: name -> what it is (``dashboard`` is ``dashboard.md``).
PAGES = {
    DASHBOARD: "the compliance dashboard",
    WHICH_TOOLS: "the 'Which tools may I use?' page",
    RULES: "the rules reference",
    EXPORTS_PAGE: "the exports page",
    HOW_WE_MEASURE: "the 'How we measure' page",
}
PROCEDURE, TOOLS, VENDORS = "procedure", "tools", "vendors"
FRAMEWORKS, AI_ACT = "frameworks", "eu-ai-act"
#: Folders of generated pages: name -> what its index page is. Each has its own ``index.md``.
FOLDERS = {
    PROCEDURE: "the procedure",
    TOOLS: "the tool registry",
    VENDORS: "the vendor list",
    FRAMEWORKS: "the frameworks list",
    AI_ACT: "the EU AI Act overview",
}
INDEX = "index"  # every folder's own page: tools/index.md
#: Pages of the procedure folder besides its index: the phases, then the guidance.
PHASE_PAGE = "phase-{number}"
GUIDANCE = "guidance"
#: Ids the templates give parts of a page themselves, with what they mark: no id from the data
#: may take them (validate's anchor-duplicate, generator/validate/anchors.py). Each page's
#: heading is taken too (its id comes from its text: see :func:`page_heading`).
PAGE_ANCHORS = {
    "phase": {"faq": "the page's 'Frequently asked questions' section"},
    "guidance": {
        "pro-tips": "the 'Pro tips' section",
        "pitfalls": "the 'Pitfalls' section",
        "frequently-asked-questions": "the 'Frequently asked questions' section",
    },
}


def page_heading(kind: str, number: int = 0, title: str = "") -> str:
    """The text of a procedure page's first heading (a phase page: "Phase 1: Assess")."""
    return f"Phase {number}: {title}" if kind == "phase" else "Tips, pitfalls and questions"


REGISTRY_JSON, REGISTRY_CSV, DUE_DATES = "registry.json", "registry.csv", "due-dates.ics"
COVERAGE_CSV, CYCLONEDX = "frameworks-coverage.csv", "registry.cdx.json"
#: The registry published with the site.
EXPORTS = {
    REGISTRY_JSON: "the registry export registry.json",
    REGISTRY_CSV: "the registry export registry.csv",
    DUE_DATES: "the due-dates calendar due-dates.ics",
    COVERAGE_CSV: "the framework coverage export frameworks-coverage.csv",
    CYCLONEDX: "the CycloneDX export registry.cdx.json",
}
#: The handbook's own assets, under ASSETS/ beside the team's content/assets/ files.
ASSETS = "assets"
OWN_ASSETS = ("handbook.css", "which-tools.js", "table-filter.js")

#: What MkDocs and Material for MkDocs write into the site themselves.
MKDOCS = {
    "search": "MkDocs' search index (search/)",
    "sitemap.xml": "MkDocs' sitemap.xml",
    "sitemap.xml.gz": "MkDocs' sitemap.xml.gz",
    "404.html": "MkDocs' not-found page 404.html",
    ASSETS: "the site's assets/ folder (the handbook's and Material's styles and scripts)",
}


def top_level() -> dict[str, str]:
    """Every name the site generates at its top level, by the part before its first dot (a
    page named ``registry`` would sit beside ``registry.json``, ``sitemap`` beside
    ``sitemap.xml``): name -> what it is. Hand-written :data:`FIXED_PAGES` are not in it."""
    out: dict[str, str] = {}
    for name, what in {**PAGES, **FOLDERS, **EXPORTS, **MKDOCS}.items():
        out.setdefault(name.split(".", 1)[0], what)
    return out


def taken(kind: str, name: str) -> str | None:
    """What the site already uses ``name`` for, where an entry of ``kind`` would put it;
    None when it is free. Kinds: ``page`` (content/pages/), ``tool``, ``vendor``, ``framework``
    (its page is frameworks/<id>/), ``asset`` (a
    path under content/assets/). Anchors inside a page are generator.validate.anchors' concern."""
    if kind == "page":
        return None if name in FIXED_PAGES else top_level().get(name)
    if kind in {"tool", "vendor", "framework"}:
        folder = f"{kind}s"
        return (
            f"the address of {FOLDERS[folder]}'s own page {folder}/{INDEX}/"
            if name == INDEX
            else None
        )
    if kind == "asset":
        if name in OWN_ASSETS:
            return f"the handbook's own {ASSETS}/{name}"
        if name.split("/", 1)[0] in THEME_ASSET_FOLDERS or (
            name in theme_assets() and not name.startswith("images/")
        ):  # the theme's images (its favicon) a team may replace: an image is an image
            return f"the theme's {ASSETS}/{name.split('/', 1)[0]}/ (its scripts, styles and icons)"
        return None
    raise ValueError(kind)


#: Material's folders under assets/: its script bundles, style sheets and the search worker
#: live there under names that change with each release, so a team's file may take none.
THEME_ASSET_FOLDERS = frozenset({"javascripts", "stylesheets"})


@functools.lru_cache(maxsize=1)
def theme_assets() -> frozenset[str]:
    """Every file Material itself writes under assets/ (``images/favicon.png``...)."""
    try:
        base = importlib.resources.files("material") / "templates" / "assets"
    except ModuleNotFoundError:  # pragma: no cover - Material is a dependency
        return frozenset()
    found: set[str] = set()

    def walk(node: Any, prefix: str) -> None:
        for child in node.iterdir():
            if child.is_dir():
                walk(child, f"{prefix}{child.name}/")
            else:
                found.add(prefix + child.name)

    walk(base, "")
    return frozenset(found)
