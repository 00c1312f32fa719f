"""Escaping for generated Markdown: every value from the registry reaches a page through here.

MkDocs turns our Markdown into HTML with Python-Markdown, which passes raw HTML through and
interprets ``*``, ``_``, ``[``, ``|`` and friends. Registry values are data, not markup, so:

* :func:`text` HTML-escapes a value and backslash-escapes every character Markdown (and the
  tables and attr_list extensions) could read as syntax; whitespace collapses to single spaces,
  so a value can never start a heading, list, code block or table row of its own.
* :func:`cell` is :func:`text` for a table cell.
* :func:`html` is for values placed inside raw HTML (attributes or element text); generated
  pages put their bulk (tables, lists) in raw HTML blocks, which Python-Markdown passes through
  without inline processing, so every value there goes through :func:`html`.
* :func:`url` keeps only http(s) and mailto links (validation refuses the rest; this is the second
  lock) and percent-encodes what could end a Markdown link destination or an HTML attribute.
* :func:`prose` is for the procedure's own Markdown fields (intro, details, guidance): they are
  Markdown, passed as written; like hand-written pages they go through the site's sanitizer.
"""

from __future__ import annotations

import functools
import html as _html
import re
from urllib.parse import quote

# Characters that are Markdown syntax wherever they stand (emphasis, code, links and images
# start with '[', table cells, attribute lists). '(' ')' '!' need no escape once '[' has one.
_SPECIAL = re.compile(r"([\\`*_{}\[\]|])")
# Syntax only at the start of a line: headings, list items, numbered list items, admonitions
# ('!!!') and collapsible blocks ('???', where '?' has no backslash escape: an entity instead).
_LEADING = re.compile(r"^([#+!-]|\?|\d+(?=[.)]))")
_SPACE = re.compile(r"\s+")
_SAFE_SCHEME = re.compile(r"^(?:https?://[^\s/?#]+|mailto:[^\s@]+@[^\s@]+$)", re.IGNORECASE)
# Characters percent-encoded in URLs: controls, space, and what ends a link or an attribute.
_URL_KEEP = "/:?#[]@!$&'*+,;=%-._~"


def text(value: object) -> str:
    """A registry value as inline Markdown that reads back exactly as the value."""
    if value is None:
        return ""
    return _text(str(value))


@functools.lru_cache(maxsize=1 << 16)  # names, dates and people repeat across thousands of pages
def _text(value: str) -> str:
    flat = _SPECIAL.sub(r"\\\1", _html.escape(_SPACE.sub(" ", value).strip(), quote=False))
    return _LEADING.sub(_lead, flat)


def _lead(m: re.Match[str]) -> str:
    found = m.group(1)
    if found == "?":
        return "&#63;"
    return found + "\\" if found[0].isdigit() else "\\" + found


def cell(value: object) -> str:
    """A value for a Markdown table cell ('|' and line breaks can never split the row)."""
    return text(value)


def paragraphs(value: object) -> str:
    """Multi-paragraph plain text: blank lines separate paragraphs, everything else is escaped."""
    if value is None:
        return ""
    parts = re.split(r"\n\s*\n", str(value).strip())
    return "\n\n".join(text(p) for p in parts if p.strip())


def html(value: object) -> str:
    """A value inside raw HTML, element text or a double- or single-quoted attribute."""
    return "" if value is None else _html.escape(str(value), quote=True)


def html_paragraphs(value: object) -> str:
    """:func:`paragraphs` as raw HTML: one ``<p>`` per paragraph, every character escaped."""
    if value is None:
        return ""
    parts = re.split(r"\n\s*\n", str(value).strip())
    return "\n".join(f"<p>{html(p.strip())}</p>" for p in parts if p.strip())


def url(value: object) -> str | None:
    """A link target that is safe in Markdown and HTML, or None when the scheme is not allowed."""
    if not isinstance(value, str) or not _SAFE_SCHEME.match(value.strip()):
        return None
    encoded = quote(value.strip(), safe=_URL_KEEP)
    # Parentheses end a Markdown link destination; quotes end an attribute.
    return encoded.replace("(", "%28").replace(")", "%29").replace("'", "%27")


def href(value: object) -> str | None:
    """:func:`url`, ready for an ``href="..."`` attribute of raw HTML; None when not allowed."""
    safe = url(value)
    return None if safe is None else html(safe)


def html_link(label: object, target: object) -> str:
    """``<a href="target">label</a>`` in raw HTML when the target is safe, else the label."""
    safe = href(target)
    shown = html(label)
    if safe is None:
        return shown
    return f'<a href="{safe}">{shown}</a>'


def link(label: object, target: object) -> str:
    """``[label](target)`` when the target is safe, else the label as plain text."""
    safe = url(target)
    shown = text(label)
    if safe is None:
        return shown
    return f"[{shown}]({safe})"


def prose(value: object) -> str:
    """The handbook's own Markdown (procedure intro and details, guidance, FAQ answers), as
    written: formatting and the allowed HTML stay. What the site does not allow (scripts,
    event handlers, ``javascript:`` links...) is removed from every published page by
    :mod:`generator.sanitize`, and ``handbook validate`` warns about it at its line
    (``html-removed``). Escaping here instead could never match Markdown's own reading of
    backslashes and code spans, which is how raw HTML used to slip through."""
    return "" if value is None else str(value).strip()


def attr(value: str) -> str:
    """An id for Markdown's attr_list (``{#id}``): only letters, digits, '-' and '_' survive."""
    return re.sub(r"[^A-Za-z0-9_-]", "-", value)
