"""The one error model: every stage returns Diagnostics; exceptions mean "cannot run"."""

from __future__ import annotations

import enum
from collections.abc import Iterable
from dataclasses import dataclass, replace

from generator.chars import reveal


class Severity(enum.Enum):
    ERROR = "error"
    WARNING = "warning"
    NOTE = "note"

    @property
    def rank(self) -> int:
        return {"error": 0, "warning": 1, "note": 2}[self.value]


@dataclass(frozen=True, slots=True)
class Diagnostic:
    """One finding. Its message and hint quote values from the handbook, so they are shown
    through :func:`generator.chars.reveal` once, here: a character a reader could mistake
    (an invisible one, a Cyrillic letter inside a Latin word, a full-width letter) reaches every
    report as a ``\\u0456``-style escape, whichever stage wrote the message."""

    rule: str
    severity: Severity
    message: str
    path: str | None = None
    line: int | None = None
    column: int | None = None
    hint: str | None = None
    # Optional facts for reports and the site; never used for sorting.
    subject: str | None = None  # the tool or vendor id the finding is about
    step: str | None = None  # the procedure step it concerns, e.g. "output-audit"
    owner: str | None = None
    due: str | None = None
    days: int | None = None
    certificate: str | None = None  # the vendor certification it concerns
    tools: tuple[str, ...] = ()  # the tools it concerns (a certificate's: those relying on it)
    target: str | None = None  # a link finding's URL as the page has it (not escaped)
    #: The framework entries the finding puts at risk, "framework-id:entry-id"
    #: (generator.frameworks.coverage.annotate).
    frameworks: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        object.__setattr__(self, "message", reveal(self.message))
        if self.path is not None:  # a file name can hold what a value can
            object.__setattr__(self, "path", reveal(self.path))
        if self.hint is not None:
            object.__setattr__(self, "hint", reveal(self.hint))

    def with_severity(self, severity: Severity) -> Diagnostic:
        return replace(self, severity=severity)

    @property
    def location(self) -> str:
        if self.path is None:
            return "<handbook>"
        parts = [self.path]
        if self.line is not None:
            parts.append(str(self.line))
            if self.column is not None:
                parts.append(str(self.column))
        return ":".join(parts)


def plural(n: int, word: str) -> str:
    """'1 day', '3 days': a count and its noun, for messages."""
    return f"{n} {word}{'' if n == 1 else 's'}"


def sort_key(d: Diagnostic) -> tuple[str, int, int, str, str]:
    return (d.path or "", d.line or 0, d.column or 0, d.rule, d.message)


def sorted_diagnostics(diags: Iterable[Diagnostic]) -> list[Diagnostic]:
    return sorted(diags, key=sort_key)


def count(diags: Iterable[Diagnostic]) -> dict[Severity, int]:
    out = dict.fromkeys(Severity, 0)
    for d in diags:
        out[d.severity] += 1
    return out


def exit_code(diags: Iterable[Diagnostic], *, strict: bool = False) -> int:
    """0 clean; 1 when an error is present (or a warning, under strict)."""
    for d in diags:
        if d.severity is Severity.ERROR or (strict and d.severity is Severity.WARNING):
            return 1
    return 0


class HandbookError(Exception):
    """The run cannot continue (missing tree, unreadable config). Caught once, in cli.py."""

    def __init__(self, message: str, hint: str | None = None) -> None:
        message = reveal(message)  # it may quote an argument or a file's value, as findings do
        super().__init__(message)
        self.message = message
        self.hint = None if hint is None else reveal(hint)
