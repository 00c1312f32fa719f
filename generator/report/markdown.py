"""A Markdown report grouped by owner: for each owner their findings, worst first.

Every value from user data is escaped so that a YAML value cannot inject HTML, @-mentions,
images, links or table cells into the page it is shown on (a pull-request comment, an issue,
a job summary): Markdown punctuation is backslash-escaped, ``<``, ``>`` and ``&`` become entities,
``@`` (mentions) and ``#`` (issue references) are followed by a zero-width joiner, ``://`` and
``www.`` cannot autolink, and line breaks, control characters and bidi overrides become spaces.
The issue body and the pull-request comment use the same ``escape`` and ``code``.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from generator.diagnostics import Diagnostic, Severity, sort_key
from generator.report.text import summary

NO_OWNER = "No owner"
ZWJ = "\u200d"  # after '@' and '#': stops mentions, team pings and cross-references
# control characters, line/paragraph separators, and bidirectional overrides (which can make
# text read differently from what it is)
_CONTROL = re.compile(r"[\x00-\x1f\x7f\u2028\u2029\u202a-\u202e\u2066-\u2069]+")
_WWW = re.compile(r"(?i)\b(www)\.")
_ESCAPE = {
    "&": "&amp;",
    "<": "&lt;",
    ">": "&gt;",
    "@": "@" + ZWJ,
    "#": "#" + ZWJ,
    **{c: "\\" + c for c in "\\`*_~[]()!|:{}$"},
}
_ICON = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.NOTE: "note"}


def one_line(value: str) -> str:
    """Newlines and other control characters become single spaces: a value stays in its line."""
    return _CONTROL.sub(" ", value).strip()


def escape(value: str) -> str:
    """Inline Markdown that renders as exactly this text: no markup, links, HTML or mentions.

    Safe anywhere in GitHub-flavoured Markdown, including a table cell.
    """
    escaped = "".join(_ESCAPE.get(c, c) for c in one_line(value))
    escaped = _WWW.sub(r"\1\\.", escaped)  # no "www." autolinks ("://" is already broken)
    # At the start of a line, '=', '-', '+' or '1.' would make a heading, a rule or a list.
    if number := re.match(r"\d+(?=[.)])", escaped):
        return escaped[: number.end()] + "\\" + escaped[number.end() :]
    return "\\" + escaped if escaped[:1] in ("=", "-", "+") else escaped


def code(value: str) -> str:
    """A code span: GitHub renders nothing inside (no mentions, links, images or HTML)."""
    value = one_line(value)
    if not value:
        return "(empty)"
    longest = max((len(run) for run in re.findall(r"`+", value)), default=0)
    fence = "`" * (longest + 1)
    pad = " " if value[0] in "` " or value[-1] in "` " else ""
    return f"{fence}{pad}{value}{pad}{fence}"


def cell_code(value: str) -> str:
    """A code span inside a table cell: GitHub reads '\\|' there as a literal pipe."""
    return code(value).replace("|", "\\|")


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


def worst_first(d: Diagnostic) -> tuple[int, int, int, tuple[str, int, int, str, str]]:
    """Errors before warnings; then the most overdue (fewest days left), findings without a
    due date after those with one; then by location."""
    return (d.severity.rank, int(d.days is None), d.days or 0, sort_key(d))


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
            finding = f"{escape(d.message)} ({cell_code(d.rule)})"
            if d.hint:
                finding += f"<br>Fix: {escape(d.hint)}"
            subject = cell_code(d.subject) if d.subject else "—"
            out.append(
                f"| {_ICON[d.severity]} | {subject} | {finding} | {due_cell(d)} "
                f"| {cell_code(d.location)} |"
            )
        out.append("")
    return "\n".join(out)
