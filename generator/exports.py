"""The registry as files published with the site: registry.json, registry.csv, due-dates.ics,
frameworks-coverage.csv and registry.cdx.json (generator.frameworks).

Pure: a :class:`~generator.render.Site` in, ``{relative path: text}`` out. The JSON shape is
versioned and documented on the site's Exports page (templates/exports.md.j2).
"""

from __future__ import annotations

import csv
import io
import json
import unicodedata
from collections.abc import Iterable
from datetime import date
from typing import Any

from generator.checks.due import Due, current_until
from generator.evidence.stats import Interval
from generator.evidence.summary import Summary
from generator.frameworks import cyclonedx
from generator.frameworks import exports as fx
from generator.model import Tool, Vendor, shift
from generator.render import Site
from generator.sitenames import COVERAGE_CSV, CYCLONEDX, DUE_DATES, REGISTRY_CSV, REGISTRY_JSON

JSON_VERSION = 1
CSV_COLUMNS = (
    "id",
    "name",
    "vendor",
    "vendor_name",
    "status",
    "status_since",
    "team",
    "contact",
    "data_allowed",
    "license",
    "next_due",
    "page",
)
PRODID = "-//ai-tool-handbook//due dates//EN"
UID_DOMAIN = "ai-tool-handbook"


def exports(site: Site) -> dict[str, str]:
    return {  # the names live in generator/sitenames.py, where validation reads them
        REGISTRY_JSON: registry_json(site),
        REGISTRY_CSV: registry_csv(site),
        DUE_DATES: due_dates_ics(site.dues, site.today),
        COVERAGE_CSV: fx.coverage_csv(site, csv_cell),
        CYCLONEDX: cyclonedx.bom_json(site),
    }


# -- JSON -------------------------------------------------------------------------------------


def tool_record(site: Site, tool: Tool) -> dict[str, Any]:
    nd = site.next_due(tool)
    raw = tool.raw
    return {
        "id": tool.id,
        "name": tool.name,
        "aliases": list(tool.aliases),
        "domains": list(tool.domains),
        "vendor": tool.vendor,
        "description": tool.description,
        "status": tool.status,
        "status_since": tool.since.isoformat(),
        "owner": {"team": tool.team, "contact": tool.contact, "github": tool.github},
        "problem": tool.problem,
        "uses": {"approved": list(tool.approved_uses), "prohibited": list(tool.prohibited_uses)},
        "license": tool.license_tier,
        "data_allowed": list(tool.data_allowed),
        "data_notes": (raw.get("data") or {}).get("notes"),
        "next_due": {"date": nd.day.isoformat(), "what": nd.summary} if nd else None,
        "steps": {s.step.id: s.state for s in site.states[tool.id]},
        "evidence": tool.evidence,  # plain dicts and lists (the loader's subclasses)
        "measured": measured_record(site.measured(tool)),
        "eu_ai_act": fx.tool_ai_act(tool, site.coverage(tool)),
        "frameworks": fx.tool_frameworks(site.coverage(tool)),
        "page": f"tools/{tool.id}/",
        "source": tool.path,
    }


def _iv(iv: Interval) -> dict[str, float]:
    return {"estimate": round(iv.estimate, 4), "low": round(iv.low, 4), "high": round(iv.high, 4)}


def _sig(p: float) -> float:
    """A p-value to four significant digits: small ones keep their size (1.9e-06, not 0.0)."""
    return float(f"{p:.4g}")


def measured_record(m: Summary) -> dict[str, Any] | None:
    """The figures the tool page shows, as numbers (ratios in [0, 1], 95% intervals); None when
    the tool records no benchmark, audit or metrics."""
    if m.empty:
        return None
    b, bar = m.benchmark, m.bar
    latest = m.latest
    return {
        "benchmark": None
        if b is None or bar is None
        else {
            "date": b.date.isoformat(),
            "records": b.source,
            "tasks": b.tasks,
            "ai_accuracy": _iv(b.ai),
            "expert_accuracy": _iv(b.expert),
            "accuracy_gap": {**_iv(bar.gap), "paired": bar.paired, "bar_met": bar.gap_met},
            "hallucination_rate": {**_iv(bar.hallucination), "bar_met": bar.hallucination_met},
            "mcnemar_p": None if b.mcnemar is None else _sig(b.mcnemar),
        },
        "audits": [
            {
                "date": v.audit.date.isoformat(),
                "sample_size": v.audit.sample_size,
                "errors": v.audit.errors,
                "hallucinations": v.audit.hallucinations,
                "error_rate": None if v.rate is None else _iv(v.rate),
                "p": None if v.p is None else _sig(v.p),
                "power": None if v.power is None else round(v.power, 4),
                "drift_detected": v.drift,
                "sample_too_small": v.too_small,
                "reviewer_drift": v.audit.drift,
            }
            for v in m.audits
        ],
        "metrics": None
        if latest is None
        else {
            "measured": latest.measured.isoformat(),
            "error_rate": latest.error_rate,
            "latency_ms": latest.latency_ms,
            "time_saved_minutes": latest.time_saved_minutes,
            "tasks_per_month": latest.tasks_per_month,
            "active_users": latest.active_users,
            "hours_saved_per_month": None
            if latest.hours_saved is None
            else round(latest.hours_saved, 2),
        },
    }


def vendor_record(site: Site, vendor: Vendor) -> dict[str, Any]:
    policy = site.hb.policy
    return {
        "id": vendor.id,
        "name": vendor.name,
        "website": vendor.website,
        "trust_page": vendor.trust_page,
        "privacy_policy": vendor.privacy_policy,
        "certifications": [
            {
                "id": c.id,
                "type": c.type,
                "name": c.name,
                "issuer": c.issuer,
                "issued": c.issued.isoformat(),
                "current_until": current_until(c, policy).isoformat(),
                "evidence": c.evidence,
            }
            for c in vendor.certifications
        ],
        "tools": [t.id for t in site.hb.tools_of(vendor.id)],
        "page": f"vendors/{vendor.id}/",
        "source": vendor.path,
    }


def registry_json(site: Site) -> str:
    doc = {
        "version": JSON_VERSION,
        "generated": site.today.isoformat(),
        "tools": [tool_record(site, t) for t in site.hb.tools.values()],
        "vendors": [vendor_record(site, v) for v in site.hb.vendors.values()],
        "frameworks": fx.frameworks_json(site),
    }
    # Compact: the C encoder is ~10x faster than the indenting one at thousands of tools.
    return json.dumps(doc, ensure_ascii=False, separators=(",", ":")) + "\n"


# -- CSV --------------------------------------------------------------------------------------


# OWASP "CSV Injection" and ASVS 1.2.10: a cell a spreadsheet may read as a formula starts with
# one of these, possibly after white space (Calc and Sheets skip it); their full-width forms
# (U+FF1D, U+FF0B, U+FF0D, U+FF20) and small forms (U+FE66, U+FE62, U+FE63, U+FE6B) fold onto
# them under NFKC, and U+2212 MINUS SIGN reads as '-'.
_FORMULA_START = frozenset("=+-@\u2212")
_CONTROL_START = frozenset("\t\r\n\0")


def csv_cell(value: object) -> str:
    """A cell a spreadsheet shows as the text it is, never runs as a formula.

    A value starting with a formula character (``=``, ``+``, ``-``, ``@``, a full-width or
    small form of one, U+2212) after any white space or invisible characters, or starting with
    a tab, carriage return, line feed or NUL, gets a leading ``'``, which spreadsheets read as
    "this is text". :func:`registry_csv` then quotes every cell and doubles the quotes inside,
    so no separator or quote in a value can start a cell of its own (OWASP's guidance, whole).
    """
    text = "" if value is None else str(value)
    if text[:1] in _CONTROL_START:
        return "'" + text
    for char in text:
        if char.isspace() or unicodedata.category(char) == "Cf":
            continue
        if unicodedata.normalize("NFKC", char) in _FORMULA_START or char in _FORMULA_START:
            return "'" + text
        break
    return text


def registry_csv(site: Site) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n", quoting=csv.QUOTE_ALL)
    writer.writerow(CSV_COLUMNS)  # every cell quoted, quotes inside doubled (csv.QUOTE_ALL)
    for tool in site.hb.tools.values():
        nd = site.next_due(tool)
        writer.writerow(
            csv_cell(v)
            for v in (
                tool.id,
                tool.name,
                tool.vendor,
                site.vendor_name(tool.vendor),
                tool.status,
                tool.since.isoformat(),
                tool.team,
                tool.contact,
                ";".join(tool.data_allowed),
                tool.license_tier,
                nd.day.isoformat() if nd else "",
                f"tools/{tool.id}/",
            )
        )
    return out.getvalue()


# -- iCalendar (RFC 5545) -----------------------------------------------------------------------


def ics_text(value: str) -> str:
    """Escape a TEXT value (RFC 5545 3.3.11)."""
    return (
        value.replace("\\", "\\\\")
        .replace(";", "\\;")
        .replace(",", "\\,")
        .replace("\r\n", "\\n")
        .replace("\n", "\\n")
        .replace("\r", "\\n")
    )


def fold(line: str) -> str:
    """Fold a content line into chunks of at most 75 octets (RFC 5545 3.1), never inside a
    UTF-8 character; continuation lines start with one space, which counts toward the 75."""
    data = line.encode("utf-8")
    if len(data) <= 75:
        return line
    parts: list[str] = []
    start, limit = 0, 75
    while start < len(data):
        end = min(start + limit, len(data))
        while end < len(data) and (data[end] & 0xC0) == 0x80:  # a continuation byte: back up
            end -= 1
        parts.append(data[start:end].decode("utf-8"))
        start, limit = end, 74
    return "\r\n ".join(parts)


# RFC 5545 3.6: a calendar holds at least one component, so a calendar with nothing due carries
# this one. A VTIMEZONE is understood by every calendar program and shows nothing; UTC, because
# DTSTAMP is UTC and the events are all-day dates that name no zone.
EMPTY_CALENDAR_COMPONENT = (
    "BEGIN:VTIMEZONE",
    "TZID:UTC",
    "BEGIN:STANDARD",
    "DTSTART:19700101T000000",
    "TZOFFSETFROM:+0000",
    "TZOFFSETTO:+0000",
    "TZNAME:UTC",
    "END:STANDARD",
    "END:VTIMEZONE",
)


def due_dates_ics(dues: Iterable[Due], today: date) -> str:
    """The calendar, CRLF lines folded at 75 octets: one all-day VEVENT per due date, stamped
    ``today`` (00:00 UTC); with nothing due, one UTC VTIMEZONE so the calendar stays valid."""
    stamp = today.strftime("%Y%m%d") + "T000000Z"
    lines = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        f"PRODID:{PRODID}",
        "CALSCALE:GREGORIAN",
        "METHOD:PUBLISH",
        "X-WR-CALNAME:AI tool due dates",
    ]
    header = len(lines)
    for d in dues:
        description = f"Owner: {d.owner or 'unknown'}."
        if d.step:
            description += f" Procedure step: {d.step}."
        lines += [
            "BEGIN:VEVENT",
            f"UID:{ics_text(d.uid)}@{UID_DOMAIN}",
            f"DTSTAMP:{stamp}",
            f"DTSTART;VALUE=DATE:{d.day.strftime('%Y%m%d')}",
            f"DTEND;VALUE=DATE:{shift(d.day, 1).strftime('%Y%m%d')}",
            f"SUMMARY:{ics_text(d.summary)}",
            f"DESCRIPTION:{ics_text(description)}",
            f"CATEGORIES:{ics_text(d.kind)}",
            "TRANSP:TRANSPARENT",
            "END:VEVENT",
        ]
    if len(lines) == header:
        lines += EMPTY_CALENDAR_COMPONENT
    lines.append("END:VCALENDAR")
    return "".join(fold(line) + "\r\n" for line in lines)
