"""GitHub Actions workflow commands: one ::error/::warning/::notice line per finding.

Values come from user data, so everything is escaped: in the message '%', CR and LF; in the
properties also ':' and ','. An unescaped newline would let a YAML value start a new command.
"""

from __future__ import annotations

from collections.abc import Sequence

from generator.diagnostics import Diagnostic, Severity, sorted_diagnostics
from generator.report.text import summary

COMMAND = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.NOTE: "notice"}


def escape_data(value: str) -> str:
    return value.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def escape_property(value: str) -> str:
    return escape_data(value).replace(":", "%3A").replace(",", "%2C")


def annotation(d: Diagnostic) -> str:
    props = []
    if d.path:
        props.append(f"file={escape_property(d.path)}")
        if d.line:
            props.append(f"line={d.line}")
            if d.column:
                props.append(f"col={d.column}")
    props.append(f"title={escape_property(f'{d.rule} ({d.severity.value})')}")
    message = d.message + (f"\n{d.hint}" if d.hint else "")
    return f"::{COMMAND[d.severity]} {','.join(props)}::{escape_data(message)}"


def render(diags: Sequence[Diagnostic]) -> str:
    lines = [annotation(d) for d in sorted_diagnostics(diags)]
    lines.append(escape_data(summary(diags)))
    return "\n".join(lines) + "\n"
