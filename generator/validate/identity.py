"""File names that are ids and ids the site does not use itself; unique ids and names;
references to vendors, steps, tool fields and rules."""

from __future__ import annotations

import difflib
import re
import unicodedata
from collections.abc import Callable
from typing import Any

from generator import chars, sitenames
from generator.diagnostics import Diagnostic
from generator.load import ASSETS, ID_RULE, PAGES, Document, Tree, slug
from generator.model import RELYING
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


#: The vendor's pages a tool needs before it leaves ``proposed`` (optional in the schema, so an
#: imported or newly proposed tool's vendor can be registered before anyone has read them).
DUE_DILIGENCE_PAGES = ("website", "trust_page", "privacy_policy")

#: Kinds of file whose name is their id (a phase's starts with its number: 1-assess.yaml).
NAMED_BY_ID = frozenset({"tool", "vendor", "phase", "framework"})


def stem(path: str) -> str:
    """A file's name without its folder and its .yaml or .md suffix."""
    name = path.rsplit("/", 1)[-1]
    return name.removesuffix(".yaml").removesuffix(".md")


def _problem(rule: str, path: str, message: str, hint: str) -> Diagnostic:
    return Diagnostic(rule, RULES[rule].severity, message, path, 1, 1, hint=hint)


def file_names(tree: Tree, is_id: Callable[[str], bool]) -> list[Diagnostic]:
    """``file-name``: each tool, vendor, phase and page file is named by an id; ``id-reserved``:
    no page or asset takes a name the site uses for itself (:mod:`generator.sitenames`).

    Checked first and for every file, readable or not: a name becomes an id, a page's web
    address and a CODEOWNERS pattern, so one that is not an id is never suggested anywhere."""
    found = []
    for page in tree.pages:
        what = sitenames.taken("page", page.name)
        if what:
            found.append(
                _problem(
                    "id-reserved",
                    page.path,
                    f"page name {page.name!r} is reserved for {what}",
                    f"rename the file, e.g. to {page.name}-notes.md; of the site's own pages, "
                    f"only {', '.join(sitenames.FIXED_PAGES)} may be written by hand",
                )
            )
    for rel in tree.assets:
        what = sitenames.taken("asset", rel.removeprefix(ASSETS + "/"))
        if what:
            found.append(
                _problem(
                    "id-reserved",
                    rel,
                    f"{rel} would replace {what}",
                    "rename it; to add styles of your own, list the file under extra_css "
                    "in mkdocs.yml",
                )
            )
    for rel in tree.assets:
        refused = chars.first_refused(rel, chars.LINE_REFUSED)
        if refused:
            at, char = refused
            found.append(
                _problem(
                    "file-name",
                    chars.reveal(rel),  # the path as written would break the line
                    f"the asset's path holds {chars.describe(char)} at character {at}",
                    "rename it without line breaks, control, bidirectional or invisible "
                    "characters: such a name reads differently from what it is",
                )
            )
    files = [(d.path, d.data) for d in tree.documents if d.kind in NAMED_BY_ID]
    files += [(p.path, None) for p in tree.pages]
    for path, data in files:
        name = stem(path)
        if is_id(name):
            continue
        suffix = ".md" if path.endswith(".md") else ".yaml"
        ident = data.get("id") if isinstance(data, dict) and not path.startswith(PAGES) else None
        better = ident if isinstance(ident, str) and is_id(ident) else slug(name)
        hint = f"rename it to {better}{suffix}; " if better else "rename it; "
        found.append(
            _problem("file-name", path, f"file name {name + suffix!r} is not an id", hint + ID_RULE)
        )
    return found


def identities(check: Checker, docs: list[Document], is_id: Callable[[str], bool]) -> None:
    seen: dict[tuple[str, str], Document] = {}
    names: dict[tuple[str, str], Document] = {}
    for doc in docs:
        if not isinstance(doc.data, dict) or doc.kind not in NAMED_BY_ID:
            continue
        ident = doc.data.get("id")
        named = stem(doc.path)
        if doc.kind == "phase":
            named = named.split("-", 1)[-1]
        # a file name that is no id is reported once, as file-name, never suggested as an id
        if isinstance(ident, str) and ident != named and is_id(stem(doc.path)):
            check.emit(
                "id-mismatch",
                doc,
                ["id"],
                f"id {ident!r} differs from the file name {named!r}",
                f"rename the file to {ident}.yaml, or set id: {named}",
            )
        what = None
        if isinstance(ident, str) and doc.kind in {"tool", "vendor", "framework"}:  # a page
            what = sitenames.taken(doc.kind, ident)
        if what:
            check.emit(
                "id-reserved",
                doc,
                ["id"],
                f"{doc.kind} id {ident!r} is reserved for {what}",
                "choose another id, and rename the file to match",
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
        if isinstance(name, str) and doc.kind in {"tool", "vendor"}:
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
        if doc.kind == "tool":
            _aliases(check, doc, names)


def _aliases(check: Checker, doc: Document, names: dict[tuple[str, str], Document]) -> None:
    """A tool's alias names no other tool: matching an inventory or a log by it would be a guess."""
    own = skeleton(doc.data["name"])
    for i, alias in enumerate(doc.data.get("aliases", [])):
        key = ("tool", skeleton(alias))
        if key[1] == own:
            continue
        other = names.get(key)
        if other is not None and other is not doc:
            check.emit(
                "name-duplicate",
                doc,
                ["aliases", i],
                f"alias {alias!r} is also a name of {other.data.get('id')!r} in {other.path}",
                "keep the alias on one tool only",
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
    if not steps or any(d.data is None for d in check.tree.of_kind("phase")):
        # no procedure at all, or a phase file that cannot be read: its steps are unknown, and
        # its own error is reported once rather than again at every reference to them
        return
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
    from generator.validate.suggest import closest

    close = [c] if (c := closest(sid, steps)) else []
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
    """A tool's vendor has a file, and the certifications it cites are in that file; once the
    tool leaves ``proposed`` its vendor records the pages due diligence reads."""
    data = doc.data
    ev = data.get("evidence", {})
    vendor = vendors.get(data["vendor"])
    status = data["status"]["value"]
    missing = [k for k in DUE_DILIGENCE_PAGES if vendor is not None and k not in vendor]
    if missing and status in RELYING:
        check.emit(
            "vendor-incomplete",
            doc,
            ["status", "value"],
            f"the tool is in {status}, but vendor {data['vendor']!r} has no "
            + " or ".join(missing),
            f"add {' and '.join(missing)} to registry/vendors/{data['vendor']}.yaml: vendor due "
            "diligence reads them before a tool enters the sandbox",
        )
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
