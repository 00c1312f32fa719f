"""The result of a comparison: :class:`Change` values gathered in a :class:`GovDiff`.

Each change is a template in our words plus the user's values, kept apart so that every renderer
can quote the values its own way: Markdown puts them in code spans or escapes them, so a tool
name cannot mention people, embed images or inject HTML into the pull-request comment.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field

from generator.chars import reveal
from generator.diagnostics import Diagnostic
from generator.report.markdown import one_line

WARNING, ATTENTION, INFO = "warning", "attention", "info"
LEVELS = (WARNING, ATTENTION, INFO)
AREAS = (
    "tool",
    "vendor",
    "policy",
    "procedure",
    "guidance",
    "framework",
    "schema",
    "site",
    "page",
    "asset",
    "codeowners",
)

Value = str | int | float | bool | None | list[str]


def plain(value: Value) -> str:
    """A value as one line of text: lists joined, booleans as YAML writes them, and characters
    a reader could mistake shown as escapes (:func:`generator.chars.reveal`, as in findings)."""
    if value is None:
        return "(none)"
    if isinstance(value, list):
        return ", ".join(one_line(reveal(v)) for v in value) if value else "(none)"
    if isinstance(value, bool):
        return "true" if value else "false"
    return one_line(reveal(str(value)))


@dataclass(frozen=True, slots=True)
class Change:
    """One governance-relevant change: ``template`` is ours, ``values`` are the user's data."""

    level: str  # warning | attention | info
    kind: str  # stable id, e.g. "status", "data-widened"
    area: str  # tool | vendor | policy | procedure | guidance | framework | schema | site | page
    # | asset | codeowners; the subject: the tool, vendor or step id; "policy"; "guidance"; the
    # framework's id; the schema's
    # file name; "mkdocs.yml"; the page's name; the asset's path under content/assets/;
    # ".github/CODEOWNERS"
    subject: str
    path: str
    template: str
    values: Mapping[str, Value] = field(default_factory=dict)
    name: str | None = None  # the entry's display name

    def text(self) -> str:
        return self.template.format_map({k: plain(v) for k, v in self.values.items()})


@dataclass(frozen=True, slots=True)
class GovDiff:
    base: str
    head: str
    base_rev: str | None
    head_rev: str | None
    changes: tuple[Change, ...]
    problems: tuple[Diagnostic, ...] = ()

    def count(self, level: str) -> int:
        return sum(1 for c in self.changes if c.level == level)


class Changes:
    """The changes found so far, in the order the comparison finds them."""

    def __init__(self) -> None:
        self.changes: list[Change] = []

    def add(
        self,
        level: str,
        kind: str,
        area: str,
        subject: str,
        path: str,
        template: str,
        name: object = None,
        **values: object,
    ) -> None:
        clean = {k: _clean(v) for k, v in values.items()}
        shown = name if isinstance(name, str) else None
        self.changes.append(Change(level, kind, area, subject, path, template, clean, shown))

    def entry(self, area: str, subject: str, path: str, name: object = None) -> Callable[..., None]:
        """``add(level, kind, template, **values)`` for the changes of one entry."""

        def add(level: str, kind: str, template: str, **values: object) -> None:
            self.add(level, kind, area, subject, path, template, name, **values)

        return add


def _clean(value: object) -> Value:
    """Values as JSON-safe scalars or lists of text (the data has not been validated): YAML's
    ``.nan`` and ``.inf`` become text, since JSON has no such numbers."""
    if isinstance(value, float) and not math.isfinite(value):
        return str(value)
    if value is None or isinstance(value, (str, int, float, bool)):
        return value
    if isinstance(value, list):
        return [str(v) for v in value]
    return str(value)
