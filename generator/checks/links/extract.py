"""extract: text -> the links it contains, with 1-based line and column. Pure: no I/O.

Three kinds of source: Markdown (content pages, and the schemas' Markdown fields in YAML),
YAML data (every other string value that is or contains a URL), and HTML (built pages: their
links and the ids they define). HTML is read by one parser, the standard library's, for the
built site, for fetched pages' ids and for what Markdown renders, so that a link and the ids it
points to are always seen the same way.
"""

from __future__ import annotations

import bisect
import contextlib
import hashlib
import html
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from html.parser import HTMLParser
from typing import Any

from generator import published, sanitize, siteconfig
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


Render = Callable[[str], str]  # Markdown -> HTML, with the site's extensions


@dataclass(frozen=True, slots=True)
class Found:
    url: str
    line: int
    column: int


# -- URLs in prose ----------------------------------------------------------------------------

_URL = re.compile(r"(?:https?://|mailto:)[^\s<>\"'`\\]+", re.IGNORECASE)
_TRAILING = ".,;:!?*_~"


def _trim(url: str) -> str:
    """Drop punctuation that ends a sentence, and closing brackets that do not belong to it."""
    while url:
        last = url[-1]
        unbalanced = last in ")]" and url.count(last) > url.count("(" if last == ")" else "[")
        if last not in _TRAILING and not unbalanced:
            break
        url = url[:-1]
    return url


def urls_in_text(text: str) -> Iterator[tuple[int, str]]:
    """(offset, url) for every http(s) and mailto URL written in plain ``text`` (a registry
    value: a URL, or notes that mention one). They end at whitespace, a quote or an angle
    bracket; unbalanced closing brackets and sentence punctuation are trimmed."""
    for m in _URL.finditer(text):
        url = _trim(m.group(0))
        if url.lower() in ("http://", "https://", "mailto:"):
            continue
        yield m.start(), html.unescape(url) if "&" in url else url


def markdown_urls(text: str, render: Render) -> list[str]:
    """The URLs Markdown ``text`` links to, in order: what ``render`` (the site's Markdown)
    makes links and images of, once cleaned as every published page is (generator.sanitize),
    read by the same HTML parser as the built site. A URL in code, in an HTML comment, in text
    that does not render as a link, or removed by the cleaning, is not a link. A text that is
    too slow to render has none (validate reports it)."""
    try:
        html = sanitize.clean(render(text))
    except siteconfig.TooSlow:
        return []
    return [
        link.url
        for link in scan_html(html).links
        if link.tag in ("a", "img", "area") and not link.generated
    ]


def markdown_links(text: str, render: Render) -> list[Found]:
    """:func:`markdown_urls` of a page, each at the line and column where it is written."""
    return _placed(text, 0, markdown_urls(text, render), (1, 1))


#: What may stand right before a URL written as a link target: a Markdown link or image, a
#: reference definition, an autolink, an HTML attribute.
_TARGET_BEFORE = re.compile(r"""(?:\]\(\s*<?|\]:[ \t]*<?|<|(?:href|src)\s*=\s*["']?)$""", re.I)
#: A reference definition's start, for a URL the page links to from elsewhere.
_DEFINITION = re.compile(r"^[ \t]{0,3}\[[^\]\n]+\]:[ \t]*<?$")
#: Characters that continue a URL: a URL followed by one of these is part of a longer one.
_URL_GOES_ON = frozenset(
    "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-._~%/?#=&+@:"
)


def _places(text: str, url: str) -> list[tuple[int, bool]]:
    """(offset, written as a link target) of every whole occurrence of ``url`` in ``text``
    (also as ``&amp;`` spells it in HTML)."""
    out = []
    for spelled in dict.fromkeys((url, url.replace("&", "&amp;"))):
        at = text.find(spelled)
        while at >= 0:
            end = at + len(spelled)
            if end >= len(text) or text[end] not in _URL_GOES_ON:
                line_start = text.rfind("\n", 0, at) + 1
                out.append((at, _TARGET_BEFORE.search(text[line_start:at]) is not None))
            at = text.find(spelled, at + 1)
    return sorted(out)


def _placed(
    text: str, start: int, urls: list[str], fallback: tuple[int, int], *, before: bool = True
) -> list[Found]:
    """Each URL at its position in ``text``, in the order the page links to them: the next
    place after the previous URL's where it is written whole as a link target, else such a
    place anywhere not yet taken (a reference definition sits apart from its link), else where
    it is written at all; ``fallback`` (line, column) when it is written nowhere as it reads.
    A URL found at a reference definition does not move the search on. ``before``: False
    when what precedes ``start`` is another text (a YAML file's other fields)."""
    lines = Lines(text)
    taken: set[int] = set()
    out = []
    for url in urls:
        places = [p for p in _places(text, url) if p[0] not in taken and (before or p[0] >= start)]
        order = (
            [at for at, target in places if target and at >= start]
            + [at for at, target in places if target]
            + [at for at, _ in places if at >= start]
            + [at for at, _ in places]
        )
        if not order:
            out.append(Found(url, *fallback))
            continue
        at = order[0]
        taken.add(at)
        out.append(Found(url, *lines.at(at)))
        line_start = text.rfind("\n", 0, at) + 1
        if at >= start and not _DEFINITION.match(text[line_start:at]):
            start = at + len(url)
    return out


# -- URLs in YAML data ------------------------------------------------------------------------

Path_ = tuple[str | int, ...]


def _strings(
    data: Any, mark: tuple[int, int], path: Path_
) -> Iterator[tuple[str, tuple[int, int], Path_]]:
    if isinstance(data, MarkedDict):
        for key, value in data.items():
            yield from _strings(value, data.values_at.get(key, mark), (*path, key))
    elif isinstance(data, MarkedList):
        for i, value in enumerate(data):
            at = data.items_at[i] if i < len(data.items_at) else mark
            yield from _strings(value, at, (*path, i))
    elif isinstance(data, str):
        yield data, mark, path


def yaml_links(
    data: Any,
    text: str,
    render: Render | None = None,
    is_markdown: Callable[[Path_], bool] = lambda path: False,
) -> list[Found]:
    """Every URL in a loaded YAML document, at the line and column where it is written.

    A Markdown field (``is_markdown`` of its path) contributes what it renders as links (see
    :func:`markdown_urls`); any other value, the URLs written in it. A value that is a URL is
    reported at the value's mark; a URL inside longer text is found in the file's text from the
    value's mark onwards, so a block scalar reports the line the URL is actually on.
    """
    lines = Lines(text)
    out: list[Found] = []
    for value, (line, col), path in _strings(data, (1, 1), ()):
        if "://" not in value and "mailto:" not in value.lower():
            continue
        if render is not None and is_markdown(path):
            urls = markdown_urls(value, render)
        else:
            urls = [url for _, url in urls_in_text(value)]
        out += _placed(text, lines.offset(line, col), urls, (line, col), before=False)
    return out


# -- HTML ---------------------------------------------------------------------------------------

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
    generated: bool = False  # a heading's permalink (class "headerlink"), not written by anyone


@dataclass(slots=True)
class HtmlPage:
    """What a page defines and links to: its ids (and ``<a name>`` anchors), each id defined
    more than once (with the line and column of the repeat), its links, ``<base href>`` and
    canonical address."""

    ids: set[str] = field(default_factory=set)
    links: list[HtmlLink] = field(default_factory=list)
    base: str | None = None
    canonical: str | None = None  # <link rel="canonical">: where this page is published
    repeated: list[tuple[str, int, int]] = field(default_factory=list)
    #: What in the page could run (generator.published), each once, in document order.
    active: list[str] = field(default_factory=list)


class _Scanner(HTMLParser):
    """The standard library's HTML parser, reading a page as a browser tokenises it: comments
    and the text of scripts and styles are not markup, character references are decoded."""

    def __init__(self, *, links: bool) -> None:
        super().__init__(convert_charrefs=True)
        self.page = HtmlPage()
        self.want_links = links
        self.active = published.Active() if links else None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        page = self.page
        values: dict[str, str | None] = {}
        for name, value in attrs:
            values.setdefault(name, value)
        if self.active is not None:
            self.active.start(tag, values)
        ident = values.get("id")
        if tag == "a" and not ident:
            ident = values.get("name")
        if ident:
            if ident in page.ids:
                line, offset = self.getpos()
                page.repeated.append((ident, line, offset + 1))
            page.ids.add(ident)
        if tag == "a" and values.get("id") and values.get("name"):
            page.ids.add(values["name"] or "")
        if not self.want_links:
            return
        if tag == "base" and values.get("href") is not None and page.base is None:
            page.base = (values["href"] or "").strip()
            return
        attr = LINK_ATTRS.get(tag)
        url = values.get(attr) if attr else None
        if tag == "a" and url is None:
            url = values.get("xlink:href")  # a link in an SVG image (generator.sanitize)
        if not url or not url.strip():
            return
        if tag == "link" and _HINT_RELS & set(rels := (values.get("rel") or "").lower().split()):
            if "canonical" in rels and page.canonical is None:
                page.canonical = url.strip()
            return
        line, offset = self.getpos()
        generated = "headerlink" in (values.get("class") or "").split()
        page.links.append(HtmlLink(url.strip(), tag, line, offset + 1, generated))

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.handle_starttag(tag, attrs)
        if self.active is not None:
            self.active.end(tag)

    def handle_data(self, data: str) -> None:
        if self.active is not None:
            self.active.data(data)

    def handle_endtag(self, tag: str) -> None:
        if self.active is not None:
            self.active.end(tag)


def scan_html(text: str) -> HtmlPage:
    """The ids (and ``<a name>`` anchors) a page defines, its links, its ``<base href>``, and
    what in it could run (:class:`generator.published.Active`)."""
    scanner = _Scanner(links=True)
    scanner.feed(text)
    scanner.close()
    page = scanner.page
    assert scanner.active is not None
    page.active = list(dict.fromkeys(scanner.active.problems))
    return page


# Pages MkDocs has just written were scanned in its on_post_page event (generator.sitehooks);
# while a build keeps them (:func:`keeping_scans`), the site scan takes those results instead
# of parsing each page a second time. Keyed by a digest of the page's text.
_kept: dict[bytes, HtmlPage] | None = None


def _digest(text: str) -> bytes:
    return hashlib.blake2b(text.encode("utf-8", "surrogatepass"), digest_size=16).digest()


@contextlib.contextmanager
def keeping_scans() -> Iterator[None]:
    """While inside, :func:`scan_built` keeps what it scanned for :func:`scan_built` to reuse."""
    global _kept
    _kept = {}
    try:
        yield
    finally:
        _kept = None


def scan_built(text: str) -> HtmlPage:
    """:func:`scan_html` of a built page: kept while :func:`keeping_scans` (the first scan of a
    text is kept, the second takes it back), else simply scanned."""
    if _kept is None:
        return scan_html(text)
    key = _digest(text)
    page = _kept.pop(key, None)
    if page is None:
        page = _kept[key] = scan_html(text)
    return page


def html_ids(text: str) -> frozenset[str]:
    """Every id, and every ``<a name>``, of a fetched page (the same parser as the site scan)."""
    scanner = _Scanner(links=False)
    scanner.feed(text)
    scanner.close()
    return frozenset(scanner.page.ids)
