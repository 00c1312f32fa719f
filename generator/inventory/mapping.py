"""The import mapping (``schemas/import-map.schema.json``): which column holds what, how values
are recoded, how names are split; and its columns found in a table's header."""

from __future__ import annotations

import difflib
from collections.abc import Mapping as MappingABC
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from generator.diagnostics import Diagnostic, Severity
from generator.inventory.cluster import MERGE_AT, NEAR_MISS_AT
from generator.inventory.datafile import load_checked
from generator.inventory.names import Rules, is_placeholder, spelling
from generator.inventory.tables import Table
from generator.load import Document
from generator.schema import Schemas


@dataclass(frozen=True, slots=True)
class Mapping:
    """A valid mapping file, with the defaults of everything it leaves out."""

    doc: Document
    columns: dict[str, str]
    owner_team: str
    owner_contact: str
    license_tier: str
    data_allowed: tuple[str, ...] = ()
    vendor: str | None = None
    description: str | None = None
    sheet: str | None = None
    header_row: int = 1
    keep: dict[str, Any] = field(default_factory=dict)
    recode: dict[str, dict[str, Any]] = field(default_factory=dict)
    rules: Rules = field(default_factory=Rules)
    products: dict[str, str] = field(default_factory=dict)
    vendors: dict[str, str] = field(default_factory=dict)
    merge_at: float = MERGE_AT
    near_miss_at: float = NEAR_MISS_AT

    @property
    def path(self) -> str:
        return self.doc.path


def load_mapping(path: Path, schemas: Schemas) -> tuple[Mapping | None, list[Diagnostic]]:
    """The mapping at ``path`` when valid (else None) and its problems at file:line:column.
    Raises HandbookError when the file cannot be read."""
    doc, problems = load_checked(path, "import-map", schemas)
    if doc is None:
        return None, problems
    data = doc.data
    names: MappingABC[str, Any] = data.get("names", {})
    defaults = data["defaults"]
    mapping = Mapping(
        doc=doc,
        columns=dict(data["columns"]),
        owner_team=defaults["owner"]["team"],
        owner_contact=defaults["owner"]["contact"],
        license_tier=defaults["license_tier"],
        data_allowed=tuple(defaults.get("data_allowed", ())),
        vendor=defaults.get("vendor"),
        description=data.get("description"),
        sheet=data.get("sheet"),
        header_row=data.get("header_row", 1),
        keep=dict(data.get("keep", {})),
        recode={k: dict(v) for k, v in data.get("recode", {}).items()},
        rules=Rules.from_mapping(names),
        products=dict(names.get("products", {})),
        vendors=dict(names.get("vendors", {})),
        merge_at=float(names.get("merge_at", MERGE_AT)),
        near_miss_at=float(names.get("near_miss_at", NEAR_MISS_AT)),
    )
    if mapping.near_miss_at > mapping.merge_at:
        line, col = doc.locate(["names", "near_miss_at"])
        problems.append(
            Diagnostic(
                "import-mapping",
                Severity.ERROR,
                f"names.near_miss_at ({mapping.near_miss_at:g}) is above names.merge_at "
                f"({mapping.merge_at:g})",
                doc.path,
                line,
                col,
                hint="a near miss is a pair not quite similar enough to merge: keep it lower",
            )
        )
        return None, problems
    problems += _products_problems(mapping) + _recode_problems(mapping)
    for key in mapping.keep:
        if key not in mapping.columns:
            line, col = doc.locate(["keep", key], key=True)
            problems.append(
                Diagnostic(
                    "import-column-missing",
                    Severity.ERROR,
                    f"keep.{key} filters on a field no column is mapped to",
                    doc.path,
                    line,
                    col,
                    hint=f"add columns.{key}: <its column name>, or remove keep.{key}",
                )
            )
    if any(p.severity is Severity.ERROR for p in problems):
        return None, problems
    return mapping, problems


def _recode_problems(mapping: Mapping) -> list[Diagnostic]:
    """A recode table that maps to a placeholder ("N/A") would make one from a real value."""
    found = []
    for field_name, table in mapping.recode.items():
        for key, value in table.items():
            if isinstance(value, str) and is_placeholder(value, mapping.rules):
                line, col = mapping.doc.locate(["recode", field_name, key])
                found.append(
                    Diagnostic(
                        "import-mapping",
                        Severity.ERROR,
                        f"recode.{field_name} maps {key!r} to {value!r}, which is a placeholder",
                        mapping.path,
                        line,
                        col,
                        hint="to leave such cells out, add the word to names.placeholders",
                    )
                )
    return found


def _products_problems(mapping: Mapping) -> list[Diagnostic]:
    """names.products maps spellings to the products they mean: a target that is itself a
    spelling mapped elsewhere (a chain or a loop) or a placeholder is an error at its line."""
    rules = mapping.rules
    keys = {spelling(k, rules).words: k for k in mapping.products}
    found = []
    for key, target in mapping.products.items():
        other = keys.get(spelling(target, rules).words)
        why = None
        if is_placeholder(target, rules):
            why = f"names.products maps {key!r} to {target!r}, which is a placeholder"
        elif other is not None and other != key:
            why = (
                f"names.products maps {key!r} to {target!r}, which is itself mapped "
                f"(to {mapping.products[other]!r})"
            )
        if why is not None:
            line, col = mapping.doc.locate(["names", "products", key])
            found.append(
                Diagnostic(
                    "import-mapping",
                    Severity.ERROR,
                    why,
                    mapping.path,
                    line,
                    col,
                    hint="map every spelling straight to the product's name, which maps to nothing",
                )
            )
    return found


def find_columns(mapping: Mapping, table: Table) -> tuple[dict[str, int], list[Diagnostic]]:
    """Each mapped field's 0-based column in ``table``; a column the header lacks is an error
    at the mapping's line, naming the closest header cell."""
    found: dict[str, int] = {}
    problems = []
    for key, name in mapping.columns.items():
        named = table.columns_named(name)
        if len(named) > 1:
            problems.append(
                Diagnostic(
                    "import-column-missing",
                    Severity.ERROR,
                    f"{len(named)} columns are named {name!r} (columns "
                    f"{', '.join(str(i + 1) for i in named)}), so columns.{key} is unclear",
                    table.path,
                    table.header_row,
                    named[1] + 1,
                    hint="rename the columns in the header row so each name is used once",
                )
            )
            continue
        if named:
            found[key] = named[0]
            continue
        close = difflib.get_close_matches(name, [h for h in table.header if h], n=1, cutoff=0.5)
        line, col = mapping.doc.locate(["columns", key])
        cells = [h for h in table.header if h]
        # a header is short names; anything else (a log line read as one) is not quoted
        header = (
            ", ".join(repr(h) for h in cells)
            if cells and all(len(h) <= 60 for h in cells)
            else f"none: row {table.header_row} does not look like a header row"
        )
        problems.append(
            Diagnostic(
                "import-column-missing",
                Severity.ERROR,
                f"columns.{key} names {name!r}, but {table.path} (row {table.header_row}) has "
                "no such column",
                mapping.path,
                line,
                col,
                hint=f"did you mean {close[0]!r}?"
                if close
                else f"its columns: {header[:300] or 'none'} (if the names are on a later row, "
                "set header_row in the mapping)",
            )
        )
    return found, problems
