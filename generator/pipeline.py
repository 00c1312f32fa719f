"""The handbook's pipeline, called by the CLI, the preview, the benchmarks and the tests.

load -> validate (:func:`check`) -> model -> staleness (:func:`staleness`) -> render and build
(:func:`build_site`) -> link check -> publish (a staged folder swapped in whole), and the nightly
report (:func:`nightly`). The CLI only parses arguments, calls these and turns the result into an
exit code; it alone reads the clock and the environment and passes them in.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from generator import siteconfig
from generator.checks import expiry, links
from generator.checks.links.probe import Progress
from generator.diagnostics import Diagnostic, HandbookError, exit_code
from generator.frameworks import coverage
from generator.load import SCHEMA_FILES, Tree, load_tree
from generator.model import Handbook, Policy, build
from generator.report import nightly as nightly_report
from generator.schema import Schemas
from generator.siteconfig import Vetted
from generator.validate import Validation, anchors, assets, markup, validate

POLICY = "registry/policy.yaml"


@dataclass(frozen=True, slots=True)
class AsOf:
    """The one day every date is judged against, and where it came from.

    ``source``: ``"option"`` (``--as-of``), ``"policy"`` (the policy's pinned ``as_of``) or
    ``"clock"`` (today).
    """

    day: date
    source: str

    @property
    def pinned(self) -> bool:
        return self.source != "clock"

    @property
    def why(self) -> str:
        """'' for today; else ' (pinned in registry/policy.yaml)' or ' (set with --as-of)'."""
        return {
            "option": " (set with --as-of)",
            "policy": f" (pinned in {POLICY})",
        }.get(self.source, "")

    def describe(self) -> str:
        """'as of 2026-11-01 (pinned in registry/policy.yaml)', said wherever a date is judged."""
        return f"as of {self.day.isoformat()}{self.why}"

    @property
    def banner(self) -> str | None:
        """The site's announcement while dates are not judged as of today."""
        if not self.pinned:
            return None
        return f"Dates are checked as of {self.day.isoformat()}{self.why}"


def resolve_as_of(given: date | None, tree: Tree, today: date) -> AsOf:
    """``--as-of`` if given, else the policy's ``as_of`` when it is a valid date, else ``today``."""
    if given is not None:
        return AsOf(given, "option")
    for doc in tree.of_kind("policy"):
        pinned = doc.data.get("as_of") if isinstance(doc.data, dict) else None
        if isinstance(pinned, str):
            try:
                return AsOf(date.fromisoformat(pinned), "policy")
            except ValueError:
                pass  # the schema check reports the malformed date
    return AsOf(today, "clock")


def check_root(root: Path) -> None:
    """A HandbookError (exit 2) unless ``root`` looks like a handbook repository."""
    if not (root / "registry").is_dir() and not (root / "content").is_dir():
        raise HandbookError(
            f"{root.resolve()} has no registry/ or content/ folder",
            "run the command from the handbook repository, or pass --root",
        )


@dataclass
class Checked:
    """A loaded and validated handbook: the diagnostics so far, the day dates are judged as of,
    and the model of everything usable (valid documents, and invalid ones minus their invalid
    records)."""

    root: Path
    tree: Tree
    schemas: Schemas
    validation: Validation
    diagnostics: list[Diagnostic]
    as_of: AsOf
    site: Vetted = field(default_factory=Vetted)  # mkdocs.yml, vetted
    _handbook: list[Handbook] = field(default_factory=list, repr=False)

    @property
    def today(self) -> date:
        return self.as_of.day

    @property
    def failed(self) -> bool:
        """True when loading or validation found an error."""
        return exit_code(self.diagnostics) != 0

    def markdown(self) -> links.Markdown:
        """How the site reads Markdown: its renderer and the schemas' Markdown fields."""
        fields = {kind: self.schemas.markdown_paths(kind) for kind in SCHEMA_FILES}
        return links.Markdown(siteconfig.renderer(self.site.config), fields)

    @property
    def handbook(self) -> Handbook:
        """The model: the whole handbook when it is valid, else every usable part of it."""
        if not self._handbook:
            usable = None if not self.failed else self.validation.usable
            self._handbook.append(build(self.tree, usable))
        return self._handbook[0]


def check(root: Path, given: date | None, today: date) -> Checked:
    """Load and validate the handbook at ``root`` (``today``: the clock's date, from the CLI)."""
    check_root(root)
    tree, diags = load_tree(root)
    return check_tree(tree, diags, given, today)


def check_tree(tree: Tree, diags: list[Diagnostic], given: date | None, today: date) -> Checked:
    """Validate a loaded tree (``diags``: what loading found), its mkdocs.yml and its Markdown;
    the preview passes a tree it keeps between rebuilds."""
    root = tree.root
    schemas = Schemas(root / "schemas")
    diags = list(diags)
    site = siteconfig.read(root)
    as_of = resolve_as_of(given, tree, today)
    validation = validate(tree, schemas, as_of.day)
    diags += site.problems + validation.diagnostics
    render = siteconfig.renderer(site.config)
    diags += markup.check(tree, schemas, render, validation.valid)
    diags += anchors.check(tree, validation.valid, render)
    diags += assets.check(tree)
    return Checked(root, tree, schemas, validation, diags, as_of, site)


def policy_of(root: Path, today: date) -> Policy:
    """The policy of the handbook at ``root`` (its usable settings, defaults for the rest), or
    the defaults when ``root`` holds no handbook (``check-links --site`` on any folder)."""
    try:
        return check(root, None, today).handbook.policy
    except HandbookError:
        return Policy(path=POLICY, raw={})


def staleness(checked: Checked) -> list[Diagnostic]:
    """Staleness findings of everything usable, as of the checked day, each naming the
    framework entries it puts at risk."""
    handbook = checked.handbook
    return coverage.annotate(handbook, expiry.check(handbook, checked.today))


# -- the site -----------------------------------------------------------------------------------


@dataclass
class Built:
    """What ``handbook build`` did: every diagnostic, and why it stopped (None: published)."""

    diagnostics: list[Diagnostic]
    stopped: str | None = None
    summary: str = ""


def usage_of(checked: Checked, folder: Path) -> tuple[list[Any], list[Diagnostic]]:
    """Reconcile every file of ``folder`` (``--usage DIR``) with the handbook: the usage lines
    the site shows (counts only) and the findings (shadow AI, personal accounts...). Raises
    HandbookError when the folder or a file in it cannot be read or recognised."""
    from generator import reconcile

    if not folder.is_dir():
        what = "is a file, not a folder" if folder.exists() else "does not exist"
        raise HandbookError(
            f"--usage {folder} {what}",
            "give the folder that holds the usage inputs (every file in it is read, "
            "except README files and hidden ones)",
        )
    found = reconcile.input_files(folder)
    if not found:
        raise HandbookError(
            f"--usage {folder} holds no input files",
            "put the exports and logs directly in the folder (subfolders are not read)",
        )
    result, _ = reconcile.reconcile(
        checked.root,
        found,
        kind=None,
        catalogues=(),
        today=checked.today,
    )
    return reconcile.usage_lines(result), result.findings


def build_site(
    checked: Checked,
    site_dir: Path | None,
    *,
    strict: bool,
    label: Callable[[Path], str],
    usage: list[Any] | None = None,
) -> Built:
    """Validate, check staleness, generate, build with MkDocs and check internal links, all into
    a staging folder that replaces ``site_dir`` (default ``site/``) only when every step passed.

    ``label`` turns a folder into the name messages use for it. Raises HandbookError (exit 2)
    when an output folder overlaps an input or is not the tool's own.
    """
    from generator import build, output, render  # MkDocs: only for the commands that need it

    diags = list(checked.diagnostics)
    if checked.failed:
        return Built(diags, "the site was not built: fix the validation errors")
    handbook = checked.handbook
    stale = staleness(checked)
    inputs = build.inputs_for(checked, handbook, stale, usage)
    diags += stale + build.history_problems(inputs)
    if exit_code(diags, strict=strict):
        why = "stale entries" if exit_code(stale) else "warnings (--strict)"
        return Built(
            diags,
            f"the site was not built: {why} {checked.as_of.describe()}; "
            "a stale approval must not be published as current",
        )
    layout = build.Layout.at(checked.root, site_dir)
    requested = site_dir if site_dir is not None else checked.root / "site"
    default = "the site folder" if site_dir is None else None
    output.check_target(layout.root, requested, "--site-dir", [layout.build], default=default)
    with output.staged(layout.site_dir) as stage, links.keeping_scans():
        result = build.build_site(
            layout.into(stage.path),
            handbook,
            inputs,
            checked.tree,
            checked.site.config,
            banner=checked.as_of.banner,
        )
        shown = label(layout.site_dir)
        sources = render.sources_of(render.Site(handbook, inputs))
        texts = {d.path: d.text for d in checked.tree.documents}
        texts.update({p.path: p.text for p in checked.tree.pages})
        problems = links.at_sources(result.problems, shown, sources, texts)
        diags += problems
        if exit_code(problems):
            return Built(diags, "MkDocs reported problems (strict): the site was not built")
        problems = links.check_site(stage.path, label=shown, published=True)
        problems = links.at_sources(problems, shown, sources, texts)
        diags += problems
        if exit_code(problems):
            return Built(
                diags,
                "the built site has broken internal links or anchors: the site was not built",
            )
        stage.commit()
    t = result.timings
    return Built(
        diags,
        None,
        f"built {label(layout.site_dir)} from {t.files} generated files ({t.written} changed) "
        f"{checked.as_of.describe()}: generate {t.generate:.2f} s, write {t.write:.2f} s, "
        f"MkDocs {t.mkdocs:.2f} s",
    )


# -- links ------------------------------------------------------------------------------------


def external(
    checked: Checked,
    *,
    now: float,
    progress: Progress | None = None,
    cache_path: Path | None = links.DEFAULT_CACHE,
    allow_private: bool = False,
) -> list[Diagnostic]:
    """Every external URL of the registry and content (their Markdown read as the site reads
    it), checked under the policy's ``links:`` settings; ``cache_path`` is relative to the
    handbook (None: no cache)."""
    return links.check_external(
        checked.tree,
        checked.handbook.policy,
        checked.markdown(),
        allow_private=allow_private,
        cache_path=cache_path,
        now=now,
        progress=progress,
    )


# -- the nightly report -----------------------------------------------------------------------


def nightly(
    checked: Checked,
    out: Path,
    *,
    external_links: bool,
    now: float,
    progress: Progress | None = None,
    usage: Path | None = None,
    out_given: bool = True,
) -> list[Diagnostic]:
    """Validation, staleness of everything usable, and (optionally) external links; the report
    files written to ``out`` all at once (``out_given``: the user chose it with --out).
    Staleness is never skipped for validation errors: the invalid documents are reported beside
    the findings of the others. With ``usage`` (a folder of reconcile inputs) its findings are
    part of the report: counts, never who."""
    from generator import output

    output.check_target(
        checked.root, out, "--out", default=None if out_given else "the report folder"
    )
    found = list(checked.diagnostics)
    found += staleness(checked)
    if usage is not None:
        found += usage_of(checked, usage)[1]
    if external_links:
        found += external(checked, now=now, progress=progress)
    with output.staged(out) as stage:
        nightly_report.write(found, checked.as_of.day, stage.path, checked.as_of.why)
        stage.commit()
    return found
