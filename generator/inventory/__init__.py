"""The inventory side of the handbook: `handbook import` (a spreadsheet -> proposed entries) and
the name matching `handbook reconcile` shares with it.

read table (:mod:`.tables`) -> mapping (:mod:`.mapping`) -> cells (:mod:`.cells`) -> split and
normalise names (:mod:`.names`) -> match the registry and the catalogue (:mod:`.known`,
:mod:`.catalogue`) -> cluster (:mod:`.cluster`) -> plan (:mod:`.plan`) -> show (:mod:`.show`)
or write (:mod:`.write`).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from generator import pipeline
from generator.diagnostics import Diagnostic, Severity
from generator.inventory.catalogue import Service, load_catalogue
from generator.inventory.known import Directory
from generator.inventory.mapping import Mapping, load_mapping
from generator.inventory.names import Rules
from generator.inventory.plan import Plan, plan_import
from generator.inventory.tables import read_table
from generator.inventory.write import NewFile, check_files, new_files, write_files
from generator.model import Handbook, Vendor
from generator.validate.identity import stem

__all__ = ["Imported", "Registry", "import_table", "registry"]


@dataclass
class Registry:
    """The handbook's registry and the catalogue, as matching needs them."""

    checked: pipeline.Checked
    services: list[Service]
    problems: list[Diagnostic] = field(default_factory=list)

    @property
    def handbook(self) -> Handbook:
        return self.checked.handbook

    def directory(self, rules: Rules) -> Directory:
        return Directory(list(self.handbook.tools.values()), self.services, rules)

    def vendors(self) -> dict[str, Vendor | None]:
        """The registry's vendors by id, and every other vendor file by its name (None)."""
        found: dict[str, Vendor | None] = {
            stem(d.path): None for d in self.checked.tree.of_kind("vendor")
        }
        return {**found, **self.handbook.vendors}

    def taken_tool_ids(self) -> set[str]:
        """Ids of registered tools and names of every file in registry/tools/ (valid or not)."""
        names = {stem(d.path) for d in self.checked.tree.of_kind("tool")}
        return set(self.handbook.tools) | names


def registry(root: Path, catalogues: Sequence[Path], today: date) -> Registry:
    """Load the handbook at ``root`` (its usable tools count, even when some files are invalid)
    and the catalogue with the extra ``catalogues``. Raises HandbookError when ``root`` is no
    handbook or a catalogue cannot be read."""
    checked = pipeline.check(root, None, today)
    services, problems = load_catalogue(checked.schemas, catalogues)
    return Registry(checked, services, problems)


def _valid_only(plan: Plan, mapping: Mapping, source: str, reg: Registry) -> list[NewFile]:
    """The files of the plan, less the entries the validator would not pass as written (each
    such product is skipped, with a warning at its first row): what is written validates."""
    today = reg.checked.today
    for _ in range(3):  # skipping a tool can leave its new vendor unused: that is all
        made = new_files(plan, mapping, source, today)
        failed = check_files(made, reg.checked.tree, reg.checked.schemas, today)
        if not failed:
            return made
        for p in plan.of("create"):
            found = failed.get(f"registry/tools/{p.tool_id}.yaml") or failed.get(
                f"registry/vendors/{p.vendor_id}.yaml"
            )
            if found:
                p.action, p.why = "skip", f"its entry would not validate: {found[0].message}"
                row, col = p.product.members[0].places[0]
                plan.problems.append(
                    Diagnostic(
                        "import-value",
                        Severity.WARNING,
                        f"{p.product.name!r} is not imported: {p.why}",
                        plan.table.path,
                        row,
                        col,
                        hint="correct the cells it comes from, or register it by hand",
                    )
                )
    raise RuntimeError("the import's entries do not validate after three rounds")  # a bug


@dataclass
class Imported:
    """An import's plan, the files it creates (or would), and every problem."""

    plan: Plan | None
    mapping: Mapping | None
    files: list[NewFile]
    problems: list[Diagnostic]
    written: bool = False


def import_table(
    root: Path,
    table_path: Path,
    map_path: Path,
    *,
    sheet: str | None,
    catalogues: Sequence[Path],
    today: date,
    write: bool,
    source: str,
) -> Imported:
    """Plan (and with ``write``, carry out) the import of ``table_path`` with ``map_path``.

    ``source`` names the table in written comments; a new entry's ``status.since`` is the day
    the handbook judges dates as of (its pinned ``as_of``, else ``today``). Raises
    HandbookError when an input cannot be read; problems in their content come back as
    Diagnostics. Nothing is written when any problem is an error."""
    reg = registry(root, catalogues, today)
    mapping, problems = load_mapping(map_path, reg.checked.schemas)
    problems = reg.problems + problems
    if mapping is None:
        return Imported(None, None, [], problems)
    table = read_table(table_path, sheet=sheet or mapping.sheet, header_row=mapping.header_row)
    plan = plan_import(
        table,
        mapping,
        reg.directory(mapping.rules),
        reg.vendors(),
        reg.taken_tool_ids(),
        reg.checked.schemas,
        reg.checked.today,
    )
    if table.kind == "xlsx":
        source = f"{source}, {table.detail}"  # "inventory.xlsx, sheet 'AI tools'"
    made = _valid_only(plan, mapping, source, reg)
    problems += plan.problems
    if reg.checked.failed:
        problems.append(
            Diagnostic(
                "import-value",
                Severity.WARNING,
                "the registry does not validate; the import is planned against its usable "
                "entries only",
                "registry/",
                hint="run handbook validate and fix its errors, then import again",
            )
        )
    if write and not any(p.severity.rank == 0 for p in problems):
        write_files(root, made)
        return Imported(plan, mapping, made, problems, written=True)
    return Imported(plan, mapping, made, problems)
