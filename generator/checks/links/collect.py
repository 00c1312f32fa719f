"""collect: where the links are. The loaded tree (registry and content) and folders of built HTML.

Every link is an :class:`Occurrence` that remembers its source file, line and column, so a
finding points at the YAML value, the Markdown line or the HTML tag to edit.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import unquote, urlsplit

from generator.checks.links.extract import (
    HtmlPage,
    Render,
    markdown_links,
    scan_built,
    yaml_links,
)
from generator.load import Tree

_SCHEME = re.compile(r"^[a-zA-Z][a-zA-Z0-9+.-]*:")
CHECKED_SCHEMES = ("http", "https", "mailto")


@dataclass(frozen=True, slots=True)
class Occurrence:
    """One place a URL is written."""

    url: str
    path: str
    line: int | None = None
    column: int | None = None
    subject: str | None = None  # the tool or vendor id, for registry entries


def scheme(url: str) -> str | None:
    m = _SCHEME.match(url)
    return m.group(0)[:-1].lower() if m else None


@dataclass(frozen=True, slots=True)
class Markdown:
    """How the site reads Markdown: ``render`` (Markdown -> HTML, the site's extensions) and,
    per kind of YAML file, the paths of its Markdown fields (``"*"``: any list index)."""

    render: Render
    fields: Mapping[str, Sequence[tuple[str, ...]]]

    def is_field(self, kind: str) -> Callable[[tuple[str | int, ...]], bool]:
        patterns = self.fields.get(kind, ())

        def match(path: tuple[str | int, ...]) -> bool:
            return any(
                len(p) == len(path)
                and all(
                    (s == "*" and isinstance(v, int)) or s == v
                    for s, v in zip(p, path, strict=True)
                )
                for p in patterns
            )

        return match


def from_tree(tree: Tree, markdown: Markdown) -> list[Occurrence]:
    """The links of every loaded YAML document (registry and content) and content page: what
    their Markdown renders as links, and the URLs written in their other values."""
    out: list[Occurrence] = []
    for doc in tree.documents:
        if doc.data is None:
            continue
        subject = None
        if doc.kind in ("tool", "vendor") and isinstance(doc.data, dict):
            ident = doc.data.get("id")
            subject = ident if isinstance(ident, str) else None
        found = yaml_links(doc.marked(), doc.text, markdown.render, markdown.is_field(doc.kind))
        out.extend(Occurrence(f.url, doc.path, f.line, f.column, subject) for f in found)
    for page in tree.pages:
        out.extend(
            Occurrence(f.url, page.path, f.line, f.column)
            for f in markdown_links(page.text, markdown.render)
        )
    return out


# -- built sites --------------------------------------------------------------------------------


@dataclass(slots=True)
class Site:
    """A folder of built HTML: every file, every folder, and each page's ids and links."""

    root: Path
    label: str  # how paths are shown: the folder as given, e.g. "site"
    files: set[str]
    dirs: set[str]
    pages: dict[str, HtmlPage]
    url_path: str = "/"  # the path the site is published under, e.g. "/handbook/"

    def shown(self, rel: str) -> str:
        return f"{self.label}/{rel}" if self.label not in ("", ".") else rel


def scan_site(site_dir: Path, label: str | None = None) -> Site:
    files: set[str] = set()
    dirs: set[str] = {""}
    pages: dict[str, HtmlPage] = {}
    for f in sorted(site_dir.rglob("*")):
        rel = f.relative_to(site_dir).as_posix()
        if f.is_dir():
            dirs.add(rel)
            continue
        files.add(rel)
        if f.suffix.lower() in (".html", ".htm"):
            pages[rel] = scan_built(f.read_bytes().decode("utf-8", "replace"))
    shown = label if label is not None else site_dir.as_posix()
    return Site(site_dir, shown, files, dirs, pages, published_path(pages))


def published_path(pages: dict[str, HtmlPage]) -> str:
    """The URL path of the site's root, from the home page's canonical link (MkDocs writes one
    when ``site_url`` is set), so that root-absolute links such as ``/handbook/x/`` resolve."""
    home = pages.get("index.html")
    if home is None or not home.canonical or not scheme(home.canonical):
        return "/"
    path = urlsplit(home.canonical).path or "/"
    path = unquote(path if path.endswith("/") else path.rsplit("/", 1)[0] + "/")
    return path if path.startswith("/") else "/" + path


def from_site(site: Site) -> list[Occurrence]:
    """The external (http, https, mailto) links of a built site."""
    out: list[Occurrence] = []
    for rel, page in site.pages.items():
        for link in page.links:
            url = link.url
            if url.startswith("//"):
                url = "https:" + url
            if scheme(url) in CHECKED_SCHEMES:
                out.append(Occurrence(url, site.shown(rel), link.line, link.column))
    return out


def unique_urls(occurrences: Iterable[Occurrence]) -> set[str]:
    return {o.url for o in occurrences}
