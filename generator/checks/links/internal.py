"""internal: a built site's own links and #fragments, checked offline against its files.

MkDocs writes directory URLs (``foo/`` is ``foo/index.html``); links may be relative, climb with
``..``, be percent-encoded, start at the site root, or be resolved against a ``<base href>``.
A fragment must name an ``id`` (or an ``<a name>``) of the target page. External and ``mailto:``
links are left to the external check.
"""

from __future__ import annotations

import difflib
import posixpath
from collections.abc import Iterable
from urllib.parse import unquote, urlsplit

from generator.checks.links.collect import Site, scheme
from generator.diagnostics import Diagnostic
from generator.rules import RULES

# Fragments a browser always honours without an element: the top of the page.
FREE_FRAGMENTS = {"", "top"}


def _base_dir(site: Site, rel: str) -> str | None:
    """The folder (site-relative, "" for the root) that relative links of page ``rel`` start in.

    None when the page's ``<base href>`` points to another site.
    """
    page_dir = posixpath.dirname(rel)
    base = site.pages[rel].base
    if not base:
        return page_dir
    if scheme(base) is not None or base.startswith("//"):
        path = urlsplit(base if scheme(base) else "https:" + base).path
        return posixpath.dirname(unquote(path).lstrip("/")) if path else ""
    resolved = _join(page_dir, unquote(urlsplit(base).path))
    if resolved is None:
        return None
    return resolved if base.endswith("/") else posixpath.dirname(resolved)


def _join(start: str, path: str, root: str = "/") -> str | None:
    """Site-relative target of ``path`` from folder ``start``; None when it leaves the site.

    A root-absolute path is taken relative to ``root``, the path the site is published under.
    """
    if path.startswith("/"):
        if root != "/" and (path + "/").startswith(root):
            path = "/" + path[len(root) :]
        joined = path.lstrip("/")
    else:
        joined = posixpath.join(start, path)
    trailing = joined.endswith("/") or path in ("", ".", "..") or path.endswith(("/.", "/.."))
    norm = posixpath.normpath(joined) if joined else "."
    if norm == ".." or norm.startswith("../"):
        return None
    norm = "" if norm == "." else norm
    return norm + "/" if trailing and norm else norm


def resolve(site: Site, target: str) -> str | None:
    """The file a site-relative URL path serves, MkDocs style; None when there is none."""
    if target == "" or target.endswith("/"):
        index = target + "index.html"
        return index if index in site.files else None
    if target in site.files:
        return target
    if target in site.dirs and f"{target}/index.html" in site.files:
        return f"{target}/index.html"
    return None


def check_internal(site: Site) -> list[Diagnostic]:
    out: list[Diagnostic] = []
    broken, missing = RULES["link-broken"], RULES["anchor-missing"]
    for rel, page in sorted(site.pages.items()):
        start = _base_dir(site, rel)
        if start is None:
            continue
        for link in page.links:
            url = link.url
            if scheme(url) is not None or url.startswith("//"):
                continue
            parts = urlsplit(url)
            path = unquote(parts.path)
            if not path and page.base is None:
                target: str | None = rel
            else:
                joined = _join(start, path, site.url_path) if path else start + "/" if start else ""
                if joined is None:
                    out.append(
                        Diagnostic(
                            broken.id,
                            broken.severity,
                            f"link {url!r} points outside the site",
                            site.shown(rel),
                            link.line,
                            link.column,
                            hint="remove the extra '../', or link to the page's address",
                            target=url,
                        )
                    )
                    continue
                target = resolve(site, joined)
                if target is None:
                    out.append(
                        Diagnostic(
                            broken.id,
                            broken.severity,
                            f"link {url!r} points to {joined or '/'!r}, which does not exist",
                            site.shown(rel),
                            link.line,
                            link.column,
                            hint="fix the path, or add the missing page",
                            target=url,
                        )
                    )
                    continue
            fragment = unquote(parts.fragment)
            if fragment in FREE_FRAGMENTS or target not in site.pages:
                continue
            ids = site.pages[target].ids
            if fragment not in ids and parts.fragment not in ids:
                where = "this page" if target == rel else repr(target)
                out.append(
                    Diagnostic(
                        missing.id,
                        missing.severity,
                        f"link {url!r}: {where} has no anchor {fragment!r}",
                        site.shown(rel),
                        link.line,
                        link.column,
                        hint=closest(fragment, ids),
                        target=url,
                    )
                )
    return out + repeated_ids(site)


def active(site: Site) -> list[Diagnostic]:
    """``site-build`` for every built page in which something could run or load from another
    host (generator.published), whatever wrote the page: the hook checks the pages MkDocs
    renders; this checks every HTML file of the handbook's own output folder."""
    rule = RULES["site-build"]
    return [
        Diagnostic(
            rule.id,
            rule.severity,
            "the page would run code or load from another host in a reader's browser: "
            + "; ".join(page.active[:3]),
            site.shown(rel),
            hint="nothing a page shows may run or load from elsewhere; see the rules reference",
        )
        for rel, page in sorted(site.pages.items())
        if page.active
    ]


def closest(fragment: str, ids: Iterable[str]) -> str:
    """The hint for a missing anchor: the page's closest ids, else how ids are made."""
    near = difflib.get_close_matches(fragment, sorted(ids), n=3, cutoff=0.6)
    if near:
        return "did you mean " + " or ".join(repr(f"#{i}") for i in near) + "?"
    return "link to an existing heading's id (headings get one from their text), or drop '#...'"


def repeated_ids(site: Site) -> list[Diagnostic]:
    """``anchor-duplicate`` for every id a built page defines more than once: every link to it
    lands on the first."""
    rule = RULES["anchor-duplicate"]
    return [
        Diagnostic(
            rule.id,
            rule.severity,
            f"the page defines id {ident!r} more than once; "
            f"links to '#{ident}' reach only the first",
            site.shown(rel),
            line,
            column,
            hint="give each heading or anchor its own id",
        )
        for rel, page in sorted(site.pages.items())
        for ident, line, column in page.repeated
    ]
