"""Unique ids and names; references to vendors, steps, tool fields and rules."""

from __future__ import annotations

import difflib
import re
import unicodedata
from typing import Any

from generator.load import Document
from generator.rules import RULES
from generator.schema import Schemas
from generator.validate.checker import Checker

# Look-alike characters folded together when comparing ids and names.
_CONFUSABLES = str.maketrans({"0": "o", "1": "l", "i": "l", "|": "l", "5": "s", "$": "s"})
_NOT_ALNUM = re.compile(r"[\W_]+")


def skeleton(text: str) -> str:
    """A comparison key: NFKC, case-folded, look-alikes folded, punctuation and spaces dropped."""
    if not text.isascii():
        text = unicodedata.normalize("NFKC", text)
    folded = text.casefold().translate(_CONFUSABLES)
    return _NOT_ALNUM.sub("", folded)


def identities(check: Checker, docs: list[Document]) -> None:
    seen: dict[tuple[str, str], Document] = {}
    names: dict[tuple[str, str], Document] = {}
    for doc in docs:
        if not isinstance(doc.data, dict) or doc.kind not in {"tool", "vendor", "phase"}:
            continue
        ident = doc.data.get("id")
        stem = doc.path.rsplit("/", 1)[-1].removesuffix(".yaml")
        if doc.kind == "phase":
            stem = stem.split("-", 1)[-1]
        if isinstance(ident, str) and ident != stem:
            check.emit(
                "id-mismatch",
                doc,
                ["id"],
                f"id {ident!r} differs from the file name {stem!r}",
                f"rename the file to {ident}.yaml, or set id: {stem}",
            )
        if isinstance(ident, str):
            key = (doc.kind, skeleton(ident))
            if key in seen:
                other = seen[key]
                check.emit(
                    "id-duplicate",
                    doc,
                    ["id"],
                    f"id {ident!r} clashes with {other.data.get('id')!r} in {other.path}",
                    "ids must differ by more than case or look-alike characters",
                )
            seen.setdefault(key, doc)
        name = doc.data.get("name")
        if isinstance(name, str) and doc.kind != "phase":
            key = (doc.kind, skeleton(name))
            if key in names:
                other = names[key]
                check.emit(
                    "name-duplicate",
                    doc,
                    ["name"],
                    f"name {name!r} looks the same as {other.data.get('name')!r} in {other.path}",
                    "make the names distinct, or merge the two entries",
                )
            names.setdefault(key, doc)


def procedure(check: Checker, schemas: Schemas) -> None:
    """Step ids unique; step evidence names tool fields; guidance and policy name real steps."""
    steps = check.steps
    seen_steps: dict[str, str] = {}
    for doc in check.of_kind("phase"):
        for i, step in enumerate(doc.data["steps"]):
            if step["id"] in seen_steps:
                other = seen_steps[step["id"]]
                check.emit(
                    "id-duplicate",
                    doc,
                    ["steps", i, "id"],
                    f"step id {step['id']!r} is also used "
                    + ("earlier in this phase" if other == doc.path else f"in {other}"),
                    "step ids are unique across the whole procedure",
                )
            seen_steps.setdefault(step["id"], doc.path)
            for j, field in enumerate(step["evidence"]):
                sub, _ = schemas.at("tool", field.split("."))
                if not sub:
                    check.unknown_fields.add(field)
                    check.emit(
                        "ref-unknown-field",
                        doc,
                        ["steps", i, "evidence", j],
                        f"step {step['id']!r} names {field!r}, which tools do not have",
                        "use a dotted path from schemas/tool.schema.json",
                    )
    if not steps:
        return  # no procedure at all: reported once, not once per reference
    for doc in check.of_kind("guidance"):
        for section in ("tips", "pitfalls", "faq"):
            for i, entry in enumerate(doc.data.get(section, [])):
                for j, sid in enumerate(entry.get("steps", [])):
                    if sid not in steps:
                        _unknown_step(check, doc, [section, i, "steps", j], sid, steps)
    for doc in check.of_kind("policy"):
        for status, needed in doc.data["requirements"].items():
            for j, sid in enumerate(needed):
                if sid not in steps:
                    _unknown_step(check, doc, ["requirements", status, j], sid, steps)


def _unknown_step(
    check: Checker, doc: Document, where: list[str | int], sid: str, steps: dict[str, Any]
) -> None:
    close = difflib.get_close_matches(sid, list(steps), n=1)
    check.emit(
        "ref-unknown-step",
        doc,
        where,
        f"no procedure step has id {sid!r}",
        f"did you mean {close[0]!r}?" if close else "step ids are listed in content/procedure/",
    )


def vendor_reference(
    check: Checker, doc: Document, vendors: dict[str, dict[str, Any] | None]
) -> None:
    """A tool's vendor has a file, and the certifications it cites are in that file."""
    data = doc.data
    ev = data.get("evidence", {})
    vendor = vendors.get(data["vendor"])
    if data["vendor"] not in vendors:
        close = difflib.get_close_matches(data["vendor"], list(vendors), n=1)
        check.emit(
            "ref-unknown-vendor",
            doc,
            ["vendor"],
            f"vendor {data['vendor']!r} has no file in registry/vendors/",
            f"did you mean {close[0]!r}?"
            if close
            else f"add registry/vendors/{data['vendor']}.yaml",
        )
    elif vendor is not None and "vendor_due_diligence" in ev:
        known = {c["id"] for c in vendor.get("certifications", [])}
        for j, cid in enumerate(ev["vendor_due_diligence"]["certifications"]):
            if cid not in known:
                check.emit(
                    "ref-unknown-certification",
                    doc,
                    ["evidence", "vendor_due_diligence", "certifications", j],
                    f"vendor {data['vendor']!r} lists no certification {cid!r}",
                    "known: " + (", ".join(sorted(known)) or "none; add them to the vendor file"),
                )


def rule_reference(check: Checker, doc: Document, where: list[str | int], rule: str) -> None:
    """An exception names a rule that exists."""
    if rule not in RULES:
        close = difflib.get_close_matches(rule, list(RULES), n=1)
        check.emit(
            "ref-unknown-rule",
            doc,
            [*where, "rule"],
            f"exception names rule {rule!r}, which does not exist",
            f"did you mean {close[0]!r}?" if close else "see the rules reference",
        )
