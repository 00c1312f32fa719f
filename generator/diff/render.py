"""A GovDiff as text, versioned JSON, or the Markdown comment the pull-request workflow posts.

User values reach Markdown only through :func:`md_value`: short tokens (ids, statuses, dates) go
into code spans, where GitHub neither links nor mentions nor renders HTML; anything else goes
through the project's Markdown escaping (report/markdown.py: punctuation, HTML, @-mentions,
issue references and autolinks all neutralised). Templates are ours and are not escaped. In
every format, characters a reader could mistake (an invisible one, a Cyrillic letter in a Latin
word) are shown as escapes (:func:`generator.chars.reveal`), as they are in findings.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable

from generator.chars import reveal
from generator.diff.changes import (
    AREAS,
    ATTENTION,
    INFO,
    LEVELS,
    WARNING,
    Change,
    GovDiff,
    Value,
    plain,
)
from generator.report.markdown import escape

MARKER = "<!-- handbook:governance-diff -->"
MAX_MARKDOWN = 60_000  # GitHub refuses comments over 65,536 characters


def _ordered(d: GovDiff) -> list[tuple[tuple[str, str, str], list[Change]]]:
    groups: dict[tuple[str, str, str], list[Change]] = {}
    for c in d.changes:
        groups.setdefault((c.area, c.subject, c.path), []).append(c)
    return sorted(groups.items(), key=lambda kv: (AREAS.index(kv[0][0]), kv[0][1], kv[0][2]))


def _summary(d: GovDiff) -> str:
    n_warn, n_att = d.count(WARNING), d.count(ATTENTION)
    n_info = len(d.changes) - n_warn - n_att
    return (
        f"{n_warn} warning{'s' if n_warn != 1 else ''}, "
        f"{n_att} need{'s' if n_att == 1 else ''} attention, "
        f"{n_info} other change{'s' if n_info != 1 else ''}"
    )


def render_text(d: GovDiff) -> str:
    lines = [f"governance changes from {d.base} to {d.head}: {_summary(d)}"]
    for (area, subject, path), changes in _ordered(d):
        name = changes[0].name
        lines.append("")
        head = f"{area} {subject}" + (f" ({name})" if name else "") + f"  {path}"
        lines.append(reveal(head))
        lines += [f"  {c.level:<9}  {c.text()}" for c in changes]
    for p in d.problems:
        lines.append(f"could not read {p.location}: {p.message}")
    return "\n".join(lines) + "\n"


def render_json(d: GovDiff) -> str:
    doc = {
        "version": 1,
        "base": {"rev": d.base_rev, "label": d.base},
        "head": {"rev": d.head_rev, "label": d.head},
        "summary": {level: d.count(level) for level in LEVELS},
        "changes": [
            {
                "level": c.level,
                "kind": c.kind,
                "area": c.area,
                "subject": c.subject,
                "name": c.name,
                "path": c.path,
                "message": c.text(),
                "values": dict(c.values),
            }
            for _, changes in _ordered(d)
            for c in changes
        ],
        "problems": [
            {
                "rule": p.rule,
                "path": p.path,
                "line": p.line,
                "column": p.column,
                "message": p.message,
            }
            for p in d.problems
        ],
    }
    return json.dumps(doc, indent=2, ensure_ascii=False) + "\n"


_TOKEN = re.compile(r"^\S{1,80}$")
# line breaks, other controls and bidirectional overrides: spaces, even inside code spans
_CONTROL = re.compile(r"[\x00-\x1f\x7f\u2028\u2029\u202a-\u202e\u2066-\u2069]+")


def md_code(value: str) -> str:
    """A code span: GitHub renders its content literally (no mentions, links, images, HTML);
    characters a reader could mistake are shown as escapes first."""
    value = " ".join(_CONTROL.sub(" ", reveal(value)).split())
    if not value:
        return "*(empty)*"
    fence = "`" * (max((len(r) for r in re.findall(r"`+", value)), default=0) + 1)
    pad = " " if value.startswith("`") or value.endswith("`") else ""
    return f"{fence}{pad}{value}{pad}{fence}"


def md_text(value: str) -> str:
    return escape(" ".join(reveal(value).split()))  # reveal first: escape() adds joiners


def md_value(value: Value) -> str:
    if value is None:
        return "*(none)*"
    if isinstance(value, list):
        return ", ".join(md_value(v) for v in value) if value else "*(none)*"
    text = plain(value)
    return md_code(text) if _TOKEN.match(text) else f"“{md_text(text)}”"


ICON = {WARNING: "❗ ", ATTENTION: "⚠️ ", INFO: ""}
AREA_TITLES = {
    "tool": "Tools",
    "vendor": "Vendors",
    "policy": "Policy",
    "procedure": "Procedure",
    "guidance": "Guidance",
    "framework": "Frameworks",
    "schema": "Schemas",
    "site": "Site configuration",
    "page": "Pages",
    "asset": "Assets",
    "codeowners": "Code owners",
}


def _md_change(c: Change) -> str:
    return c.template.format_map({k: md_value(v) for k, v in c.values.items()})


def _md_subject(area: str, subject: str, name: str | None) -> str:
    label = {
        "tool": "Tool",
        "vendor": "Vendor",
        "procedure": "Step",
        "schema": "Schema",
        "page": "Page",
        "asset": "Asset",
    }.get(area)
    if label is None:
        return f"**{AREA_TITLES[area]}**"
    return f"**{label} {md_code(subject)}**" + (f" {md_text(name)}" if name else "")


def render_markdown(d: GovDiff) -> str:
    """The pull-request comment: one per pull request, found again by MARKER."""
    head = [
        MARKER,
        "### Governance changes",
        "",
        f"Comparing {md_code(d.base)} with "
        f"{md_code(d.head) if d.head_rev else 'the working tree'}: {_summary(d)}.",
    ]
    if not d.changes:
        head += ["", "No change to the registry, the procedure, the schemas or the site."]
    urgent = [c for c in d.changes if c.level != INFO]
    urgent.sort(key=lambda c: LEVELS.index(c.level))
    if urgent:
        head += ["", "#### Needs a reviewer's attention", ""]
        head += [
            f"- {ICON[c.level]}{_md_subject(c.area, c.subject, None)}: {_md_change(c)}"
            for c in urgent
        ]
    body: list[str] = []
    area_seen = ""
    shown = 0
    groups = _ordered(d)
    for (area, subject, path), changes in groups:
        block = []
        if area != area_seen:
            block += ["", f"#### {AREA_TITLES[area]}"]
            area_seen = area
        block += ["", f"{_md_subject(area, subject, changes[0].name)} · {md_code(path)}", ""]
        block += [f"- {ICON[c.level]}{_md_change(c)}" for c in changes]
        if len("\n".join(head + body + block)) > MAX_MARKDOWN:
            break
        body += block
        shown += 1
    if shown < len(groups):
        body += [
            "",
            f"… and {len(groups) - shown} more entries changed; run "
            f"`handbook diff {d.base}{' ' + d.head if d.head_rev else ''}` for the full list.",
        ]
    if d.problems:
        body += ["", "#### Files that could not be read", ""]
        body += [f"- {md_code(p.location)}: {md_text(p.message)}" for p in d.problems[:50]]
    foot = [
        "",
        "<sub>Posted by <code>handbook diff</code>. It states what changed; "
        "<code>handbook validate</code> checks the rules.</sub>",
    ]
    return "\n".join(head + body + foot) + "\n"


RENDERERS: dict[str, Callable[[GovDiff], str]] = {
    "text": render_text,
    "json": render_json,
    "markdown": render_markdown,
}
