"""Findings about the built site, placed where their link is written: the Markdown page or the
YAML field, not the HTML the reader never edits.

A broken link or missing anchor found in ``site/x/index.html`` came from the sources that page
shows (``content/pages/x.md``; a phase page's YAML and the guidance shown on it; a tool's or
vendor's file). The link as built differs from the link as written (``other.md#a`` becomes
``../other/#a``), so the fragment, or else the target's last path segment, is looked up in those
sources; when it is found the finding moves there, keeping the built page's name in its message.
MkDocs' own "contains a link ... not found" warnings are placed the same way.
"""

from __future__ import annotations

import posixpath
import re
from collections.abc import Iterable, Mapping
from dataclasses import replace
from urllib.parse import unquote, urlsplit

from generator.diagnostics import Diagnostic

_MKDOCS_LINK = re.compile(r"Doc file '([^']+)' contains a link '([^']+)'")


def built_page(docs_path: str) -> str:
    """The built file of a docs page (MkDocs' directory URLs): x.md -> x/index.html."""
    stem = docs_path.removesuffix(".md")
    if stem == "index" or stem.endswith("/index"):
        return stem + ".html"
    return stem + "/index.html"


def _needles(url: str) -> list[str]:
    parts = urlsplit(url)
    fragment = unquote(parts.fragment)
    if fragment:
        return [f"#{fragment}", f"#{parts.fragment}"]
    tail = posixpath.basename(unquote(parts.path).rstrip("/"))
    stem = tail.removesuffix(".md").removesuffix(".html")
    return [n for n in (f"{stem}.md", f"{stem}/", stem) if n and n != "/"]


#: Where a link target is written: a Markdown link, a reference definition, an HTML attribute.
_CONTEXTS = ("](", "]: ", "](<", 'href="', "href='", 'src="', "src='")


def _find(texts: Iterable[tuple[str, str]], needles: list[str]) -> tuple[str, int, int] | None:
    """The first place a needle is written as a link target (``](needle``, ``href="needle``...),
    else the first place it is written at all; (path, line, column of the needle)."""
    texts = list(texts)
    for contexts in (_CONTEXTS, ("",)):
        for path, text in texts:
            for needle in needles:
                for context in contexts:
                    at = _whole(text, context + needle)
                    if at >= 0:
                        at += len(context)
                        line = text.count("\n", 0, at) + 1
                        return path, line, at - (text.rfind("\n", 0, at) + 1) + 1
    return None


def _whole(text: str, written: str) -> int:
    """The offset of ``written`` in ``text`` where it is not the start of a longer name
    (``#x`` is not found in ``#xyz``); -1 if nowhere."""
    at = text.find(written)
    while at >= 0:
        end = at + len(written)
        if end >= len(text) or not (text[end].isalnum() or text[end] in "-_"):
            return at
        at = text.find(written, at + 1)
    return -1


def at_sources(
    found: list[Diagnostic],
    label: str,
    sources: Mapping[str, tuple[str, ...]],
    texts: Mapping[str, str],
) -> list[Diagnostic]:
    """``found`` with each finding about a built page (shown under ``label``, e.g. "site") moved
    to the source line its link is written on, when it can be found there.

    ``sources``: docs path -> the repo files the page shows; ``texts``: repo path -> text.
    """
    by_built = {built_page(docs): paths for docs, paths in sources.items()}
    prefix = label.rstrip("/") + "/" if label not in ("", ".") else ""
    out = []
    for d in found:
        place = None
        mkdocs = _MKDOCS_LINK.search(d.message)
        if mkdocs is not None:
            paths = sources.get(mkdocs.group(1), ())
            place = _find(((p, texts[p]) for p in paths if p in texts), _needles(mkdocs.group(2)))
        elif d.path and d.path.startswith(prefix) and d.rule in ("anchor-missing", "link-broken"):
            page = d.path[len(prefix) :]
            url = re.match(r"link '([^']*)'", d.message)
            paths = by_built.get(page, ())
            if url is not None:
                place = _find(((p, texts[p]) for p in paths if p in texts), _needles(url.group(1)))
        if place is None:
            out.append(d)
            continue
        path, line, column = place
        where = f" (on the built page {d.path})" if mkdocs is None else ""
        out.append(replace(d, path=path, line=line, column=column, message=d.message + where))
    return out
