"""The nightly report's files (Markdown by owner, JSON, JUnit) and the few lines it prints."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from pathlib import Path

from generator.diagnostics import Diagnostic
from generator.report import json_format, junit, markdown
from generator.report.text import summary

FILES = ("report.md", "report.json", "report.junit.xml")


def contents(found: Sequence[Diagnostic], today: date) -> dict[str, str]:
    """{file name: text} of the report as of ``today`` (pure)."""
    return {
        "report.md": markdown.render(found, title=f"Governance report, {today.isoformat()}"),
        "report.json": json_format.render(found),
        "report.junit.xml": junit.render(found),
    }


def write(found: Sequence[Diagnostic], today: date, out: Path) -> None:
    out.mkdir(parents=True, exist_ok=True)
    for name, text in contents(found, today).items():
        (out / name).write_text(text, encoding="utf-8")


def brief(found: Sequence[Diagnostic], today: date, out: Path) -> str:
    """Totals, then one line per owner with findings, then where the files are."""
    lines = [f"as of {today.isoformat()}: {summary(found)}"]
    per_owner: dict[str, list[Diagnostic]] = {}
    for d in found:
        for owner in markdown.owners_of(d):
            per_owner.setdefault(owner, []).append(d)
    lines += [f"  {owner}: {summary(per_owner[owner])}" for owner in sorted(per_owner)]
    lines.append(f"report written to {out.as_posix()}/ ({', '.join(FILES)})")
    return "\n".join(lines) + "\n"
