"""Markup the site would remove: ``html-removed`` warnings at the Markdown source's file:line.

Every hand-written page (``content/pages/*.md``) and every Markdown field of the procedure and
guidance (the schemas' ``markdown`` type) is rendered with the site's Markdown extensions and
cleaned by :mod:`generator.sanitize`, exactly as the build will clean it; whatever cleaning
takes out is a warning naming the construct, so an author learns that the ``<iframe>`` they
wrote will not be published instead of finding it silently gone.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping, Sequence
from typing import Any

from generator import sanitize, siteconfig
from generator.diagnostics import Diagnostic
from generator.load import Document, Tree
from generator.rules import RULES
from generator.schema import Schemas, dotted


def check(
    tree: Tree, schemas: Schemas, render: Callable[[str], str], valid: set[str]
) -> list[Diagnostic]:
    """``html-removed`` for every construct the site would remove from the handbook's Markdown
    (valid documents only: an invalid one is reported by its schema errors first)."""
    found: list[Diagnostic] = []
    for page in tree.pages:
        try:
            html = render(page.body)
        except siteconfig.TooSlow:
            found.append(_too_slow(page.path, 1, 1))
            continue
        for r, offset in sanitize.locate(page.body, sanitize.removed(html)):
            at = offset + page.body_start if offset >= 0 else -1
            found.append(_warning(r, page.path, page.text, at))
    for doc in tree.documents:
        if doc.path not in valid:
            continue
        for pattern in schemas.markdown_paths(doc.kind):
            for where, text in _values(doc.data, pattern, []):
                try:
                    lost = sanitize.removed(render(text))
                except siteconfig.TooSlow:
                    found.append(_too_slow(doc.path, *doc.locate(where), dotted(where)))
                    continue
                if lost:
                    found += _field_warnings(doc, where, text, lost)
    return found


def _too_slow(path: str, line: int, column: int, field: str | None = None) -> Diagnostic:
    rule = RULES["markdown-too-complex"]
    what = f"{field} takes" if field else "the page takes"
    return Diagnostic(
        rule.id,
        rule.severity,
        f"{what} more than {siteconfig.RENDER_SECONDS:g} s to render as Markdown, so it is not "
        "published",
        path,
        line,
        column,
        hint="look for long runs of [ ] * _ or ` characters, and write them in a code block",
    )


def _values(
    data: Any, pattern: Sequence[str], where: list[str | int]
) -> Iterator[tuple[list[str | int], str]]:
    if not pattern:
        if isinstance(data, str):
            yield where, data
        return
    step, rest = pattern[0], pattern[1:]
    if step == "*" and isinstance(data, list):
        for i, item in enumerate(data):
            yield from _values(item, rest, [*where, i])
    elif isinstance(data, Mapping) and step in data:
        yield from _values(data[step], rest, [*where, step])


def _field_warnings(
    doc: Document, where: list[str | int], text: str, lost: list[sanitize.Removed]
) -> list[Diagnostic]:
    """Warnings positioned in the YAML file: at the construct when it can be found after the
    value's start, else at the value."""
    line, column = doc.locate(where)
    start = _offset(doc.text, line, column)
    out = []
    for r, offset in sanitize.locate(text, lost):
        snippet = text[offset : offset + 12] if offset >= 0 else ""
        at = doc.text.find(snippet, start) if snippet else -1
        diag = _warning(r, doc.path, doc.text, at, field=dotted(where))
        out.append(diag if at >= 0 else _at(diag, line, column))
    return out


def _offset(text: str, line: int, column: int) -> int:
    pos = 0
    for _ in range(line - 1):
        nxt = text.find("\n", pos)
        if nxt < 0:
            return len(text)
        pos = nxt + 1
    return pos + column - 1


def _warning(
    r: sanitize.Removed, path: str, source: str, offset: int, field: str | None = None
) -> Diagnostic:
    rule = RULES["html-removed"]
    if offset >= 0:
        line = source.count("\n", 0, offset) + 1
        column = offset - (source.rfind("\n", 0, offset) + 1) + 1
    else:
        line, column = 1, 1
    where = f"{field}: " if field else ""
    return Diagnostic(
        rule.id,
        rule.severity,
        f"{where}{r.describe()} is removed when the page is published: {r.why()}",
        path,
        line,
        column,
        hint="remove it, or write it in Markdown; the rules reference lists what pages may use",
    )


def _at(d: Diagnostic, line: int, column: int) -> Diagnostic:
    return Diagnostic(d.rule, d.severity, d.message, d.path, line, column, hint=d.hint)
