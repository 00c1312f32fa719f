"""The only stage that writes the site: pages into build/docs/, build/mkdocs.yml, then MkDocs.

Layout (all under the handbook's root)::

    mkdocs.yml            hand-written: name, colors, logo, extensions (vetted, never read
                          by MkDocs itself: generator.siteconfig)
    build/mkdocs.yml      generated: the vetted settings, docs folder, nav, banner override,
                          the sanitizing hook (generator.sitehooks)
    build/docs/           generated pages, registry.json/.csv, due-dates.ics, assets/
    build/overrides/      generated theme override (the as-of banner)
    site/                 the built static site

The generated configuration holds no registry data: its navigation lists fixed pages only
(tool and vendor pages are reached from their index pages and search), so the page count does
not make every page's navigation heavier. Files are rewritten only when their text changed,
which keeps MkDocs' dirty rebuilds (the preview) small.
"""

from __future__ import annotations

import logging
import re
import time
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING, Any

import yaml

from generator import output, siteconfig, sitenames
from generator.checks.exceptions import open_exceptions
from generator.diagnostics import Diagnostic, Severity
from generator.exports import exports
from generator.frameworks import cyclonedx
from generator.load import ASSETS as ASSETS_DIR
from generator.load import MAX_ASSET_BYTES, Tree, files
from generator.load.construct import PythonName
from generator.model import Handbook, Tool
from generator.render import FIXED_PAGES, Inputs, Site, field_docs, pages

if TYPE_CHECKING:
    from generator.pipeline import Checked

ToolPage = Callable[[Site, Tool], str]
BUILD_DIR = "build"
ASSETS = sitenames.OWN_ASSETS
_PAGE_NAME = re.compile(r"^[a-z0-9][a-z0-9_-]*$")


@dataclass(frozen=True, slots=True)
class Layout:
    root: Path
    site_dir: Path

    @classmethod
    def at(cls, root: Path, site_dir: Path | None = None) -> Layout:
        root = root.resolve()
        return cls(root, (site_dir or root / "site").resolve())

    def into(self, site_dir: Path) -> Layout:
        """The same layout, building into ``site_dir`` (a staging folder) instead."""
        return Layout(self.root, site_dir)

    @property
    def build(self) -> Path:
        return self.root / BUILD_DIR

    @property
    def docs(self) -> Path:
        return self.build / "docs"

    @property
    def config(self) -> Path:
        return self.build / "mkdocs.yml"

    @property
    def overrides(self) -> Path:
        return self.build / "overrides"


@dataclass(slots=True)
class Timings:
    """Seconds per stage, for the summary line and the benchmark."""

    generate: float = 0.0
    write: float = 0.0
    mkdocs: float = 0.0
    written: int = 0
    removed: int = 0
    files: int = 0


@dataclass(slots=True)
class Result:
    problems: list[Diagnostic] = field(default_factory=list)
    timings: Timings = field(default_factory=Timings)


# -- generating -----------------------------------------------------------------------------


def inputs_for(
    checked: Checked,
    handbook: Handbook,
    findings: list[Diagnostic],
    usage: Sequence[Any] | None = None,
) -> Inputs:
    """What the pages show besides the handbook: findings, exceptions, history, field labels,
    and the usage of ``handbook build --usage`` (None when not given)."""
    from generator import history

    found = history.read(checked.root)
    known = found if isinstance(found, history.History) else None
    schema = checked.schemas.raw.get("tool.schema.json", {})
    return Inputs(
        today=checked.today,
        findings=findings,
        exceptions=open_exceptions(handbook, checked.today),
        last_changed=None if known is None else known.last_changed,
        timelines=None if known is None else known.timelines,
        history_missing=None if known is not None else found,
        field_docs=field_docs(schema),
        usage=usage,
    )


def history_problems(inputs: Inputs) -> list[Diagnostic]:
    """The build's one warning when git could not read the repository's history (a refused
    repository, say): the tool pages say why too, but a build must not stay silent about it."""
    missing = inputs.history_missing
    return [] if missing is None else list(missing.problems())


def asset_files(tree: Tree) -> tuple[dict[str, bytes], list[Diagnostic]]:
    """The handbook's own CSS/JS, plus the team's content/assets/ (logo, extra styles), read
    through the loader's file checks (no links, a size limit)."""
    folder = sitenames.ASSETS
    out = {
        f"{folder}/{name}": resources.files("generator").joinpath("assets", name).read_bytes()
        for name in ASSETS
    }
    problems: list[Diagnostic] = []
    for rel in tree.assets:
        data, found = files.read(tree.root, rel, limit=MAX_ASSET_BYTES)
        problems += found
        if data is not None:
            out[f"{folder}/" + rel.removeprefix(ASSETS_DIR + "/")] = data
    return out, problems


def generate(site: Site, tool_page: ToolPage | None = None) -> dict[str, str]:
    """Every file of the docs folder that comes from the handbook (pages and exports)."""
    out = pages(site, tool_page)
    out.update(exports(site))
    return out


def write_tree(folder: Path, files: Mapping[str, str | bytes]) -> tuple[int, int]:
    """Make ``folder`` hold exactly ``files``; rewrite only what changed. (written, removed)"""
    folder.mkdir(parents=True, exist_ok=True)
    written = 0
    for rel, content in files.items():
        data = content.encode("utf-8") if isinstance(content, str) else content
        target = folder / rel
        try:
            if target.read_bytes() == data:
                continue
        except OSError:
            target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(data)
        written += 1
    removed = 0
    wanted = {Path(rel) for rel in files}
    for f in sorted(folder.rglob("*"), reverse=True):
        if f.is_file() and f.relative_to(folder) not in wanted:
            f.unlink()
            removed += 1
        elif f.is_dir() and not any(f.iterdir()):
            f.rmdir()
    return written, removed


# -- configuration --------------------------------------------------------------------------


def nav(site: Site, page_names: list[str]) -> list[Any]:
    """Fixed index pages only; tool and vendor pages stay out of the navigation."""
    names = set(page_names)
    n = sitenames
    index = f"{n.INDEX}.md"
    procedure: list[Any] = [f"{n.PROCEDURE}/{index}"]
    procedure += [f"{n.PROCEDURE}/{site.phase_files[p.id]}.md" for p in site.phases]
    procedure.append(f"{n.PROCEDURE}/{n.GUIDANCE}.md")
    items: list[Any] = [
        {"Home": f"{n.HOME}.md"},
        {"Which tools may I use?": f"{n.WHICH_TOOLS}.md"},
        {"Procedure": procedure},
        {"Tool registry": f"{n.TOOLS}/{index}"},
        {"Vendors": f"{n.VENDORS}/{index}"},
        {"Compliance dashboard": f"{n.DASHBOARD}.md"},
        {"Frameworks": f"{n.FRAMEWORKS}/{index}"},
        {"EU AI Act": f"{n.AI_ACT}/{index}"},
        {"How we measure": f"{n.HOW_WE_MEASURE}.md"},
        {"Rules reference": f"{n.RULES}.md"},
        {"Exports": f"{n.EXPORTS_PAGE}.md"},
    ]
    if n.PROPOSE in names:
        items.append({"Propose a tool": f"{n.PROPOSE}.md"})
    # generated when missing
    items.append({"Report an inaccuracy": f"{n.REPORT_INACCURACY}.md"})
    more = [f"{n}.md" for n in sorted(names - set(FIXED_PAGES)) if _PAGE_NAME.match(n)]
    if more:
        items.append({"More": more})
    return items


class _Dumper(yaml.SafeDumper):
    """Writes the vetted configuration, including the extensions' functions it may name."""


def _python_name(dumper: yaml.SafeDumper, value: PythonName) -> yaml.Node:
    return dumper.represent_scalar(f"tag:yaml.org,2002:python/name:{value.name}", "")


def _slugify(dumper: yaml.SafeDumper, value: siteconfig.Slugify) -> yaml.Node:
    tag = f"tag:yaml.org,2002:python/object/apply:{value.module}.{value.function}"
    return dumper.represent_mapping(tag, {"kwds": value.kwargs})


_Dumper.add_representer(PythonName, _python_name)
_Dumper.add_representer(siteconfig.Slugify, _slugify)
HOOKS = Path(__file__).with_name("sitehooks.py")


def config_text(
    layout: Layout, site: Site, page_names: list[str], vetted: Mapping[str, Any]
) -> str:
    """build/mkdocs.yml: the settings of mkdocs.yml that passed vetting (generator.siteconfig),
    the handbook's own, and the generated parts (docs folder, navigation, the sanitizing hook)."""
    conf = siteconfig.with_ours(vetted)
    theme = dict(conf["theme"])
    theme.update(custom_dir="overrides")
    conf.update(
        docs_dir="docs",
        site_dir=str(layout.site_dir),
        use_directory_urls=True,
        theme=theme,
        nav=nav(site, page_names),
        not_in_nav="".join(
            f"/{folder}/\n"
            for folder in (
                sitenames.TOOLS,
                sitenames.VENDORS,
                sitenames.FRAMEWORKS,
                sitenames.AI_ACT,
            )
        ),
        hooks=[str(HOOKS)],
    )
    head = "# Generated by `handbook build`: do not edit. Edit ../mkdocs.yml instead.\n"
    return head + yaml.dump(conf, Dumper=_Dumper, sort_keys=False, allow_unicode=False)


def override_text(banner: str | None) -> str:
    """Material's template override: the as-of banner in its announcement bar."""
    if banner is None:
        return '{% extends "base.html" %}\n'
    from generator.escape import html

    return (
        '{% extends "base.html" %}\n'
        "{% block announce %}"
        f'<p class="hb-asof" role="note">{braces(html(banner))}</p>'
        "{% endblock %}\n"
    )


def braces(text: str) -> str:
    """The override is a Jinja template: braces must not open a Jinja tag."""
    return text.replace("{", "&#123;").replace("}", "&#125;")


# -- MkDocs -----------------------------------------------------------------------------------


class _Collect(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.records: list[logging.LogRecord] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append(record)


@contextmanager
def _mkdocs_log() -> Iterator[_Collect]:
    logger = logging.getLogger("mkdocs")
    handler = _Collect()
    old_level, old_propagate = logger.level, logger.propagate
    logger.addHandler(handler)
    logger.setLevel(logging.INFO)
    logger.propagate = False  # warnings come back as diagnostics, not as stray log lines
    try:
        yield handler
    finally:
        logger.removeHandler(handler)
        logger.setLevel(old_level)
        logger.propagate = old_propagate


def run_mkdocs(layout: Layout, *, strict: bool = True, dirty: bool = False) -> list[Diagnostic]:
    """Build the site with MkDocs; its warnings (and errors) come back as diagnostics."""
    from mkdocs.commands.build import build as mkdocs_build
    from mkdocs.config import load_config
    from mkdocs.exceptions import Abort, MkDocsException

    with _mkdocs_log() as log:
        try:
            config = load_config(str(layout.config), strict=strict)
            mkdocs_build(config, dirty=dirty)
            failed = None
        except (Abort, MkDocsException) as exc:
            failed = str(exc)
        except RecursionError:
            failed = "MkDocs stopped: a page nests too deeply (front matter or Markdown)"
        except Exception as exc:  # the theme or an extension choked on mkdocs.yml or a page
            failed = f"MkDocs stopped: {type(exc).__name__}: {exc}"
    problems = [
        Diagnostic(
            "site-build",
            Severity.ERROR,
            " ".join(r.getMessage().split()),  # MkDocs' messages may span lines
            "build/mkdocs.yml",
        )
        for r in log.records
    ]
    if failed and not problems:
        text = " ".join(failed.split())
        problems.append(Diagnostic("site-build", Severity.ERROR, text, "build/mkdocs.yml"))
    return problems


# -- the whole build ------------------------------------------------------------------------


def prepare(
    layout: Layout,
    site: Site,
    banner: str | None,
    timings: Timings,
    tree: Tree,
    vetted: Mapping[str, Any],
    tool_page: ToolPage | None = None,
) -> list[Diagnostic]:
    """Write the docs folder, the override and the generated configuration into build/ (a
    work folder the tool marks as its own); problems reading the assets come back."""
    start = time.perf_counter()
    files_: dict[str, str | bytes] = dict(generate(site, tool_page))
    assets, problems = asset_files(tree)
    files_.update(assets)
    timings.generate = time.perf_counter() - start
    start = time.perf_counter()
    output.work_folder(layout.root, BUILD_DIR)
    timings.written, timings.removed = write_tree(layout.docs, files_)
    timings.files = len(files_)
    write_tree(layout.overrides, {"main.html": override_text(banner)})
    text = config_text(layout, site, [p.name for p in site.hb.pages], vetted)
    if not layout.config.is_file() or layout.config.read_text(encoding="utf-8") != text:
        layout.config.write_text(text, encoding="utf-8")
    timings.write = time.perf_counter() - start
    return problems


def build_site(
    layout: Layout,
    handbook: Handbook,
    inputs: Inputs,
    tree: Tree,
    vetted: Mapping[str, Any],
    *,
    banner: str | None = None,
    strict: bool = True,
    dirty: bool = False,
) -> Result:
    """Generate the docs folder and build the site into ``layout.site_dir``.

    The caller chooses (and checks) the folder: ``handbook build`` passes a staging folder
    (:mod:`generator.output`) that it swaps in only when every step has passed.
    """
    result = Result()
    result.problems = prepare(layout, Site(handbook, inputs), banner, result.timings, tree, vetted)
    if result.problems:
        return result
    # registry.cdx.json is validated in a second process while MkDocs builds: on a large
    # registry the strict validator takes about as long as MkDocs, and invalid output is a bug
    # that stops the build (cyclonedx.InvalidBom, exit 3) before anything is published.
    with cyclonedx.checking(layout.docs / sitenames.CYCLONEDX) as verdict:
        start = time.perf_counter()
        result.problems = run_mkdocs(layout, strict=strict, dirty=dirty)
        result.timings.mkdocs = time.perf_counter() - start
    verdict.raise_if_invalid()
    return result
