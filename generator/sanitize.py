"""The allow-list every page's HTML goes through before it is published, and what it removed.

Every page body MkDocs renders (hand-written pages, the procedure's Markdown, the generated tool
and vendor pages) is cleaned by nh3 (the Rust ``ammonia`` sanitizer) with the policy below in
MkDocs' ``on_page_content`` event (:mod:`generator.sitehooks`), before the search index reads
it. Whatever a page says, no script, event handler, ``javascript:``/``data:`` URL, frame,
``<base>``, ``<meta>``, form, object, style sheet or active SVG reaches a reader.

The policy allows what Markdown, the extensions and our own templates produce: text formatting,
headings, lists, tables (``style`` only for ``text-align``), code, admonitions and collapsible
blocks, images from the site itself, links to http(s), mailto and the site's own pages, the
"Which tools may I use?" selector, task-list and tab inputs, static SVG shapes, and links taken
out of the tab order (``tabindex="-1"`` only: a chart's many marks).

:func:`removed` says what cleaning took out of a fragment, so that validation can warn at the
source's file:line (``html-removed``) instead of the markup silently vanishing.
"""

from __future__ import annotations

import functools
import html as entities
import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from html.parser import HTMLParser

import nh3

_TEXT = {
    "a", "abbr", "b", "bdi", "bdo", "blockquote", "br", "caption", "cite", "code", "col",
    "colgroup", "dd", "del", "details", "dfn", "div", "dl", "dt", "em", "figcaption", "figure",
    "h1", "h2", "h3", "h4", "h5", "h6", "hr", "i", "img", "ins", "kbd", "li", "mark", "ol", "p",
    "pre", "q", "rp", "rt", "ruby", "s", "samp", "small", "span", "strong", "sub", "summary",
    "sup", "table", "tbody", "td", "tfoot", "th", "thead", "time", "tr", "u", "ul", "var", "wbr",
    "article", "aside", "footer", "header", "section", "nav", "label", "select", "option", "input",
}  # fmt: skip
_SVG = {
    "svg", "g", "path", "rect", "circle", "ellipse", "line", "polyline", "polygon", "text",
    "tspan", "title", "desc",
}  # fmt: skip
TAGS = frozenset(_TEXT | _SVG)
#: Removed together with everything inside them (a script's text is not prose).
DROPPED_WITH_CONTENT = frozenset({"script", "style", "template", "noscript", "iframe", "object"})
_SHAPE = {"fill", "stroke", "stroke-width", "stroke-dasharray", "opacity", "transform"}
ATTRIBUTES: dict[str, set[str]] = {
    "*": {"id", "class", "title", "lang", "dir", "role", "hidden"},
    "a": {"href", "hreflang", "target", "download", "name", "tabindex"},
    "img": {"src", "alt", "width", "height", "loading", "align"},
    "div": {"data-tabs"},  # pymdownx.tabbed (alternate style)
    "span": {"data-linenos"},  # pymdownx.highlight's inline line numbers
    "ol": {"start", "type", "reversed"},
    "li": {"value"},
    "td": {"colspan", "rowspan", "headers", "align", "style"},
    "th": {"colspan", "rowspan", "headers", "scope", "abbr", "align", "style"},
    "col": {"span"},
    "colgroup": {"span"},
    "details": {"open"},
    "time": {"datetime"},
    "del": {"datetime"},
    "ins": {"datetime"},
    "abbr": {"title"},
    "label": {"for"},
    "select": {"name", "multiple"},
    "option": {"value", "selected"},
    "input": {"type", "checked", "disabled", "name"},
    # SVG attribute names keep their case (the HTML parser restores viewBox from viewbox)
    "svg": {"viewBox", "width", "height", "xmlns", "fill", "preserveAspectRatio", "focusable"},
    "g": _SHAPE,
    "path": {"d", *_SHAPE},
    "rect": {"x", "y", "width", "height", "rx", "ry", *_SHAPE},
    "circle": {"cx", "cy", "r", *_SHAPE},
    "ellipse": {"cx", "cy", "rx", "ry", *_SHAPE},
    "line": {"x1", "y1", "x2", "y2", *_SHAPE},
    "polyline": {"points", *_SHAPE},
    "polygon": {"points", *_SHAPE},
    "text": {"x", "y", "dx", "dy", "text-anchor", "font-size", "font-weight", *_SHAPE},
    "tspan": {"x", "y", "dx", "dy", "text-anchor", "font-size", "font-weight", *_SHAPE},
}
GENERIC_PREFIXES = frozenset({"aria-"})
URL_SCHEMES = frozenset({"http", "https", "mailto"})
STYLE_PROPERTIES = frozenset({"text-align"})
INPUT_TYPES = frozenset({"checkbox", "radio"})
# Ids the theme's own script looks up (Material's start with "__"); pymdownx's tab inputs and
# code line anchors and spans (__tabbed_, __codelineno-, __span-) are the families of such ids
# that pages legitimately carry.
_THEME_ID = re.compile(r"^__(?!tabbed_|codelineno-|span-)")
_TEXT_ALIGN = re.compile(r"text-align:(?:left|right|center|justify|start|end)", re.IGNORECASE)
_LOCAL_PAINT = re.compile(r"\s*url\(\s*(['\"]?)#[\w-]+\1\s*\)\s*(?:[\w#().,% -]*)", re.ASCII)


def _declarations(style: str) -> list[str]:
    """The declarations of a ``style`` attribute, each without spaces (``text-align:left``)."""
    return ["".join(d.split()) for d in style.split(";") if d.strip()]


#: Classes that make the theme's script act: on an element of class ``mermaid`` Material loads
#: Mermaid from unpkg.com and runs it. Removed from every class attribute.
ACTIVE_CLASSES = frozenset({"mermaid"})
# What an id may not hold: the theme prints ids into attributes (href="#...") unescaped.
_UNSAFE_ID = re.compile(r"[\s\"'<>&`\\\x00-\x1f\x7f]+")
_SCHEME = re.compile(r"^([a-zA-Z][a-zA-Z0-9+.\-]*):")
# What a browser drops from a URL before reading it (the URL standard): leading and trailing
# C0 controls and spaces, and tabs and newlines anywhere.
_URL_JUNK = re.compile(r"[\t\n\r]")


_C0_AND_SPACE = "".join(map(chr, range(0x21)))


def browser_url(value: str) -> str:
    """``value`` as a browser reads a URL: C0 controls and spaces trimmed, tabs and newlines
    removed, backslashes read as slashes (as in http(s) URLs)."""
    return _URL_JUNK.sub("", value).strip(_C0_AND_SPACE).replace("\\", "/")


def is_local(url: str) -> bool:
    """True for a URL within the site: no scheme, not protocol-relative (``//host``)."""
    url = browser_url(url)
    return not (_SCHEME.match(url) or url.startswith("//"))


def safe_id(value: str) -> str | None:
    """``value`` as an id the theme can print inside an attribute: each run of spaces, quotes,
    ``<``, ``>``, ``&``, backticks, backslashes and controls becomes ``-``; None if nothing is
    left. The same function rewrites the heading's id and its entry in the table of contents, so
    that the two still agree."""
    out = _UNSAFE_ID.sub("-", value)
    if out != value:  # a removed run at either end leaves no dash behind
        if _UNSAFE_ID.match(value):
            out = out[1:]
        if _UNSAFE_ID.search(value[-1:]):
            out = out[:-1]
    return out or None


# An attribute's name as HTML and XML both read it; nh3 keeps any name after an allowed prefix
# (aria-x"y), which would leave markup no later step can read reliably.
_NAME = re.compile(r"[A-Za-z_:][-A-Za-z0-9_:.]*")


def _attribute(tag: str, name: str, value: str) -> str | None:
    """Per-value rules the tables cannot say (nh3's attribute_filter)."""
    if not _NAME.fullmatch(name):
        return None
    if name == "id" or (tag == "a" and name == "name"):  # <a name> is an anchor too
        safe = safe_id(value)
        if safe is not None and _THEME_ID.match(safe):
            return None  # would shadow an element of the theme (e.g. __config), however spelt
        return safe
    if name == "title" and ("<" in value or ">" in value):
        # Material's tooltips (content.tooltips, refused in mkdocs.yml) show a title as HTML:
        # no markup in titles, as a second guard
        return None
    if name == "class":
        kept = " ".join(c for c in value.split() if c not in ACTIVE_CLASSES)
        return kept or None
    if name == "style":
        # text-align with a keyword, nothing else: a value may hold url(...) or CSS escapes
        keep = [d for d in _declarations(value) if _TEXT_ALIGN.fullmatch(d)]
        return "; ".join(keep) or None
    if tag in _SVG and ("url(" in value.lower() or "\\" in value):
        # paint from a gradient of the same image (fill="url(#g)"), never from another file
        return value if _LOCAL_PAINT.fullmatch(value) else None
    if name == "tabindex":
        # only out of the tab order (a chart's many marks, reachable from its table instead);
        # a page may not reorder focus or make something focusable
        return "-1" if value.strip() == "-1" else None
    if tag == "a" and name == "target" and value not in ("_blank", "_self"):
        return None  # a named window could be another page's
    if tag == "img" and name == "align" and value.lower() not in ("left", "right"):
        return None
    if tag == "a" and name == "href" and value.startswith("#"):
        return "#" + (safe_id(value[1:]) or "")  # follows its heading's id (``safe_id``)
    if tag == "img" and name == "src" and not is_local(value):
        return None  # images come from the site itself: nothing is loaded from another host
    if tag == "input" and name == "type" and value.strip().lower() not in INPUT_TYPES:
        return None
    return value


@functools.lru_cache(maxsize=1)
def cleaner() -> nh3.Cleaner:
    """The one configured sanitizer (building it compiles the policy once)."""
    return nh3.Cleaner(
        tags=set(TAGS),
        clean_content_tags=set(DROPPED_WITH_CONTENT),
        attributes={k: set(v) for k, v in ATTRIBUTES.items()},
        attribute_filter=_attribute,
        strip_comments=True,
        link_rel=None,
        generic_attribute_prefixes=set(GENERIC_PREFIXES),
        url_schemes=set(URL_SCHEMES),
        filter_style_properties=set(STYLE_PROPERTIES),
    )


_EMOJI_IMG = re.compile(r"<img\b[^<>]*\bclass=\"(?:twemoji|emojione|gemoji)\b[^<>]*>", re.I)
_ALT = re.compile(r'\balt="([^"]*)"')
_SRC = re.compile(r'\bsrc="([^"]*)"')


def _emoji_as_text(html: str) -> str:
    """An emoji the Markdown emoji extension drew as an image from a CDN, as its character:
    images come only from the site, and a broken image tells the reader nothing."""

    def text(m: re.Match[str]) -> str:
        src, alt = _SRC.search(m.group(0)), _ALT.search(m.group(0))
        if src is None or is_local(entities.unescape(src.group(1))):
            return m.group(0)
        return f'<span class="twemoji">{alt.group(1) if alt else ""}</span>'

    return _EMOJI_IMG.sub(text, html) if 'class="' in html else html


# A tag of the sanitizer's output: html5ever writes "<" and ">" in attribute values as &lt;
# and &gt;, so a tag ends at the first ">" (a quote in a value is &quot;).
_TAG = re.compile(r"<(/?)([a-zA-Z][\w:-]*)([^>]*?)(/?)>")
_HREF_ATTR = re.compile(r'(\s)href="')
_XLINK = r'\1xlink:href="'


def _svg_links(html: str) -> str:
    """Each link inside an SVG image with its URL in ``xlink:href`` instead of ``href``, the
    same link to every browser. Material's instant navigation rewrites each relative
    ``[href]`` of a page it loads with ``el.href = el.href``, which throws on an SVG ``<a>``
    (its ``href`` is read-only) and leaves the reader on the previous page."""
    depth = 0

    def tag(m: re.Match[str]) -> str:
        nonlocal depth
        closing, name, attrs, empty = m.groups()
        name = name.lower()
        if name == "svg" and not empty:
            depth += -1 if closing else 1
            depth = max(depth, 0)
        elif name == "a" and depth and not closing:
            return "<a" + _HREF_ATTR.sub(_XLINK, attrs) + ("/>" if empty else ">")
        return m.group(0)

    return _TAG.sub(tag, html)


def clean(html: str) -> str:
    """``html`` (a fragment) with everything outside the policy removed, and the links of
    inline SVG images written with ``xlink:href`` (``_svg_links``)."""
    out = str(cleaner().clean(_emoji_as_text(html)))
    return _svg_links(out) if "<svg" in out else out


@functools.lru_cache(maxsize=1)
def _text_only() -> nh3.Cleaner:
    return nh3.Cleaner(tags=set(), clean_content_tags=set(DROPPED_WITH_CONTENT), link_rel=None)


def text_of(html: str) -> str:
    """The text of an HTML fragment, every tag removed and entities decoded."""
    return entities.unescape(str(_text_only().clean(html)))


# -- what cleaning removed ----------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Removed:
    """One construct cleaning took out: a tag, or an attribute (with its value) of a tag."""

    tag: str
    attribute: str | None = None
    value: str | None = None

    def describe(self) -> str:
        """'<iframe>', 'onmouseover="alert(1)" on <b>', 'href="javascript:x" on <a>'."""
        if self.attribute is None:
            return f"<{self.tag}>"
        value = "" if self.value is None else f"={_short(self.value)!r}"
        return f"{self.attribute}{value} on <{self.tag}>"

    def why(self) -> str:
        """Why the site does not keep it, for the warning's message."""
        name = self.attribute or ""
        if self.attribute is None:
            if self.tag in DROPPED_WITH_CONTENT:
                return "it is removed with its content: pages run no scripts, styles or frames"
            return "the element is not one pages may use (its text is kept)"
        if name.startswith("on"):
            return "event handlers never run on the site"
        if name in ("href", "src", "action", "formaction", "xlink:href", "srcdoc"):
            if self.tag == "img" and name == "src":
                return "images must be files of the site (content/assets/), not from elsewhere"
            return "only http, https and mailto links, and links within the site, are kept"
        if name == "style":
            return "inline styles may only set text-align to a keyword (left, center...)"
        if self.tag in _SVG and (
            "url(" in (self.value or "").lower() or "\\" in (self.value or "")
        ):
            return "an image may paint only with its own gradients (url(#id)), not another file"
        if name == "class":
            return (
                "the class 'mermaid' makes the theme load Mermaid from unpkg.com and run it; "
                "the site loads nothing from other hosts"
            )
        if name == "id":
            if _THEME_ID.match(safe_id(self.value or "") or ""):
                return "ids starting with '__' are the theme's own"
            return (
                "an id may not hold spaces, quotes, <, >, & or backticks (the theme prints ids "
                f"into its links); it is published as {safe_id(self.value or '')!r}"
            )
        if name == "title":
            return "the theme shows a title as HTML in a tooltip, so it may not hold < or >"
        return "the attribute is not one pages may use"


def _short(value: str, limit: int = 60) -> str:
    return value if len(value) <= limit else value[: limit - 3] + "..."


class _Collect(HTMLParser):
    """Every start tag with its attributes, in document order (the standard library's parser,
    which reads raw text inside script and style as text, as browsers do)."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, list[tuple[str, str | None]]]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag.lower(), [(k.lower(), v) for k, v in attrs]))

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.handle_starttag(tag, attrs)


def _constructs(html: str, *, cleaned: bool = False) -> Counter[Removed]:
    parser = _Collect()
    parser.feed(html)
    parser.close()
    found: Counter[Removed] = Counter()
    for tag, attrs in parser.tags:
        found[Removed(tag)] += 1
        for name, value in attrs:
            text = (value or "").strip()
            if name == "style":  # the sanitizer rewrites what it keeps: compare declarations
                text = ";".join(
                    sorted(
                        "".join(part.split()).lower() for part in text.split(";") if part.strip()
                    )
                )
            elif name == "class":
                text = " ".join(text.split())
            if tag == "a" and name in ("href", "xlink:href") and text.startswith("#"):
                # not a loss: the link follows its heading's id, whose rewrite is reported
                text = "#" + (safe_id(text[1:]) or "")
            found[Removed(tag, name, text)] += 1
            if cleaned and tag == "a" and name == "xlink:href":
                found[Removed(tag, "href", text)] += 1  # an SVG link written href (_svg_links)
    return found


def removed(html: str) -> list[Removed]:
    """What :func:`clean` takes out of ``html``: each tag and attribute in it that the cleaned
    fragment lacks, in the order they first appear (an attribute of a removed tag is not listed
    again; a style reduced to its allowed properties counts as removed)."""
    before = _constructs(_emoji_as_text(html))  # an emoji drawn as text is no loss
    after = _constructs(clean(html), cleaned=True)
    lost = before - after
    gone_tags = {r.tag for r in lost if r.attribute is None and after[Removed(r.tag)] == 0}
    out: list[Removed] = []
    for r in before:  # Counter keeps first-seen order
        if not lost[r]:
            continue
        if r.attribute is not None and r.tag in gone_tags:
            continue
        out.extend([r] * lost[r])
    return out


def _written_attribute(name: str, value: str) -> str:
    """A pattern for ``name="value"`` as HTML or attr_list may write it (any quotes)."""
    return rf"\b{re.escape(name)}\s*=\s*[\"']?{re.escape(value)}"


def locate(source: str, found: Iterable[Removed]) -> list[tuple[Removed, int]]:
    """Each removed construct with the offset of its source in ``source`` (the Markdown it was
    rendered from): the k-th ``<tag`` for the k-th removed tag, the k-th ``attribute=`` (or the
    URL itself, for a link or image written in Markdown) for an attribute; -1 when not found."""
    out = []
    seen: Counter[str] = Counter()
    for r in found:
        if r.attribute is None:
            pattern = re.compile(rf"<{re.escape(r.tag)}\b", re.IGNORECASE)
        elif r.value and r.attribute in ("href", "src") and r.value in source:
            pattern = re.compile(re.escape(r.value))
        elif r.value and re.search(_written_attribute(r.attribute, r.value), source, re.I):
            pattern = re.compile(_written_attribute(r.attribute, r.value), re.IGNORECASE)
        elif r.attribute == "class" and r.value and ACTIVE_CLASSES & set(r.value.split()):
            token = min(ACTIVE_CLASSES & set(r.value.split()))
            pattern = re.compile(r"\b" + re.escape(token) + r"\b")  # {.mermaid}, class="mermaid"
        else:
            pattern = re.compile(rf"\b{re.escape(r.attribute)}\s*=", re.IGNORECASE)
        matches = list(pattern.finditer(source))
        if matches:
            m = matches[min(seen[pattern.pattern], len(matches) - 1)]
            seen[pattern.pattern] += 1
            out.append((r, m.start()))
        else:
            out.append((r, -1))
    return out
