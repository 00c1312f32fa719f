"""Live preview: serve the site on 127.0.0.1 and rebuild it when content/, registry/ or
schemas/ (or the hand-written mkdocs.yml) change.

An edit costs far less than a build, whatever the registry's size:

* only the files whose size or modification time changed are parsed again (the rest of the
  tree is kept from the previous round), then the whole tree is validated and checked, as in
  ``handbook build``;
* a tool page is rendered again only when something it shows changed (its file, its vendor's,
  the procedure or policy, its findings);
* only pages whose text changed are written, and MkDocs rebuilds "dirty": just those pages.
  (As with ``mkdocs serve --dirty``, search then only knows the rebuilt pages until the next
  full build; ``handbook build`` is always complete.)

While the registry has validation errors the preview keeps showing the last good site and
prints the diagnostics.
"""

from __future__ import annotations

import shutil
import signal
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from generator.build import (
    Layout,
    Timings,
    history_problems,
    inputs_for,
    prepare,
    run_mkdocs,
)
from generator.diagnostics import Diagnostic, HandbookError
from generator.load import (
    Document,
    Tree,
    discover,
    evidence_of,
    front_matter,
    load_document,
    load_page,
)
from generator.model import Handbook, Tool
from generator.pipeline import check_tree, staleness
from generator.render import Site, render_tool
from generator.report import RENDERERS

WATCHED = ("content", "registry", "frameworks", "schemas", "evidence", "mkdocs.yml")


@dataclass
class _Cached:
    stamp: tuple[int, int]
    doc: Document
    diags: list[Diagnostic]


@dataclass
class Preview:
    """The state kept between rebuilds."""

    root: Path
    given: date | None  # --as-of
    clock: Callable[[], date]  # today's date (read by the CLI)
    layout: Layout
    files: dict[str, _Cached] = field(default_factory=dict)  # repo-relative path ->
    pages: dict[str, tuple[Any, str]] = field(default_factory=dict)  # tool id -> (key, text)
    texts: dict[str, str] = field(default_factory=dict)  # repo-relative path -> file text
    shared: int = 0  # a digest of what every page shows (procedure, policy, schemas)
    out: Callable[[str], object] = sys.stderr.write

    def load(self) -> tuple[Tree, list[Diagnostic]]:
        """Like ``load_tree``, re-parsing only the files that changed since the last round."""
        found = discover(self.root)
        diags = list(found.problems)
        seen = set()
        for rel, kind in found.documents:
            seen.add(rel)
            try:
                st = (self.root / rel).lstat()
            except OSError:
                stamp = (0, -1)  # gone meanwhile: load_document reports it
            else:
                stamp = (st.st_mtime_ns, st.st_size)
            cached = self.files.get(rel)
            if cached is None or cached.stamp != stamp:
                doc, problems = load_document(self.root, rel, kind)
                cached = self.files[rel] = _Cached(stamp, doc, problems)
            diags += cached.diags
        for gone in set(self.files) - seen:
            del self.files[gone]
        pages = []
        for rel in found.pages:
            page, problems = load_page(self.root, rel)
            diags += problems
            if page is not None:
                pages.append(page)
        docs = [self.files[rel].doc for rel, _ in found.documents]
        docs += [m for p in pages if (m := front_matter(p)) is not None]
        return Tree(
            self.root, docs, pages, tuple(found.assets), evidence_of(self.root, docs)
        ), diags

    def regenerate(self) -> Handbook | None:
        """Load, validate, check and write the docs folder; None when validation failed."""
        tree, diags = self.load()
        checked = check_tree(tree, diags, self.given, self.clock())
        as_of = checked.as_of
        if checked.failed:
            self.out(RENDERERS["text"](checked.diagnostics))
            self.out(
                "handbook: not rebuilt (validation errors); still showing the last good site\n"
            )
            return None
        handbook = checked.handbook
        findings = staleness(checked)
        inputs = inputs_for(checked, handbook, findings)
        said = findings + history_problems(inputs)
        if said:
            self.out(RENDERERS["text"](said))
        self.texts = {c.doc.path: c.doc.text for c in self.files.values()}
        shared = [t for p, t in sorted(self.texts.items()) if not p.startswith("registry/")]
        shared.append(self.texts.get("registry/policy.yaml", ""))
        self.shared = hash((tuple(shared), tuple(sorted(inputs.field_docs.items()))))
        problems = prepare(
            self.layout,
            Site(handbook, inputs),
            as_of.banner,
            Timings(),
            tree,
            checked.site.config,
            tool_page=self.tool_page,
        )
        if problems:
            self.out(RENDERERS["text"](problems))
        return handbook

    def tool_page(self, site: Site, tool: Tool) -> str:
        """A tool's page, rendered again only when something it shows changed."""
        vendor = site.hb.vendors.get(tool.vendor)
        changed, timelines = site.inputs.last_changed, site.inputs.timelines
        key = (
            self.texts.get(tool.path),
            self.texts.get(vendor.path) if vendor else None,
            (tool.benchmark, tool.audits, tool.metrics),  # from the evidence tables too
            tuple(site.by_tool.get(tool.id, ())),
            tuple(e for e in site.inputs.exceptions if e.tool == tool.id),
            tuple(site.deadlines(tool)),  # the deadline chart (and the next one due)
            site.today,
            None if changed is None else changed.get(tool.path, "unknown"),
            None if timelines is None else tuple(timelines.get(tool.path, ())),  # status history
            site.inputs.history_missing,  # or why there is none
            self.shared,
        )
        cached = self.pages.get(tool.id)
        if cached is not None and cached[0] == key:
            return cached[1]
        text = render_tool(site, tool)
        self.pages[tool.id] = (key, text)
        return text


def serve(
    root: Path,
    host: str,
    port: int,
    given: date | None,
    clock: Callable[[], date],
) -> int:
    """Build once, then serve and rebuild on every change until interrupted."""
    from mkdocs.livereload import LiveReloadServer

    if host not in ("127.0.0.1", "localhost", "::1"):
        raise HandbookError(
            f"the preview serves on this machine only, not on {host!r}", "use 127.0.0.1"
        )
    if threading.current_thread() is threading.main_thread():
        signal.signal(signal.SIGTERM, _interrupt)  # stop cleanly (and clean up) on SIGTERM too
    site_dir = Path(tempfile.mkdtemp(prefix="handbook-preview-"))
    layout = Layout.at(root, site_dir)
    preview = Preview(layout.root, given, clock, layout)
    try:
        if preview.regenerate() is None:
            return 1
        problems = run_mkdocs(layout, strict=False)
        report(problems)

        def rebuild() -> None:
            start = time.perf_counter()
            if preview.regenerate() is not None:
                report(run_mkdocs(layout, strict=False, dirty=True))
                sys.stderr.write(f"handbook: rebuilt in {time.perf_counter() - start:.2f} s\n")

        server = LiveReloadServer(
            builder=rebuild, host=host, port=port, root=str(site_dir), polling_interval=0.1
        )
        server.build_delay = 0.05
        for name in WATCHED:
            if (layout.root / name).exists():
                server.watch(str(layout.root / name))
        sys.stderr.write(f"handbook: serving {site_dir} on {server.url} (Ctrl+C to stop)\n")
        try:
            server.serve()  # type: ignore[no-untyped-call]
        except KeyboardInterrupt:
            sys.stderr.write("handbook: stopped\n")
        finally:
            server.shutdown()
        return 0
    finally:
        shutil.rmtree(site_dir, ignore_errors=True)


def _interrupt(signum: int, frame: object) -> None:
    raise KeyboardInterrupt


def report(problems: list[Diagnostic]) -> None:
    """Print MkDocs' warnings, minus its notice that a dirty build is a dirty build."""
    problems = [p for p in problems if "'dirty' build" not in p.message]
    if problems:
        sys.stderr.write(RENDERERS["text"](problems))
