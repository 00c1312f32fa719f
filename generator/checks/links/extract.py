"""extract: text -> the links it contains, with 1-based line and column. Pure: no I/O.

Three kinds of source: Markdown (content pages, and Markdown inside YAML values), YAML data
(every string value that is or contains a URL), and HTML (built pages: their links and the ids
they define).
"""

from __future__ import annotations

import bisect
import html
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from generator.load import MarkedDict, MarkedList

# -- positions ------------------------------------------------------------------------------


class Lines:
    """Offset -> (line, column), both 1-based."""

    __slots__ = ("_starts",)

    def __init__(self, text: str) -> None:
        self._starts = [0] + [m.end() for m in re.finditer("\n", text)]

    def at(self, offset: int) -> tuple[int, int]:
        i = bisect.bisect_right(self._starts, offset) - 1
        return i + 1, offset - self._starts[i] + 1

    def offset(self, line: int, column: int) -> int:
        if line - 1 >= len(self._starts):
            return self._starts[-1]
        return self._starts[line - 1] + column - 1


@dataclass(frozen=True, slots=True)
class Found:
    url: str
    line: int
    column: int


# -- URLs in prose ----------------------------------------------------------------------------

_URL = re.compile(r"(?:https?://|mailto:)[^\s<>\"'`\\]+", re.IGNORECASE)
_TRAILING = ".,;:!?*_~"
_FENCE = re.compile(r"^ {0,3}(`{3,}|~{3,})[^\n]*\n.*?(?:^ {0,3}\1[`~]*[ \t]*$|\Z)", re.S | re.M)
_CODE_SPAN = re.compile(r"(`+)(?!`).+?(?<!`)\1(?!`)", re.S)


def _trim(url: str) -> str:
    """Drop punctuation that ends a sentence, and closing brackets that do not belong to it."""
    while url:
        last = url[-1]
        unbalanced = last in ")]" and url.count(last) > url.count("(" if last == ")" else "[")
        if last not in _TRAILING and not unbalanced:
            break
        url = url[:-1]
    return url


def _blank(match: re.Match[str]) -> str:
    """Replace code with spaces, keeping newlines so offsets and lines stay put."""
    return re.sub(r"[^\n]", " ", match.group(0))


def urls_in_text(text: str, *, markdown: bool = True) -> Iterator[tuple[int, str]]:
    """(offset, url) for every http(s) and mailto URL in ``text``, skipping code in Markdown.

    Covers inline links, reference definitions, autolinks, raw HTML attributes and bare URLs:
    they all end at whitespace, a quote or an angle bracket; unbalanced closing brackets and
    sentence punctuation are trimmed.
    """
    if markdown:
        text = _FENCE.sub(_blank, text)
        text = _CODE_SPAN.sub(_blank, text)
    for m in _URL.finditer(text):
        url = _trim(m.group(0))
        if url.lower() in ("http://", "https://", "mailto:"):
            continue
        yield m.start(), html.unescape(url) if "&" in url else url


def markdown_links(text: str) -> list[Found]:
    lines = Lines(text)
    return [Found(url, *lines.at(off)) for off, url in urls_in_text(text)]


# -- URLs in YAML data ------------------------------------------------------------------------


def _strings(data: Any, mark: tuple[int, int]) -> Iterator[tuple[str, tuple[int, int]]]:
    if isinstance(data, MarkedDict):
        for key, value in data.items():
            yield from _strings(value, data.values_at.get(key, mark))
    elif isinstance(data, MarkedList):
        for i, value in enumerate(data):
            yield from _strings(value, data.items_at[i] if i < len(data.items_at) else mark)
    elif isinstance(data, str):
        yield data, mark


def yaml_links(data: Any, text: str) -> list[Found]:
    """Every URL in a loaded YAML document, at the line and column where it is written.

    A value that is a URL is reported at the value's mark. A URL inside longer text (Markdown in
    ``details``, ``notes``) is found in the file's text from the value's mark onwards, so a block
    scalar reports the line the URL is actually on.
    """
    lines = Lines(text)
    out: list[Found] = []
    for value, (line, col) in _strings(data, (1, 1)):
        if "://" not in value and "mailto:" not in value.lower():
            continue
        start = lines.offset(line, col)
        for _, url in urls_in_text(value, markdown=True):
            at = text.find(url, start)
            if at < 0:
                out.append(Found(url, line, col))
                continue
            out.append(Found(url, *lines.at(at)))
            start = at + len(url)
    return out


# -- HTML ---------------------------------------------------------------------------------------

_ATTRS = r"(?:\s+[^\s\"'>/=]+(?:\s*=\s*(?:\"[^\"]*\"|'[^']*'|[^\s\"'>]+))?|\s*/(?!>))*"
_TOKEN = re.compile(
    r"<!--.*?-->"
    rf"|<(?P<raw>script|style|textarea|title)\b(?P<rawattrs>{_ATTRS})\s*/?>.*?</(?P=raw)\s*>"
    rf"|<(?P<tag>[a-zA-Z][\w:-]*)(?P<attrs>{_ATTRS})\s*/?>",
    re.S | re.I,
)
_ATTR = re.compile(r"([^\s\"'>/=]+)(?:\s*=\s*(?:\"([^\"]*)\"|'([^']*)'|([^\s\"'>]+)))?")
_ID = re.compile(r"""\s(?:id|name)\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'>]+))""", re.I)

# Which attribute of which element is a link. <link rel=preconnect> and the like name a host,
# not a resource, and are skipped.
LINK_ATTRS = {
    "a": "href",
    "area": "href",
    "link": "href",
    "img": "src",
    "script": "src",
    "iframe": "src",
    "source": "src",
    "video": "src",
    "audio": "src",
    "embed": "src",
}
_HINT_RELS = {"preconnect", "dns-prefetch", "prefetch", "preload", "modulepreload", "canonical"}


@dataclass(slots=True)
class HtmlLink:
    url: str
    tag: str
    line: int
    column: int


@dataclass(slots=True)
class HtmlPage:
    ids: set[str] = field(default_factory=set)
    links: list[HtmlLink] = field(default_factory=list)
    base: str | None = None
    canonical: str | None = None  # <link rel="canonical">: where this page is published


def _attrs(text: str) -> dict[str, str]:
    out: dict[str, str] = {}
    for m in _ATTR.finditer(text):
        name = m.group(1).lower()
        if name in out:
            continue
        value = m.group(2) if m.group(2) is not None else m.group(3)
        if value is None:
            value = m.group(4) or ""
        out[name] = html.unescape(value) if "&" in value else value
    return out


def scan_html(text: str) -> HtmlPage:
    """The ids (and ``<a name>`` anchors) a page defines, its links, and its ``<base href>``."""
    page = HtmlPage()
    lines: Lines | None = None
    for m in _TOKEN.finditer(text):
        tag = m.group("tag") or m.group("raw")
        if tag is None:
            continue  # a comment
        raw_attrs = m.group("attrs") if m.group("tag") else m.group("rawattrs")
        if not raw_attrs or "=" not in raw_attrs:
            continue
        tag = tag.lower()
        attrs = _attrs(raw_attrs)
        ident = attrs.get("id")
        if ident:
            page.ids.add(ident)
        if tag == "a" and attrs.get("name"):
            page.ids.add(attrs["name"])
        if tag == "base" and "href" in attrs and page.base is None:
            page.base = attrs["href"].strip()
            continue
        attr = LINK_ATTRS.get(tag)
        if attr is None or attr not in attrs:
            continue
        if tag == "link" and _HINT_RELS & set(rels := attrs.get("rel", "").lower().split()):
            if "canonical" in rels and page.canonical is None:
                page.canonical = attrs[attr].strip()
            continue
        url = attrs[attr].strip()
        if not url:
            continue
        if lines is None:
            lines = Lines(text)
        line, col = lines.at(m.start())
        page.links.append(HtmlLink(url, tag, line, col))
    return page


def html_ids(text: str) -> frozenset[str]:
    """Every id, and every name (for ``<a name>``), in a fetched page: a fast over-approximation."""
    out = set()
    for m in _ID.finditer(text):
        value = m.group(1) if m.group(1) is not None else m.group(2)
        if value is None:
            value = m.group(3)
        out.add(html.unescape(value) if "&" in value else value)
    return frozenset(out)
