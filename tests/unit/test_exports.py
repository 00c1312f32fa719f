"""registry.json (versioned shape), registry.csv and due-dates.ics (RFC 5545).

Every calendar a test makes is read back with the ``icalendar`` library (:func:`parsed`), which
rejects what calendar programs reject, e.g. a calendar with no component.
"""

from __future__ import annotations

import csv
import io
import json
import re
from datetime import date
from pathlib import Path

import icalendar
import pytest
from conftest import TODAY, MakeTree

from generator import pipeline
from generator.checks.due import Due
from generator.exports import csv_cell, due_dates_ics, exports, fold, ics_text
from generator.model import Handbook, build
from generator.render import Inputs, Site

TOOL_KEYS = {
    "id", "name", "aliases", "domains", "vendor", "description", "status", "status_since",
    "owner", "problem", "uses", "license", "data_allowed", "data_notes", "next_due", "steps",
    "evidence", "measured", "eu_ai_act", "frameworks", "page", "source",
}  # fmt: skip
VENDOR_KEYS = {
    "id", "name", "website", "trust_page", "privacy_policy", "certifications", "tools", "page",
    "source",
}  # fmt: skip


def handbook_of(root: Path) -> Handbook:
    tree = pipeline.check(root, None, TODAY).tree
    return build(tree)


def files(root: Path, today: date = TODAY) -> dict[str, str]:
    return exports(Site(handbook_of(root), Inputs(today)))


def test_registry_json_shape(handbook_tree: MakeTree) -> None:
    doc = json.loads(files(handbook_tree())["registry.json"])
    assert doc["version"] == 1
    assert doc["generated"] == "2026-11-01"
    assert [t["id"] for t in doc["tools"]] == ["acme-chat", "acme-code", "globex-notes"]
    for tool in doc["tools"]:
        assert set(tool) == TOOL_KEYS
    chat = doc["tools"][0]
    assert chat["status"] == "approved"
    assert chat["owner"] == {
        "team": "Knowledge Management",
        "contact": "km@example.com",
        "github": None,
    }
    assert chat["data_allowed"] == ["internal", "personal"]
    assert chat["page"] == "tools/acme-chat/"
    assert chat["source"] == "registry/tools/acme-chat.yaml"
    assert chat["steps"]["sandbox"] == "done"
    assert chat["steps"]["offboarding"] == "not-yet"
    assert chat["next_due"] == {"date": "2026-04-02", "what": "Acme Chat: output audit due"}
    assert chat["evidence"]["benchmark"]["tasks"] == 40
    assert [v["id"] for v in doc["vendors"]] == ["acme-ai", "globex"]
    for vendor in doc["vendors"]:
        assert set(vendor) == VENDOR_KEYS
    assert doc["vendors"][0]["tools"] == ["acme-chat", "acme-code"]
    cert = doc["vendors"][0]["certifications"][0]
    assert set(cert) == {"id", "type", "name", "issuer", "issued", "current_until", "evidence"}


def test_registry_csv(handbook_tree: MakeTree) -> None:
    root = handbook_tree()
    path = root / "registry/tools/globex-notes.yaml"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("name: Globex Notes", 'name: "=HYPERLINK(1), \\"x\\""'))
    out = files(root)["registry.csv"]
    assert out.endswith("\r\n")
    rows = list(csv.reader(io.StringIO(out)))
    assert rows[0] == [
        "id", "name", "vendor", "vendor_name", "status", "status_since", "team", "contact",
        "data_allowed", "license", "next_due", "page",
    ]  # fmt: skip
    assert rows[1] == [
        "acme-chat", "Acme Chat", "acme-ai", "Acme AI", "approved", "2026-03-02",
        "Knowledge Management", "km@example.com", "internal;personal", "enterprise", "2026-04-02",
        "tools/acme-chat/",
    ]  # fmt: skip
    assert rows[3][1] == '\'=HYPERLINK(1), "x"'  # a formula stays text
    assert len(rows) == 4
    # every cell quoted, the quotes inside doubled: no value can start a cell of its own
    lines = out.split("\r\n")
    assert lines[0].startswith('"id","name","vendor",')
    assert '"\'=HYPERLINK(1), ""x"""' in lines[3]
    assert all(line.startswith('"') and line.endswith('"') for line in lines if line)


@pytest.mark.parametrize(
    "value",
    [
        "=1+1",
        "+1",
        "-1",
        "@SUM(A1:A9)",
        "\t=1",
        "\r=1",
        "\n=1",
        "\x00x",
        "\uff1dHYPERLINK()",  # full-width = + - @
        "\uff0b1",
        "\uff0d1",
        "\uff20SUM()",
        "\ufe66x",  # small = + - @
        "\ufe621",
        "\ufe631",
        "\ufe6bx",
        "\u22121",  # minus sign
        " =1+1",  # after white space, which Calc and Sheets skip
        "   @x",
        "\u00a0=1",
        "\u3000\uff1d1",
        "\u200b=1",  # after an invisible character
        "\ufeff+1",
    ],
)
def test_a_cell_a_spreadsheet_would_run_is_text(value: str) -> None:
    assert csv_cell(value) == "'" + value


@pytest.mark.parametrize(
    "value", ["", "Acme Chat", "acme-chat", "a=b", "km@example.com", "2026-04-02", "'quoted"]
)
def test_an_ordinary_cell_is_unchanged(value: str) -> None:
    assert csv_cell(value) == value


def test_separators_and_quotes_inside_a_value_stay_in_its_cell(handbook_tree: MakeTree) -> None:
    root = handbook_tree()
    path = root / "registry/tools/globex-notes.yaml"
    text = path.read_text(encoding="utf-8")
    evil = "Notes\",=cmd|' /C calc'!A0;@x"
    path.write_text(text.replace("name: Globex Notes", f"name: {json.dumps(evil)}"))
    rows = list(csv.reader(io.StringIO(files(root)["registry.csv"])))
    assert [len(r) for r in rows] == [12] * 4
    assert rows[3][1] == evil


def unfold(text: str) -> list[str]:
    return text.replace("\r\n ", "").split("\r\n")[:-1]


def parsed(ics: str) -> icalendar.Calendar:
    """The calendar as ``icalendar`` reads it, after its checks of the calendar (PRODID, VERSION,
    at least one component) and of each event's required properties (UID, DTSTAMP)."""
    cal = icalendar.Calendar.from_ical(ics)
    assert isinstance(cal, icalendar.Calendar)
    cal.validate()  # raises IncompleteComponent
    for event in cal.walk("VEVENT"):
        assert all(name in event for name in icalendar.Event.required), event
    return cal


def test_ics_is_valid_rfc5545(handbook_tree: MakeTree) -> None:
    ics = files(handbook_tree())["due-dates.ics"]
    cal = parsed(ics)
    raw = ics.encode("utf-8")
    assert raw.endswith(b"\r\n")
    assert b"\n" not in raw.replace(b"\r\n", b"")  # CRLF only
    assert all(len(line) <= 75 for line in raw.split(b"\r\n"))
    lines = unfold(ics)
    assert lines[:2] == ["BEGIN:VCALENDAR", "VERSION:2.0"]
    assert lines[-1] == "END:VCALENDAR"
    assert any(line.startswith("PRODID:") for line in lines)
    events = ics.count("BEGIN:VEVENT")
    assert events == ics.count("END:VEVENT") > 0
    uids = [line for line in lines if line.startswith("UID:")]
    assert len(uids) == len(set(uids)) == events
    starts = [line for line in lines if line.startswith("DTSTART")]
    assert len(starts) == events
    assert all(re.fullmatch(r"DTSTART;VALUE=DATE:\d{8}", s) for s in starts)
    assert "UID:cert.acme-ai.soc2-2026@ai-tool-handbook" in lines
    assert "SUMMARY:Acme Chat: output audit due" in lines
    assert sum(line == "DTSTAMP:20261101T000000Z" for line in lines) == events
    assert len(cal.walk("VEVENT")) == events
    assert [c.name for c in cal.subcomponents] == ["VEVENT"] * events
    audit = next(e for e in cal.walk("VEVENT") if e["SUMMARY"] == "Acme Chat: output audit due")
    assert audit.decoded("DTSTART") == date(2026, 4, 2)


def test_ics_with_nothing_due_is_still_a_calendar(handbook_tree: MakeTree) -> None:
    root = handbook_tree(files={"registry/tools": None, "registry/vendors": None})
    ics = files(root)["due-dates.ics"]
    assert ics == due_dates_ics([], TODAY)
    cal = parsed(ics)  # RFC 5545 3.6: at least one component; icalendar insists
    assert cal.walk("VEVENT") == []
    assert [c.name for c in cal.subcomponents] == ["VTIMEZONE"]
    assert str(cal["PRODID"]) == "-//ai-tool-handbook//due dates//EN"
    tz = cal.subcomponents[0]
    assert str(tz["TZID"]) == "UTC"
    assert [c.name for c in tz.subcomponents] == ["STANDARD"]


def test_ics_uids_do_not_depend_on_the_day(handbook_tree: MakeTree) -> None:
    root = handbook_tree()

    def uids(day: date) -> list[str]:
        ics = files(root, day)["due-dates.ics"]
        parsed(ics)
        return re.findall(r"^UID:.*$", ics, re.M)

    assert uids(TODAY) == uids(date(2027, 2, 1))


def test_ics_text_escaping_and_folding() -> None:
    assert ics_text("a,b;c\\d\ne") == "a\\,b\\;c\\\\d\\ne"
    due = Due(
        day=date(2027, 1, 31),
        uid="x.y",
        summary="Näme, with; ünïcödé " * 8 + "\nend",
        subject="y",
        kind="tool",
        what="stage",
        step=None,
        owner=None,
    )
    ics = due_dates_ics([due], TODAY)
    (event,) = parsed(ics).walk("VEVENT")
    assert str(event["SUMMARY"]) == due.summary  # escaping and folding undone
    raw = ics.encode("utf-8")
    assert all(len(line) <= 75 for line in raw.split(b"\r\n"))
    assert "DTSTART;VALUE=DATE:20270131" in ics
    assert "DTEND;VALUE=DATE:20270201" in ics
    summary = next(line for line in unfold(ics) if line.startswith("SUMMARY:"))
    assert summary == "SUMMARY:" + ics_text(due.summary)


def test_fold_never_splits_a_character() -> None:
    line = "DESCRIPTION:" + "€" * 60  # 3 octets each
    folded = fold(line)
    parts = folded.split("\r\n ")
    assert "".join(parts) == line
    assert all(len(p.encode()) <= (75 if i == 0 else 74) for i, p in enumerate(parts))
    assert fold("short") == "short"
