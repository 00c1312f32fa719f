"""An inventory sheet as a usage input: each product a kept row names is a use by the row's
team, read with the same mapping as `handbook import` (``--map``)."""

from __future__ import annotations

from pathlib import Path

from generator.diagnostics import HandbookError
from generator.inventory.cells import kept
from generator.inventory.mapping import Mapping, find_columns
from generator.inventory.names import is_placeholder, split_cell
from generator.inventory.tables import read_bytes, read_table, usable
from generator.reconcile.sources import Event, Read, recognised

_XLSX = b"PK\x03\x04"


def is_inventory(path: Path, mapping: Mapping | None, kind: str | None) -> bool:
    """Whether ``path`` is read as an inventory: ``--kind inventory``, a workbook, or a CSV
    whose first line names the mapping's product column. Raises HandbookError for an inventory
    without a mapping to read it with."""
    head = read_bytes(path, limit=65536, what="input", head=True)
    if kind is None and not head.startswith(_XLSX) and recognised(path):
        return False  # an export or a log reconcile knows stays what it is
    if kind == "inventory" or head.startswith(_XLSX):
        if mapping is None:
            raise HandbookError(
                f"{path} is read as an inventory, which needs a mapping",
                "give --map MAP.yaml (the mapping `handbook import` uses)",
            )
        return True
    if mapping is None:
        return False
    first = head.decode("utf-8", errors="replace").lstrip("\ufeff").split("\n", 1)[0]
    return mapping.columns["product"].casefold() in first.casefold()


def read_inventory(path: Path, shown: str, mapping: Mapping) -> Read:
    """The uses an inventory lists: one event per product named in a kept row, its user the
    row's team (or the row, when no team column is mapped). Raises HandbookError when the
    sheet lacks a mapped column."""
    table = read_table(path, sheet=mapping.sheet, header_row=mapping.header_row)
    table.path = shown
    columns, missing = find_columns(mapping, table)
    if missing:
        raise HandbookError(missing[0].message, missing[0].hint)
    read = Read(shown, "inventory", f"inventory sheet, {table.detail}", [], list(table.problems))
    for row in table.rows:
        read.lines += 1
        keep, problem = kept(table, row, mapping, columns)
        if problem is not None:
            read.problems.append(problem)
        if not keep:
            continue
        team = usable(table, row, columns["team"]) if "team" in columns else ""
        cell = usable(table, row, columns["product"])
        for name, _ in split_cell(cell, mapping.rules.separators):
            if is_placeholder(name, mapping.rules):
                continue
            read.events.append(
                Event(
                    shown,
                    row.number,
                    "inventory",
                    name=name,
                    user=team or f"row {row.number}",
                    what="inventory row",
                )
            )
    return read
