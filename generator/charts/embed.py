"""How a chart travels from a generated page to the published one without being read as
Markdown.

A heat map of 1,000 tools is thousands of SVG elements; Python-Markdown would parse each tag
of a raw HTML block (seconds per page), and the search index would read them again. So a page
carries each figure inside one HTML comment (:func:`wrap`), which Markdown passes over in one
step; the site's hooks (:mod:`generator.sitehooks`) take the figures out of the rendered page
and leave an empty placeholder element (:func:`take`, before the page is sanitized and
indexed), then put each figure, cleaned by the same sanitizer as every page, in its place in the
finished page (:func:`put`, before the final scan of what could run).

Only the handbook's own figures travel this way: each comment carries an HMAC of the figure
under a key made at random when this process starts, and each placeholder a random token, so a
comment or a placeholder written in a hand-written page or a procedure text is just a comment
(removed, never published) or an empty element. The build and MkDocs run in one process
(``handbook build`` and ``handbook serve``), which is what the key relies on; a page rendered by
another process keeps its figures out of the site rather than let them in unchecked.
"""

from __future__ import annotations

import hashlib
import hmac
import re
import secrets
from collections.abc import Mapping

from generator import sanitize
from generator.charts.svg import CONTROLS

_KEY = secrets.token_bytes(32)
_TOKEN = secrets.token_hex(8)  # in this process's placeholders' ids
_OPEN = "<!--hb-figure "
_FIGURE = re.compile(r"<!--hb-figure ([0-9a-f]{64}) (.*?)-->", re.DOTALL)
_SLOT = re.compile(rf'<div class="hb-figure-slot" id="hb-figure-slot-{_TOKEN}-(\d+)"></div>')


def _mac(html: str) -> str:
    return hmac.new(_KEY, html.encode("utf-8"), hashlib.sha256).hexdigest()


def wrap(html: str) -> str:
    """``html`` (one figure) as a signed HTML comment a page can carry through Markdown.

    Braces are written as character references: preprocessors that read the page's raw text
    (``pymdownx.critic``'s ``{++ ++}``, ``{-- --}``...) would otherwise rewrite a name or a
    commit subject inside the figure, and the figure would no longer match its signature. Control
    characters but line feeds are dropped (Python-Markdown removes STX and ETX from the page).

    Raises ValueError if the figure holds ``-->``, which would end the comment early (every
    value in a figure is escaped, so only a bug could put one there)."""
    if "-->" in html or "--!>" in html:
        raise ValueError("a figure cannot hold '-->'")
    html = html.replace("{", "&#123;").replace("}", "&#125;").translate(CONTROLS)
    return f"{_OPEN}{_mac(html)} {html}-->"


def count(text: str) -> int:
    """How many figures of this process ``text`` (a page's Markdown or HTML) carries intact."""
    if _OPEN not in text:
        return 0
    return sum(hmac.compare_digest(m.group(1), _mac(m.group(2))) for m in _FIGURE.finditer(text))


def take(html: str) -> tuple[str, dict[str, str]]:
    """The rendered page with each figure of this process replaced by a numbered placeholder,
    and the figures by number; a comment whose signature does not match is left as it is (the
    sanitizer then removes it, as every comment)."""
    figures: dict[str, str] = {}

    def slot(m: re.Match[str]) -> str:
        if not hmac.compare_digest(m.group(1), _mac(m.group(2))):
            return m.group(0)
        key = str(len(figures))
        figures[key] = m.group(2)
        return f'<div class="hb-figure-slot" id="hb-figure-slot-{_TOKEN}-{key}"></div>'

    return _FIGURE.sub(slot, html) if _OPEN in html else html, figures


_BOX = re.compile(
    r'(<figure class="hb-figure" id="(hb-chart-[a-z0-9-]+)">.*?)<div class="hb-chart-box">',
    re.DOTALL,
)


def _box(figure: str) -> str:
    """The sanitized ``figure`` with its chart's box a region the keyboard can reach, named by
    the chart's title: on a phone the box scrolls sideways (handbook.css), and a region that
    scrolls must take focus for the arrow keys to scroll it (WCAG 2.1.1). Added after
    sanitizing, which lets a page's own markup take no focus (only figures get this)."""
    return _BOX.sub(
        r'\1<div class="hb-chart-box" tabindex="0" role="region" aria-labelledby="\2-t">',
        figure,
        count=1,
    )


def put(output: str, figures: Mapping[str, str]) -> str:
    """The finished page with each placeholder holding its figure, sanitized (:func:`_box`)."""
    if not figures:
        return output
    return _SLOT.sub(
        lambda m: (
            _box(sanitize.clean(figures[m.group(1)])) if m.group(1) in figures else m.group(0)
        ),
        output,
    )
