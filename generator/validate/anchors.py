"""Anchors that are unique on each generated page: ``anchor-duplicate`` at the YAML's file:line.

Several sources put ids on one page: a phase page carries its steps' ids, the ids its template
gives sections (``faq``), its heading's id, and whatever its Markdown fields write (an
attr_list ``{#id}`` or raw ``id=``); the guidance page carries every tip's, pitfall's and
question's id beside its own sections'. HTML keeps only the first element of an id, so a second
one is unreachable: each is reported where it is written, naming the first.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

from generator import sanitize, siteconfig
from generator.checks.links.extract import scan_html
from generator.diagnostics import Diagnostic
from generator.load import Document, Tree
from generator.rules import RULES
from generator.schema import dotted
from generator.sitenames import PAGE_ANCHORS, page_heading

Render = Callable[[str], str]


@dataclass(frozen=True, slots=True)
class Anchor:
    ident: str
    what: str  # "step 'define-problem'", "tips[0]"
    doc: Document | None  # None: the template's own
    where: tuple[str | int, ...] = ()
    written: bool = False  # written inside a Markdown field: positioned at the id itself


def check(tree: Tree, valid: set[str], render: Render) -> list[Diagnostic]:
    """``anchor-duplicate`` for each id that a generated page would define twice."""
    docs = [d for d in tree.documents if d.path in valid]
    guidance = next((d for d in docs if d.kind == "guidance"), None)
    found: list[Diagnostic] = []
    for doc in docs:
        if doc.kind == "phase":
            found += _duplicates(_phase(doc, guidance, render))
    if guidance is not None:
        found += _duplicates(_guidance(guidance, render))
    return found


def _reserved(kind: str, heading: str) -> Iterator[Anchor]:
    slug = siteconfig.slugify()(heading, "-")
    yield Anchor(slug, f"the page's heading ({heading!r})", None)
    for ident, what in PAGE_ANCHORS[kind].items():
        yield Anchor(ident, what, None)


def _phase(doc: Document, guidance: Document | None, render: Render) -> Iterator[Anchor]:
    data = doc.data
    yield from _reserved("phase", page_heading("phase", data["number"], data["title"]))
    step_ids = set()
    for i, step in enumerate(data["steps"]):
        if step["id"] not in step_ids:  # a repeated step id is id-duplicate's to report
            yield Anchor(step["id"], f"step {step['id']!r}", doc, ("steps", i, "id"))
        step_ids.add(step["id"])
    yield from _written(doc, ("intro",), data.get("intro"), render)
    for i, step in enumerate(data["steps"]):
        for key in ("purpose", "details"):
            yield from _written(doc, ("steps", i, key), step.get(key), render)
        for j, item in enumerate(step["checklist"]):
            yield from _written(doc, ("steps", i, "checklist", j), item, render)
    if guidance is not None:  # tips and pitfalls of these steps appear on the phase page
        for section in ("tips", "pitfalls", "faq"):
            for i, entry in enumerate(guidance.data.get(section, [])):
                if step_ids & set(entry.get("steps", [])):
                    key = "answer" if section == "faq" else "text"
                    yield from _written(guidance, (section, i, key), entry.get(key), render)


def _guidance(doc: Document, render: Render) -> Iterator[Anchor]:
    yield from _reserved("guidance", page_heading("guidance"))
    for section in ("tips", "pitfalls", "faq"):
        for i, entry in enumerate(doc.data.get(section, [])):
            yield Anchor(entry["id"], f"{section}[{i}] ({entry['id']!r})", doc, (section, i, "id"))
    for section in ("tips", "pitfalls", "faq"):
        for i, entry in enumerate(doc.data.get(section, [])):
            key = "answer" if section == "faq" else "text"
            yield from _written(doc, (section, i, key), entry.get(key), render)


def _written(
    doc: Document, where: tuple[str | int, ...], text: Any, render: Render
) -> Iterator[Anchor]:
    """The ids a Markdown field writes itself (attr_list or raw HTML), not those headings get
    from their text (Markdown numbers those apart)."""
    if not isinstance(text, str) or ("id" not in text and "#" not in text):
        return
    try:
        html = sanitize.clean(render(text))  # the ids the published page keeps
    except siteconfig.TooSlow:
        return  # reported by generator.validate.markup
    auto = {a.ident for a in _heading_ids(html)}
    for ident in sorted(scan_html(html).ids - auto):
        yield Anchor(ident, f"{dotted(list(where))} (an id it writes)", doc, where, written=True)


def _heading_ids(html: str) -> Iterator[Anchor]:
    from html.parser import HTMLParser

    found: list[Anchor] = []

    class Headings(HTMLParser):
        def __init__(self) -> None:
            super().__init__(convert_charrefs=True)
            self.open: tuple[str, str] | None = None
            self.text = ""

        def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
            ident = dict(attrs).get("id")
            if tag in ("h1", "h2", "h3", "h4", "h5", "h6") and ident:
                self.open, self.text = (tag, ident), ""

        def handle_data(self, data: str) -> None:
            if self.open:
                self.text += data

        def handle_endtag(self, tag: str) -> None:
            if self.open and tag == self.open[0]:
                slug = siteconfig.slugify()(self.text.rstrip("¶").strip(), "-")
                if self.open[1] == slug or self.open[1].startswith(slug + "_"):
                    found.append(Anchor(self.open[1], "", None))
                self.open = None

    parser = Headings()
    parser.feed(html)
    parser.close()
    yield from found


def _at_id(text: str, line: int, column: int, ident: str) -> tuple[int, int]:
    """Where ``ident`` is written after the value starting at ``line``:``column``."""
    start = 0
    for _ in range(line - 1):
        start = text.index("\n", start) + 1
    at = text.find(ident, start + column - 1)
    if at < 0:
        return line, column
    return text.count("\n", 0, at) + 1, at - (text.rfind("\n", 0, at) + 1) + 1


def _duplicates(anchors: Iterator[Anchor]) -> list[Diagnostic]:
    rule = RULES["anchor-duplicate"]
    first: dict[str, Anchor] = {}
    out = []
    for a in anchors:
        if a.ident not in first:
            first[a.ident] = a
            continue
        if a.doc is None:
            continue  # the template's own anchors come first and never clash with each other
        other = first[a.ident]
        taken = (
            f"is already {other.what}"
            if other.doc is None
            else f"is also the id of {other.what}"
            + ("" if other.doc.path == a.doc.path else f" in {other.doc.path}")
        )
        line, column = a.doc.locate(list(a.where))
        if a.written:
            line, column = _at_id(a.doc.text, line, column, a.ident)
        out.append(
            Diagnostic(
                rule.id,
                rule.severity,
                f"id {a.ident!r} of {a.what} {taken} on the same page; "
                f"links to '#{a.ident}' reach only one of them",
                a.doc.path,
                line,
                column,
                hint="give it an id of its own",
            )
        )
    return out
