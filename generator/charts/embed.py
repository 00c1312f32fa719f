"""How a chart travels from a generated page to the published one without being read as
Markdown.

A heat map of 1,000 tools is thousands of SVG elements; Python-Markdown would parse each tag
of a raw HTML block (seconds per page), and the search index would read them again. So a page
carries each figure inside one HTML comment (:func:`wrap`), which Markdown passes over in one
step; the site's hooks (:mod:`generator.sitehooks`) take the figures out of the rendered page
and leave an empty placeholder element (:func:`take`, before the page is sanitized and
indexed), then put each figure, cleaned by the same sanitizer as every page, in its place in the
finished page (:func:`put`, before the final scan of what could run). A placeholder with no
figure of that page stays empty; a comment is never published.
"""

from __future__ import annotations

import re
from collections.abc import Mapping

from generator import sanitize

_OPEN = "<!--hb-figure "
_FIGURE = re.compile(r"<!--hb-figure (.*?)-->", re.DOTALL)
_SLOT = re.compile(r'<div class="hb-figure-slot" id="hb-figure-slot-(\d+)"></div>')


def wrap(html: str) -> str:
    """``html`` (one figure) as an HTML comment a page can carry through Markdown.

    Raises ValueError if the figure holds ``-->``, which would end the comment early (every
    value in a figure is escaped, so only a bug could put one there)."""
    if "-->" in html or "--!>" in html:
        raise ValueError("a figure cannot hold '-->'")
    return f"{_OPEN}{html}-->"


def take(html: str) -> tuple[str, dict[str, str]]:
    """The rendered page with each wrapped figure replaced by a numbered placeholder, and the
    figures by number."""
    figures: dict[str, str] = {}

    def slot(m: re.Match[str]) -> str:
        key = str(len(figures))
        figures[key] = m.group(1)
        return f'<div class="hb-figure-slot" id="hb-figure-slot-{key}"></div>'

    return _FIGURE.sub(slot, html) if _OPEN in html else html, figures


def put(output: str, figures: Mapping[str, str]) -> str:
    """The finished page with each placeholder holding its figure, sanitized."""
    if not figures:
        return output
    return _SLOT.sub(
        lambda m: sanitize.clean(figures[m.group(1)]) if m.group(1) in figures else m.group(0),
        output,
    )
