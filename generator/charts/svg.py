"""The pieces every chart is drawn from: a figure with its SVG and text equivalent, shapes,
marks and a time scale. Pure string building: no files, no clock.

A chart is an inline ``<svg>`` inside a ``<figure>``: its ``<title>`` and ``<desc>`` name it for
assistive technology (``aria-labelledby``), the caption says the same to every reader, and the
same data follows as a table inside a collapsed ``<details>`` (the text equivalent). Colours
come only from classes (``hb-k-<key>``) that ``assets/handbook.css`` paints for both colour
schemes and for print; no style attribute, script, ``<use>`` or reference to another file, so
the site's sanitizer (:mod:`generator.sanitize`) keeps every element. Shapes carry the meaning
as well as colours do (a cross for late, a triangle for soon, a circle for later).

Every value reaches the SVG through :func:`generator.escape.html`.
"""

from __future__ import annotations

import math
import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from generator import escape
from generator.model import STATUSES

#: Text of a chart's label column is cut to this many characters (the full name is in the
#: link's title and the table).
LABEL_CHARS = 28
#: Height of one row of a row-per-item chart, in SVG units (the units are CSS pixels at 100%).
ROW = 18


@dataclass(frozen=True, slots=True)
class Table:
    """The chart's data as a table: column headings (plain text) and rows of cells (HTML)."""

    head: Sequence[str]
    rows: Sequence[Sequence[str]]
    numeric: frozenset[int] = frozenset()  # columns aligned right


@dataclass(frozen=True, slots=True)
class Chart:
    """One chart: ``key`` makes its ids (``hb-chart-<key>``, unique on its page), ``body`` its
    SVG elements (already escaped), ``width`` x ``height`` its size in SVG units."""

    key: str
    title: str
    desc: str
    width: int
    height: int
    body: Sequence[str]
    table: Table
    linked: bool = False  # the marks are links: the SVG is a group, not one image


def figure(chart: Chart) -> str:
    """The chart as one raw-HTML block: figure, caption, SVG and the collapsed table.

    No blank line inside (Python-Markdown ends a raw HTML block at one)."""
    cid = f"hb-chart-{chart.key}"
    role = "group" if chart.linked else "img"
    svg = (
        f'<svg class="hb-chart" role="{role}" aria-labelledby="{cid}-t {cid}-d" '
        f'viewBox="0 0 {chart.width} {chart.height}" width="{chart.width}" '
        f'height="{chart.height}" preserveAspectRatio="xMinYMin meet" focusable="false">'
        f'<title id="{cid}-t">{h(chart.title)}</title><desc id="{cid}-d">{h(chart.desc)}</desc>'
        + "".join(chart.body)
        + "</svg>"
    )
    return (
        f'<figure class="hb-figure" id="{cid}">\n'
        f"<figcaption><strong>{h(chart.title)}</strong>. {h(chart.desc)}</figcaption>\n"
        f'<div class="hb-chart-box">{svg}</div>\n'
        f'<details class="hb-chart-data"><summary>{h(chart.title)}: the data as a table'
        f"</summary>\n{table_html(chart.table)}\n</details>\n</figure>"
    )


def table_html(table: Table) -> str:
    """``table`` as an HTML table; cells are HTML already."""

    def cell(i: int, value: str, tag: str) -> str:
        align = ' style="text-align: right"' if i in table.numeric else ""
        scope = ' scope="col"' if tag == "th" else ""
        return f"<{tag}{scope}{align}>{value}</{tag}>"

    head = "".join(cell(i, h(c), "th") for i, c in enumerate(table.head))
    body = "".join(
        "<tr>" + "".join(cell(i, c, "td") for i, c in enumerate(row)) + "</tr>\n"
        for row in table.rows
    )
    return f"<table>\n<thead><tr>{head}</tr></thead>\n<tbody>\n{body}</tbody>\n</table>"


#: C0 controls but the line feed, and DEL, for ``str.translate`` to drop: not text in HTML,
#: and Python-Markdown drops STX and ETX (its own placeholder marks) from the whole page, a
#: figure's signed comment included. (Line feeds in a value are collapsed by ``h``.)
CONTROLS = dict.fromkeys(c for c in [*range(0x20), 0x7F] if c != 0x0A)


def h(value: object) -> str:
    """A value as one line of escaped text: whitespace runs collapse to one space, so no value
    can put a blank line (the end of a raw HTML block for Python-Markdown) into a figure,
    control characters are dropped (a commit subject can hold any) and a lone surrogate is
    "?"."""
    if value is None:
        return escape.html(None)
    text = " ".join(str(value).split()).translate(CONTROLS)
    # a lone surrogate (from a pure-Python YAML parser) cannot be signed or published
    return escape.html(text.encode("utf-8", "replace").decode("utf-8"))


# -- shapes ---------------------------------------------------------------------------------------


def num(value: float) -> str:
    """A coordinate with at most one decimal (smaller files, the same picture)."""
    return f"{value:.1f}".rstrip("0").rstrip(".")


def token(value: str) -> str:
    """``value`` as part of a class name: lower-case letters, digits and hyphens only (a
    status read from an old revision of a file can hold anything)."""
    return re.sub(r"[^a-z0-9-]+", "", value.lower()) or "other"


def many(n: int, word: str) -> str:
    """'1 tool', '1,204 tools': a count (with thousands separators) and its noun."""
    return f"{n:,} {word}{'' if n == 1 else 's'}"


def status_class(status: str | None) -> str:
    """The class that paints ``status`` (a tool's status, as read from any revision of its
    file): ``hb-s-<status>`` for the statuses of the schema, ``hb-s-other`` for anything else
    (an old or mistyped value), apart from the classes of deadline and step states (hb-k-*)."""
    return f"hb-s-{status}" if status in STATUSES else "hb-s-other"


def text(x: float, y: float, value: str, cls: str = "", anchor: str = "") -> str:
    """A line of text; ``value`` and ``cls`` are escaped. ``anchor``: start (default), middle
    or end."""
    c = f' class="{h(cls)}"' if cls else ""
    a = f' text-anchor="{anchor}"' if anchor else ""
    return f'<text x="{num(x)}" y="{num(y)}"{c}{a}>{h(value)}</text>'


def rect(x: float, y: float, w: float, height: float, cls: str) -> str:
    return (
        f'<rect x="{num(x)}" y="{num(y)}" width="{num(max(w, 0))}" height="{num(height)}" '
        f'class="{h(cls)}"/>'
    )


def line(x1: float, y1: float, x2: float, y2: float, cls: str) -> str:
    return f'<line x1="{num(x1)}" y1="{num(y1)}" x2="{num(x2)}" y2="{num(y2)}" class="{h(cls)}"/>'


#: Mark shapes, each drawn around (x, y) within about 11 units.
SHAPES = ("circle", "triangle", "diamond", "cross", "square")


def mark(shape: str, x: float, y: float, cls: str) -> str:
    """A mark of ``shape`` (one of :data:`SHAPES`) centred on (x, y); ``cls`` is escaped."""
    if shape == "square":
        return rect(x - 4, y - 4, 8, 8, cls)
    cls = h(cls)
    if shape == "circle":
        return f'<circle cx="{num(x)}" cy="{num(y)}" r="4.5" class="{cls}"/>'
    if shape == "triangle":
        pts = " ".join(
            f"{num(x + dx)},{num(y + dy)}" for dx, dy in ((0, -5.5), (5.5, 4.5), (-5.5, 4.5))
        )
        return f'<polygon points="{pts}" class="{cls}"/>'
    if shape == "diamond":
        pts = " ".join(
            f"{num(x + dx)},{num(y + dy)}" for dx, dy in ((0, -6), (6, 0), (0, 6), (-6, 0))
        )
        return f'<polygon points="{pts}" class="{cls} hb-diamond"/>'
    # a cross: two strokes, wide enough to read without colour
    a, b, c, e = num(x - 4.5), num(x + 4.5), num(y - 4.5), num(y + 4.5)
    return f'<path d="M{a} {c}L{b} {e}M{b} {c}L{a} {e}" class="{cls} hb-cross"/>'


#: The attribute a link in a chart keeps its URL in. Not ``href``: Material's instant
#: navigation rewrites every relative ``[href]`` of a page it loads with ``el.href = el.href``,
#: which throws on an SVG link (its ``href`` is a read-only SVGAnimatedString) and leaves the
#: reader on the previous page. ``xlink:href`` is read by every browser, is not matched by
#: ``[href]``, and the sanitizer checks its URL as it checks ``href``.
HREF = "xlink:href"


def link(href: str, label: str, inner: str, *, focusable: bool = True) -> str:
    """``inner`` as a link to ``href`` (a site URL, escaped here) named by ``label``; not
    ``focusable``: out of the tab order (a chart's many marks, which its table also links)."""
    skip = "" if focusable else ' tabindex="-1"'
    return f'<a {HREF}="{h(href)}"{skip}><title>{h(label)}</title>{inner}</a>'


#: Combining marks kept on one character of a label (more only pile up over the next row).
MARKS_PER_CHAR = 2


def _regional(ch: str) -> bool:
    return "\U0001f1e6" <= ch <= "\U0001f1ff"  # the letters of a flag


def clip(value: str, limit: int = LABEL_CHARS) -> str:
    """``value`` cut to ``limit`` columns with an ellipsis, a column being the width of a
    Latin letter: a wide character (East Asian Wide or Fullwidth, Unicode UAX #11) takes two;
    combining marks, format characters (zero-width space, joiner) and variation selectors none.
    A cut never splits a character from its marks, an emoji sequence joined by U+200D or a
    flag's two letters, and a character keeps at most ``MARKS_PER_CHAR`` combining marks."""
    clusters: list[list[Any]] = []  # [text, columns, marks, joined to the next]
    for ch in value:
        kind = unicodedata.category(ch)
        last = clusters[-1] if clusters else None
        if kind in ("Mn", "Me", "Cf") or (last is not None and last[3]):
            if last is None:
                continue  # nothing for it to sit on
            mark = unicodedata.combining(ch) > 0
            if not (mark and last[2] >= MARKS_PER_CHAR):
                last[0] += ch
            last[2] += mark
            last[3] = ch == "\u200d"
            continue
        if last is not None and _regional(ch) and _regional(last[0]) and len(last[0]) == 1:
            last[0] += ch  # the second letter of a flag, drawn as one wide picture
            last[1] = 2
            continue
        wide = unicodedata.east_asian_width(ch) in ("W", "F")
        clusters.append([ch, 2 if wide else 1, 0, False])
    if sum(c[1] for c in clusters) <= limit:
        return "".join(c[0] for c in clusters)
    out, used = [], 0
    for text, width, *_ in clusters:
        if used + width > limit - 1:  # a column for the ellipsis
            break
        out.append(text)
        used += width
    return "".join(out).rstrip() + "…"


def legend(items: Sequence[tuple[str, str, str]], x: float, y: float) -> tuple[list[str], float]:
    """A row of (shape, class, word) keys starting at (x, y); the parts and the x after."""
    out: list[str] = []
    for shape, cls, word in items:
        out.append(mark(shape, x + 5, y - 4, cls))
        out.append(text(x + 14, y, word, "hb-small"))
        x += 24 + 6.2 * len(word)
    return out, x


# -- time -----------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class TimeScale:
    """Days from ``start`` to ``end`` onto x from ``x0`` to ``x1`` (dates outside are clamped)."""

    start: date
    end: date
    x0: float
    x1: float

    def x(self, day: date) -> float:
        span = max((self.end - self.start).days, 1)
        days = min(max((day - self.start).days, 0), span)
        return self.x0 + (self.x1 - self.x0) * days / span

    def months(self, every: int = 1) -> list[date]:
        """The first day of every ``every``-th month inside the scale (counted from January of
        year 0, so that yearly steps fall on January)."""
        out = []
        index = self.start.year * 12 + self.start.month - 1
        index += -index % every
        while index // 12 <= self.end.year:
            year, month = divmod(index, 12)
            if year > date.max.year:
                break
            day = date(year, month + 1, 1)
            if day > self.end:
                break
            if day >= self.start:
                out.append(day)
            index += every
        return out


#: Months between labelled grid lines, the first that leaves room for a label.
MONTH_STEPS = (1, 2, 3, 6, 12, 24, 60, 120, 240, 600, 1200)


def month_axis(scale: TimeScale, top: float, bottom: float, *, below: bool = False) -> list[str]:
    """Grid lines and labels (``Jan 2027``) at month starts between y=top and y=bottom, every
    month or, when months are narrow, every 2nd, 3rd, 6th month, every year, 2, 5, 10... years;
    labels above ``top``, or under ``bottom`` when ``below``."""
    months = max((scale.end - scale.start).days / 30.44, 1)
    room = (scale.x1 - scale.x0) / months  # units a month
    every = next((m for m in MONTH_STEPS if m * room >= 50), None)
    if every is None:  # centuries do not fit either: whole multiples of a century that do
        every = MONTH_STEPS[-1] * math.ceil(50 / (room * MONTH_STEPS[-1]))
    out = []
    for m in scale.months(every):
        x = scale.x(m)
        out.append(line(x, top, x, bottom, "hb-grid"))
        if x + 46 <= scale.x1 + 12:  # room for the label
            out.append(
                text(x + 2, bottom + 12 if below else top - 4, m.strftime("%b %Y"), "hb-small")
            )
    return out


def ticks(most: float, least: float = 0.0) -> list[float]:
    """Round values for a value axis from at most ``min(least, 0)`` to at least ``most`` (0 is
    always one of them), three to six of them, each a multiple of 1, 2, 2.5 or 5 times a power
    of ten; 0 and 1 when there is no range."""
    low, high = min(least, 0.0), max(most, 0.0)
    span = high - low
    if not span > 0 or not math.isfinite(span):
        return [0.0, 1.0]
    power = 10 ** math.floor(math.log10(span / 4))
    step = next(m * power for m in (1, 2, 2.5, 5, 10) if span / (m * power) <= 4)
    first, last = math.floor(low / step + 1e-9), math.ceil(high / step - 1e-9)
    digits = max(0, 3 - math.floor(math.log10(step)))  # rounding noise off, small steps kept
    return [round(i * step, digits) + 0.0 for i in range(first, last + 1)]
