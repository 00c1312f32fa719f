"""Findings about the built site, placed where their link is written: the Markdown page or the
YAML field, not the HTML the reader never edits.

A broken link or missing anchor found in ``site/x/index.html`` came from the sources that page
shows (``content/pages/x.md``; a phase page's YAML and the guidance shown on it; a tool's or
vendor's file). The link as built differs from the link as written (``other.md#a`` becomes
``../other/#a``), so the link targets written in those sources are compared with it by page name
and fragment (as the sanitizer publishes it), and the k-th finding about one target goes to its
k-th place; when it is found the finding moves there, keeping the built page's name in its
message.
MkDocs' own "contains a link ... not found" warnings are placed the same way.
"""

from __future__ import annotations

import html
import posixpath
import re
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import replace
from urllib.parse import unquote, urlsplit

from generator import sanitize
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
#: Every link target written in Markdown or HTML, with its offset (group 1-6: one form each).
_WRITTEN = re.compile(
    r"""\]\(\s*<?([^)\s>]+)"""  # [text](target) and [text](<target>)
    r"""|^[ \t]{0,3}\[[^\]\n]+\]:[ \t]*<?([^\s>]+)"""  # [ref]: target
    r"""|\b(?:href|src)\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s>"']+))"""  # HTML attributes
    r"""|<((?:https?|mailto):[^>\s]+)>""",  # <autolink>
    re.MULTILINE | re.IGNORECASE,
)


def _key(url: str) -> tuple[str, str]:
    """What a written and a built link share: the target page's name and the fragment as the
    published page has it (:func:`generator.sanitize.safe_id` rewrites some)."""
    parts = urlsplit(url.strip())
    path = unquote(parts.path).rstrip("/")
    name = posixpath.basename(path).removesuffix(".md").removesuffix(".html")
    if name == "index":
        name = posixpath.basename(posixpath.dirname(path))
    fragment = unquote(parts.fragment)
    return name, (sanitize.safe_id(fragment) or "") if fragment else ""


def _written(text: str) -> list[tuple[int, str]]:
    """(offset, target) of every link target written in ``text``, in order."""
    out = []
    for m in _WRITTEN.finditer(text):
        group = next(g for g in range(1, 7) if m.group(g) is not None)
        out.append((m.start(group), html.unescape(m.group(group))))
    return out


def _position(text: str, at: int) -> tuple[int, int]:
    line = text.count("\n", 0, at) + 1
    return line, at - (text.rfind("\n", 0, at) + 1) + 1


def _find(texts: Iterable[tuple[str, str]], url: str, nth: int = 0) -> tuple[str, int, int] | None:
    """Where the link ``url`` (as built, or as MkDocs quotes it) is written: the ``nth`` link
    target with the same page name and fragment across ``texts`` (path, text), in order (the
    last when there are fewer); else the first place the URL's fragment or page name is
    written whole as a link target, then anywhere; (path, line, column)."""
    texts = list(texts)
    key = _key(url)
    same = [
        (path, at) for path, text in texts for at, target in _written(text) if _key(target) == key
    ]
    if same:
        path, at = same[min(nth, len(same) - 1)]
        return (path, *_position(dict(texts)[path], at))
    needles = _needles(url)
    for contexts in (_CONTEXTS, ("",)):
        for path, text in texts:
            for needle in needles:
                for context in contexts:
                    at = _whole(text, context + needle)
                    if at >= 0:
                        return (path, *_position(text, at + len(context)))
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
    seen: Counter[tuple[tuple[str, ...], tuple[str, str]]] = Counter()
    for d in found:
        place = None
        paths: tuple[str, ...] = ()
        url: str | None = None
        mkdocs = _MKDOCS_LINK.search(d.message)
        if mkdocs is not None:
            paths, url = sources.get(mkdocs.group(1), ()), mkdocs.group(2)
        elif d.path and d.path.startswith(prefix) and d.rule in ("anchor-missing", "link-broken"):
            paths, url = by_built.get(d.path[len(prefix) :], ()), d.target
        if url is not None and paths:
            # the k-th finding about one link target is its k-th place in the sources
            nth = seen[paths, _key(url)]
            seen[paths, _key(url)] += 1
            place = _find(((p, texts[p]) for p in paths if p in texts), url, nth)
        if place is None:
            out.append(d)
            continue
        path, line, column = place
        where = f" (on the built page {d.path})" if mkdocs is None else ""
        out.append(replace(d, path=path, line=line, column=column, message=d.message + where))
    return out
