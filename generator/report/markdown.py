"""A Markdown report grouped by owner: for each owner their findings, worst first.

Every value from user data is escaped so that a YAML value cannot inject HTML, @-mentions,
images, links or table cells into the page it is shown on (a pull-request comment, an issue,
a job summary): Markdown punctuation is backslash-escaped, ``<``, ``>`` and ``&`` become entities,
``@`` (mentions), ``#`` (issue references), ``://`` and ``www.`` (autolinks) are broken with a
zero-width space, and line breaks, control characters and bidi overrides become spaces.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from generator.diagnostics import Diagnostic, Severity, sort_key
from generator.report.text import summary

NO_OWNER = "No owner"
_ZWSP = "&#8203;"
_ESCAPE = {
    "&": "&amp;",
    "<": "&lt;",
    ">": "&gt;",
    "@": "@" + _ZWSP,
    "#": "#" + _ZWSP,
    **{c: "\\" + c for c in "\\`*_[]!|~"},
}
# line breaks and other controls, and bidirectional overrides (text that reads as it is not)
_CONTROL = re.compile(r"[\x00-\x1f\x7f\u2028\u2029\u202a-\u202e\u2066-\u2069]+")
_ICON = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.NOTE: "note"}


def escape(text: str) -> str:
    """Text safe to place anywhere in Markdown, including inside a table cell."""
    text = "".join(_ESCAPE.get(c, c) for c in _CONTROL.sub(" ", text).strip())
    text = text.replace(":/", ":" + _ZWSP + "/")
    return re.sub(r"(?i)\b(www)\.", lambda m: m.group(1) + _ZWSP + ".", text)


def days_text(days: int) -> str:
    if days < 0:
        return f"{-days} day{'' if days == -1 else 's'} overdue"
    if days == 0:
        return "due today"
    return f"{days} day{'' if days == 1 else 's'} left"


def due_cell(d: Diagnostic) -> str:
    if d.due is None:
        return "—"
    return escape(d.due) + (f" ({days_text(d.days)})" if d.days is not None else "")


def worst_first(d: Diagnostic) -> tuple[int, int, tuple[str, int, int, str, str]]:
    return (d.severity.rank, d.days if d.days is not None else 0, sort_key(d))


def owners_of(d: Diagnostic) -> list[str]:
    names = [o.strip() for o in (d.owner or "").split(",") if o.strip()]
    return names or [NO_OWNER]


def render(diags: Sequence[Diagnostic], *, title: str = "Governance report") -> str:
    out = [f"# {escape(title)}", "", f"**{summary(diags)}**", ""]
    if not diags:
        out += ["Nothing is stale and nothing is broken.", ""]
        return "\n".join(out)
    groups: dict[str, list[Diagnostic]] = {}
    for d in diags:
        for owner in owners_of(d):
            groups.setdefault(owner, []).append(d)
    order = sorted(
        groups,
        key=lambda o: (o == NO_OWNER, min(d.severity.rank for d in groups[o]), o.casefold(), o),
    )
    for owner in order:
        found = sorted(groups[owner], key=worst_first)
        out += [f"## {escape(owner)}", "", f"{summary(found)}", ""]
        out += ["| Severity | Subject | Finding | Due | Where |", "|---|---|---|---|---|"]
        for d in found:
            finding = f"{escape(d.message)} ({escape(d.rule)})"
            if d.hint:
                finding += f"<br>Fix: {escape(d.hint)}"
            subject = escape(d.subject) if d.subject else "—"
            out.append(
                f"| {_ICON[d.severity]} | {subject} | {finding} | {due_cell(d)} "
                f"| {escape(d.location)} |"
            )
        out.append("")
    return "\n".join(out)
