"""An import plan -> the text of new ``proposed`` tool entries and vendor entries, checked
against the schemas before anything is written, then written without ever replacing a file."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

import yaml

from generator import output
from generator.diagnostics import Diagnostic, HandbookError, Severity, plural
from generator.inventory.mapping import Mapping
from generator.inventory.plan import Plan, Planned
from generator.load import Document, Tree, parse_yaml
from generator.load.yamlfile import CORE_SCALARS
from generator.schema import Schemas

_LIST_SHOWN = 8  # teams or use cases named in a description before "and N more"


@dataclass(frozen=True, slots=True)
class NewFile:
    """A file the import creates: repo-relative path and its text."""

    path: str
    text: str


def _escaped(text: str) -> str:
    """``text`` safe inside a YAML comment: control characters and line breaks escaped."""
    return json.dumps(text, ensure_ascii=False)[1:-1]


def rows_text(rows: list[int], limit: int = 12) -> str:
    """[4, 5, 6, 9] -> '4-6, 9'; longer lists end with '... (57 rows)'."""
    runs: list[str] = []
    start = prev = None
    for r in [*rows, None]:
        if r is not None and prev is not None and r == prev + 1:
            prev = r
            continue
        if start is not None:
            runs.append(str(start) if start == prev else f"{start}-{prev}")
        start = prev = r
    shown = ", ".join(runs[:limit])
    return shown + (f", ... ({len(rows)} rows)" if len(runs) > limit else "")


def _listed(counter_keys: list[str]) -> str:
    head = "; ".join(counter_keys[:_LIST_SHOWN])
    more = len(counter_keys) - _LIST_SHOWN
    return head + (f"; and {more} more" if more > 0 else "")


class _Dumper(yaml.SafeDumper):
    """PyYAML's safe dumper, quoting besides what YAML 1.1 reads as non-text whatever the
    handbook's YAML 1.2 loader would (``1e3`` is a number there, so it is written '1e3')."""


for _tag, _pattern, _first in CORE_SCALARS:
    _Dumper.add_implicit_resolver(_tag, _pattern, list(_first))


def _dump(data: dict[str, Any]) -> str:
    return yaml.dump(
        data,
        Dumper=_Dumper,
        sort_keys=False,
        allow_unicode=True,
        width=88,
        default_flow_style=False,
    )


def tool_file(p: Planned, mapping: Mapping, source: str, today: date) -> str:
    """The YAML text of the proposed tool entry for ``p``."""
    facts, product = p.facts, p.product
    teams = [t for t, _ in facts.teams.most_common()]
    uses = [u.strip().rstrip(".") for u, _ in facts.use_cases.most_common()]
    said = (mapping.description or "the inventory").strip().rstrip(".")
    parts = [f"Imported from {said}."]
    if teams:
        parts.append(f"Listed by {plural(len(teams), 'team')}: {_listed(teams)}.")
    if p.users is not None:
        parts.append(f"Estimated users (each team's figure added up): {p.users}.")
    if facts.data_classes:
        listed = ", ".join(sorted(facts.data_classes, key=CLASS_ORDER.index))
        parts.append(f"Data classes the inventory lists: {listed}.")
    if facts.statuses:
        shown = ", ".join(f"{s} ({n} rows)" for s, n in facts.statuses.most_common(4))
        parts.append(f"The inventory's status: {shown}.")
    problem = (
        f"The inventory lists it for: {_listed(uses)}."
        if uses
        else "The inventory does not say what it is used for; the owner states the problem "
        "it solves before the tool enters the sandbox."
    )
    data: dict[str, Any] = {"id": p.tool_id, "name": product.name}
    if p.aliases:
        data["aliases"] = p.aliases
    data["vendor"] = p.vendor_id
    data["description"] = " ".join(parts)
    if p.known is not None and p.known.domains:
        data["domains"] = list(p.known.domains)
    team, contact = owner_of(p, mapping)
    data["owner"] = {"team": team, "contact": contact}
    since = max(facts.since) if facts.since else today
    data["status"] = {
        "value": "proposed",
        "since": since.isoformat(),
        "reason": f"Imported with handbook import from {_escaped(source)}.",
    }
    data["problem"] = problem
    data["license"] = {"tier": mapping.license_tier}
    # what may be used is decided in the procedure (the privacy audit), not by the inventory:
    # the classes it lists are in the description
    data["data"] = {"allowed": sorted(mapping.data_allowed, key=CLASS_ORDER.index)}
    rows = rows_text(product.rows)
    spelled = "; ".join(
        f"{_escaped(m.text)!s} ({len(m.places)}x: {_escaped(m.how)})" for m in product.members
    )
    header = [
        "# yaml-language-server: $schema=../../schemas/tool.schema.json",
        f"# Imported by `handbook import` from {_escaped(source)}, "
        f"{'row' if len(product.rows) == 1 else 'rows'} {rows}.",
        f"# Spellings merged into this entry: {spelled}",
        "# Review the merges, then complete the entry before it leaves proposed.",
    ]
    if p.withheld:
        header.insert(
            3,
            "# Not aliases, as another entry goes by them: "
            + "; ".join(_escaped(s) for s in p.withheld),
        )
    return "\n".join(header) + "\n" + _dump(data)


CLASS_ORDER = ["public", "internal", "confidential", "personal", "restricted"]


def owner_of(p: Planned, mapping: Mapping) -> tuple[str, str]:
    """The owner team and contact: the product's only team and contact in the sheet when it
    has exactly one of each, else the mapping's defaults."""
    teams, contacts = p.facts.teams, p.facts.contacts
    if len(teams) == 1 and len(contacts) == 1 and "@" in next(iter(contacts)):
        return next(iter(teams)), next(iter(contacts))
    return mapping.owner_team, mapping.owner_contact


def vendor_file(vendor_id: str, name: str, source: str) -> str:
    """The YAML text of a new vendor entry (due-diligence pages left for its owner to add)."""
    header = [
        "# yaml-language-server: $schema=../../schemas/vendor.schema.json",
        f"# Created by `handbook import` from {_escaped(source)}. Add website, trust_page and",
        "# privacy_policy before any of its tools leaves proposed.",
    ]
    return "\n".join(header) + "\n" + _dump({"id": vendor_id, "name": name})


def new_files(plan: Plan, mapping: Mapping, source: str, today: date) -> list[NewFile]:
    """Every file ``--write`` would create, in order: vendors first, then tools."""
    out = [
        NewFile(f"registry/vendors/{vid}.yaml", vendor_file(vid, name, source))
        for vid, name in sorted(plan.new_vendors.items())
    ]
    out += [
        NewFile(f"registry/tools/{p.tool_id}.yaml", tool_file(p, mapping, source, today))
        for p in plan.of("create")
    ]
    return out


def check_files(
    files: list[NewFile], tree: Tree, schemas: Schemas, today: date
) -> dict[str, list[Diagnostic]]:
    """What `handbook validate --strict` would say about each new file, judged with the whole
    registry (``tree``) as it would be after writing them: new path -> its problems (errors and
    warnings; files without any are left out). Nothing is written."""
    from generator.validate import validate

    docs = []
    for f in files:
        kind = "vendor" if f.path.startswith("registry/vendors/") else "tool"
        data, _ = parse_yaml(f.text, f.path)  # our own text: it parses
        docs.append(Document(f.path, kind, data, f.text))
    new = {f.path for f in files}
    kept = [d for d in tree.documents if d.path not in new]  # writing would fail there anyway
    after = Tree(tree.root, [*kept, *docs], tree.pages, tree.assets)
    found: dict[str, list[Diagnostic]] = {}
    for d in validate(after, schemas, today).diagnostics:
        if d.path in new and d.severity is not Severity.NOTE:
            found.setdefault(d.path, []).append(d)
    return found


def write_files(root: Path, files: list[NewFile]) -> None:
    """Create every file, never replacing one and never writing through a symbolic link
    (:func:`generator.output.writable`): all are created or, if one cannot be, none (those
    created by this call are removed again). Raises HandbookError."""
    targets = [(output.writable(root, f.path), f) for f in files]  # refused before any write
    made: list[Path] = []
    try:
        for target, f in targets:
            target.parent.mkdir(parents=True, exist_ok=True)
            with target.open("x", encoding="utf-8", newline="\n") as out:
                made.append(target)
                out.write(f.text)
    except FileExistsError as exc:
        for path in made:
            path.unlink(missing_ok=True)
        raise HandbookError(
            f"{Path(str(exc.filename)).relative_to(root).as_posix()} exists already: nothing "
            "was written",
            "the import never replaces an entry; run it again to see the plan",
        ) from None
    except OSError as exc:
        for path in made:
            path.unlink(missing_ok=True)
        raise HandbookError(f"cannot write {exc.filename}: {exc.strerror}") from exc
