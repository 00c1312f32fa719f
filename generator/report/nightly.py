"""The nightly report's files (Markdown by owner, JSON, JUnit) and the few lines it prints."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from pathlib import Path

from generator.diagnostics import Diagnostic
from generator.report import json_format, junit, markdown
from generator.report.text import summary

FILES = ("report.md", "report.json", "report.junit.xml")


def contents(found: Sequence[Diagnostic], today: date, why: str = "") -> dict[str, str]:
    """{file name: text} of the report as of ``today`` (pure); ``why`` says where that day came
    from when it is not the clock's (" (pinned in registry/policy.yaml)")."""
    return {
        "report.md": markdown.render(found, title=f"Governance report, {today.isoformat()}{why}"),
        "report.json": json_format.render(found, meta=meta(today, why)),
        "report.junit.xml": junit.render(found),
    }


def meta(today: date, why: str = "") -> dict[str, str]:
    """The check date and where it came from, for report.json: ``{"as_of": "2026-11-01",
    "as_of_source": "pinned in registry/policy.yaml"}`` (``"today"`` when not pinned)."""
    return {"as_of": today.isoformat(), "as_of_source": why.strip(" ()") or "today"}


def write(found: Sequence[Diagnostic], today: date, out: Path, why: str = "") -> None:
    """The report files into the folder ``out`` (the caller stages it; see generator.output)."""
    out.mkdir(parents=True, exist_ok=True)
    for name, text in contents(found, today, why).items():
        (out / name).write_text(text, encoding="utf-8")


def brief(found: Sequence[Diagnostic], today: date, out: Path, why: str = "") -> str:
    """Totals, then one line per owner with findings, then where the files are."""
    lines = [f"as of {today.isoformat()}{why}: {summary(found)}"]
    per_owner: dict[str, list[Diagnostic]] = {}
    for d in found:
        for owner in markdown.owners_of(d):
            per_owner.setdefault(owner, []).append(d)
    lines += [f"  {owner}: {summary(per_owner[owner])}" for owner in sorted(per_owner)]
    lines.append(f"report written to {out.as_posix()}/ ({', '.join(FILES)})")
    return "\n".join(lines) + "\n"
